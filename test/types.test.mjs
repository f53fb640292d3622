// Fundamental types (docs/api.md "Fundamental types"): construction, .value, sizes and
// alignments (checked against the C compiler through the fixture), wrap-around,
// bigint / number rules, strings, pointers and long double, through real C calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "tsctypes";
import {
  CDLL,
  SimpleCData,
  sizeof,
  alignment,
  addressof,
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
} from "tsctypes";
import { fixture } from "./helpers.mjs";

const lib = new CDLL(fixture("calls"));
const isLP64 = process.platform !== "win32" && process.arch !== "ia32" && process.arch !== "arm";
const isX64Linux = process.platform === "linux" && process.arch === "x64";

const TYPE_NAMES = [
  "c_bool", "c_char", "c_wchar", "c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint", "c_long",
  "c_ulong", "c_longlong", "c_ulonglong", "c_size_t", "c_ssize_t", "c_time_t", "c_int8", "c_uint8", "c_int16",
  "c_uint16", "c_int32", "c_uint32", "c_int64", "c_uint64", "c_float", "c_double", "c_longdouble", "c_char_p",
  "c_wchar_p", "c_void_p",
];
const INT_NUMBER_TYPES = ["c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint", "c_int8", "c_uint8", "c_int16", "c_uint16", "c_int32", "c_uint32"];
const INT_BIGINT_TYPES = ["c_longlong", "c_ulonglong", "c_int64", "c_uint64"];
const INT_PTR_TYPES = ["c_long", "c_ulong", "c_size_t", "c_ssize_t", "c_time_t"];
const ALL_INT_TYPES = [...INT_NUMBER_TYPES, ...INT_BIGINT_TYPES, ...INT_PTR_TYPES];

const typeSize = lib.func("type_size", c_size_t, [c_char_p]);
const typeAlign = lib.func("type_align", c_size_t, [c_char_p]);

function zeroOf(name) {
  if (name === "c_bool") return false;
  if (name === "c_char" || name === "c_wchar") return "\0";
  if (name === "c_char_p" || name === "c_wchar_p" || name === "c_void_p") return null;
  if (INT_BIGINT_TYPES.includes(name)) return 0n;
  return 0;
}

// ---------------------------------------------------------------- construction

test("every fundamental type is exported and callable with and without new; default is zero", () => {
  for (const name of TYPE_NAMES) {
    const Type = T[name];
    assert.equal(typeof Type, "function", name);
    const a = Type();
    const b = new Type();
    assert.ok(a instanceof Type, `${name}() instanceof ${name}`);
    assert.ok(b instanceof Type, `new ${name}() instanceof ${name}`);
    assert.ok(a instanceof SimpleCData, `${name}() instanceof SimpleCData`);
    assert.equal(a.constructor, Type, name);
    assert.equal(a.value, zeroOf(name), `${name}().value`);
    assert.equal(b.value, zeroOf(name), `new ${name}().value`);
  }
});

test("value get/set on every type", () => {
  const samples = {
    c_bool: true, c_char: "z", c_wchar: "\u00e9", c_float: 1.5, c_double: -2.25, c_longdouble: 0.75,
    c_char_p: "text", c_wchar_p: "w\u00eftext", c_void_p: 4096,
  };
  for (const name of TYPE_NAMES) {
    const Type = T[name];
    const expected = samples[name] ?? (INT_BIGINT_TYPES.includes(name) ? 100n : 100);
    const viaCtor = Type(expected);
    assert.equal(viaCtor.value, expected, `${name}(x).value`);
    const viaNew = new Type(expected);
    assert.equal(viaNew.value, expected, `new ${name}(x).value`);
    const set = Type();
    set.value = expected;
    assert.equal(set.value, expected, `${name}: .value = x`);
    set.value = zeroOf(name) ?? 0;
    if (zeroOf(name) !== null) assert.equal(set.value, zeroOf(name), `${name}: back to zero`);
  }
});

// ---------------------------------------------------------------- sizes

test("sizeof / alignment of every type equal the C compiler's", () => {
  for (const name of TYPE_NAMES) {
    const Type = T[name];
    const cSize = typeSize(name);
    const cAlign = typeAlign(name);
    assert.notEqual(cSize, 0, `fixture knows ${name}`);
    assert.equal(sizeof(Type), cSize, `sizeof(${name})`);
    assert.equal(alignment(Type), cAlign, `alignment(${name})`);
    assert.equal(sizeof(Type()), cSize, `sizeof(${name}())`);
    assert.equal(alignment(Type()), cAlign, `alignment(${name}())`);
  }
});

test("LP64 sizes: the documented values", { skip: !isLP64 }, () => {
  const expected = {
    c_bool: 1, c_char: 1, c_byte: 1, c_ubyte: 1, c_short: 2, c_ushort: 2, c_int: 4, c_uint: 4, c_long: 8, c_ulong: 8,
    c_longlong: 8, c_ulonglong: 8, c_size_t: 8, c_ssize_t: 8, c_time_t: 8, c_int8: 1, c_uint8: 1, c_int16: 2,
    c_uint16: 2, c_int32: 4, c_uint32: 4, c_int64: 8, c_uint64: 8, c_float: 4, c_double: 8, c_char_p: 8,
    c_wchar_p: 8, c_void_p: 8,
  };
  for (const [name, size] of Object.entries(expected)) {
    assert.equal(sizeof(T[name]), size, name);
    assert.equal(alignment(T[name]), size, name);
  }
  assert.equal(sizeof(c_int), 4);
  assert.equal(alignment(c_double), 8);
});

test("x86-64 Linux: wchar_t is 4 bytes, long double 16 bytes aligned to 16", { skip: !isX64Linux }, () => {
  assert.equal(sizeof(c_wchar), 4);
  assert.equal(sizeof(c_longdouble), 16);
  assert.equal(alignment(c_longdouble), 16);
});

test("sizeof / alignment: bad input is a TypeError", () => {
  assert.throws(() => sizeof(42), TypeError);
  assert.throws(() => sizeof("c_int"), TypeError);
  assert.throws(() => sizeof(null), TypeError);
  assert.throws(() => alignment({}), TypeError);
  assert.throws(() => alignment(undefined), TypeError);
});

// ---------------------------------------------------------------- integers

test("integer input wraps modulo 2^bits like C", () => {
  assert.equal(c_uint8(300).value, 44);
  assert.equal(c_int8(200).value, -56);
  assert.equal(c_int(2 ** 32 + 5).value, 5);
  assert.equal(c_uint(-1).value, 4294967295);
  assert.equal(c_ubyte(-1).value, 255);
  assert.equal(c_byte(128).value, -128);
  assert.equal(c_int16(32768).value, -32768);
  assert.equal(c_uint16(-1).value, 65535);
  assert.equal(c_short(65535).value, -1);
  assert.equal(c_ushort(65536 + 3).value, 3);
  assert.equal(c_int32(2 ** 31).value, -2147483648);
  assert.equal(c_int(-(2 ** 31) - 1).value, 2147483647);
  assert.equal(c_uint32(2 ** 32 + 7).value, 7);
  assert.equal(c_int(2 ** 60 + 1024).value, 1024);
  // bigint input wraps the same way
  assert.equal(c_int(2n ** 32n + 5n).value, 5);
  assert.equal(c_uint8(300n).value, 44);
  assert.equal(c_uint(-1n).value, 4294967295);
  assert.equal(c_int8(-129n).value, 127);
  assert.equal(c_int(2n ** 100n + 9n).value, 9);
  // through .value as well
  const x = c_uint8();
  x.value = 511;
  assert.equal(x.value, 255);
});

test("64-bit integer types give bigint, from number or bigint, wrapped mod 2^64", () => {
  assert.equal(c_int64(5).value, 5n);
  assert.equal(c_int64(-5).value, -5n);
  assert.equal(c_int64(5n).value, 5n);
  assert.equal(c_int64(Number.MAX_SAFE_INTEGER).value, 9007199254740991n);
  assert.equal(c_int64(2 ** 63).value, -(2n ** 63n));
  assert.equal(c_int64(2n ** 63n).value, -(2n ** 63n));
  assert.equal(c_int64(2n ** 63n - 1n).value, 2n ** 63n - 1n);
  assert.equal(c_uint64(-1n).value, 2n ** 64n - 1n);
  assert.equal(c_uint64(-1).value, 2n ** 64n - 1n);
  assert.equal(c_longlong(2n ** 64n + 3n).value, 3n);
  assert.equal(c_ulonglong(2n ** 70n).value, 0n);
  assert.equal(c_ulonglong(2n ** 64n - 1n).value, 18446744073709551615n);
  for (const name of INT_BIGINT_TYPES) assert.equal(typeof T[name](1).value, "bigint", name);
  for (const name of [...INT_NUMBER_TYPES, ...INT_PTR_TYPES]) assert.equal(typeof T[name](1n).value, "number", name);
});

test("non-integers for integer types are TypeErrors naming the type (3.5, NaN, Infinity, 'x', {})", () => {
  for (const name of ALL_INT_TYPES) {
    const Type = T[name];
    for (const bad of [3.5, NaN, Infinity, -0.5, "x", "5", {}, [1]]) {
      assert.throws(() => Type(bad), TypeError, `${name}(${String(bad)})`);
      const obj = Type(1);
      assert.throws(() => { obj.value = bad; }, (e) => e instanceof TypeError && e.message.includes(name), `${name}.value = ${String(bad)}`);
      assert.equal(obj.value, INT_BIGINT_TYPES.includes(name) ? 1n : 1, `${name}: unchanged after a rejected value`);
    }
  }
});

test("pointer-sized integers: exact numbers up to 2^53, RangeError naming the 64-bit type beyond", { skip: !isLP64 }, () => {
  assert.equal(c_size_t(2 ** 53).value, 2 ** 53);
  assert.equal(c_ssize_t(-(2 ** 53)).value, -(2 ** 53));
  assert.equal(c_long(-(2 ** 53)).value, -(2 ** 53));
  assert.equal(c_ulong(2n ** 53n).value, 2 ** 53);
  assert.equal(c_time_t(1700000000).value, 1700000000);
  assert.equal(c_long(-1).value, -1);
  assert.throws(() => c_size_t(2n ** 53n + 1n).value, (e) => e instanceof RangeError && /c_size_t/.test(e.message) && /c_uint64/.test(e.message));
  assert.throws(() => c_size_t(-1).value, (e) => e instanceof RangeError && /c_size_t/.test(e.message) && /c_uint64/.test(e.message));
  assert.throws(() => c_long(-(2n ** 53n) - 1n).value, (e) => e instanceof RangeError && /c_long/.test(e.message) && /c_int64/.test(e.message));
  assert.throws(() => c_long(2 ** 60).value, (e) => e instanceof RangeError && /c_long/.test(e.message) && /c_int64/.test(e.message));
  assert.throws(() => c_ulong(2n ** 64n - 1n).value, (e) => e instanceof RangeError && /c_ulong/.test(e.message) && /c_uint64/.test(e.message));
  assert.throws(() => c_ssize_t(2n ** 62n).value, (e) => e instanceof RangeError && /c_ssize_t/.test(e.message) && /c_int64/.test(e.message));
  assert.throws(() => c_time_t(2n ** 62n).value, (e) => e instanceof RangeError && /c_time_t/.test(e.message) && /c_int64/.test(e.message));
  // the stored bits are intact: the same memory read as c_uint64 / c_int64
  const big = c_size_t(2n ** 60n + 1n);
  assert.equal(c_uint64.from_buffer(big).value, 2n ** 60n + 1n);
});

test("pointer-sized integers: every safe negative integer is exact (-(2^53) + 1 ... -1)", { skip: !isLP64 }, () => {
  for (const v of [-Number.MAX_SAFE_INTEGER, -(2 ** 53) + 2, -(2 ** 53) + 2 ** 32 - 1, -(2 ** 53) + 2 ** 32, -(2 ** 52) - 1]) {
    assert.equal(c_long(v).value, v, `c_long(${v})`);
    assert.equal(c_ssize_t(BigInt(v)).value, v, `c_ssize_t(${v}n)`);
    assert.equal(c_time_t(v).value, v, `c_time_t(${v})`);
  }
  const echoLong = lib.func("echo_long", c_long, [c_long]);
  const echoSsize = lib.func("echo_ssize_t", c_ssize_t, [c_ssize_t]);
  assert.equal(echoLong(-Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
  assert.equal(echoSsize(-(2 ** 53) + 12345), -(2 ** 53) + 12345);
  assert.equal(echoLong(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
});

test("pointer-sized integers returned by C: RangeError beyond 2^53, exact at the bound", { skip: !isLP64 }, () => {
  const big = lib.func("big_size_t", c_size_t, []);
  assert.throws(() => big(), (e) => e instanceof RangeError && /c_size_t/.test(e.message) && /c_uint64/.test(e.message));
  const neg = lib.func("big_negative_long", c_long, []);
  assert.throws(() => neg(), (e) => e instanceof RangeError && /c_long/.test(e.message) && /c_int64/.test(e.message));
  const maxUlong = lib.func("max_ulong", c_ulong, []);
  assert.throws(() => maxUlong(), (e) => e instanceof RangeError && /c_ulong/.test(e.message) && /c_uint64/.test(e.message));
  assert.equal(lib.func("two_pow_53", c_size_t, [])(), 2 ** 53);
  assert.equal(lib.func("minus_two_pow_53", c_ssize_t, [])(), -(2 ** 53));
  // declared as the 64-bit type, the value is exact
  assert.equal(lib.func("big_size_t", c_uint64, [])(), 2n ** 60n + 1n);
  assert.equal(lib.func("big_negative_long", c_int64, [])(), -(2n ** 60n) - 1n);
  assert.equal(lib.func("max_ulong", c_ulonglong, [])(), 2n ** 64n - 1n);
  // a RangeError on the result leaves calls working
  assert.equal(lib.func("add_ints", c_int, [c_int, c_int])(2, 2), 4);
});

// ---------------------------------------------------------------- bool, char, wchar

test("c_bool takes any value and reads back true/false", () => {
  const truthy = [true, 1, -1, 2, 0.5, "x", "false", {}, [], 1n, Infinity];
  const falsy = [false, 0, -0, "", null, NaN, 0n];
  for (const v of truthy) assert.equal(c_bool(v).value, true, `c_bool(${String(v)})`);
  for (const v of falsy) assert.equal(c_bool(v).value, false, `c_bool(${String(v)})`);
  const b = c_bool();
  b.value = 256; // not wrapped like an integer: any non-zero is true
  assert.equal(b.value, true);
  // through C
  const echo = lib.func("echo_bool", c_bool, [c_bool]);
  const not = lib.func("bool_not", c_bool, [c_bool]);
  const asInt = lib.func("bool_as_int", c_int, [c_bool]);
  assert.equal(echo(true), true);
  assert.equal(echo(false), false);
  assert.equal(not(true), false);
  assert.equal(not(0), true);
  assert.equal(asInt("yes"), 1);
  assert.equal(asInt(256), 1);
  assert.equal(asInt(null), 0);
  assert.equal(asInt(c_bool(true)), 1);
  assert.equal(lib.func("is_positive", c_bool, [c_int])(5), true);
  assert.equal(lib.func("is_positive", c_bool, [c_int])(-5), false);
});

test("c_char holds a one-character string; errors for longer or non-byte strings", () => {
  assert.equal(c_char("a").value, "a");
  assert.equal(c_char(65).value, "A");
  assert.equal(c_char("\u00e9").value, "\u00e9"); // code 233 fits in a byte
  assert.equal(c_char("\0").value, "\0");
  const c = c_char();
  c.value = "q";
  assert.equal(c.value, "q");
  assert.throws(() => c_char("ab"), TypeError);
  assert.throws(() => c_char(""), TypeError);
  assert.throws(() => c_char("\u20ac"), TypeError);
  assert.throws(() => c_char(1.5), TypeError);
  assert.throws(() => { c.value = "xy"; }, TypeError);
  // through C
  const echo = lib.func("echo_char", c_char, [c_char]);
  const upper = lib.func("char_upper", c_char, [c_char]);
  const code = lib.func("char_code", c_int, [c_char]);
  assert.equal(echo("x"), "x");
  assert.equal(echo("\xff"), "\xff");
  assert.equal(upper("a"), "A");
  assert.equal(upper("Z"), "Z");
  assert.equal(code("\u00e9"), 233);
  assert.equal(code(c_char("b")), 98);
});

test("c_wchar holds one character (one code point, emoji included); errors for 'ab'", () => {
  assert.equal(c_wchar("a").value, "a");
  assert.equal(c_wchar("\u20ac").value, "\u20ac");
  assert.equal(c_wchar(0x41).value, "A");
  if (sizeof(c_wchar) === 4) assert.equal(c_wchar("\u{1F600}").value, "\u{1F600}");
  assert.throws(() => c_wchar("ab"), TypeError);
  assert.throws(() => c_wchar(""), TypeError);
  assert.throws(() => c_wchar("\u{1F600}x"), TypeError);
  assert.throws(() => c_wchar(2.5), TypeError);
  // through C
  const echo = lib.func("echo_wchar", c_wchar, [c_wchar]);
  const next = lib.func("wchar_next", c_wchar, [c_wchar]);
  const code = lib.func("wchar_code", c_int, [c_wchar]);
  assert.equal(echo("\u00fc"), "\u00fc");
  assert.equal(next("a"), "b");
  assert.equal(code("\u20ac"), 0x20ac);
  if (sizeof(c_wchar) === 4) {
    assert.equal(echo("\u{10FFFF}"), "\u{10FFFF}");
    assert.equal(next("\u{1F600}"), "\u{1F601}");
    assert.equal(code("\u{1F600}"), 0x1f600);
  }
});

// ---------------------------------------------------------------- strings

test("c_char_p values: strings (UTF-8), bytes, null", () => {
  assert.equal(c_char_p("h\u00e9llo").value, "h\u00e9llo");
  assert.equal(c_char_p("").value, "");
  assert.equal(c_char_p(null).value, null);
  assert.equal(c_char_p("\u{1F600} ok").value, "\u{1F600} ok");
  assert.equal(c_char_p(new Uint8Array([104, 105, 0])).value, "hi");
  assert.equal(c_char_p(Buffer.from("buf\0")).value, "buf");
  const p = c_char_p("first");
  p.value = "second";
  assert.equal(p.value, "second");
  p.value = null;
  assert.equal(p.value, null);
  assert.throws(() => c_char_p({}), TypeError);
  assert.throws(() => c_char_p(3.5), TypeError);
  assert.throws(() => c_char_p(true), TypeError);
});

test("c_char_p through C: in and out, non-ASCII, NULL", () => {
  const len = lib.func("my_strlen", c_size_t, [c_char_p]);
  const same = lib.func("str_identity", c_char_p, [c_char_p]);
  const isHello = lib.func("is_hello_accent", c_int, [c_char_p]);
  const isNull = lib.func("is_null_string", c_int, [c_char_p]);
  assert.equal(len("h\u00e9llo"), 6); // UTF-8 bytes
  assert.equal(len("\u{1F600}"), 4);
  assert.equal(isHello("h\u00e9llo"), 1);
  assert.equal(isHello("hello"), 0);
  assert.equal(same("h\u00e9llo w\u00f6rld"), "h\u00e9llo w\u00f6rld");
  assert.equal(same(null), null);
  assert.equal(isNull(null), 1);
  assert.equal(isNull(""), 0);
  assert.equal(isNull(c_char_p("x")), 0);
  assert.equal(lib.func("static_string", c_char_p, [])(), "hello from C");
  assert.equal(lib.func("utf8_string", c_char_p, [])(), "h\u00e9llo w\u00f6rld \u2713 \u{1F600}");
  assert.equal(lib.func("empty_string", c_char_p, [])(), "");
  assert.equal(lib.func("null_string", c_char_p, [])(), null);
});

test("c_wchar_p values and calls: emoji through wchar_t", () => {
  assert.equal(c_wchar_p("w\u00efde \u{1F600}").value, "w\u00efde \u{1F600}");
  assert.equal(c_wchar_p("").value, "");
  assert.equal(c_wchar_p(null).value, null);
  assert.throws(() => c_wchar_p({}), TypeError);
  const wlen = lib.func("my_wcslen", c_size_t, [c_wchar_p]);
  const same = lib.func("wide_identity", c_wchar_p, [c_wchar_p]);
  const at = lib.func("wide_code_at", c_int, [c_wchar_p, c_size_t]);
  const isEmoji = lib.func("is_wide_emoji", c_int, [c_wchar_p]);
  assert.equal(wlen(""), 0);
  assert.equal(wlen("abc"), 3);
  assert.equal(same("\u00e9t\u00e9"), "\u00e9t\u00e9");
  assert.equal(same(null), null);
  assert.equal(lib.func("wide_static", c_wchar_p, [])(), "wide \u2713 \u{1F600}");
  assert.equal(lib.func("wide_null", c_wchar_p, [])(), null);
  if (sizeof(c_wchar) === 4) {
    assert.equal(wlen("\u{1F600}x"), 2);
    assert.equal(at("a\u{1F600}", 1), 0x1f600);
    assert.equal(isEmoji("\u{1F600}x"), 1);
    assert.equal(isEmoji("\u{1F601}x"), 0);
    assert.equal(same("\u{1F600}\u{1F4A9}"), "\u{1F600}\u{1F4A9}");
  }
});

// ---------------------------------------------------------------- c_void_p

test("c_void_p conversions: number, bigint, null, C data, TypedArray, ArrayBuffer", () => {
  assert.equal(c_void_p(1234).value, 1234);
  assert.equal(c_void_p(1234n).value, 1234);
  assert.equal(c_void_p(null).value, null);
  assert.equal(c_void_p(0).value, null);
  assert.equal(c_void_p().value, null);
  const i = c_int(5);
  assert.equal(c_void_p(i).value, addressof(i));
  const ta = new Float64Array(4);
  const identity = lib.func("ptr_identity", c_void_p, [c_void_p]);
  const addr = c_void_p(ta).value;
  assert.equal(typeof addr, "number");
  assert.ok(addr > 0);
  assert.equal(identity(ta), addr);
  const sub = ta.subarray(2);
  assert.equal(c_void_p(sub).value, addr + 16);
  assert.equal(identity(sub), addr + 16);
  assert.equal(c_void_p(ta.buffer).value, addr);
  const buf = Buffer.alloc(16);
  assert.equal(c_void_p(buf).value, identity(buf));
  // a c_void_p passes its value, another pointer-like its target
  assert.equal(identity(c_void_p(4096)), 4096);
  assert.equal(identity(c_void_p(i)), addressof(i));
  assert.equal(identity(null), null);
  assert.equal(identity(0), null);
  // bad input
  assert.throws(() => c_void_p(-1), TypeError);
  assert.throws(() => c_void_p(1.5), TypeError);
  assert.throws(() => c_void_p("str"), TypeError);
  assert.throws(() => c_void_p(2n ** 64n - 1n), RangeError);
  assert.throws(() => c_void_p(-1n), RangeError);
  assert.throws(() => c_void_p({}), TypeError);
});

test("c_void_p: C writes through the address of a TypedArray (zero copy)", () => {
  const fill = lib.func("fill_bytes", null, [c_void_p, c_size_t, c_int]);
  const bytes = new Uint8Array(8);
  fill(c_void_p(bytes), 8, 10);
  assert.deepEqual([...bytes], [10, 11, 12, 13, 14, 15, 16, 17]);
});

// ---------------------------------------------------------------- floats

test("c_float rounds to single precision; c_double is exact", () => {
  assert.equal(c_float(0.1).value, Math.fround(0.1));
  assert.notEqual(c_float(0.1).value, 0.1);
  assert.equal(c_float(1e40).value, Infinity);
  assert.equal(c_float(-1e40).value, -Infinity);
  assert.equal(c_float(1e-50).value, 0);
  assert.ok(Number.isNaN(c_float(NaN).value));
  assert.ok(Object.is(c_float(-0).value, -0));
  assert.equal(c_float(2n).value, 2);
  assert.equal(c_float(16777217).value, 16777216);
  assert.equal(c_double(0.1).value, 0.1);
  assert.equal(c_double(Number.MAX_VALUE).value, Number.MAX_VALUE);
  assert.equal(c_double(Number.MIN_VALUE).value, Number.MIN_VALUE);
  assert.equal(c_double(10n).value, 10);
  assert.throws(() => c_float("1.5"), TypeError);
  assert.throws(() => c_double("x"), TypeError);
  assert.throws(() => c_double({}), TypeError);
  assert.throws(() => c_longdouble("x"), TypeError);
  // through C
  const echoF = lib.func("echo_float", c_float, [c_float]);
  const addF = lib.func("add_float", c_float, [c_float, c_float]);
  assert.equal(echoF(0.1), Math.fround(0.1));
  assert.equal(addF(1.5, 2.25), 3.75);
  assert.equal(addF(0.1, 0.2), Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  const divD = lib.func("div_double", c_double, [c_double, c_double]);
  assert.equal(divD(1, 3), 1 / 3);
  assert.equal(divD(1, 0), Infinity);
  assert.ok(Object.is(divD(-0, 1), -0));
});

// ---------------------------------------------------------------- long double

test("c_longdouble: values round-trip through C (huge, subnormal, -0, Infinity, NaN)", () => {
  const echo = lib.func("echo_longdouble", c_longdouble, [c_longdouble]);
  const add = lib.func("add_longdouble", c_longdouble, [c_longdouble, c_longdouble]);
  const mul = lib.func("mul_longdouble", c_longdouble, [c_longdouble, c_longdouble]);
  assert.equal(add(1.5, 2.25), 3.75);
  assert.equal(add(1e300, 1e300), 2e300);
  for (const v of [0, 1, -1, 0.1, 1 / 3, 1e300, -1e300, Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 5e-324, 1e-310, 123456789.125, Infinity, -Infinity]) {
    assert.equal(echo(v), v, `echo_longdouble(${v})`);
    assert.equal(c_longdouble(v).value, v, `c_longdouble(${v}).value`);
  }
  assert.ok(Object.is(echo(-0), -0));
  assert.ok(Object.is(echo(0), 0));
  assert.ok(Object.is(c_longdouble(-0).value, -0));
  assert.ok(Number.isNaN(echo(NaN)));
  assert.ok(Number.isNaN(c_longdouble(NaN).value));
  // 1e300 * 1e300 exceeds the double range: the nearest number is Infinity
  assert.equal(mul(1e300, 1e300), Infinity);
  assert.equal(mul(-1e300, 1e300), -Infinity);
  assert.equal(lib.func("third_longdouble", c_longdouble, [])(), 1 / 3);
});

test("c_longdouble: C sees the exact value (sign, NaN, infinity, subnormals) and the wider range", () => {
  const eq = lib.func("longdouble_equals_double", c_int, [c_longdouble, c_double]);
  const signbit = lib.func("longdouble_signbit", c_int, [c_longdouble]);
  const isnan = lib.func("longdouble_isnan", c_int, [c_longdouble]);
  const isinf = lib.func("longdouble_isinf", c_int, [c_longdouble]);
  for (const v of [0.1, 1 / 3, 1e300, 5e-324, 1e-310, Number.MAX_VALUE, -7.75]) assert.equal(eq(v, v), 1, `C sees ${v}`);
  assert.equal(eq(0.1, 0.2), 0);
  assert.equal(signbit(-0), 1);
  assert.equal(signbit(0), 0);
  assert.equal(signbit(-5e-324), 1);
  assert.equal(isnan(NaN), 1);
  assert.equal(isnan(1), 0);
  assert.equal(isinf(Infinity), 1);
  assert.equal(isinf(-Infinity), -1);
  assert.equal(isinf(Number.MAX_VALUE), 0);
  if (sizeof(c_longdouble) > 8) {
    // (1e300 * 1e300) / 1e300 stays finite in long double
    assert.equal(lib.func("longdouble_overflow_roundtrip", c_longdouble, [c_longdouble])(1e300), 1e300);
    // 2^-16000 is far below the smallest double: rounds to 0
    assert.ok(Object.is(lib.func("longdouble_tiny", c_longdouble, [])(), 0));
  }
});

test("c_longdouble results round to the nearest number exactly as C's (double) cast does", () => {
  const add = lib.func("add_longdouble", c_longdouble, [c_longdouble, c_longdouble]);
  const mul = lib.func("mul_longdouble", c_longdouble, [c_longdouble, c_longdouble]);
  const div = lib.func("div_longdouble", c_longdouble, [c_longdouble, c_longdouble]);
  // the same operations, rounded to double by C
  const mulInC = lib.func("mul_longdouble_as_double", c_double, [c_longdouble, c_longdouble]);
  const divInC = lib.func("div_longdouble_as_double", c_double, [c_longdouble, c_longdouble]);
  const toDouble = lib.func("longdouble_to_double", c_double, [c_longdouble]);
  assert.equal(toDouble(0.1), 0.1);
  // normal range: ties to even, sticky bits respected
  assert.equal(add(1, 2 ** -53), 1);
  assert.equal(add(1 + 2 ** -52, 2 ** -53), 1 + 2 ** -51);
  assert.equal(add(1, 2 ** -53 + 2 ** -60), 1 + 2 ** -52);
  assert.equal(div(1, 3), divInC(1, 3));
  assert.equal(div(2, 3), divInC(2, 3));
  // subnormal range
  const products = [
    [5e-324, 0.5, 0], // exactly half of the smallest subnormal: ties to even
    [5e-324, 0.5 + 2 ** -53, 5e-324], // just above half
    [5e-324, 1.5, 1e-323], // 1.5 ulp: ties to even (2 ulp)
    [2.2250738585072014e-308, 0.5, 1.1125369292536007e-308],
  ];
  for (const [a, b, expected] of products) {
    assert.equal(mulInC(a, b), expected, `C rounds ${a} * ${b}`);
    assert.equal(mul(a, b), expected, `tsctypes rounds ${a} * ${b}`);
  }
  // 2^-1074 / (2 - 2^-52) = 2^-1075 (1 + 2^-53 + ...): a 64-bit significand just above half of the
  // smallest subnormal; the nearest double is 2^-1074 (rounding twice, via 53 bits first, gives 0)
  const quotients = [
    [5e-324, 2 - 2 ** -52, 5e-324],
    [5e-324, 2 + 2 ** -51, 0],
    [1e-323, 4 - 2 ** -50, 5e-324],
  ];
  for (const [a, b, expected] of quotients) {
    assert.equal(divInC(a, b), expected, `C rounds ${a} / ${b}`);
    assert.equal(div(a, b), expected, `tsctypes rounds ${a} / ${b}`);
  }
});
