// Calling C functions (docs/api.md "Functions", "Calls without argtypes"): argtypes / restype /
// errcheck, default conversions, variadic calls, many arguments, strings, zero-copy
// binary arguments and the boundary values of every scalar type, against test/fixtures/calls.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CDLL,
  ArgumentError,
  POINTER,
  pointer,
  byref,
  addressof,
  create_string_buffer,
  sizeof,
  c_bool,
  c_char,
  c_wchar,
  c_byte,
  c_ubyte,
  c_short,
  c_ushort,
  c_int,
  c_uint,
  c_long,
  c_ulong,
  c_longlong,
  c_ulonglong,
  c_size_t,
  c_ssize_t,
  c_time_t,
  c_int8,
  c_uint8,
  c_int16,
  c_uint16,
  c_int32,
  c_uint32,
  c_int64,
  c_uint64,
  c_float,
  c_double,
  c_longdouble,
  c_char_p,
  c_wchar_p,
  c_void_p,
  runtimeInfo,
} from "tsctypes";
import { COUNTERS, NO_FAST_API, fixture, runModule } from "./helpers.mjs";

const CALLS = fixture("calls");
// the slab's scratch stack (dist/cjs: the same module instance as require("tsctypes"))
const SLAB_MODULE = new URL("../dist/cjs/call/slab.js", import.meta.url).pathname;
const fresh = () => new CDLL(CALLS); // a new CDLL object: its own function objects, default settings
const libc = new CDLL(process.platform === "linux" ? "libc.so.6" : null);

// ---------------------------------------------------------------- argtypes / restype / errcheck

test("argtypes / restype attributes: set, read back, used by the call", () => {
  const lib = fresh();
  const f = lib.add_double;
  assert.equal(f.argtypes, null);
  assert.equal(f.errcheck, null);
  f.argtypes = [c_double, c_double];
  f.restype = c_double;
  assert.deepEqual(f.argtypes, [c_double, c_double]);
  assert.equal(f.argtypes[0], c_double);
  assert.equal(f.restype, c_double);
  assert.equal(f(0.1, 0.2), 0.30000000000000004);
  assert.equal(f(1, 2), 3); // integers converted to double by argtypes
  assert.equal(f(1n, 2n), 3);
  // changing the declaration recompiles
  const g = lib.echo_int64;
  g.argtypes = [c_int64];
  g.restype = c_int64;
  assert.equal(g(2n ** 32n + 7n), 2n ** 32n + 7n);
  g.restype = c_int32;
  assert.equal(g(2n ** 32n + 7n), 7);
  g.restype = c_uint64;
  assert.equal(g(-1), 2n ** 64n - 1n);
});

test("the restype attribute gives back the exported type object, usable as a type", () => {
  const lib = fresh();
  assert.equal(lib.echo_int.restype, c_int);
  assert.equal(lib.echo_int.restype(5).value, 5);
  lib.echo_double.restype = c_double;
  assert.equal(lib.echo_double.restype, c_double);
});

test("restype can be changed after calls; argtypes = null goes back to inference", () => {
  const lib = fresh();
  const f = lib.echo_int64;
  f.restype = c_int64;
  f.argtypes = [c_int64];
  assert.equal(f(-5), -5n);
  f.restype = c_uint64;
  assert.equal(f(-5), 2n ** 64n - 5n);
  f.argtypes = null;
  assert.equal(f.argtypes, null);
  assert.equal(f(-7n), 2n ** 64n - 7n); // bigint inferred as long long
  f.restype = undefined; // ctypes: None; here undefined/null = void
  assert.equal(f.restype, null);
  assert.equal(f(1n), undefined);
});

test("attribute functions: lib.name is one object, and every later change of argtypes, restype, errcheck or threads takes effect at the next call", () => {
  const lib = fresh();
  const f = lib.add_ints;
  assert.equal(lib.add_ints, f);
  assert.equal(lib.function("add_ints"), f);
  f.argtypes = [c_int, c_int];
  f.restype = c_int;
  for (let i = 0; i < 2000; i++) assert.equal(lib.add_ints(i, 7), i + 7); // (long enough for V8 to optimize the call site)
  assert.throws(() => lib.add_ints("x", 7), { name: "ArgumentError", message: 'add_ints(): argument 1: expected c_int, got string "x"' });
  f.argtypes = [c_int8, c_int];
  assert.equal(lib.add_ints(257, 7), 8); // 257 as int8_t is 1
  f.restype = c_uint8;
  assert.equal(lib.add_ints(250, 10), 4); // (int8_t)250 = -6, + 10 = 4
  f.restype = c_int;
  f.errcheck = (result, func, args) => [result, func, args];
  assert.deepEqual(lib.add_ints(1, 2), [3, f, [1, 2]]);
  f.errcheck = null;
  assert.equal(lib.add_ints(1, 2), 3);
  f.threads = true;
  assert.equal(lib.add_ints(40, 2), 42);
  f.threads = false;
  f.argtypes = null; // back to inference: a float number is refused again
  assert.throws(() => lib.add_ints(1.5, 2), { name: "ArgumentError", message: /^add_ints\(\): argument 1: don't know how to convert/ });
  assert.equal(lib.add_ints(20, 22), 42);
});

test("attribute functions: names of the library object and its class stay theirs, unknown symbols still throw, closed libraries refuse new names", () => {
  const lib = fresh();
  assert.equal(typeof lib.func, "function");
  assert.equal(lib.then, undefined); // (await lib stays the library)
  assert.equal(lib.toString(), `<CDLL ${JSON.stringify(lib.name)}>`);
  assert.equal("add_ints" in lib, false);
  assert.throws(() => lib.no_such_symbol_here, { name: "SymbolNotFoundError" });
  const f = lib.add_ints;
  assert.deepEqual(Object.keys(lib).filter((k) => k === "add_ints"), []); // looked-up functions are not enumerable
  lib.close();
  assert.equal(lib.add_ints, f);
  assert.throws(() => lib.echo_int, { code: "ERR_LIBRARY_CLOSED" });
});

test("default restype is c_int", () => {
  const lib = fresh();
  assert.equal(lib.echo_int(-123456), -123456);
  // a wider C result is truncated to int, like ctypes
  lib.echo_int64.argtypes = [c_int64];
  assert.equal(lib.echo_int64(2n ** 32n + 7n), 7);
  assert.equal(lib.echo_int64(-1n), -1);
});

test("restype null: a void function returns undefined", () => {
  const lib = fresh();
  lib.set_last.restype = null;
  assert.equal(lib.set_last.restype, null);
  assert.equal(lib.set_last(31337), undefined);
  assert.equal(lib.get_last(), 31337);
  lib.no_op.restype = null;
  assert.equal(lib.no_op(), undefined);
  const fixed = lib.func("set_last", null, [c_int]);
  assert.equal(fixed(-1), undefined);
  assert.equal(lib.get_last(), -1);
});

test("errcheck receives (result, func, args) and its return value is the call's result", () => {
  const lib = fresh();
  const f = lib.fail_with;
  f.argtypes = [c_int];
  const seen = [];
  f.errcheck = (result, func, args) => {
    seen.push([result, func, args]);
    return { failed: result === -1, code: args[0] };
  };
  assert.equal(typeof f.errcheck, "function");
  assert.deepEqual(f(7), { failed: true, code: 7 });
  assert.equal(seen.length, 1);
  assert.equal(seen[0][0], -1);
  assert.equal(seen[0][1], f);
  assert.deepEqual(seen[0][2], [7]);
  // an exception from errcheck propagates
  f.errcheck = (result) => {
    if (result === -1) throw new Error("fail_with failed");
    return result;
  };
  assert.throws(() => f(3), /fail_with failed/);
  // errcheck = null removes it
  f.errcheck = null;
  assert.equal(f.errcheck, null);
  assert.equal(f(3), -1);
  // also on calls without argtypes, with the arguments as given
  const g = lib.add_ints;
  g.errcheck = (r, fn, args) => [r, fn === g, args.length];
  assert.deepEqual(g(2, 3), [5, true, 2]);
  // bad input
  assert.throws(() => { f.errcheck = 5; }, TypeError);
  assert.throws(() => { f.errcheck = "check"; }, TypeError);
});

test("argtypes / restype: bad input is a TypeError", () => {
  const lib = fresh();
  assert.throws(() => { lib.add_ints.argtypes = c_int; }, TypeError);
  assert.throws(() => { lib.add_ints.argtypes = "c_int"; }, TypeError);
  assert.throws(() => { lib.add_ints.restype = "int"; }, TypeError);
  assert.throws(() => { lib.add_ints.restype = 4; }, TypeError);
  assert.throws(() => { lib.add_ints.restype = c_int.array(2); }, TypeError);
  // the failed assignments left the function usable
  assert.equal(lib.add_ints(1, 2), 3);
});

// ---------------------------------------------------------------- default conversions

test("without argtypes: integer number -> int (wrapped), out-of-range number -> ArgumentError", () => {
  const lib = fresh();
  assert.equal(lib.echo_int(5), 5);
  assert.equal(lib.echo_int(-2147483648), -2147483648);
  assert.equal(lib.echo_int(2147483647), 2147483647);
  assert.equal(lib.echo_int(4294967295), -1);
  assert.equal(lib.add_ints(-3, 10), 7);
  assert.throws(() => lib.echo_int(2 ** 40), (e) => e instanceof ArgumentError && /argument 1/.test(e.message) && /c_int64/.test(e.message));
  assert.throws(() => lib.echo_int(-(2 ** 31) - 1), ArgumentError);
});

test("without argtypes: a boolean passes as int 1/0 (ctypes: bool is an int)", () => {
  const lib = fresh();
  assert.equal(lib.echo_int(true), 1);
  assert.equal(lib.echo_int(false), 0);
});

test("without argtypes: bigint -> long long", () => {
  const lib = fresh();
  lib.echo_longlong.restype = c_longlong;
  assert.equal(lib.echo_longlong(2n ** 62n + 1n), 2n ** 62n + 1n);
  assert.equal(lib.echo_longlong(-(2n ** 63n)), -(2n ** 63n));
  assert.equal(lib.echo_longlong(2n ** 64n - 1n), -1n); // wrapped to 64 bits
  lib.add_int64.restype = c_int64;
  assert.equal(lib.add_int64(2n ** 40n, -1n), 2n ** 40n - 1n);
});

test("without argtypes: string -> char*, null -> NULL", () => {
  const lib = fresh();
  lib.my_strlen.restype = c_size_t;
  assert.equal(lib.my_strlen("hello"), 5);
  assert.equal(lib.my_strlen("h\u00e9llo"), 6);
  assert.equal(lib.my_strlen(""), 0);
  assert.equal(lib.is_hello_accent("h\u00e9llo"), 1);
  assert.equal(lib.ptr_is_null(null), 1);
  assert.equal(lib.is_null_string(null), 1);
  assert.equal(lib.is_null_string("x"), 0);
  lib.str_identity.restype = c_char_p;
  assert.equal(lib.str_identity("round trip"), "round trip");
  assert.equal(lib.str_identity(null), null);
});

test("without argtypes: C data instances pass as their own type", () => {
  const lib = fresh();
  lib.echo_double.restype = c_double;
  assert.equal(lib.echo_double(c_double(1.5)), 1.5);
  assert.equal(lib.echo_double(c_double(0.1)), 0.1);
  lib.echo_float.restype = c_float;
  assert.equal(lib.echo_float(c_float(2.5)), 2.5);
  lib.add_float.restype = c_float;
  assert.equal(lib.add_float(c_float(1.5), c_float(2.25)), 3.75);
  lib.echo_int8.restype = c_int8;
  assert.equal(lib.echo_int8(c_int8(-5)), -5);
  lib.echo_uint16.restype = c_uint16;
  assert.equal(lib.echo_uint16(c_uint16(65535)), 65535);
  lib.echo_uint64.restype = c_uint64;
  assert.equal(lib.echo_uint64(c_uint64(2n ** 64n - 1n)), 2n ** 64n - 1n);
  lib.echo_size_t.restype = c_size_t;
  assert.equal(lib.echo_size_t(c_size_t(2 ** 40)), 2 ** 40);
  lib.echo_longdouble.restype = c_longdouble;
  assert.equal(lib.echo_longdouble(c_longdouble(0.1)), 0.1);
  assert.equal(lib.echo_longdouble(c_longdouble(1e300)), 1e300);
  lib.echo_bool.restype = c_bool;
  assert.equal(lib.echo_bool(c_bool(true)), true);
  lib.echo_char.restype = c_char;
  assert.equal(lib.echo_char(c_char("x")), "x");
  lib.echo_wchar.restype = c_wchar;
  assert.equal(lib.echo_wchar(c_wchar("\u20ac")), "\u20ac");
  lib.my_strlen.restype = c_size_t;
  assert.equal(lib.my_strlen(c_char_p("four")), 4);
  lib.my_wcslen.restype = c_size_t;
  assert.equal(lib.my_wcslen(c_wchar_p("w\u00efde")), 4);
  // mixed: double then int
  lib.time_plus.restype = c_time_t;
  assert.equal(lib.time_plus(c_time_t(1700000000), c_long(86400)), 1700086400);
});

test("without argtypes: pointers, byref, arrays and typed arrays pass as addresses", () => {
  const lib = fresh();
  const x = c_int(7);
  assert.equal(lib.read_int(byref(x)), 7);
  assert.equal(lib.read_int(pointer(x)), 7);
  lib.write_int(byref(x), 99);
  assert.equal(x.value, 99);
  const arr = c_int.array(4)(1, 2, 3, 4);
  assert.equal(lib.sum_int_array(arr, 4), 10);
  assert.equal(lib.sum_int_array(new Int32Array([5, 6, 7]), 3), 18);
  const out = new Int32Array(3);
  lib.fill_ints(out, 3, 10);
  assert.deepEqual([...out], [10, 11, 12]);
  lib.ptr_identity.restype = c_void_p;
  assert.equal(lib.ptr_identity(c_void_p(4096)), 4096);
  assert.equal(lib.ptr_identity(arr), addressof(arr));
});

test("without argtypes: a float number throws ArgumentError telling how to declare it", () => {
  const lib = fresh();
  assert.throws(
    () => lib.add_double(1.5, 2),
    (e) =>
      e instanceof ArgumentError &&
      e instanceof TypeError &&
      e.message.includes("add_double") &&
      e.message.includes("argument 1") &&
      e.message.includes("argtypes") &&
      e.message.includes("c_double(1.5)"),
  );
  assert.throws(() => lib.add_double(1, 2.5), (e) => e instanceof ArgumentError && e.message.includes("argument 2"));
  assert.throws(() => lib.add_double(NaN, 1), ArgumentError);
  assert.throws(() => lib.echo_int(undefined), (e) => e instanceof ArgumentError && e.message.includes("argument 1"));
  assert.throws(() => lib.echo_int({}), ArgumentError);
  assert.throws(() => lib.echo_int(Symbol("s")), ArgumentError);
  assert.throws(() => lib.echo_int(() => 1), ArgumentError);
});

test("add_float without restype returns an integer (the int register), not the float result", () => {
  const lib = fresh();
  lib.add_float.argtypes = [c_float, c_float];
  const r = lib.add_float(1.5, 2.25);
  assert.equal(typeof r, "number");
  assert.ok(Number.isInteger(r), `got ${r}`);
  assert.notEqual(r, 3.75);
  lib.add_float.restype = c_float;
  assert.equal(lib.add_float(1.5, 2.25), 3.75);
});

// ---------------------------------------------------------------- variadic calls, extra arguments

test("variadic: libc snprintf without argtypes into a create_string_buffer", () => {
  const buf = create_string_buffer(64);
  const n = libc.snprintf(buf, 64, "%d|%s|%.3f|%lld|%c|%s", 42, "abc", c_double(2.5), 123456789012345n, 65, "h\u00e9");
  assert.equal(buf.value, "42|abc|2.500|123456789012345|A|h\u00e9");
  assert.equal(n, Buffer.byteLength(buf.value));
  // truncation: returns the full length, writes size-1 bytes and a NUL
  const small = create_string_buffer(4);
  assert.equal(libc.snprintf(small, 4, "%s", "abcdef"), 6);
  assert.equal(small.value, "abc");
});

test("variadic: snprintf with argtypes for the fixed part; extras follow the default rules, c_float promoted", () => {
  const lib = new CDLL(process.platform === "linux" ? "libc.so.6" : null);
  const snprintf = lib.snprintf;
  snprintf.argtypes = [c_char_p, c_size_t, c_char_p];
  const buf = create_string_buffer(80);
  assert.equal(snprintf(buf, 80, "%.2f %.1f %d %s %lld", c_double(3.14159), c_float(1.5), -7, "xyz", -(2n ** 40n)), 30);
  assert.equal(buf.value, "3.14 1.5 -7 xyz -1099511627776");
  assert.equal(snprintf(buf, 80, "no extras"), 9);
  assert.equal(buf.value, "no extras");
  assert.throws(() => snprintf(buf, 80, "%f", 2.5), (e) => e instanceof ArgumentError && e.message.includes("argument 4"));
});

test("variadic: sum_ints(3, 1, 2, 3) and friends from the fixture", () => {
  const lib = fresh();
  assert.equal(lib.sum_ints(3, 1, 2, 3), 6);
  assert.equal(lib.sum_ints(0), 0);
  const many = Array.from({ length: 20 }, (_, i) => i * 3 - 10);
  assert.equal(lib.sum_ints(20, ...many), many.reduce((a, b) => a + b, 0));
  // declared fixed part
  const lib2 = fresh();
  lib2.sum_ints.argtypes = [c_int];
  assert.equal(lib2.sum_ints(3, 1, 2, 3), 6);
  assert.equal(lib2.sum_ints(4, -1, -2, -3, 100), 94);
  const fixed = lib2.func("sum_ints", c_int, [c_int]);
  assert.equal(fixed(2, 20, 22), 42);
  lib2.sum_doubles_va.argtypes = [c_int];
  lib2.sum_doubles_va.restype = c_double;
  assert.equal(lib2.sum_doubles_va(3, c_double(1.5), c_double(2.25), c_float(0.5)), 4.25);
  lib2.sum_longlongs_va.argtypes = [c_int];
  lib2.sum_longlongs_va.restype = c_longlong;
  assert.equal(lib2.sum_longlongs_va(3, 1n, 2n ** 40n, -3n), 2n ** 40n - 2n);
  // small integer C data are promoted to int in the variadic part
  assert.equal(lib2.sum_ints(2, c_int8(-1), c_uint16(65535)), 65534);
  assert.equal(lib2.sum_ints(2, c_short(-300), c_ubyte(255)), -45);
});

test("variadic function called without argtypes: double arguments arrive (whatever the first integer argument)", () => {
  const lib = fresh();
  lib.va_first_double.restype = c_double;
  for (const tag of [1, 3, 0, 256, 512, -256]) {
    assert.equal(lib.va_first_double(tag, c_double(2.5)), 2.5, `tag ${tag}`);
    assert.equal(lib.va_first_double(tag, c_double(-0.125), c_double(7)), -0.125, `tag ${tag}, two doubles`);
  }
  lib.sum_doubles_va.restype = c_double;
  assert.equal(lib.sum_doubles_va(2, c_double(1.5), c_double(2.25)), 3.75);
  // libc's snprintf: the buffer's address is the first integer argument
  for (let i = 0; i < 64; i++) {
    const buf = create_string_buffer(32 + i);
    libc.snprintf(buf, 32, "%.2f", c_double(i + 0.5));
    assert.equal(buf.value, (i + 0.5).toFixed(2), `buffer ${i}`);
  }
});

test("variadic: c_bool and c_char instances in the variadic part are promoted to int", () => {
  const lib = fresh();
  lib.sum_ints.argtypes = [c_int];
  assert.equal(lib.sum_ints(2, c_bool(true), c_bool(false)), 1);
  assert.equal(lib.sum_ints(1, c_char("A")), 65);
  const snprintf = new CDLL(process.platform === "linux" ? "libc.so.6" : null).snprintf;
  snprintf.argtypes = [c_char_p, c_size_t, c_char_p];
  const buf = create_string_buffer(16);
  assert.equal(snprintf(buf, 16, "%c%c|%d", c_char("o"), c_char("k"), c_bool(true)), 4);
  assert.equal(buf.value, "ok|1");
});

test("extra arguments beyond argtypes are converted by the default rules", () => {
  const lib = fresh();
  lib.echo_int.argtypes = [c_int];
  assert.equal(lib.echo_int(5, 6), 5);
  assert.equal(lib.echo_int(5, "extra", null, 7n), 5);
  assert.throws(() => lib.echo_int(5, 1.5), ArgumentError);
  const fixed = lib.func("add_ints", c_int, [c_int]);
  assert.equal(fixed(40, 2), 42);
});

// ---------------------------------------------------------------- many arguments

test("six mixed arguments arrive in order with their types", () => {
  const lib = fresh();
  const mixed6 = lib.func("mixed6", c_char_p, [c_int8, c_double, c_int64, c_float, c_char_p, c_uint16]);
  assert.equal(mixed6(-5, 2.5, 2n ** 40n, 1.25, "h\u00e9llo", 65535), "-5|2.500|1099511627776|1.25|h\u00e9llo|65535");
  assert.equal(mixed6(127, -0.125, -1n, -3.75, "", 0), "127|-0.125|-1|-3.75||0");
  // attribute style, same result
  lib.mixed6.argtypes = [c_int8, c_double, c_int64, c_float, c_char_p, c_uint16];
  lib.mixed6.restype = c_char_p;
  assert.equal(lib.mixed6(1, 2, 3, 4, "five", 6), "1|2.000|3|4.00|five|6");
});

test("10+ arguments: more than the argument registers", () => {
  const lib = fresh();
  const sum12 = lib.func("sum12", c_longlong, [c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_longlong]);
  // sum of i * a_i
  assert.equal(sum12(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1n), 78n);
  assert.equal(sum12(1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0n), 1000n);
  assert.equal(sum12(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2n ** 50n), 12n * 2n ** 50n);
  assert.equal(sum12(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0n), -11n);
  // inferred: eleven ints and a bigint
  lib.sum12.restype = c_longlong;
  assert.equal(lib.sum12(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12n), 650n);

  const weighted = lib.func("sum_weighted_doubles", c_double, [c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_float]);
  assert.equal(weighted(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 1);
  assert.equal(weighted(0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0), 5);
  assert.equal(weighted(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.25), 2.75);
  assert.equal(weighted(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 66);

  const manyMixed = lib.func("many_mixed", c_char_p, [
    c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double,
    c_int, c_double, c_int, c_double, c_int, c_double, c_double, c_double, c_char_p,
  ]);
  assert.equal(
    manyMixed(1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9.5, 10.5, "end"),
    "1 1.5 2 2.5 3 3.5 4 4.5 5 5.5 6 6.5 7 7.5 8 8.5 9.5 10.5 end",
  );
  assert.equal(
    manyMixed(-1, -0.25, -2, 1e100, -3, 0, -4, 0, -5, 0, -6, 0, -7, 0, -8, 0, 0.125, -1e-5, "\u00fc"),
    "-1 -0.25 -2 1e+100 -3 0 -4 0 -5 0 -6 0 -7 0 -8 0 0.125 -1e-05 \u00fc",
  );
});

test("argument registers exactly full (6 integer + 8 floating) and one more of each", () => {
  const lib = fresh();
  const full = lib.func("regs_full", c_double, [c_int, c_char_p, c_int64, c_uint8, c_short, c_void_p, c_double, c_float, c_double, c_double, c_double, c_double, c_double, c_float]);
  assert.equal(full(1, "ab", 3n, 4, 5, null, 0, 0, 0, 0, 0, 0, 0, 0), 1 + 20 + 300 + 4000 + 50000);
  assert.equal(full(0, "", 0n, 0, -1, new Uint8Array(1), 0, 0, 0, 0, 0, 0, 0, 0), -10000 + 100000);
  assert.equal(full(0, "", 0n, 0, 0, null, 1, 1, 1, 1, 1, 1, 1, 1), 36);
  assert.equal(full(0, "", 0n, 0, 0, null, 0, 0.5, 0, 0, 0, 0, 0, 0.25), 1 + 2);
  // the same call inferred: ints, a string, C data for the rest
  lib.regs_full.restype = c_double;
  assert.equal(lib.regs_full(1, "ab", c_int64(3n), c_uint8(4), c_short(5), null, c_double(0), c_float(0.5), c_double(0), c_double(0), c_double(0), c_double(0), c_double(0), c_float(0.25)), 54321 + 3);
  const spill = lib.func("regs_spill", c_double, [c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_double, c_float]);
  assert.equal(spill(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), 28);
  assert.equal(spill(0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0), 14);
  assert.equal(spill(0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2), 45);
  assert.equal(spill(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), 9);
});

test("more arguments than the call layer supports is an ArgumentError, not a crash", () => {
  const lib = fresh();
  const ones = new Array(300).fill(1);
  assert.throws(() => lib.sum_ints(300, ...ones), (e) => e instanceof ArgumentError && e.message.includes("sum_ints"));
  assert.equal(lib.sum_ints(3, 1, 1, 1), 3);
});

// ---------------------------------------------------------------- strings

test("string arguments: ASCII, non-ASCII, empty", () => {
  const lib = fresh();
  const len = lib.func("my_strlen", c_size_t, [c_char_p]);
  const sum = lib.func("byte_sum", c_ulong, [c_char_p]);
  assert.equal(len("abc"), 3);
  assert.equal(len(""), 0);
  assert.equal(len("\u00e9"), 2);
  assert.equal(len("\u20ac"), 3);
  assert.equal(len("\u{1F600}"), 4);
  assert.equal(sum("AB"), 131);
  assert.equal(sum("\u00e9"), 0xc3 + 0xa9);
  const buf = create_string_buffer(32);
  assert.equal(lib.func("upper_into", c_int, [c_char_p, c_char_p])(buf, "mixed Case 1"), 12);
  assert.equal(buf.value, "MIXED CASE 1");
});

test("a 200 KB string (larger than the scratch area) arrives exactly", () => {
  const lib = fresh();
  const len = lib.func("my_strlen", c_size_t, [c_char_p]);
  const sum = lib.func("byte_sum", c_ulong, [c_char_p]);
  const same = lib.func("str_identity", c_char_p, [c_char_p]);
  const big = "a".repeat(200 * 1024);
  assert.equal(len(big), 204800);
  assert.equal(sum(big), 97 * 204800);
  assert.equal(same(big), big);
  const bigUtf8 = "\u00e9".repeat(100 * 1024) + "end";
  assert.equal(len(bigUtf8), 204800 + 3);
  assert.equal(same(bigUtf8), bigUtf8);
  // without argtypes too
  lib.my_strlen.restype = c_size_t;
  assert.equal(lib.my_strlen(big), 204800);
  // sizes around the scratch limit, ASCII and 3-byte characters
  for (const n of [42990, 42997, 42998, 43000, 128990, 128992, 131072]) {
    assert.equal(len("b".repeat(n)), n, `ASCII ${n}`);
    assert.equal(len("\u20ac".repeat(n)), 3 * n, `3-byte ${n}`);
  }
  // two large strings in one call, then a small one: each intact
  const mixed6 = lib.func("mixed6", c_char_p, [c_int8, c_double, c_int64, c_float, c_char_p, c_uint16]);
  assert.equal(mixed6(1, 1, 1n, 1, "s", 1), "1|1.000|1|1.00|s|1");
  const wlen = lib.func("my_wcslen", c_size_t, [c_wchar_p]);
  assert.equal(wlen("w".repeat(100000)), 100000);
  assert.equal(wlen("\u00e9".repeat(40000)), 40000);
});

test("many string calls in a row do not exhaust or corrupt the scratch area", () => {
  const lib = fresh();
  const len = lib.func("my_strlen", c_size_t, [c_char_p]);
  const s = "x".repeat(1000) + "\u00e9";
  for (let i = 0; i < 2000; i++) assert.equal(len(s), 1002);
  // a failing conversion after a string argument must not leak scratch space either
  const mixed6 = lib.func("mixed6", c_char_p, [c_int8, c_double, c_int64, c_float, c_char_p, c_uint16]);
  for (let i = 0; i < 2000; i++) assert.throws(() => mixed6(1, 1, 1n, 1, s, "bad"), ArgumentError);
  assert.equal(mixed6(1, 1, 1n, 1, "ok", 1), "1|1.000|1|1.00|ok|1");
});

// (where the accelerator has fast entries, only TSCTYPES_ENTRY=v8 leaves the string writer out)
const NO_FAST_STRINGS = NO_FAST_API || (runtimeInfo().entries.strings !== "fast" && "TSCTYPES_ENTRY leaves out the fast string writer") ||
  (Boolean(process.env.TSCTYPES_CROSS_QEMU) && "under qemu V8 does not optimize the child's loop within its count (emulated timing)");

test("char * strings take the fast string writer once the call is optimized, also beside arguments that may throw (V8 12.4 makes no fast API call inside a try; child: no callbacks, so calls take the fast entry)", { skip: NO_FAST_STRINGS }, () => {
  const r = runModule(`
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
    const lib = new T.CDLL(${JSON.stringify(CALLS)});
    const len = lib.func("my_strlen", T.c_size_t, [T.c_char_p]);
    const mixed6 = lib.func("mixed6", T.c_char_p, [T.c_int8, T.c_double, T.c_int64, T.c_float, T.c_char_p, T.c_uint16]);
    // tight loops, as in an application's hot path: V8 inlines the marshaller and its string writing
    const batches = [
      () => { let total = 0; for (let k = 0; k < 2000; k++) total += len("hello, world"); return total === 2000 * 12; },
      () => { let same = 0; for (let k = 0; k < 2000; k++) same += mixed6(1, 1, 1n, 1, "a longer string", 1) === "1|1.000|1|1.00|a longer string|1" ? 1 : 0; return same === 2000; },
    ];
    const out = [];
    for (const batch of batches) {
      // once V8 has optimized the loop fully (on Node 24 only TurboFan's code writes strings fast, not
      // Maglev's), nearly every string of a batch goes through the fast writer. The optimizing compiler
      // runs on another thread, so how many batches that takes depends on the machine's load: batches
      // run until one is (up to 3,000, some 6 M calls).
      let bestBatch = 0, right = true;
      for (let n = 0; n < 3000 && bestBatch < 1500; n++) {
        const before = counters().strings;
        right &&= batch();
        bestBatch = Math.max(bestBatch, counters().strings - before);
      }
      out.push(right, bestBatch >= 1500);
    }
    // a bad argument after the string still throws, and the scratch space is given back
    try { mixed6(1, 1, 1n, 1, "x", "bad"); out.push("no error"); } catch (e) { out.push(e.message); }
    out.push(mixed6(1, 1, 1n, 1, "ok", 1));
    console.log(JSON.stringify(out));
  `);
  assert.equal(r.status, 0, r.stderr);
  const [lenRight, lenFast, mixedRight, mixedFast, error, after] = JSON.parse(r.stdout);
  assert.deepEqual([lenRight, mixedRight], [true, true]);
  assert.deepEqual([lenFast, mixedFast], [true, true], "strings written by the fast writer");
  assert.match(error, /^mixed6\(\): argument 6: expected c_uint16/);
  assert.equal(after, "1|1.000|1|1.00|ok|1");
});

test("a hot string call whose fast call declines (its library closed) throws, and the scratch area is given back each time (child: no callbacks, so calls take the fast entry)", { skip: NO_FAST_API }, () => {
  const r = runModule(`
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const require = createRequire(import.meta.url);
    const counters = require(${JSON.stringify(COUNTERS)});
    const { scratch } = require(${JSON.stringify(SLAB_MODULE)});
    const lib = new T.CDLL(${JSON.stringify(CALLS)});
    const len = lib.func("my_strlen", T.c_size_t, [T.c_char_p]);
    const s = "y".repeat(1000);
    const hot = () => { let total = 0; for (let k = 0; k < 2000; k++) total += len(s); return total; };
    // until V8 has optimized the loop and calls go through the fast entry
    let fast = 0, right = true;
    for (let n = 0; n < 3000 && fast < 1500; n++) {
      const before = counters().fast;
      right &&= hot() === 2000 * 1000;
      fast = Math.max(fast, counters().fast - before);
    }
    const top = scratch.top;
    lib.close();
    // the same optimized code: the fast entry declines, the plain entry throws, scratch is restored
    let errors = 0, message = "";
    for (let k = 0; k < 3000; k++) {
      try { hot(); } catch (e) { errors++; message = e.code; }
    }
    console.log(JSON.stringify([right, fast >= 1500, errors, message, scratch.top === top]));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, true, 3000, "ERR_LIBRARY_CLOSED", true]);
});

test("wide string arguments and results", () => {
  const lib = fresh();
  const wlen = lib.func("my_wcslen", c_size_t, [c_wchar_p]);
  const same = lib.func("wide_identity", c_wchar_p, [c_wchar_p]);
  assert.equal(wlen(""), 0);
  assert.equal(wlen("abc"), 3);
  assert.equal(same("\u00e9t\u00e9 \u2603"), "\u00e9t\u00e9 \u2603");
  if (sizeof(c_wchar) === 4) assert.equal(wlen("\u{1F600}\u{1F600}"), 2);
});

// ---------------------------------------------------------------- binary memory

test("TypedArray / Buffer / ArrayBuffer / DataView arguments are zero-copy: C writes into them", () => {
  const lib = fresh();
  const fill = lib.func("fill_bytes", null, [c_void_p, c_size_t, c_int]);
  const u8 = new Uint8Array(6);
  fill(u8, 6, 1);
  assert.deepEqual([...u8], [1, 2, 3, 4, 5, 6]);
  const buf = Buffer.alloc(4);
  fill(buf, 4, 200);
  assert.deepEqual([...buf], [200, 201, 202, 203]);
  const ab = new ArrayBuffer(3);
  fill(ab, 3, 7);
  assert.deepEqual([...new Uint8Array(ab)], [7, 8, 9]);
  const dv = new DataView(new ArrayBuffer(8), 2, 4);
  fill(dv, 4, 50);
  assert.deepEqual([...new Uint8Array(dv.buffer)], [0, 0, 50, 51, 52, 53, 0, 0]);
  // a pooled Buffer: the offset into the pool is respected
  const pooled = Buffer.from("zzzzzzzz");
  fill(pooled, 2, 65);
  assert.equal(pooled.toString(), "ABzzzzzz");
});

test("a subarray at offset 4 is seen by C at its offset", () => {
  const lib = fresh();
  const fill = lib.func("fill_bytes", null, [c_void_p, c_size_t, c_int]);
  const whole = new Uint8Array(12);
  fill(whole.subarray(4, 8), 4, 1);
  assert.deepEqual([...whole], [0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
  const ints = new Int32Array(6);
  const fillInts = lib.func("fill_ints", null, [POINTER(c_int), c_int, c_int]);
  fillInts(ints.subarray(1), 3, 100);
  assert.deepEqual([...ints], [0, 100, 101, 102, 0, 0]);
  const sum = lib.func("sum_int_array", c_int, [POINTER(c_int), c_int]);
  assert.equal(sum(new Int32Array([1, 2, 3, 4, 5]).subarray(2), 3), 12);
  // without argtypes
  const w2 = new Uint8Array(8);
  lib.fill_bytes(w2.subarray(4), 4, 9);
  assert.deepEqual([...w2], [0, 0, 0, 0, 9, 10, 11, 12]);
});

test("a detached ArrayBuffer never passes its old address: an ArgumentError (more in misuse.test.mjs)", () => {
  const lib = fresh();
  const isNull = lib.func("ptr_is_null", c_int, [c_void_p]);
  const u8 = new Uint8Array(1024);
  assert.equal(isNull(u8), 0);
  assert.equal(isNull(u8.buffer), 0);
  structuredClone(u8.buffer, { transfer: [u8.buffer] }); // detaches u8.buffer
  assert.equal(u8.byteLength, 0);
  assert.throws(() => isNull(u8), { name: "ArgumentError", message: /^ptr_is_null\(\): argument 1: .*detached/ });
  assert.throws(() => isNull(u8.buffer), { name: "ArgumentError", message: /^ptr_is_null\(\): argument 1: .*detached/ });
});

test("typed arrays for typed pointers: double* and int*", () => {
  const lib = fresh();
  const sum = lib.func("sum_double_array", c_double, [POINTER(c_double), c_int]);
  const scale = lib.func("scale_doubles", null, [POINTER(c_double), c_int, c_double]);
  const d = new Float64Array([1.5, 2.5, 3]);
  assert.equal(sum(d, 3), 7);
  scale(d, 3, 2);
  assert.deepEqual([...d], [3, 5, 6]);
  assert.equal(sum(c_double.array(2)(0.25, 0.5), 2), 0.75);
  const x = c_double(2.5);
  assert.equal(lib.func("read_double", c_double, [POINTER(c_double)])(x), 2.5);
  assert.equal(lib.func("read_double", c_double, [POINTER(c_double)])(byref(x)), 2.5);
  assert.equal(lib.func("read_double", c_double, [POINTER(c_double)])(pointer(x)), 2.5);
  const ints = new Int32Array(2);
  lib.func("write_int", null, [POINTER(c_int), c_int])(ints.subarray(1), -9);
  assert.deepEqual([...ints], [0, -9]);
});

// ---------------------------------------------------------------- boundary values of every scalar type

const BOUNDS = [
  ["echo_int8", c_int8, [-128, 127, 0, -1]],
  ["echo_uint8", c_uint8, [0, 255, 128]],
  ["echo_int16", c_int16, [-32768, 32767, -1]],
  ["echo_uint16", c_uint16, [0, 65535, 32768]],
  ["echo_int32", c_int32, [-2147483648, 2147483647, -1]],
  ["echo_uint32", c_uint32, [0, 4294967295, 2147483648]],
  ["echo_int64", c_int64, [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n]],
  ["echo_uint64", c_uint64, [0n, 2n ** 64n - 1n, 2n ** 63n]],
  ["echo_byte", c_byte, [-128, 127]],
  ["echo_ubyte", c_ubyte, [0, 255]],
  ["echo_short", c_short, [-32768, 32767]],
  ["echo_ushort", c_ushort, [0, 65535]],
  ["echo_int", c_int, [-2147483648, 2147483647, 0]],
  ["echo_uint", c_uint, [0, 4294967295]],
  ["echo_long", c_long, [-(2 ** 53), 2 ** 53, -1, 0]],
  ["echo_ulong", c_ulong, [0, 2 ** 53, 2 ** 32]],
  ["echo_longlong", c_longlong, [-(2n ** 63n), 2n ** 63n - 1n]],
  ["echo_ulonglong", c_ulonglong, [0n, 2n ** 64n - 1n]],
  ["echo_size_t", c_size_t, [0, 2 ** 53, 4294967296]],
  ["echo_ssize_t", c_ssize_t, [-(2 ** 53), 2 ** 53, -1]],
  ["echo_time_t", c_time_t, [0, -1, 2 ** 53, -(2 ** 53), 1700000000]],
  ["echo_float", c_float, [3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 0, Infinity, -Infinity]],
  ["echo_double", c_double, [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, Number.EPSILON, Infinity, -Infinity, 0]],
  ["echo_longdouble", c_longdouble, [Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, Infinity, -Infinity]],
  ["echo_bool", c_bool, [true, false]],
  ["echo_char", c_char, ["\0", "\x7f", "\x80", "\xff", "A"]],
  ["echo_wchar", c_wchar, ["\0", "\uffff", "\u00e9", "A"]],
];

test("every scalar type's boundary values through echo functions (lib.func)", () => {
  const lib = fresh();
  for (const [name, type, values] of BOUNDS) {
    const f = lib.func(name, type, [type]);
    for (const v of values) assert.equal(f(v), v, `${name}(${typeof v === "bigint" ? v + "n" : JSON.stringify(v) ?? String(v)})`);
  }
  if (sizeof(c_wchar) === 4) assert.equal(lib.func("echo_wchar", c_wchar, [c_wchar])("\u{10FFFF}"), "\u{10FFFF}");
});

test("every scalar type's boundary values through echo functions (argtypes / restype)", () => {
  const lib = fresh();
  for (const [name, type, values] of BOUNDS) {
    const f = lib[name];
    f.argtypes = [type];
    f.restype = type;
    for (const v of values) assert.equal(f(v), v, `${name}(${typeof v === "bigint" ? v + "n" : String(v)})`);
  }
});

test("negative zero and NaN through float, double and long double", () => {
  const lib = fresh();
  for (const [name, type] of [["echo_float", c_float], ["echo_double", c_double], ["echo_longdouble", c_longdouble]]) {
    const f = lib.func(name, type, [type]);
    assert.ok(Object.is(f(-0), -0), `${name}(-0)`);
    assert.ok(Number.isNaN(f(NaN)), `${name}(NaN)`);
  }
});

test("integer arguments wrap like C at the call boundary; numbers and bigints both accepted", () => {
  const lib = fresh();
  assert.equal(lib.func("echo_uint8", c_uint8, [c_uint8])(256), 0);
  assert.equal(lib.func("echo_int8", c_int8, [c_int8])(128), -128);
  assert.equal(lib.func("echo_int16", c_int16, [c_int16])(-32769), 32767);
  assert.equal(lib.func("echo_int", c_int, [c_int])(2 ** 31), -(2 ** 31));
  assert.equal(lib.func("echo_int", c_int, [c_int])(2n ** 32n + 3n), 3);
  assert.equal(lib.func("echo_uint", c_uint, [c_uint])(-1), 4294967295);
  assert.equal(lib.func("echo_uint64", c_uint64, [c_uint64])(-1), 2n ** 64n - 1n);
  assert.equal(lib.func("echo_int64", c_int64, [c_int64])(2 ** 63), -(2n ** 63n));
  assert.equal(lib.func("echo_int64", c_int64, [c_int64])(-(2 ** 60)), -(2n ** 60n));
  assert.equal(lib.func("echo_int64", c_int64, [c_int64])(2n ** 64n + 5n), 5n);
  assert.equal(lib.func("echo_long", c_long, [c_long])(2n ** 53n), 2 ** 53);
  assert.equal(lib.func("echo_size_t", c_size_t, [c_size_t])(5n), 5);
  assert.equal(lib.func("echo_float", c_float, [c_float])(0.1), Math.fround(0.1));
  assert.equal(lib.func("echo_double", c_double, [c_double])(3n), 3);
  // C data of the same type contributes its value
  assert.equal(lib.func("echo_int", c_int, [c_int])(c_int(-77)), -77);
  assert.equal(lib.func("echo_double", c_double, [c_double])(c_double(0.5)), 0.5);
});

test("narrow arguments (bool, char, int8, uint16) reach C extended to 32 bits, as compilers like clang expect", { skip: !(process.arch === "x64" && process.platform !== "win32") }, () => {
  const lib = fresh();
  const dirty = lib.func("echo_int64", c_int64, [c_int64]);
  const boolAsInt = lib.func("bool_as_int_clang", c_int, [c_bool]);
  const charAsInt = lib.func("char_as_int_clang", c_int, [c_char]);
  const int8AsInt = lib.func("int8_as_int_clang", c_int, [c_int8]);
  const uint16AsInt = lib.func("uint16_as_int_clang", c_int, [c_uint16]);
  for (const junk of [0n, -1n, 0x12345678n]) {
    dirty(junk); // leaves `junk` in the first argument slot / register
    assert.equal(boolAsInt(false), 0, `bool false after ${junk}`);
    dirty(junk);
    assert.equal(boolAsInt(true), 1, `bool true after ${junk}`);
    dirty(junk);
    assert.equal(charAsInt("A"), 65, `char after ${junk}`);
    dirty(junk);
    assert.equal(int8AsInt(-2), -2, `int8 after ${junk}`);
    dirty(junk);
    assert.equal(uint16AsInt(65535), 65535, `uint16 after ${junk}`);
  }
});

test("arithmetic in C on every integer width, results wrapped by C", () => {
  const lib = fresh();
  assert.equal(lib.func("add_int8", c_int8, [c_int8, c_int8])(100, 100), -56);
  assert.equal(lib.func("add_uint8", c_uint8, [c_uint8, c_uint8])(200, 100), 44);
  assert.equal(lib.func("sub_uint16", c_uint16, [c_uint16, c_uint16])(0, 1), 65535);
  assert.equal(lib.func("mul_short", c_short, [c_short, c_short])(300, 300), 24464);
  assert.equal(lib.func("mul_short", c_short, [c_short, c_short])(200, 200), -25536);
  assert.equal(lib.func("add_uint", c_uint, [c_uint, c_uint])(4294967295, 2), 1);
  assert.equal(lib.func("mul_long", c_long, [c_long, c_long])(2 ** 26, -(2 ** 26)), -(2 ** 52));
  assert.equal(lib.func("add_ulong", c_ulong, [c_ulong, c_ulong])(2 ** 52, 2 ** 52), 2 ** 53);
  assert.equal(lib.func("add_int64", c_int64, [c_int64, c_int64])(2n ** 63n - 1n, 1n), -(2n ** 63n));
  assert.equal(lib.func("add_uint64", c_uint64, [c_uint64, c_uint64])(2n ** 64n - 1n, 2n), 1n);
  assert.equal(lib.func("mul_longlong", c_longlong, [c_longlong, c_longlong])(-3n, 5n), -15n);
  assert.equal(lib.func("mul_longlong", c_longlong, [c_longlong, c_longlong])(2n ** 32n, 2n ** 31n), 2n ** 63n * -1n);
  assert.equal(lib.func("add_size_t", c_size_t, [c_size_t, c_size_t])(2 ** 40, 2 ** 40), 2 ** 41);
  assert.equal(lib.func("sub_ssize_t", c_ssize_t, [c_ssize_t, c_ssize_t])(0, 5), -5);
  assert.equal(lib.func("time_plus", c_time_t, [c_time_t, c_long])(1700000000, 86400), 1700086400);
  assert.equal(lib.func("add_double", c_double, [c_double, c_double])(0.1, 0.2), 0.30000000000000004);
  assert.equal(lib.func("add_float", c_float, [c_float, c_float])(16777216, 1), 16777216);
});
