// Shared by the tests: where the compiled C fixtures are.
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Path of the compiled fixture library test/fixtures/<name>.c */
export function fixture(name) {
  return path.join(here, "fixtures", "build", `lib${name}.so`);
}

import v8 from "node:v8";
import vm from "node:vm";

/** The garbage collector (exposed at run time when node was not started with --expose-gc). */
export const gc = (() => {
  if (typeof globalThis.gc === "function") return globalThis.gc;
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
const ROOT = path.join(here, "..");
/**
 * Run an ES module script in a child node inside the package (so "tsctypes" resolves);
 * `args` go before the script (node flags), `env` is added to this process's environment.
 */
export function runModule(script, { args = [], env = {}, timeout = 60_000 } = {}) {
  return spawnSync(process.execPath, [...args, "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    timeout,
    env: { ...process.env, ...env },
  });
}
