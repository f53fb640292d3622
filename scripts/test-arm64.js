"use strict";
// The test suite on linux-arm64, under qemu (scripts/cross.js): the prebuilt arm64 binaries
// (prebuilds/linux-arm64, made by `node scripts/prebuild.js --arch=arm64`) in a copy of the
// tree without build/ (the loader would take the host's x64 build first), the C fixtures
// built by the cross compiler, and the arm64 Node of one line. Ends with one line of totals:
//
//   node scripts/test-arm64.js [--line=26] [test files...]
//   ...
//   arm64-node26: 652 passed, 0 failed, 39 skipped
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const cross = require("./cross.js");

const REPO = path.resolve(__dirname, "..");
// not copied: host builds and what the copy links back to instead
const SKIP = new Set(["build", "node_modules", ".runtimes", ".git", "prebuilds", ".scratch"]);

function copyTree(to) {
  fs.cpSync(REPO, to, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO, src);
      const parts = rel.split(path.sep);
      if (SKIP.has(parts[0])) return false;
      return !parts.includes("build"); // examples/*/build, test/fixtures/build: host objects
    },
  });
  fs.cpSync(path.join(REPO, "prebuilds", "linux-arm64"), path.join(to, "prebuilds", "linux-arm64"), { recursive: true });
  for (const link of ["node_modules", ".runtimes"]) fs.symlinkSync(path.join(REPO, link), path.join(to, link));
}

function main() {
  const argv = process.argv.slice(2);
  const line = (argv.find((a) => a.startsWith("--line="))?.slice("--line=".length) ?? "26").replace(/^node/, "");
  const only = argv.filter((a) => !a.startsWith("--"));
  if (!fs.existsSync(path.join(REPO, "prebuilds", "linux-arm64", "tsctypes.node"))) {
    console.error("test-arm64: no prebuilds/linux-arm64: node scripts/prebuild.js --arch=arm64");
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-arm64-"));
  copyTree(dir);
  const env = { ...process.env, CC: `${cross.TRIPLE}-gcc`, CXX: `${cross.TRIPLE}-g++` };
  const fixtures = spawnSync(process.execPath, ["test/fixtures/build.js"], { cwd: dir, env, stdio: "inherit" });
  if (fixtures.status !== 0) process.exit(2);
  const files = only.length ? only : fs.readdirSync(path.join(dir, "test")).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => path.join("test", f));
  const [qemu, ...pre] = cross.qemuPrefix();
  const child = spawn(qemu, [...pre, cross.nodePath(line), "--test", "--test-concurrency=1", "--test-reporter=tap", ...files], {
    cwd: dir,
    env: cross.wrapEnv(env),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    process.stdout.write(d);
  });
  child.on("close", (code, signal) => {
    const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(out)?.[1] ?? 0);
    const failed = count("fail") + count("cancelled") + (code === 0 || count("fail") ? 0 : 1);
    console.log(`\narm64-node${line}: ${count("pass")} passed, ${failed} failed, ${count("skipped")} skipped${signal ? ` (killed by ${signal})` : ""}`);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(failed === 0 && code === 0 ? 0 : 1);
  });
}

main();
