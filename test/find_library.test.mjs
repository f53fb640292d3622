// Tests for find_library (ctypes.util.find_library for Linux), run on this
// machine's real /etc/ld.so.cache and libraries, plus hand-made cache buffers
// and temporary library directories.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { find_library } from "tsctypes";

// Internal helpers exported by the module for testing (not public API).
const require = createRequire(import.meta.url);
const { parseLdCache, readElfSoname, findInDirs } = require("../dist/cjs/library/find_library.js");

const isLinuxX64 = process.platform === "linux" && process.arch === "x64";
const MULTIARCH = "/usr/lib/x86_64-linux-gnu";
const REAL_FFI = path.join(MULTIARCH, "libffi.so.8");
const haveRealFfi = isLinuxX64 && fs.existsSync(REAL_FFI);

// ld.so.cache flags
const X86_64 = 0x0303; // FLAG_ELF_LIBC6 | FLAG_X8664_LIB64
const I386 = 0x0003; // FLAG_ELF_LIBC6 only (32-bit x86)

// --- public API on real files ----------------------------------------------

test("finds libc, libm and libffi sonames", { skip: !isLinuxX64 }, () => {
  assert.equal(find_library("c"), "libc.so.6");
  assert.equal(find_library("m"), "libm.so.6");
  assert.equal(find_library("ffi"), "libffi.so.8");
});

test("finds libz when installed", { skip: !isLinuxX64 }, () => {
  const z = find_library("z");
  if (fs.existsSync(path.join(MULTIARCH, "libz.so.1"))) assert.equal(z, "libz.so.1");
  else assert.ok(z === null || /^libz\.so\.\d/.test(z));
});

test("returns null for unknown libraries and for 'lib'-prefixed names (like ctypes)", () => {
  assert.equal(find_library("nonexistent_xyz"), null);
  assert.equal(find_library(""), null);
  assert.equal(find_library("libm"), null);
});

test("is stable across calls (parsed cache is reused)", { skip: !isLinuxX64 }, () => {
  for (let i = 0; i < 3; i++) assert.equal(find_library("m"), "libm.so.6");
});

test("rejects names containing '/' or NUL with a TypeError", () => {
  for (const bad of ["a/b", "/usr/lib/libm.so.6", "m\0"]) {
    assert.throws(
      () => find_library(bad),
      (e) => e instanceof TypeError && e.message.includes("find_library") && e.message.includes("name"),
    );
  }
  assert.throws(() => find_library(42), TypeError);
});

// --- ld.so.cache parser on hand-made buffers --------------------------------

/** Strings table builder: returns offsets of each added string relative to `base`. */
function strings(list, base) {
  const parts = [];
  const offsets = [];
  let at = base;
  for (const s of list) {
    offsets.push(at);
    const b = Buffer.from(s + "\0", "utf8");
    parts.push(b);
    at += b.length;
  }
  return { bytes: Buffer.concat(parts), offsets };
}

/**
 * New-format cache image: 48-byte header "glibc-ld.so.cache1.1", 24-byte
 * entries, then strings; offsets relative to the header start.
 */
function newFormat(entries) {
  const headerAndEntries = 48 + entries.length * 24;
  const names = entries.flatMap((e) => [e.key, e.value]);
  const { bytes, offsets } = strings(names, headerAndEntries);
  const buf = Buffer.alloc(headerAndEntries);
  buf.write("glibc-ld.so.cache1.1", 0, "latin1");
  buf.writeUInt32LE(entries.length, 20); // nlibs
  buf.writeUInt32LE(bytes.length, 24); // len_strings
  buf.writeUInt8(2, 28); // flags: little-endian
  entries.forEach((e, i) => {
    const at = 48 + i * 24;
    buf.writeInt32LE(e.flags, at);
    buf.writeUInt32LE(offsets[2 * i], at + 4);
    buf.writeUInt32LE(offsets[2 * i + 1], at + 8);
    buf.writeUInt32LE(0, at + 12); // osversion
    buf.writeBigUInt64LE(e.hwcap ?? 0n, at + 16);
  });
  return Buffer.concat([buf, bytes]);
}

/**
 * Old-format image: "ld.so-1.7.0" + pad + u32 nlibs + 12-byte entries. With
 * `withNew`, the new format follows at the next 8-byte boundary (and the old
 * entries point at junk, since readers must use the new part); otherwise the
 * strings follow the entries directly.
 */
function oldFormat(entries, withNew) {
  const end = 16 + entries.length * 12;
  const head = Buffer.alloc(end);
  head.write("ld.so-1.7.0", 0, "latin1");
  head.writeUInt32LE(entries.length, 12);
  const { bytes, offsets } = strings(entries.flatMap((e) => [e.key, e.value]), 0);
  entries.forEach((e, i) => {
    const at = 16 + i * 12;
    head.writeInt32LE(e.flags, at);
    head.writeUInt32LE(withNew ? 0xffff : offsets[2 * i], at + 4);
    head.writeUInt32LE(withNew ? 0xffff : offsets[2 * i + 1], at + 8);
  });
  if (!withNew) return Buffer.concat([head, bytes]);
  const pad = Buffer.alloc(((end + 7) & ~7) - end);
  return Buffer.concat([head, pad, newFormat(entries)]);
}

const sample = [
  { flags: X86_64, key: "libfoo.so.2", value: "/usr/lib/x86_64-linux-gnu/libfoo.so.2" },
  { flags: I386, key: "libfoo.so.3", value: "/usr/lib/i386-linux-gnu/libfoo.so.3" }, // wrong arch
  { flags: X86_64, key: "libbar.so.1", value: "/lib/x86_64-linux-gnu/libbar.so.1", hwcap: 1n << 62n },
];

function checkSample(entries) {
  assert.deepEqual(
    entries.map((e) => [e.key, e.value]),
    [
      ["libfoo.so.2", "/usr/lib/x86_64-linux-gnu/libfoo.so.2"],
      ["libbar.so.1", "/lib/x86_64-linux-gnu/libbar.so.1"],
    ],
  );
  assert.ok(entries.every((e) => e.flags === X86_64));
}

test("parseLdCache: new format, wrong-arch entry skipped", () => {
  const entries = parseLdCache(newFormat(sample), X86_64);
  checkSample(entries);
  assert.equal(entries[1].hwcap, 1n << 62n);
  // Asking for i386 entries gives only the 32-bit one.
  assert.deepEqual(parseLdCache(newFormat(sample), I386).map((e) => e.key), ["libfoo.so.3"]);
  // null = no filtering.
  assert.equal(parseLdCache(newFormat(sample), null).length, 3);
});

test("parseLdCache: old format followed by the new format", () => {
  checkSample(parseLdCache(oldFormat(sample, true), X86_64));
});

test("parseLdCache: old format only", () => {
  checkSample(parseLdCache(oldFormat(sample, false), X86_64));
});

test("parseLdCache: defaults to the running architecture", { skip: !isLinuxX64 }, () => {
  checkSample(parseLdCache(newFormat(sample)));
});

test("parseLdCache: garbage and truncated input give no entries", () => {
  assert.deepEqual(parseLdCache(new Uint8Array(0), null), []);
  assert.deepEqual(parseLdCache(Buffer.from("not a cache at all, just some text"), null), []);
  const good = newFormat(sample);
  assert.deepEqual(parseLdCache(good.subarray(0, 60), null), []); // entries cut off
  const badOffset = Buffer.from(good);
  badOffset.writeUInt32LE(0xfffffff, 48 + 4); // first key offset out of range
  assert.equal(parseLdCache(badOffset, null).length, 2);
});

test("parseLdCache: the real /etc/ld.so.cache has libc.so.6", { skip: !isLinuxX64 || !fs.existsSync("/etc/ld.so.cache") }, () => {
  const entries = parseLdCache(fs.readFileSync("/etc/ld.so.cache"));
  const libc = entries.find((e) => e.key === "libc.so.6");
  assert.ok(libc, "libc.so.6 in the cache");
  assert.ok(libc.value.endsWith("/libc.so.6"));
});

// --- ELF soname reader and directory search ---------------------------------

test("readElfSoname reads DT_SONAME from a real library", { skip: !haveRealFfi }, () => {
  assert.equal(readElfSoname(REAL_FFI), "libffi.so.8");
  assert.equal(readElfSoname(fs.realpathSync(REAL_FFI)), "libffi.so.8");
  // Not ELF / missing: null, never a throw.
  assert.equal(readElfSoname(path.join(MULTIARCH, "libc.so")), null); // ld script
  assert.equal(readElfSoname("/nonexistent/libnothing.so"), null);
});

/** A minimal 32-bit i386 ELF header: a library for the wrong architecture. */
function i386Elf() {
  const b = Buffer.alloc(52);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* LE */, 1], 0);
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(3, 18); // EM_386
  return b;
}

function withTempDir(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-findlib-"));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("findInDirs: versions, ld scripts and wrong-arch files", { skip: !haveRealFfi }, () => {
  withTempDir((dir) => {
    const realZ = path.join(MULTIARCH, "libz.so.1");
    // Only a dev symlink lib<name>.so: its target's DT_SONAME is reported.
    fs.symlinkSync(REAL_FFI, path.join(dir, "libdevonly.so"));
    assert.equal(findInDirs("devonly", [dir]), "libffi.so.8");

    // GNU ld script naming the real library (AS_NEEDED members come last).
    fs.writeFileSync(
      path.join(dir, "libscript.so"),
      `/* GNU ld script\n   test */\nOUTPUT_FORMAT(elf64-x86-64)\nGROUP ( libnone.a AS_NEEDED ( /nonexistent/libx.so.1 ) ${REAL_FFI} )\n`,
    );
    assert.equal(findInDirs("script", [dir]), "libffi.so.8");

    // INPUT() with a name relative to the script's directory.
    fs.symlinkSync(REAL_FFI, path.join(dir, "libtarget.so.8"));
    fs.writeFileSync(path.join(dir, "libinput.so"), "INPUT(libtarget.so.8)\n");
    assert.equal(findInDirs("input", [dir]), "libffi.so.8");

    // Several versions: the highest usable one wins (10 > 9 numerically), and
    // a 32-bit i386 file is skipped even though its version is higher.
    if (fs.existsSync(realZ)) {
      fs.symlinkSync(realZ, path.join(dir, "libmulti.so.9"));
      fs.symlinkSync(REAL_FFI, path.join(dir, "libmulti.so.10"));
      fs.writeFileSync(path.join(dir, "libmulti.so.11"), i386Elf());
      fs.symlinkSync(realZ, path.join(dir, "libmulti.so"));
      assert.equal(findInDirs("multi", [dir]), "libffi.so.8");
    }

    // Only a wrong-arch library: nothing.
    fs.writeFileSync(path.join(dir, "libonly32.so.1"), i386Elf());
    assert.equal(findInDirs("only32", [dir]), null);

    // Unreadable / missing directories and junk files are skipped quietly.
    fs.writeFileSync(path.join(dir, "libjunk.so"), "hello");
    assert.equal(findInDirs("junk", ["/nonexistent-dir", dir]), null);
    assert.equal(findInDirs("devonly", ["/nonexistent-dir", "", dir]), "libffi.so.8");
  });
});

test("find_library searches LD_LIBRARY_PATH when the cache has no match", { skip: !haveRealFfi }, () => {
  withTempDir((dir) => {
    fs.symlinkSync(REAL_FFI, path.join(dir, "libtsctypes_fake_xyz.so"));
    const saved = process.env.LD_LIBRARY_PATH;
    process.env.LD_LIBRARY_PATH = `/nonexistent-dir:${dir}`;
    try {
      assert.equal(find_library("tsctypes_fake_xyz"), "libffi.so.8");
    } finally {
      if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
      else process.env.LD_LIBRARY_PATH = saved;
    }
    assert.equal(find_library("tsctypes_fake_xyz"), null);
  });
});
