/**
 * verifyLayout: compiles a probe against the headers with the C compiler, which prints each struct/union's
 * sizeof, _Alignof, and per field offsetof and sizeof (bit fields: the bits that writing all ones sets in a
 * zeroed object), and compares them with tsctypes' own layout (sizeof, alignment, fieldInfo).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CTypeLike } from "../types/ctype";
import { alignment, sizeof } from "../data/ops";
import { fieldInfo } from "../data/struct";
import { BigEndianStructure, BigEndianUnion, Structure, Union } from "../data/struct";
import { describeValue } from "../errors";
import { compilerCommand, includeLine } from "../bindgen/preprocess";

export interface VerifyLayoutOptions {
  /** headers to include: paths, or names found through the include path (`"zlib.h"`) */
  readonly headers: readonly string[];
  /** the C compiler (default `$CC`, else "cc") */
  readonly cc?: string;
  readonly includeDirs?: readonly string[];
}

/** One disagreement between the C compiler and tsctypes. */
export interface LayoutMismatch {
  /** the C type as the probe spelled it ("struct z_stream_s", "z_stream") */
  readonly type: string;
  /** the field, or undefined for the type's own size and alignment */
  readonly field?: string;
  readonly property: "size" | "align" | "offset" | "bits";
  /** what C says, what tsctypes says (bits: "first bit+count", counted from the object's first byte, least significant bit first) */
  readonly c: number | string;
  readonly tsctypes: number | string;
}

interface Probe {
  readonly key: string;
  readonly cls: StructClass;
  /** the spellings to try: the key as written, then (for a bare name) as a struct/union tag */
  readonly spellings: readonly string[];
  readonly fields: readonly ProbeField[];
}

interface ProbeField {
  readonly name: string;
  readonly bits: boolean;
  /** tsctypes' answer */
  readonly offset: number;
  readonly size: number;
  readonly firstBit?: number;
  readonly bitCount?: number;
}

type StructClass = Function & CTypeLike & { _fields_?: readonly (readonly [string, CTypeLike, number?])[]; _anonymous_?: readonly string[] };

/**
 * Compare each struct/union of `types` (keyed by its C spelling: `"struct z_stream_s"`, or a typedef name; a bare
 * name that is no typedef is tried as a tag) with the C compiler's layout. Returns the mismatches, empty when they agree.
 */
export function verifyLayout(types: Readonly<Record<string, CTypeLike>>, options: VerifyLayoutOptions): LayoutMismatch[] {
  const where = "verifyLayout()";
  if (types === null || typeof types !== "object") throw new TypeError(`${where}: expected an object of Structure/Union classes, got ${describeValue(types)}`);
  if (!options || !Array.isArray(options.headers)) throw new TypeError(`${where}: options.headers must be an array of header names`);
  const probes: Probe[] = Object.entries(types).map(([key, type]) => {
    const t = type as unknown;
    if (typeof t !== "function" || !(t.prototype instanceof Structure || t.prototype instanceof Union))
      throw new TypeError(`${where}: types[${JSON.stringify(key)}]: expected a Structure or Union class, got ${describeValue(t)}`);
    const cls = t as StructClass;
    const tag = `${t.prototype instanceof Union ? "union" : "struct"} ${key}`;
    return { key, cls, spellings: /^[A-Za-z_]\w*$/.test(key) ? [key, tag] : [key], fields: fieldsOf(cls) };
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-layout-"));
  try {
    // first every name as written; entries the compiler rejects are tried with their next spelling
    const choice = probes.map(() => 0);
    for (;;) {
      const { program, lineOwners } = probeProgram(probes, choice, options.headers);
      const result = compileAndRun(program, dir, options, lineOwners);
      if (result.ok) return compare(probes, choice, result.output);
      const retry = result.failed.filter((i) => choice[i]! + 1 < probes[i]!.spellings.length);
      if (retry.length === 0) throw new Error(`${where}: the probe did not compile:\n${result.message}`);
      for (const i of retry) choice[i]!++;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields C can name: named fields, and those promoted from anonymous members (with their offsets within this type). */
function fieldsOf(cls: StructClass, base = 0): ProbeField[] {
  const out: ProbeField[] = [];
  const littleBits = !(cls.prototype instanceof BigEndianStructure || cls.prototype instanceof BigEndianUnion);
  for (const [name, t, bits] of cls._fields_ ?? []) {
    if (name === "") continue;
    const info = fieldInfo(cls, name);
    if (cls._anonymous_?.includes(name)) {
      out.push(...fieldsOf(t as unknown as StructClass, base + info.offset));
      continue;
    }
    if (bits === undefined) {
      out.push({ name, bits: false, offset: base + info.offset, size: info.size });
      continue;
    }
    // bits counted from the object's first byte, least significant first (as the probe reads them on a little-endian machine)
    const unitBits = info.size * 8;
    const inUnit = littleBits ? info.bit_offset! : unitBits - info.bit_offset! - info.bit_size!;
    out.push({ name, bits: true, offset: base + info.offset, size: info.size, firstBit: (base + info.offset) * 8 + inUnit, bitCount: info.bit_size! });
  }
  return out;
}

function probeProgram(probes: readonly Probe[], choice: readonly number[], headers: readonly string[]): { program: string; lineOwners: number[] } {
  const lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <string.h>", ...headers.map(includeLine), ""];
  const lineOwners: number[] = lines.map(() => -1);
  const push = (owner: number, text: string) => {
    lines.push(text);
    lineOwners.push(owner);
  };
  push(-1, "static void bits(int t, const char *f, const unsigned char *p, size_t n) {");
  push(-1, "  long first = -1, count = 0;");
  push(-1, "  for (size_t i = 0; i < n * 8; i++) if (p[i / 8] >> (i % 8) & 1) { if (first < 0) first = (long)i; count++; }");
  push(-1, '  printf("%d bits %s %ld+%ld\\n", t, f, first, count);');
  push(-1, "}");
  push(-1, "int main(void) {");
  probes.forEach((p, i) => {
    const T = p.spellings[choice[i]!]!;
    push(i, `  printf("${i} size - %zu\\n", sizeof(${T}));`);
    push(i, `  printf("${i} align - %zu\\n", _Alignof(${T}));`);
    for (const f of p.fields) {
      if (!f.bits) push(i, `  printf("${i} offset ${f.name} %zu\\n${i} fsize ${f.name} %zu\\n", offsetof(${T}, ${f.name}), sizeof(((${T} *)0)->${f.name}));`);
      else push(i, `  { ${T} v; memset(&v, 0, sizeof v); v.${f.name} = -1; bits(${i}, "${f.name}", (const unsigned char *)&v, sizeof v); }`);
    }
  });
  push(-1, "  return 0;");
  push(-1, "}");
  return { program: lines.join("\n") + "\n", lineOwners };
}

type RunResult = { ok: true; output: string } | { ok: false; failed: number[]; message: string };

function compileAndRun(program: string, dir: string, options: VerifyLayoutOptions, lineOwners: readonly number[]): RunResult {
  const source = path.join(dir, "probe.c");
  const exe = path.join(dir, "probe");
  fs.writeFileSync(source, program);
  const [cc, ...ccArgs] = compilerCommand(options.cc);
  const args = [...ccArgs, "-std=gnu11", "-w", ...(options.includeDirs ?? []).map((d) => `-I${d}`), source, "-o", exe];
  const c = spawnSync(cc!, args, { encoding: "utf8" });
  if (c.error) throw new Error(`verifyLayout(): cannot run the C compiler "${cc}": ${c.error.message}`);
  if (c.status !== 0) {
    const failed = new Set<number>();
    for (const m of c.stderr.matchAll(/probe\.c:(\d+):\d+: error/g)) {
      const owner = lineOwners[Number(m[1]) - 1];
      if (owner !== undefined && owner >= 0) failed.add(owner);
    }
    return { ok: false, failed: [...failed], message: c.stderr.trim() };
  }
  const r = spawnSync(exe, [], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`verifyLayout(): the probe failed (${r.signal ?? `exit code ${r.status}`}): ${r.stderr}`);
  return { ok: true, output: r.stdout };
}

function compare(probes: readonly Probe[], choice: readonly number[], output: string): LayoutMismatch[] {
  const c = new Map<string, string>();
  for (const line of output.split("\n")) {
    const m = /^(\d+) (\w+) (\S+) (\S+)$/.exec(line);
    if (m) c.set(`${m[1]} ${m[2]} ${m[3]}`, m[4]!);
  }
  const out: LayoutMismatch[] = [];
  probes.forEach((p, i) => {
    const type = p.spellings[choice[i]!]!;
    const check = (property: LayoutMismatch["property"], field: string | undefined, mine: number | string) => {
      const theirs = c.get(`${i} ${property === "size" && field !== undefined ? "fsize" : property} ${field ?? "-"}`);
      const cValue = theirs === undefined ? "(missing)" : /^\d+$/.test(theirs) ? Number(theirs) : theirs;
      if (cValue !== mine) out.push({ type, ...(field !== undefined ? { field } : {}), property, c: cValue, tsctypes: mine });
    };
    check("size", undefined, sizeof(p.cls));
    check("align", undefined, alignment(p.cls));
    for (const f of p.fields) {
      if (f.bits) check("bits", f.name, `${f.firstBit}+${f.bitCount}`);
      else {
        check("offset", f.name, f.offset);
        check("size", f.name, f.size);
      }
    }
  });
  return out;
}
