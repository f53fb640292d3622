"use strict";
// `npm run prebuilds`: builds every binary the package ships for this platform into
// prebuilds/<platform>-<arch>/ — the Node-API core (tsctypes.node) and one V8 accelerator
// per supported Node line (v8-MAJOR.MINOR/tsctypes_v8.node, each built with that line's
// headers from the node-linux-<arch> npm packages, scripts/runtimes.js) — stripped, with a
// manifest.json naming each file's hash and what it needs. The loader (src/native.ts) takes
// them when no build from source is present.
//
//   node scripts/prebuild.js                        every Node line, from scratch
//   node scripts/prebuild.js --lines=node22,...     those lines' accelerators (and the core), keeping the others
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { BuildError, buildAccelerator, buildCore, ROOT } = require("./build-native.js");
const runtimes = require("./runtimes.js");

const NODE_LINES = ["node20", "node22", "node24", "node26"];

/** The newest GLIBC_x.y symbol version a binary needs (its glibc baseline), or null. */
function glibcNeeded(file) {
  const r = spawnSync("objdump", ["-T", file], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const versions = [...r.stdout.matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?/g)].map((m) => [+m[1], +m[2], +(m[3] ?? 0)]);
  versions.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const v = versions.at(-1);
  return v ? v.slice(0, v[2] ? 3 : 2).join(".") : null;
}

function strip(file) {
  const r = spawnSync(process.env.STRIP || "strip", ["--strip-unneeded", file], { stdio: "inherit" });
  if (r.status !== 0) throw new BuildError(`strip failed on ${file}`);
}

function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function main() {
  const linesArg = process.argv.find((a) => a.startsWith("--lines="));
  const lines = linesArg ? linesArg.slice("--lines=".length).split(",") : NODE_LINES;
  const target = `${process.platform}-${process.arch}`;
  const outDir = path.join(ROOT, "prebuilds", target);
  // all lines: start clean; some lines (--lines): replace theirs, keep the others
  if (!linesArg) fs.rmSync(outDir, { recursive: true, force: true });
  runtimes.install(lines.filter((l) => l !== "node20"), { log: console.log });

  const core = buildCore({ nodedir: runtimes.nodeDir(lines[0]), out: path.join(outDir, "tsctypes.node") });
  strip(core);
  for (const line of lines) strip(buildAccelerator({ nodedir: runtimes.nodeDir(line), outDir }));
  const describe = (file, extra) => ({ path: path.relative(outDir, file), ...extra, bytes: fs.statSync(file).size, sha256: sha256(file), glibc: glibcNeeded(file) });
  const manifest = { target, libc: "glibc", files: [describe(core, { kind: "core" })] };
  for (const dir of fs.readdirSync(outDir).filter((d) => /^v8-\d+\.\d+$/.test(d)).sort()) {
    const file = path.join(outDir, dir, "tsctypes_v8.node");
    if (fs.existsSync(file)) manifest.files.push(describe(file, { kind: "accelerator", v8: dir.slice(3) }));
  }
  manifest.glibc = manifest.files.map((f) => f.glibc).filter(Boolean).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1) ?? null;
  fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const f of manifest.files) console.log(`${path.join("prebuilds", target, f.path)}  ${f.bytes} bytes  glibc ${f.glibc}${f.v8 ? `  V8 ${f.v8}` : ""}`);
}

try {
  main();
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`tsctypes: ${e.message}`);
  process.exit(1);
}
