// Compiling generated C with the platform compiler (`cc`, or $CC) into a temp dir.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CC = process.env.CC || "cc";

/** A fresh temp dir (removed by cleanup()). */
export function tempDir(prefix = "tsctypes-structfuzz-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cleanup(dir) {
  if (dir && !process.env.STRUCT_FUZZ_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Compile `source` to `dir/name` (an executable, or a shared library with shared: true).
 * Throws with the compiler's output on failure.
 */
export function compile(source, dir, name, { shared = false, opt = "-O0" } = {}) {
  const src = path.join(dir, `${name}.c`);
  const out = path.join(dir, shared ? `lib${name}.so` : name);
  fs.writeFileSync(src, source);
  const args = ["-std=gnu11", opt, "-w", "-o", out, src];
  if (shared) args.unshift("-shared", "-fPIC");
  const r = spawnSync(CC, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${CC}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${CC} ${args.join(" ")} failed:\n${(r.stderr || "").slice(0, 4000)}`);
  return out;
}

/** Run an executable; returns its stdout (throws on failure). */
export function run(exe) {
  const r = spawnSync(exe, [], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`${exe}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${exe} exited with ${r.status ?? r.signal}:\n${(r.stderr || "").slice(0, 2000)}`);
  return r.stdout;
}
