"use strict";
// `npm install` entry. Where the package carries prebuilt binaries for this platform
// (prebuilds/, see scripts/prebuild.js) there is nothing to do: the loader finds them, and
// an install that skips this script (pnpm, --ignore-scripts) works the same. Elsewhere, or
// when asked (npm_config_build_from_source=true, `--build-from-source`), it builds from
// source, after checking the tools and naming in one line whatever is missing.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { BuildError, buildCore, buildOwnAccelerator, runningNodeV8 } = require("./build-native.js");

const ROOT = path.resolve(__dirname, "..");

function isMusl() {
  const report = process.report?.getReport?.();
  if (report?.header?.glibcVersionRuntime) return false;
  return fs.existsSync(`/lib/ld-musl-${process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch}.so.1`);
}

const target = `${process.platform}-${process.arch}${isMusl() ? "-musl" : ""}`;
const requested = /^(true|1|yes)$/i.test(process.env.npm_config_build_from_source ?? "");
const prebuilt = fs.existsSync(path.join(ROOT, "prebuilds", target, "tsctypes.node"));

if (prebuilt && !requested) {
  console.log(`tsctypes: using the prebuilt binaries for ${target}`);
  const v8 = runningNodeV8();
  if (v8 === null || fs.existsSync(path.join(ROOT, "prebuilds", target, `v8-${v8}`, "tsctypes_v8.node"))) process.exit(0);
  // a Node line the package has no accelerator for: build one if this machine can (optional:
  // without it calls take the core's Node-API entry)
  if (missingTools().length === 0) buildOwnAccelerator();
  else console.log(`tsctypes: no prebuilt V8 accelerator for V8 ${v8} and no compiler to build one: calls use the Node-API core`);
  process.exit(0);
}

/** What a build from source needs and this machine lacks. */
function missingTools() {
  const runs = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
  const missing = [];
  if (!runs(process.env.CC || "cc", ["--version"])) missing.push("a C compiler (cc)");
  if (!runs(process.env.CXX || "c++", ["--version"])) missing.push("a C++ compiler (c++)");
  if (!runs("make", ["--version"])) missing.push("make");
  if (!runs("python3", ["--version"])) missing.push("python3");
  if (missing.length === 0 && !require("./libffi.js").findLibffi()) missing.push("the libffi headers (libffi-dev / libffi-devel)");
  return missing;
}

const missing = missingTools();
if (missing.length > 0) {
  const why = requested ? "a build from source was requested" : `no prebuilt binaries fit ${target}`;
  console.error(`tsctypes: ${why}, and building from source needs ${missing.join(", ")}, which this machine lacks.`);
  process.exit(1);
}
try {
  buildCore();
  buildOwnAccelerator();
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`tsctypes: ${e.message}`);
  process.exit(1);
}
