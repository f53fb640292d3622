/**
 * Runs the system C preprocessor on a set of headers (`$CC -E -dD`) and splits its output into what the
 * parser reads (C text, with every `#` line blanked so line numbers stay those of the output) and what it
 * does not (the `#define`s), remembering which file each line came from (the `# N "file"` markers).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface PreprocessOptions {
  /** the C compiler driver (`$CC`, else "cc") */
  readonly cc?: string;
  readonly includeDirs?: readonly string[];
  /** `NAME` or `NAME=VALUE` */
  readonly defines?: readonly string[];
}

/** A `#define` of the preprocessor's output. */
export interface MacroDefinition {
  readonly name: string;
  /** null: an object-like macro; else the parameter list as written */
  readonly params: string | null;
  readonly body: string;
  readonly file: string;
}

export interface Preprocessed {
  /** the C text, `#` lines blanked */
  readonly text: string;
  /** the file each line of `text` came from (index: line - 1) */
  readonly lineFiles: readonly string[];
  /** the files the named headers are (entered directly from the probe source) */
  readonly namedFiles: ReadonlySet<string>;
  readonly macros: readonly MacroDefinition[];
}

/** The compiler to use: the option, else `$CC`, else "cc" (a `$CC` with arguments, "ccache gcc", is split on spaces). */
export function compilerCommand(cc?: string): string[] {
  return (cc ?? process.env.CC ?? "cc").split(/\s+/).filter(Boolean);
}

/** An `#include` line for a header: by absolute path when the file exists as given, else `<name>` through the include path. */
export function includeLine(header: string): string {
  return fs.existsSync(header) ? `#include ${JSON.stringify(path.resolve(header))}` : `#include <${header}>`;
}

export function preprocess(headers: readonly string[], options: PreprocessOptions = {}): Preprocessed {
  if (headers.length === 0) throw new TypeError("tsctypes-bindgen: no header given");
  const [cc, ...ccArgs] = compilerCommand(options.cc);
  const args = [...ccArgs, "-E", "-dD", ...(options.includeDirs ?? []).map((d) => `-I${d}`), ...(options.defines ?? []).map((d) => `-D${d}`), "-x", "c", "-"];
  const source = headers.map(includeLine).join("\n") + "\n";
  const r = spawnSync(cc!, args, { input: source, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`tsctypes-bindgen: cannot run the C preprocessor "${cc}": ${r.error.message}`);
  if (r.status !== 0) throw new Error(`tsctypes-bindgen: the C preprocessor failed (${[cc, ...args].join(" ")}):\n${r.stderr.trim()}`);
  return splitOutput(r.stdout);
}

const LINE_MARKER = /^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"((?:\s+\d+)*)\s*$/;
const DEFINE = /^#\s*define\s+([A-Za-z_$][\w$]*)(\([^)]*\))?\s?(.*)$/;

function splitOutput(output: string): Preprocessed {
  const lines = output.split("\n");
  const lineFiles: string[] = [];
  const namedFiles = new Set<string>();
  const macros: MacroDefinition[] = [];
  // the include stack: [probe source, header, ...]; a file entered while only the probe is open is a named header
  const stack: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const file = stack[stack.length - 1] ?? "<stdin>";
    lineFiles.push(file);
    if (!line.startsWith("#")) continue;
    lines[i] = "";
    const marker = LINE_MARKER.exec(line);
    if (marker) {
      const name = JSON.parse(`"${marker[2]!}"`) as string;
      const flags = marker[3]!.trim().split(/\s+/);
      if (flags.includes("1")) {
        if (stack.length === 1 && stack[0] === "<stdin>") namedFiles.add(name);
        stack.push(name);
      } else if (flags.includes("2")) {
        stack.pop();
        stack[stack.length - 1] = name;
      } else if (stack.length === 0) stack.push(name);
      else stack[stack.length - 1] = name;
      continue;
    }
    const define = DEFINE.exec(line);
    if (define) macros.push({ name: define[1]!, params: define[2] ?? null, body: define[3]!.trim(), file });
  }
  return { text: lines.join("\n"), lineFiles, namedFiles, macros };
}
