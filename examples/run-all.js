"use strict";
// Runs every examples/<name>/main.mjs (and main-<variant>.mjs, a second way to
// write the same example) in its own node process, one after the other, and
// fails (exit code 1) if any of them exits non-zero or is killed.
// `npm run examples` calls this.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const examplesDir = __dirname;
const examples = fs
  .readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .flatMap((dir) =>
    fs
      .readdirSync(path.join(examplesDir, dir))
      .filter((file) => /^main(-[\w-]+)?\.mjs$/.test(file))
      .sort()
      .map((file) => (file === "main.mjs" ? dir : `${dir}/${file}`)),
  );

if (examples.length === 0) {
  console.error("run-all: no examples/*/main.mjs found");
  process.exit(1);
}

const failed = [];
for (const name of examples) {
  const script = path.join(examplesDir, name.endsWith(".mjs") ? name : path.join(name, "main.mjs"));
  console.log(`\n=== ${name} (${path.relative(process.cwd(), script) || script}) ===`);
  const result = spawnSync(process.execPath, [script], { stdio: "inherit", cwd: path.dirname(script) });
  if (result.error) {
    console.error(`run-all: ${name}: could not start: ${result.error.message}`);
    failed.push(name);
  } else if (result.status !== 0) {
    console.error(`run-all: ${name}: ${result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`}`);
    failed.push(name);
  }
}

console.log(`\n${examples.length - failed.length} of ${examples.length} examples passed${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
process.exit(failed.length === 0 ? 0 : 1);
