"use strict";
// `npm install` entry for the native core: checks for libffi, then builds
// binding.gyp with the node-gyp that npm provides, against the running Node's
// own headers when they are installed (no header download needed).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findLibffi, MISSING } = require("./libffi.js");

if (!findLibffi()) {
  console.error(MISSING);
  process.exit(1);
}

const args = ["rebuild"];
const prefix = path.resolve(path.dirname(process.execPath), "..");
const localHeaders = path.join(prefix, "include", "node", "node_api.h");
if (!process.env.npm_config_nodedir && fs.existsSync(localHeaders)) args.push(`--nodedir=${prefix}`);

// npm puts its bundled node-gyp on PATH for install scripts; fall back to the copy inside npm.
const npmGyp = path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const viaPath = spawnSync("node-gyp", ["--version"], { stdio: "ignore" }).status === 0;
const cmd = viaPath ? "node-gyp" : process.execPath;
const cmdArgs = viaPath ? args : [npmGyp, ...args];
const r = spawnSync(cmd, cmdArgs, { stdio: "inherit", cwd: path.resolve(__dirname, "..") });
process.exit(r.status ?? 1);
