// Shared by the tests: where the compiled C fixtures are.
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Path of test/counters.cjs, for child scripts: what the native binaries count (which path calls took). */
export const COUNTERS = path.join(here, "counters.cjs");
/** Path of the compiled fixture library test/fixtures/<name>.c */
export function fixture(name) {
  return path.join(here, "fixtures", "build", `lib${name}.so`);
}

import v8 from "node:v8";
import vm from "node:vm";

/** The garbage collector (exposed at run time when node was not started with --expose-gc). */
export const gc = (() => {
  if (typeof globalThis.gc === "function") return globalThis.gc; // node --expose-gc, deno --v8-flags=--expose-gc
  if (globalThis.Bun) return () => globalThis.Bun.gc(true);
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
})();

/** Collect garbage, then allocate many small native buffers (4-99 bytes) so freed memory gets reused and overwritten. */
export async function collectAndChurn() {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const junk = [];
    for (let i = 0; i < 20000; i++) {
      const u = new Uint8Array(4 + (i % 96));
      u.fill(0x5a);
      junk.push(u.buffer);
    }
  }
}

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
const ROOT = path.join(here, "..");
// scripts/runtimes.js is the one place that knows how to start each runtime.
const runtimes = createRequire(import.meta.url)("../scripts/runtimes.js");
/** The runtime running the tests: "node", "bun" or "deno". */
export const RUNTIME = runtimes.currentKind();

/**
 * false where calls can take V8 fast API entries; elsewhere why they cannot, as a skip reason.
 * The accelerator loads only on Node: Bun and Deno have none. On Node, the accelerator's own note
 * says why it is missing (fastapi.test.mjs checks that it is there on the verified V8 versions).
 */
export const NO_FAST_API = (() => {
  const require = createRequire(import.meta.url);
  if (require("../dist/cjs/native.js").accelerator?.invokeFast) return false;
  if (RUNTIME !== "node") return "no accelerator in this runtime";
  const info = require("tsctypes").runtimeInfo();
  return info.accelerator ? `no V8 fast API entries in the ${info.acceleratorNote}` : `no accelerator: ${info.acceleratorNote}`;
})();

/**
 * [command, args] that start a child under the runtime running the tests (Bun, Deno or this
 * Node): the args go before a script file, or with `eval: "module"` / `"commonjs"` before source
 * code. `gc: true` exposes the global gc() in the child.
 */
export function childCommand({ eval: kind, gc = false } = {}) {
  return runtimes.childCommand(undefined, { eval: kind, gc });
}

/** spawnSync's options for a child: output as text, `env` added to this process's environment. */
function childOptions({ cwd = ROOT, env = {}, timeout = 300_000 }) {
  return { cwd, encoding: "utf8", timeout, maxBuffer: 1 << 26, env: { ...process.env, ...env } };
}

/**
 * Run source code in a child of this runtime inside the package (so "tsctypes" resolves):
 * `type` "module" (default) or "commonjs", `argv` its arguments (the last elements of its
 * process.argv), `gc: true` for the global gc(), `env` added to this process's environment.
 */
export function runSource(code, { type = "module", gc = false, argv = [], ...opts } = {}) {
  const [cmd, args] = childCommand({ eval: type, gc });
  return spawnSync(cmd, [...args, code, ...argv], childOptions(opts));
}

/** Run an ES module script in a child of this runtime inside the package (see runSource). */
export function runModule(script, opts = {}) {
  return runSource(script, { ...opts, type: "module" });
}

/** Run a CommonJS script in a child of this runtime inside the package (see runSource). */
export function runScript(script, opts = {}) {
  return runSource(script, { ...opts, type: "commonjs" });
}

/** Run a script file in a child of this runtime, with `argv` after it (`cwd`: the package's unless given). */
export function runFile(file, { gc = false, argv = [], ...opts } = {}) {
  const [cmd, args] = childCommand({ gc });
  return spawnSync(cmd, [...args, file, ...argv], childOptions(opts));
}

/** A small seeded random generator for the generated-signature tests (the same seed, the same sample). */
export function rng(seed) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 4294967296);
  return { int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (a) => a[Math.floor(next() * a.length)] };
}

/** Scalar C types for generated signatures: the C spelling, the tsctypes name, and a value generator. */
export const SCALARS = {
  schar: { c: "signed char", t: "c_byte", gen: (r) => r.int(-128, 127) },
  uchar: { c: "unsigned char", t: "c_ubyte", gen: (r) => r.int(0, 255) },
  short: { c: "short", t: "c_short", gen: (r) => r.int(-32768, 32767) },
  ushort: { c: "unsigned short", t: "c_ushort", gen: (r) => r.int(0, 65535) },
  int: { c: "int", t: "c_int", gen: (r) => r.int(-2147483648, 2147483647) },
  uint: { c: "unsigned int", t: "c_uint", gen: (r) => r.int(0, 4294967295) },
  longlong: { c: "long long", t: "c_longlong", gen: (r) => BigInt(r.int(-(2 ** 40), 2 ** 40)) * 4099n },
  ulonglong: { c: "unsigned long long", t: "c_ulonglong", gen: (r) => BigInt(r.int(0, 2 ** 40)) * 1048573n },
  float: { c: "float", t: "c_float", gen: (r) => Math.fround(r.int(-1e6, 1e6) / 64) },
  double: { c: "double", t: "c_double", gen: (r) => r.int(-1e9, 1e9) / 1024 },
  bool: { c: "_Bool", t: "c_bool", gen: (r) => r.int(0, 1) === 1 },
};
