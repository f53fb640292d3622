// Loading libraries (docs/api.md "Loading libraries"): CDLL, cdll.LoadLibrary, find_library,
// dlopen modes, use_errno, close / dispose, symbol lookup and in_dll, against the
// real fixture test/fixtures/calls.c, libc and libm.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CDLL,
  cdll,
  find_library,
  RTLD_GLOBAL,
  RTLD_LOCAL,
  RTLD_DEEPBIND,
  DEFAULT_MODE,
  get_errno,
  set_errno,
  LibraryLoadError,
  SymbolNotFoundError,
  c_int,
  c_double,
  c_char_p,
  c_longlong,
  c_size_t,
  c_void_p,
  cdef,
  POINTER,
  byref,
  sizeof,
} from "tsctypes";
import { fixture, RUNTIME } from "./helpers.mjs";
import * as zlib from "node:zlib";

const CALLS = fixture("calls");
const isLinux = process.platform === "linux";

test("new CDLL(path) loads the fixture and calls a function", () => {
  const lib = new CDLL(CALLS);
  assert.equal(lib.add_ints(2, 3), 5);
  assert.equal(lib.add_ints(-7, 3), -4);
  assert.equal(lib.name, CALLS);
  assert.equal(lib.closed, false);
});

test("CDLL(path) works without new", () => {
  const lib = CDLL(CALLS);
  assert.equal(lib.add_ints(40, 2), 42);
  assert.equal(lib.name, CALLS);
});

test("CDLL(null) is the running program: libc's strlen and abs are reachable", () => {
  const self = CDLL(null);
  assert.equal(self.name, null);
  self.strlen.restype = c_size_t;
  assert.equal(self.strlen("hello"), 5);
  assert.equal(self.strlen(""), 0);
  assert.equal(self.abs(-17), 17);
  assert.equal(self.abs(2147483647), 2147483647);
});

test("a library is loaded by soname: libm.so.6 cos / pow", { skip: !isLinux }, () => {
  const libm = new CDLL("libm.so.6");
  libm.cos.restype = c_double;
  libm.cos.argtypes = [c_double];
  assert.equal(libm.cos(0), 1);
  assert.equal(libm.cos(Math.PI), -1);
  const pow = libm.func("pow", c_double, [c_double, c_double]);
  assert.equal(pow(2, 10), 1024);
  assert.equal(pow(2, 0.5), Math.SQRT2);
});

test("cdll.LoadLibrary(name) is new CDLL(name)", () => {
  const lib = cdll.LoadLibrary(CALLS);
  assert.equal(lib.add_ints(20, 22), 42);
  assert.equal(lib.name, CALLS);
  const libc = cdll.LoadLibrary("libc.so.6");
  assert.equal(libc.abs(-3), 3);
  assert.throws(() => cdll.LoadLibrary("/no/such/dir/libnothing.so"), (e) => e instanceof LibraryLoadError && e.code === "ERR_DLOPEN");
});

test("find_library('m') / ('c') give the sonames, and the result loads", { skip: !isLinux }, () => {
  assert.equal(find_library("m"), "libm.so.6");
  assert.equal(find_library("c"), "libc.so.6");
  assert.equal(find_library("surely_not_a_library_xyz"), null);
  const libm = new CDLL(find_library("m"));
  const sqrt = libm.func("sqrt", c_double, [c_double]);
  assert.equal(sqrt(144), 12);
});

test("find_library: a bad name is a TypeError", () => {
  assert.throws(() => find_library("../m"), TypeError);
});

test("RTLD_GLOBAL / RTLD_LOCAL / DEFAULT_MODE values", () => {
  assert.equal(typeof RTLD_GLOBAL, "number");
  assert.equal(typeof RTLD_LOCAL, "number");
  assert.equal(DEFAULT_MODE, RTLD_LOCAL);
  if (isLinux) {
    assert.equal(RTLD_GLOBAL, 0x100);
    assert.equal(RTLD_LOCAL, 0);
  }
});

test("modes: RTLD_LOCAL keeps symbols out of the global scope, RTLD_GLOBAL puts them in", { skip: !isLinux }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-modes-"));
  try {
    // copies with their own inode: the dynamic loader treats them as distinct objects
    const localCopy = path.join(dir, "libcalls_local.so");
    const globalCopy = path.join(dir, "libcalls_global.so");
    fs.copyFileSync(CALLS, localCopy);
    fs.copyFileSync(CALLS, globalCopy);
    const self = CDLL(null);

    const local = new CDLL(localCopy, { mode: RTLD_LOCAL });
    assert.equal(local.sum_ints(2, 20, 22), 42);
    assert.throws(() => self.sum12, SymbolNotFoundError);

    const def = new CDLL(localCopy, { mode: DEFAULT_MODE });
    assert.equal(def.add_ints(1, 1), 2);
    assert.throws(() => self.sum12, SymbolNotFoundError);

    const global = new CDLL(globalCopy, { mode: RTLD_GLOBAL });
    assert.equal(global.add_ints(1, 2), 3);
    // now visible through the main program's handle
    const viaGlobal = self.function("sum12");
    assert.equal(viaGlobal.address, global.sum12.address);
    viaGlobal.restype = c_longlong;
    assert.equal(viaGlobal(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0n), 1n);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("options: a bad mode or options object is a TypeError", () => {
  assert.throws(() => new CDLL(CALLS, { mode: "global" }), TypeError);
  assert.throws(() => new CDLL(CALLS, { mode: 1.5 }), TypeError);
  assert.throws(() => new CDLL(CALLS, 5), TypeError);
  assert.throws(() => new CDLL(42), TypeError);
  assert.throws(() => CDLL({ path: CALLS }), TypeError);
});

test("use_errno: errno is captured right after the call (get_errno)", () => {
  const lib = new CDLL(CALLS, { use_errno: true });
  assert.equal(lib.fail_with(13), -1);
  assert.equal(get_errno(), 13);
  assert.equal(lib.fail_with(2), -1);
  assert.equal(get_errno(), 2);
  // a fixed-signature function captures it too
  const fail = lib.func("fail_with", c_int, [c_int]);
  assert.equal(fail(34), -1);
  assert.equal(get_errno(), 34);
});

test("use_errno: set_errno's value is C's errno at the start of the call; set_errno returns the old value", () => {
  const lib = new CDLL(CALLS, { use_errno: true });
  set_errno(0);
  assert.equal(set_errno(77), 0);
  assert.equal(lib.read_errno(), 77);
  assert.equal(get_errno(), 77);
  assert.equal(set_errno(5), 77);
  assert.equal(lib.read_errno(), 5);
  set_errno(0);
  assert.equal(lib.read_errno(), 0);
});

test("without use_errno, calls neither read nor capture the private errno copy", () => {
  const plain = new CDLL(CALLS);
  set_errno(9);
  assert.equal(plain.fail_with(21), -1);
  assert.equal(get_errno(), 9);
  set_errno(0);
});

test("set_errno: a non-integer is a TypeError", () => {
  assert.throws(() => set_errno(1.5), TypeError);
  assert.throws(() => set_errno("3"), TypeError);
});

test("close(): functions of a closed library throw (never crash); closed is true", () => {
  const lib = new CDLL(CALLS);
  const called = lib.add_ints; // compiled before close
  assert.equal(called(1, 2), 3);
  const notYetCalled = lib.echo_int; // looked up, never called
  const fixed = lib.func("echo_double", c_double, [c_double]);
  assert.equal(fixed(2.5), 2.5);
  lib.close();
  assert.equal(lib.closed, true);
  assert.throws(() => called(1, 2), /closed/);
  assert.throws(() => notYetCalled(5), /closed/);
  assert.throws(() => fixed(1), /closed/);
  assert.throws(() => lib.get_counter(), /closed/);
  assert.throws(() => lib.func("add_ints", c_int, [c_int, c_int]), /closed/);
  assert.throws(() => c_int.in_dll(lib, "fixture_counter"), /closed/);
  lib.close(); // a second close is harmless
  assert.equal(lib.closed, true);
});

test("close(): other CDLL objects of the same library keep working; reopening works", () => {
  const a = new CDLL(CALLS);
  const b = new CDLL(CALLS);
  const fa = a.func("add_ints", c_int, [c_int, c_int]);
  const fb = b.func("add_ints", c_int, [c_int, c_int]);
  a.close();
  assert.throws(() => fa(1, 1), /closed/);
  assert.equal(fb(1, 1), 2);
  assert.equal(b.closed, false);
  b.close();
  const c = new CDLL(CALLS);
  assert.equal(c.add_ints(2, 2), 4);
});

test("close(): the error names the function", () => {
  const lib = new CDLL(CALLS);
  const f = lib.add_ints;
  lib.close();
  assert.throws(() => f(1, 2), (e) => e instanceof Error && e.message.includes("add_ints") && e.message.includes("closed"));
});

test("[Symbol.dispose] closes the library", () => {
  const lib = new CDLL(CALLS);
  const f = lib.add_ints;
  assert.equal(f(3, 4), 7);
  assert.equal(typeof lib[Symbol.dispose], "function");
  lib[Symbol.dispose]();
  assert.equal(lib.closed, true);
  assert.throws(() => f(3, 4), /closed/);
});

test("attribute access is cached per name; lib.f and lib['f'] are the same object", () => {
  const lib = new CDLL(CALLS);
  assert.equal(lib.add_ints, lib.add_ints);
  assert.equal(lib["add_ints"], lib.add_ints);
  assert.equal(lib.function("add_ints"), lib.add_ints);
  assert.notEqual(lib.add_ints, lib.echo_int);
  assert.equal(typeof lib.add_ints.address, "number");
  assert.ok(lib.add_ints.address > 0);
  assert.equal(lib.add_ints.address, lib.symbolAddress("add_ints"));
  // settings stick to the cached object
  lib.echo_double.restype = c_double;
  lib.echo_double.argtypes = [c_double];
  assert.equal(lib["echo_double"](0.25), 0.25);
  // another CDLL object has its own function objects
  const other = new CDLL(CALLS);
  assert.notEqual(other.echo_double, lib.echo_double);
  assert.equal(other.echo_double.address, lib.echo_double.address);
});

test("a function object is named after its symbol (fn.name, like ctypes' __name__)", () => {
  const lib = new CDLL(CALLS);
  assert.equal(lib.add_ints.name, "add_ints");
  assert.equal(lib.func("echo_int", c_int, [c_int]).name, "echo_int");
});

test("a symbol whose name starts with an underscore is reachable as an attribute", () => {
  const lib = new CDLL(CALLS);
  assert.equal(lib.function("_calls_private")(), 7);
  assert.equal(typeof lib._calls_private, "function");
  assert.equal(lib._calls_private(), 7);
  assert.equal(lib["_calls_private"](), 7);
});

test("a missing symbol throws SymbolNotFoundError naming the symbol and the library", () => {
  const lib = new CDLL(CALLS);
  assert.throws(
    () => lib.no_such_function_xyz,
    (e) =>
      e instanceof SymbolNotFoundError &&
      e.name === "SymbolNotFoundError" &&
      e.message.includes("no_such_function_xyz") &&
      e.message.includes(CALLS),
  );
  assert.throws(() => lib["also_missing"], SymbolNotFoundError);
  assert.throws(() => lib.func("missing_fixed", c_int, []), SymbolNotFoundError);
  assert.throws(() => c_int.in_dll(lib, "missing_variable"), (e) => e instanceof SymbolNotFoundError && e.message.includes("missing_variable"));
  const self = CDLL(null);
  assert.throws(() => self.no_such_function_xyz, (e) => e instanceof SymbolNotFoundError && e.message.includes("no_such_function_xyz"));
});

test("lib.then is undefined, so a library can be awaited; symbol keys do not look up symbols", async () => {
  const lib = new CDLL(CALLS);
  assert.equal(lib.then, undefined);
  const awaited = await lib;
  assert.equal(awaited, lib);
  assert.equal(awaited.add_ints(1, 1), 2);
  assert.equal(lib[Symbol.iterator], undefined);
  assert.equal(lib[Symbol.toPrimitive], undefined);
  assert.equal(await Promise.resolve(lib), lib);
});

test("LibraryLoadError for a missing file: code ERR_DLOPEN, the name and the system message", () => {
  const missing = "/no/such/dir/libmissing_tsctypes.so";
  assert.throws(
    () => new CDLL(missing),
    (e) =>
      e instanceof LibraryLoadError &&
      e instanceof Error &&
      e.name === "LibraryLoadError" &&
      e.code === "ERR_DLOPEN" &&
      e.libraryName === missing &&
      e.message.includes(missing) &&
      /No such file or directory/.test(e.message),
  );
  assert.throws(() => CDLL("libdefinitely_not_here_xyz.so.9"), (e) => e instanceof LibraryLoadError && e.code === "ERR_DLOPEN" && e.message.includes("libdefinitely_not_here_xyz.so.9"));
});

test("LibraryLoadError for a file that is not a shared object", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-bad-"));
  try {
    const bogus = path.join(dir, "libbogus.so");
    fs.writeFileSync(bogus, "this is not an ELF file\n");
    assert.throws(() => new CDLL(bogus), (e) => e instanceof LibraryLoadError && e.code === "ERR_DLOPEN" && e.message.includes(bogus));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("lib.func(name, restype, argtypes) gives a typed function with a fixed signature", () => {
  const lib = new CDLL(CALLS);
  const add = lib.func("add_ints", c_int, [c_int, c_int]);
  assert.equal(add(2, 40), 42);
  assert.equal(add.address, lib.add_ints.address);
  assert.deepEqual(add.argtypes, [c_int, c_int]);
  assert.equal(add.restype, c_int);
  const len = lib.func("my_strlen", c_size_t, [c_char_p]);
  assert.equal(len("four"), 4);
  const nothing = lib.func("set_last", null, [c_int]);
  assert.equal(nothing(99), undefined);
  assert.equal(lib.func("get_last", c_int, [])(), 99);
  // errcheck option
  const checked = lib.func("fail_with", c_int, [c_int], { errcheck: (r, f, args) => `${r}:${f === checked}:${args[0]}` });
  assert.equal(checked(5), "-1:true:5");
  // bad input
  assert.throws(() => lib.func("add_ints", c_int, c_int), TypeError);
  assert.throws(() => lib.func("add_ints", c_int, [c_int, 42]), TypeError);
  assert.throws(() => lib.func("add_ints", "int", [c_int]), TypeError);
});

test("in_dll reads and writes exported variables; C sees the change", () => {
  const lib = new CDLL(CALLS);
  const counter = c_int.in_dll(lib, "fixture_counter");
  lib.get_counter.restype = c_int;
  const start = lib.get_counter();
  assert.equal(counter.value, start);
  counter.value = 1234;
  assert.equal(lib.get_counter(), 1234);
  // C changes it, JS sees it through the same view
  assert.equal(lib.increment_counter(), 1235);
  assert.equal(counter.value, 1235);
  counter.value = 42;
  assert.equal(lib.get_counter(), 42);

  const ratio = c_double.in_dll(lib, "fixture_ratio");
  assert.equal(ratio.value, 0.5);
  ratio.value = 0.125;
  lib.get_ratio.restype = c_double;
  assert.equal(lib.get_ratio(), 0.125);
  ratio.value = 0.5;

  const name = c_char_p.in_dll(lib, "fixture_name");
  assert.equal(name.value, "calls");
  const big = c_longlong.in_dll(lib, "fixture_big");
  assert.equal(big.value, -1234567890123456789n);

  const namePtr = c_void_p.in_dll(lib, "fixture_name");
  assert.equal(typeof namePtr.value, "number");
  lib.get_name.restype = c_void_p;
  assert.equal(namePtr.value, lib.get_name());
});

test("in_dll: a c_char_p variable written from JS is read by C", () => {
  const lib = new CDLL(CALLS);
  const name = c_char_p.in_dll(lib, "fixture_name");
  const getName = lib.func("get_name", c_char_p, []);
  assert.equal(getName(), "calls");
  name.value = "r\u00e9named";
  assert.equal(getName(), "r\u00e9named");
  assert.equal(name.value, "r\u00e9named");
  name.value = null;
  assert.equal(getName(), null);
  name.value = "calls";
  assert.equal(getName(), "calls");
});

test("use_errno with libc: unlink of a missing file sets ENOENT; a symbol named like a CDLL method is reachable via function()", { skip: !isLinux }, () => {
  const libc = new CDLL("libc.so.6", { use_errno: true });
  set_errno(0);
  assert.equal(libc.unlink("/no/such/dir/tsctypes-errno-test"), -1);
  assert.equal(get_errno(), 2); // ENOENT
  const closeFd = libc.function("close"); // lib.close is the CDLL method
  assert.equal(closeFd(-1), -1);
  assert.equal(get_errno(), 9); // EBADF
  assert.equal(typeof libc.close, "function");
  assert.equal(libc.closed, false);
  set_errno(0);
});

test("a NUL inside a library or symbol name is rejected, not truncated", () => {
  const lib = new CDLL(CALLS);
  const rejected = (e) => e instanceof TypeError || e instanceof SymbolNotFoundError || e instanceof LibraryLoadError;
  assert.throws(() => lib["add_ints\0junk"], rejected);
  assert.throws(() => lib.function("add_ints\0"), rejected);
  assert.throws(() => c_int.in_dll(lib, "fixture_counter\0x"), rejected);
  assert.throws(() => new CDLL(CALLS + "\0junk"), rejected);
});

test("in_dll of the first loaded library; value is the initial value of a fresh load", () => {
  // the value at load time (42) as written in calls.c, through a separate CDLL object
  const lib = new CDLL(CALLS);
  assert.equal(c_int.in_dll(lib, "fixture_counter").value, 42);
});

test("in_dll: bad input", () => {
  const lib = new CDLL(CALLS);
  assert.throws(() => c_int.in_dll(lib, 42), TypeError);
  assert.throws(() => c_int.in_dll(lib, "nope_not_here"), SymbolNotFoundError);
});

test("in_dll: a non-library is a TypeError naming in_dll", () => {
  assert.throws(() => c_int.in_dll({}, "fixture_counter"), (e) => e instanceof TypeError && e.message.includes("in_dll"));
  assert.throws(() => c_int.in_dll(null, "fixture_counter"), (e) => e instanceof TypeError && e.message.includes("in_dll"));
  assert.throws(() => c_double.in_dll(CALLS, "fixture_ratio"), (e) => e instanceof TypeError && e.message.includes("in_dll"));
});

test("cdll.LoadLibrary: a non-string name is a TypeError", () => {
  assert.throws(() => cdll.LoadLibrary(42), TypeError);
  assert.throws(() => cdll.LoadLibrary({}), TypeError);
});

// ---- libraries that define what the program exports (Node's bundled zlib, OpenSSL, libuv) ----

test("a library defining a function the program also exports binds to its own (RTLD_DEEPBIND chosen by default)", () => {
  const lib = new CDLL(fixture("shadow"));
  assert.equal(lib.func("shadow_version", c_int, [])(), 4242);
  lib.close();
  // the flag exists on glibc and is what the default chose
  assert.equal(typeof RTLD_DEEPBIND, "number");
  if (isLinux) assert.ok(RTLD_DEEPBIND > 0);
});

test("an explicit mode is used as given: without RTLD_DEEPBIND the library's call binds to the program's copy", { skip: RUNTIME !== "node" && "only Node's napi_get_version is known to accept a NULL env" }, () => {
  const plain = new CDLL(fixture("shadow"), { mode: RTLD_LOCAL });
  // Node's napi_get_version(NULL, ...) is napi_invalid_arg: the fixture returns 1 for any failure
  assert.equal(plain.func("shadow_version", c_int, [])(), 1);
  plain.close();
  const deep = new CDLL(fixture("shadow"), { mode: RTLD_LOCAL | RTLD_DEEPBIND });
  assert.equal(deep.func("shadow_version", c_int, [])(), 4242);
  deep.close();
});

test("the system zlib's streaming API works in every runtime (Node exports its own, other zlib)", { skip: Boolean(process.env.TSCTYPES_CROSS_QEMU) && "the emulated arm64 sysroot has no zlib" }, () => {
  const z = new CDLL(find_library("z") ?? "libz.so.1");
  const { types } = cdef(`typedef struct z_stream_s {
    const unsigned char *next_in; unsigned int avail_in; unsigned long total_in;
    unsigned char *next_out; unsigned int avail_out; unsigned long total_out;
    const char *msg; void *state; void *zalloc; void *zfree; void *opaque;
    int data_type; unsigned long adler; unsigned long reserved; } z_stream;`);
  const ZStream = types.z_stream;
  const version = z.func("zlibVersion", c_char_p, [])();
  const deflateInit = z.func("deflateInit_", c_int, [POINTER(ZStream), c_int, c_char_p, c_int]);
  const deflate = z.func("deflate", c_int, [POINTER(ZStream), c_int]);
  const deflateEnd = z.func("deflateEnd", c_int, [POINTER(ZStream)]);
  const input = Buffer.from("tsctypes streams through zlib. ".repeat(200));
  const out = Buffer.alloc(input.length + 64);
  const s = new ZStream();
  assert.equal(deflateInit(byref(s), 9, version, sizeof(ZStream)), 0);
  s.next_in = input;
  s.avail_in = input.length;
  // two output chunks, as a stream would: the second call finishes
  s.next_out = out;
  s.avail_out = 16;
  assert.equal(deflate(byref(s), 0 /* Z_NO_FLUSH */), 0);
  const first = 16 - s.avail_out;
  s.next_out = out.subarray(first);
  s.avail_out = out.length - first;
  assert.equal(deflate(byref(s), 4 /* Z_FINISH */), 1 /* Z_STREAM_END */);
  const size = Number(s.total_out);
  assert.equal(deflateEnd(byref(s)), 0);
  assert.deepEqual(zlib.inflateSync(out.subarray(0, size)), input);
  z.close();
});
