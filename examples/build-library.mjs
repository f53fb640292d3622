// Shared by the examples: compile an example's C sources into build/lib<name>.so
// (cc -shared -fPIC), unless the library is newer than its sources.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Path of `<dir>/build/lib<name>.so`, built from `sources` (relative to `dir`) when out of date. */
export function buildLibrary(dir, name, sources, extraFlags = []) {
  const output = path.join(dir, "build", `lib${name}.so`);
  const files = sources.map((s) => path.join(dir, s));
  const upToDate = fs.existsSync(output) && files.every((s) => fs.statSync(s).mtimeMs <= fs.statSync(output).mtimeMs);
  if (upToDate) return output;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`; // then renamed: safe when several runs build at once
  const cc = process.env.CC || "cc";
  const result = spawnSync(cc, ["-shared", "-fPIC", "-O2", "-o", temporary, ...files, ...extraFlags], { stdio: ["ignore", 2, 2] });
  if (result.status !== 0) {
    console.error(`could not build ${output} with ${cc}${result.error ? `: ${result.error.message}` : ""}`);
    process.exit(1);
  }
  fs.renameSync(temporary, output);
  return output;
}
