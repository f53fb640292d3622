"use strict";
// Locates the system libffi for the native build. Used two ways:
//  - by scripts/build-native.js, to stop early with one clear line when it is missing;
//  - by binding.gyp (`node scripts/libffi.js --cflags|--libs`), to get compiler flags.
const { spawnSync } = require("node:child_process");

function pkgConfig(flag) {
  const r = spawnSync("pkg-config", [flag, "libffi"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function headerCompiles(cflags) {
  const cc = process.env.CC || "cc";
  const args = [...cflags.split(/\s+/).filter(Boolean), "-E", "-x", "c", "-"];
  const r = spawnSync(cc, args, { input: "#include <ffi.h>\n", encoding: "utf8" });
  return r.status === 0;
}

function findLibffi() {
  const cflags = pkgConfig("--cflags") ?? "";
  const libs = pkgConfig("--libs") ?? "-lffi";
  return headerCompiles(cflags) ? { cflags, libs } : null;
}

const MISSING =
  "tsctypes: libffi headers not found (ffi.h) - install libffi-dev (Debian/Ubuntu: apt-get install libffi-dev; Fedora: dnf install libffi-devel; macOS: brew install libffi)";

module.exports = { findLibffi, MISSING };

if (require.main === module) {
  const found = findLibffi();
  if (!found) {
    console.error(MISSING);
    process.exit(1);
  }
  process.stdout.write(process.argv.includes("--libs") ? found.libs : found.cflags);
}
