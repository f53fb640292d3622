"use strict";
// Locates the system libffi for the native build. Used two ways:
//  - by scripts/build-native.js, to stop early with one clear line when it is missing;
//  - by binding.gyp (`node scripts/libffi.js --cflags|--libs`), to get compiler and linker flags.
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

/**
 * libffi linked in statically where the system has a position-independent archive (Debian's
 * libffi-dev ships libffi_pic.a), so the binaries need no libffi at run time and can be
 * shipped prebuilt; its symbols stay hidden (--exclude-libs). Found through the compiler,
 * not pkg-config: Debian's libffi.pc names a wrong libdir on multiarch systems.
 */
function staticArchive() {
  const cc = process.env.CC || "cc";
  const r = spawnSync(cc, ["-print-file-name=libffi_pic.a"], { encoding: "utf8" });
  const file = r.status === 0 ? r.stdout.trim() : "";
  return file && require("node:path").isAbsolute(file) && require("node:fs").existsSync(file) ? file : null;
}

function findLibffi() {
  const cflags = pkgConfig("--cflags") ?? "";
  const archive = staticArchive();
  const libs = archive ? `${archive} -Wl,--exclude-libs,ALL` : pkgConfig("--libs") ?? "-lffi";
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
