/**
 * `tsctypes-bindgen HEADER... --lib NAME [-I DIR] [-D NAME[=VAL]] [--include REGEX] [--exclude REGEX] -o OUT.ts`
 */
import * as fs from "node:fs";
import { CDLL, find_library } from "../index";
import { bindgen } from "./generate";

const USAGE = "usage: tsctypes-bindgen HEADER... --lib NAME [-I DIR] [-D NAME[=VAL]] [--include REGEX] [--exclude REGEX] [--cc CC] -o OUT.ts";

interface Arguments {
  headers: string[];
  lib: string | null;
  includeDirs: string[];
  defines: string[];
  include: RegExp | undefined;
  exclude: RegExp | undefined;
  cc: string | undefined;
  output: string | null;
}

export function parseArguments(argv: readonly string[]): Arguments {
  const a: Arguments = { headers: [], lib: null, includeDirs: [], defines: [], include: undefined, exclude: undefined, cc: undefined, output: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (option: string): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${option} needs a value`);
      return v;
    };
    const regex = (option: string): RegExp => {
      const v = value(option);
      try {
        return new RegExp(v);
      } catch (e) {
        throw new UsageError(`${option} ${JSON.stringify(v)}: ${(e as Error).message}`);
      }
    };
    if (arg === "--lib") a.lib = value(arg);
    else if (arg === "-o" || arg === "--output") a.output = value(arg);
    else if (arg === "-I") a.includeDirs.push(value(arg));
    else if (arg.startsWith("-I")) a.includeDirs.push(arg.slice(2));
    else if (arg === "-D") a.defines.push(value(arg));
    else if (arg.startsWith("-D")) a.defines.push(arg.slice(2));
    else if (arg === "--include") a.include = regex(arg);
    else if (arg === "--exclude") a.exclude = regex(arg);
    else if (arg === "--cc") a.cc = value(arg);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else a.headers.push(arg);
  }
  if (a.headers.length === 0) throw new UsageError("no header given");
  if (a.lib === null) throw new UsageError("--lib NAME is required (the library the functions are bound to)");
  if (a.output === null) throw new UsageError("-o OUT.ts is required");
  return a;
}

class UsageError extends Error {}

/** Which symbols the library exports, when it can be loaded here (functions it lacks become comments). */
function exportsOf(lib: string): ((symbol: string) => boolean) | undefined {
  const path = /[./]/.test(lib) ? lib : find_library(lib);
  if (path === null) return undefined;
  try {
    const loaded = new CDLL(path);
    return (symbol) => {
      try {
        loaded.symbolAddress(symbol);
        return true;
      } catch {
        return false;
      }
    };
  } catch {
    return undefined;
  }
}

export function main(argv: readonly string[]): number {
  let a: Arguments;
  try {
    a = parseArguments(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tsctypes-bindgen: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const { source, skipped } = bindgen(a.headers, { lib: a.lib!, includeDirs: a.includeDirs, defines: a.defines, include: a.include, exclude: a.exclude, cc: a.cc, exports: exportsOf(a.lib!) });
    fs.writeFileSync(a.output!, source);
    process.stderr.write(`tsctypes-bindgen: wrote ${a.output}${skipped.length ? ` (${skipped.length} declarations not expressible, listed at its end)` : ""}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}
