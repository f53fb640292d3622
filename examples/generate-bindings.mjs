// Shared by the bindgen examples: run tsctypes-bindgen on installed headers into <dir>/build/<name>.ts,
// then make it an ES module next to it (TypeScript's transpileModule: types erased; `tsc --strict` checks
// the same file in test/bindgen.test.mjs). Returns the module's URL for import().
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const ts = createRequire(import.meta.url)("typescript");

export function generateBindings(dir, name, headers, lib) {
  const build = path.join(dir, "build");
  fs.mkdirSync(build, { recursive: true });
  const tsFile = path.join(build, `${name}.ts`);
  // npx tsctypes-bindgen zlib.h --lib libz.so.1 -o build/zlib.ts
  const r = spawnSync(process.execPath, [path.join(root, "bin", "tsctypes-bindgen.js"), ...headers, "--lib", lib, "-o", tsFile], { encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  const { outputText } = ts.transpileModule(fs.readFileSync(tsFile, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const jsFile = path.join(build, `${name}.mjs`);
  fs.writeFileSync(jsFile, outputText);
  return pathToFileURL(jsFile).href;
}
