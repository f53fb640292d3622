// docs/api.md "Arrays, pointers, memory": array types, bulk fills, typed views,
// memory functions, string buffers, views/copies, resize, malloc/free and
// keep-alive — checked against real C code in test/fixtures/memory.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CDLL, ARRAY, POINTER, ArgumentError, NullPointerError, Allocation,
  c_bool, c_char, c_wchar, c_byte, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long, c_ulong,
  c_longlong, c_ulonglong, c_size_t, c_ssize_t, c_time_t, c_int8, c_uint8, c_int16, c_uint16,
  c_int32, c_uint32, c_int64, c_uint64, c_float, c_double, c_longdouble, c_char_p, c_wchar_p, c_void_p,
  sizeof, alignment, addressof, byref, pointer, cast, memmove, memset, string_at, wstring_at, buffer_at,
  create_string_buffer, create_unicode_buffer, resize, malloc, free,
} from "tsctypes";
import { collectAndChurn, fixture, gc } from "./helpers.mjs";

const lib = new CDLL(fixture("memory"));
const IntP = POINTER(c_int);

lib.sum.argtypes = [IntP, c_int];
lib.sum_ll.argtypes = [IntP, c_int];
lib.sum_ll.restype = c_longlong;
lib.sum_double.argtypes = [POINTER(c_double), c_int];
lib.sum_double.restype = c_double;
lib.sum_float.argtypes = [POINTER(c_float), c_int];
lib.sum_float.restype = c_double;
lib.sum_i64.argtypes = [POINTER(c_longlong), c_int];
lib.sum_i64.restype = c_longlong;
lib.sum_short.argtypes = [POINTER(c_short), c_int];
lib.sum_bytes.argtypes = [c_void_p, c_size_t];
lib.sum_bytes.restype = c_uint;
lib.byte_at.argtypes = [c_void_p, c_size_t];
lib.byte_at.restype = c_ubyte;
lib.scale.argtypes = [IntP, c_int, c_int];
lib.scale.restype = null;
lib.fill_seq.argtypes = [IntP, c_int, c_int];
lib.fill_seq.restype = null;
lib.fill_doubles.argtypes = [POINTER(c_double), c_int];
lib.fill_doubles.restype = null;
lib.fill_bytes.argtypes = [c_void_p, c_size_t, c_int];
lib.fill_bytes.restype = null;
lib.copy_string.argtypes = [c_char_p, c_char_p];
lib.copy_string.restype = c_char_p;
lib.copy_wstring.argtypes = [c_wchar_p, c_wchar_p];
lib.copy_wstring.restype = c_wchar_p;
lib.get_static_ints.restype = c_void_p;
lib.get_static.argtypes = [c_int];
lib.set_static.argtypes = [c_int, c_int];
lib.set_static.restype = null;
lib.reset_static.restype = null;
lib.get_static_text.restype = c_void_p;
lib.get_static_wtext.restype = c_void_p;
lib.get_static_bytes.restype = c_void_p;
lib.alloc_squares.argtypes = [c_int];
lib.alloc_squares.restype = IntP;
lib.c_alloc.argtypes = [c_size_t];
lib.c_alloc.restype = c_void_p;
lib.c_free.argtypes = [c_void_p];
lib.c_free.restype = null;
lib.address_of.argtypes = [c_void_p];
lib.address_of.restype = c_size_t;
lib.string_in.argtypes = [POINTER(c_char_p), c_int];
lib.string_in.restype = c_char_p;
lib.wstring_in.argtypes = [POINTER(c_wchar_p), c_int];
lib.wstring_in.restype = c_wchar_p;
lib.int_in.argtypes = [POINTER(IntP), c_int];
lib.int_via_void.argtypes = [POINTER(c_void_p), c_int];

// ------------------------------------------------------------------ gc helpers

/** global.gc, enabled at run time when node was not started with --expose-gc. */

// ------------------------------------------------------------------ T.array(n) for every fundamental type

const W = 2n ** 64n;
// [name, type, initializers, expected read back, zero value]
const FUNDAMENTALS = [
  ["c_bool", c_bool, [true, false, 7], [true, false, true], false],
  ["c_char", c_char, ["a", 66, "\xff"], ["a", "B", "\xff"], "\0"],
  ["c_wchar", c_wchar, ["é", "ж", "😀"], ["é", "ж", "😀"], "\0"],
  ["c_byte", c_byte, [-128, 127, 255], [-128, 127, -1], 0],
  ["c_ubyte", c_ubyte, [0, 255, 256], [0, 255, 0], 0],
  ["c_short", c_short, [-32768, 32767, 65535], [-32768, 32767, -1], 0],
  ["c_ushort", c_ushort, [0, 65535, -1], [0, 65535, 65535], 0],
  ["c_int", c_int, [-2147483648, 2147483647, 4294967295], [-2147483648, 2147483647, -1], 0],
  ["c_uint", c_uint, [0, 4294967295, -1], [0, 4294967295, 4294967295], 0],
  ["c_long", c_long, [-1, 2 ** 40, 123n], [-1, 2 ** 40, 123], 0],
  ["c_ulong", c_ulong, [0, 2 ** 40, 7], [0, 2 ** 40, 7], 0],
  ["c_longlong", c_longlong, [-(2n ** 63n), 2n ** 63n - 1n, 5], [-(2n ** 63n), 2n ** 63n - 1n, 5n], 0n],
  ["c_ulonglong", c_ulonglong, [W - 1n, 0, -1], [W - 1n, 0n, W - 1n], 0n],
  ["c_size_t", c_size_t, [0, 2 ** 52, 3], [0, 2 ** 52, 3], 0],
  ["c_ssize_t", c_ssize_t, [-1, 2 ** 52, 3], [-1, 2 ** 52, 3], 0],
  ["c_time_t", c_time_t, [0, 1700000000, -1], [0, 1700000000, -1], 0],
  ["c_int8", c_int8, [-1, 127, 128], [-1, 127, -128], 0],
  ["c_uint8", c_uint8, [300, 0, 255], [44, 0, 255], 0],
  ["c_int16", c_int16, [-1, 32767, 32768], [-1, 32767, -32768], 0],
  ["c_uint16", c_uint16, [65536, 1, -1], [0, 1, 65535], 0],
  ["c_int32", c_int32, [-1, 2147483648, 7], [-1, -2147483648, 7], 0],
  ["c_uint32", c_uint32, [-1, 2 ** 32, 7], [4294967295, 0, 7], 0],
  ["c_int64", c_int64, [-1n, 2n ** 62n, 3], [-1n, 2n ** 62n, 3n], 0n],
  ["c_uint64", c_uint64, [-1n, W, 3], [W - 1n, 0n, 3n], 0n],
  ["c_float", c_float, [1.5, -0.25, 3.1], [1.5, -0.25, Math.fround(3.1)], 0],
  ["c_double", c_double, [1.5, -0.25, 0.1], [1.5, -0.25, 0.1], 0],
  ["c_longdouble", c_longdouble, [1.5, -0.25, 0.1], [1.5, -0.25, 0.1], 0],
  ["c_char_p", c_char_p, ["abc", null, "é"], ["abc", null, "é"], null],
  ["c_wchar_p", c_wchar_p, ["abc", null, "ж😀"], ["abc", null, "ж😀"], null],
  ["c_void_p", c_void_p, [0, 4096, null], [null, 4096, null], null],
];

for (const [name, T, init, expected, zero] of FUNDAMENTALS) {
  test(`${name}.array(3): cached type, ARRAY(), size, values with and without new, zero default`, () => {
    const A = T.array(3);
    assert.equal(T.array(3), A, "cached per element type and length");
    assert.equal(ARRAY(T, 3), A, "ARRAY(T, n) is T.array(n)");
    assert.notEqual(T.array(4), A);
    assert.equal(sizeof(A), 3 * sizeof(T));
    assert.equal(alignment(A), alignment(T));

    const a = A(...init);
    const b = new A(...init);
    assert.ok(a instanceof A && b instanceof A);
    assert.equal(a.length, 3);
    assert.equal(sizeof(a), 3 * sizeof(T));
    assert.deepEqual([...a], expected);
    assert.deepEqual([...b], expected);
    for (let i = 0; i < 3; i++) assert.deepEqual(a[i], expected[i], `element ${i}`);

    const z = A();
    assert.deepEqual([...z], [zero, zero, zero]);
    z[2] = init[0];
    assert.deepEqual(z[2], expected[0]);

    // one bad input: a negative length
    assert.throws(() => T.array(-1), RangeError);
  });
}

test("array types: bad lengths and bad element types are rejected", () => {
  assert.throws(() => c_int.array(1.5), RangeError);
  assert.throws(() => c_int.array(-3), RangeError);
  assert.throws(() => ARRAY(5, 3), TypeError);
  assert.equal(c_int.array(0)().length, 0);
  assert.equal(sizeof(c_int.array(0)), 0);
});

test("an array type's .length is its element count (as declared by ArrayType.length in index.d.ts)", () => {
  const A = c_int.array(7);
  assert.equal(A.length, 7);
  assert.equal(c_double.array(2).length, 2);
});

test("array construction: with and without new, partial initializers, too many, bad values", () => {
  const A = c_int.array(4);
  assert.deepEqual([...A(1, 2)], [1, 2, 0, 0]);
  assert.deepEqual([...new A(1, 2, 3, 4)], [1, 2, 3, 4]);
  assert.deepEqual([...new A()], [0, 0, 0, 0]);
  assert.throws(() => A(1, 2, 3, 4, 5), RangeError);
  assert.throws(() => new A(1, "abc"), TypeError);
  assert.throws(() => A(1.5), TypeError);
});

test("IntArr.from(): JS array, TypedArray, iterable, fewer values than elements", () => {
  const A = c_int.array(5);
  assert.deepEqual([...A.from([1, 2, 3, 4, 5])], [1, 2, 3, 4, 5]);
  assert.deepEqual([...A.from(new Int32Array([5, -4, 3]))], [5, -4, 3, 0, 0]);
  assert.deepEqual([...A.from(new Uint32Array([4294967295]))], [-1, 0, 0, 0, 0], "wraps like C");
  assert.deepEqual([...A.from(new Set([7, 8, 9]))], [7, 8, 9, 0, 0]);
  function* gen() {
    yield 10;
    yield 20n;
  }
  assert.deepEqual([...A.from(gen())], [10, 20, 0, 0, 0]);
  assert.equal(lib.sum(A.from([1, 2, 3, 4, 5]), 5), 15);

  const D = c_double.array(3);
  assert.deepEqual([...D.from(new Float64Array([0.5, 1.5, 2.5]))], [0.5, 1.5, 2.5]);
  assert.deepEqual([...D.from([1, 2])], [1, 2, 0]);
  const L = c_int64.array(2);
  assert.deepEqual([...L.from(new BigInt64Array([-1n, 2n ** 40n]))], [-1n, 2n ** 40n]);

  assert.throws(() => A.from([1, 2, 3, 4, 5, 6]), RangeError);
  assert.throws(() => A.from([1, 2.5]), TypeError);
  assert.throws(() => A.from(new Float64Array([1.5])), TypeError);
  assert.throws(() => A.from(42), TypeError);
});

test("IntArr.from() with 1,000,000 elements, checked by C", () => {
  const N = 1_000_000;
  const A = c_int.array(N);
  const src = new Int32Array(N);
  let expected = 0n;
  for (let i = 0; i < N; i++) {
    src[i] = (i * 7919) % 20011 - 10000;
    expected += BigInt(src[i]);
  }
  const fromTyped = A.from(src);
  assert.equal(lib.sum_ll(fromTyped, N), expected);
  const fromArray = A.from(Array.from(src));
  assert.equal(lib.sum_ll(fromArray, N), expected);
  function* ones() {
    for (let i = 0; i < N; i++) yield 1;
  }
  assert.equal(lib.sum_ll(A.from(ones()), N), BigInt(N));
  assert.equal(fromTyped.length, N);
  assert.equal(fromTyped[N - 1], src[N - 1]);
  assert.throws(() => fromTyped[N], RangeError);
});

test("index bounds: arr[n] and arr[-1] throw RangeError when reading and writing", () => {
  const a = c_int.array(3)(1, 2, 3);
  assert.throws(() => a[3], RangeError);
  assert.throws(() => a[-1], RangeError);
  assert.throws(() => {
    a[3] = 1;
  }, RangeError);
  assert.throws(() => {
    a[-1] = 1;
  }, RangeError);
  assert.throws(() => c_int.array(0)()[0], RangeError);
  assert.deepEqual([...a], [1, 2, 3], "nothing was written");
});

test("a non-integer index is rejected instead of reading misaligned memory", () => {
  const a = c_int.array(3)(1, 2, 3);
  assert.throws(() => a[1.5], (e) => e instanceof RangeError || e instanceof TypeError);
  assert.throws(() => {
    a[0.5] = 9;
  }, (e) => e instanceof RangeError || e instanceof TypeError);
  assert.deepEqual([...a], [1, 2, 3]);
});

test("arr.length, for...of, spread and toArray()", () => {
  const a = c_short.array(4)(4, -3, 2, -1);
  assert.equal(a.length, 4);
  const seen = [];
  for (const v of a) seen.push(v);
  assert.deepEqual(seen, [4, -3, 2, -1]);
  assert.deepEqual(Array.from(a), [4, -3, 2, -1]);
  assert.deepEqual(a.toArray(), [4, -3, 2, -1]);
  assert.equal(lib.sum_short(a, 4), 2);
  assert.throws(() => {
    a.length = 10;
  }, TypeError);
});

test(".typed is a zero-copy TypedArray: JS writes reach C, C writes reach the view", () => {
  const a = c_int.array(4)(1, 2, 3, 4);
  const t = a.typed;
  assert.ok(t instanceof Int32Array);
  assert.equal(t.length, 4);
  t[0] = 100;
  assert.equal(a[0], 100);
  assert.equal(lib.sum(a, 4), 109);
  lib.scale(a, 4, 3);
  assert.deepEqual(Array.from(t), [300, 6, 9, 12]);
  lib.fill_seq(t, 4, 50); // the view itself as the pointer argument
  assert.deepEqual([...a], [50, 51, 52, 53]);
  assert.equal(lib.address_of(t), addressof(a));

  const d = c_double.array(3)();
  assert.ok(d.typed instanceof Float64Array);
  lib.fill_doubles(d, 3);
  assert.deepEqual(Array.from(d.typed), [0, 0.5, 1]);
  d.typed[2] = 4;
  assert.equal(lib.sum_double(d, 3), 4.5);

  const f = c_float.array(2)(1.25, 2);
  assert.ok(f.typed instanceof Float32Array);
  assert.equal(lib.sum_float(f, 2), 3.25);

  const q = c_longlong.array(2)(1n, 2n);
  assert.ok(q.typed instanceof BigInt64Array);
  q.typed[1] = 2n ** 40n;
  assert.equal(lib.sum_i64(q, 2), 2n ** 40n + 1n);

  assert.ok(c_uint8.array(2)().typed instanceof Uint8Array);
  assert.ok(c_uint16.array(2)().typed instanceof Uint16Array);
  assert.ok(c_uint32.array(2)().typed instanceof Uint32Array);
  assert.ok(c_int8.array(2)().typed instanceof Int8Array);
  assert.ok(c_uint64.array(2)().typed instanceof BigUint64Array);

  assert.throws(() => c_char_p.array(2)().typed, TypeError);
});

test("arrays passed to C: POINTER(c_int), array argtypes (decay), no argtypes, byref", () => {
  const a = c_int.array(5)(1, 2, 3, 4, 5);
  assert.equal(lib.sum(a, 5), 15);

  const f = lib.func("sum", c_int, [c_int.array(5), c_int]);
  assert.equal(f(a, 5), 15);

  const raw = new CDLL(fixture("memory"));
  assert.equal(raw.sum(a, 5), 15, "without argtypes an array passes its address");
  assert.equal(raw.sum(byref(a, 8), 3), 12, "byref with an offset");

  const typed = lib.func("fill_seq", null, [IntP, c_int, c_int]);
  typed(a, 5, -2);
  assert.deepEqual([...a], [-2, -1, 0, 1, 2]);

  assert.throws(() => lib.sum(c_double.array(5)(), 5), ArgumentError);
});

test("arrays of arrays: construction, views into the parent, layout seen by C", () => {
  const Row = c_int.array(3);
  const Matrix = Row.array(2);
  assert.equal(sizeof(Matrix), 24);
  const m = new Matrix([1, 2, 3], [4, 5, 6]);
  assert.equal(m.length, 2);
  assert.equal(m[0].length, 3);
  assert.equal(m[1][2], 6);
  assert.ok(m[1] instanceof Row);
  const sumMatrix = lib.func("sum_matrix", c_int, [c_void_p, c_int]);
  // weights 1..6 in row-major order: 1*1 + 2*2 + ... + 6*6
  assert.equal(sumMatrix(m, 2), 91);

  const row = m[1];
  row[0] = 40; // a view: writes reach the parent
  assert.equal(m[1][0], 40);
  assert.equal(sumMatrix(m, 2), 91 + 36 * 4);

  m[0] = Row(7, 8, 9); // assigning a row copies it
  assert.deepEqual([...m[0]], [7, 8, 9]);
  m[0] = [0, 0, 1];
  assert.deepEqual(m.toArray().map((r) => [...r]), [[0, 0, 1], [40, 5, 6]]);
  assert.equal(addressof(m[1]), addressof(m) + 12);

  assert.throws(() => {
    m[0] = [1, 2, 3, 4];
  }, RangeError);
  assert.throws(() => m[2], RangeError);
});

test("memmove: between C data, addresses and typed arrays (overlap allowed)", () => {
  lib.reset_static();
  const a = c_int.array(4)(1, 2, 3, 4);
  const b = c_int.array(4)();
  memmove(b, a, 16);
  assert.deepEqual([...b], [1, 2, 3, 4]);

  memmove(a, lib.get_static_ints(), 8); // from C memory by address
  assert.deepEqual([...a], [10, 20, 3, 4]);

  const out = new Int32Array(4);
  memmove(out, a, 16); // into a typed array
  assert.deepEqual(Array.from(out), [10, 20, 3, 4]);
  memmove(a, new Int32Array([9, 8, 7, 6]).subarray(2), 8); // from a typed array with an offset
  assert.deepEqual([...a], [7, 6, 3, 4]);

  memmove(addressof(a) + 4, addressof(a), 12); // overlapping, by address
  assert.deepEqual([...a], [7, 7, 6, 3]);

  memmove(lib.get_static_ints() + 16, a, 4); // into C memory
  assert.equal(lib.get_static(4), 7);
  lib.reset_static();

  assert.throws(() => memmove(a, "abc", 3), TypeError);
  assert.throws(() => memmove(a, b, -1), TypeError);
});

test("memset: on C data, on C memory by address, on typed arrays", () => {
  const a = c_int.array(4)(1, 2, 3, 4);
  memset(a, 0xff, 8);
  assert.deepEqual([...a], [-1, -1, 3, 4]);
  memset(byref(a, 12), 0, 4);
  assert.deepEqual([...a], [-1, -1, 3, 0]);

  const bytes = lib.get_static_bytes();
  memset(bytes, 7, 16);
  assert.equal(lib.sum_bytes(bytes, 16), 7 * 16);
  memset(bytes + 4, 0x101, 2); // only the low byte is used, like C
  assert.equal(lib.byte_at(bytes, 4), 1);
  assert.equal(lib.byte_at(bytes, 6), 7);

  const u = new Uint8Array(8);
  memset(u.subarray(2), 9, 3);
  assert.deepEqual(Array.from(u), [0, 0, 9, 9, 9, 0, 0, 0]);

  assert.throws(() => memset(a, 1.5, 4), TypeError);
});

test("string_at: C strings by address, with a size, from a buffer object", () => {
  const text = lib.get_static_text();
  assert.equal(string_at(text), "hello from C");
  assert.equal(string_at(text, 5), "hello");
  assert.equal(string_at(text + 6), "from C");
  const buf = create_string_buffer("zürich");
  assert.equal(string_at(buf), "zürich");
  assert.equal(string_at(addressof(buf), 3), "zü", "size counts UTF-8 bytes");
  assert.equal(string_at(new Uint8Array([104, 105, 0, 120])), "hi");
  assert.throws(() => string_at("hello"), TypeError);
});

test("reading through a NULL address throws NullPointerError (string_at, wstring_at, buffer_at, from_address)", () => {
  assert.throws(() => buffer_at(0, 4), NullPointerError);
  assert.throws(() => c_int.from_address(0), NullPointerError);
  assert.throws(() => string_at(0), NullPointerError);
  assert.throws(() => wstring_at(0), NullPointerError);
});

test("wstring_at: wide C strings (non-BMP included), with a size, from a unicode buffer", () => {
  const w = lib.get_static_wtext();
  assert.equal(wstring_at(w), "wide é€😀 text");
  assert.equal(wstring_at(w, 4), "wide");
  assert.equal(wstring_at(create_unicode_buffer("ж😀x")), "ж😀x");
  assert.throws(() => wstring_at({}), TypeError);
});

test("buffer_at is a zero-copy view: JS writes reach C, C writes reach the view", () => {
  const addr = lib.get_static_bytes();
  const view = buffer_at(addr, 16);
  assert.ok(view instanceof Uint8Array);
  assert.equal(view.length, 16);
  view.fill(0);
  view[3] = 200;
  assert.equal(lib.byte_at(addr, 3), 200);
  assert.equal(lib.sum_bytes(addr, 16), 200);
  lib.fill_bytes(addr, 16, 5);
  assert.deepEqual(Array.from(view), new Array(16).fill(5));

  const a = c_int.array(2)(1, 2); // JS-owned C data by object
  const bytes = buffer_at(a, 8);
  bytes[4] = 9;
  assert.equal(a[1], 9);

  assert.throws(() => buffer_at(addr, -1), TypeError);
});

test("create_string_buffer(string): NUL added, .value, .raw, UTF-8", () => {
  const b = create_string_buffer("hello");
  assert.equal(sizeof(b), 6);
  assert.equal(b.length, 6);
  assert.equal(b.value, "hello");
  assert.deepEqual(Array.from(b.raw), [104, 101, 108, 108, 111, 0]);
  assert.equal(b[1], "e");
  assert.equal(lib.func("string_length", c_size_t, [c_char_p])(b), 5);
  const u = create_string_buffer("héllo");
  assert.equal(sizeof(u), 7);
  assert.equal(u.value, "héllo");
  assert.deepEqual(Array.from(create_string_buffer(new Uint8Array([1, 2])).raw), [1, 2, 0]);
  assert.throws(() => create_string_buffer("hello", 3), RangeError);
});

test("create_string_buffer(size): zeroed, C writes into it (strcpy-like)", () => {
  const b = create_string_buffer(32);
  assert.equal(sizeof(b), 32);
  assert.equal(b.value, "");
  assert.deepEqual(Array.from(b.raw), new Array(32).fill(0));
  const returned = lib.copy_string(b, "greetings from C");
  assert.equal(returned, "greetings from C");
  assert.equal(b.value, "greetings from C");
  assert.equal(b.raw[16], 0);
  assert.throws(() => create_string_buffer(-1), TypeError);
});

test("create_string_buffer(string, size): padding, .value and .raw setters", () => {
  const b = create_string_buffer("hi", 5);
  assert.equal(sizeof(b), 5);
  assert.deepEqual(Array.from(b.raw), [104, 105, 0, 0, 0]);
  b.value = "hey";
  assert.equal(b.value, "hey");
  assert.deepEqual(Array.from(b.raw), [104, 101, 121, 0, 0]);
  b.value = "a";
  assert.deepEqual(Array.from(b.raw), [97, 0, 121, 0, 0], "like ctypes: NUL-terminated, rest untouched");
  b.raw = new Uint8Array([65, 66, 67, 68, 69]);
  assert.equal(b.value, "ABCDE", "no NUL: the whole buffer");
  assert.equal(create_string_buffer("abc", 3).value, "abc", "size may leave out the NUL");
  assert.throws(() => {
    b.value = "too long";
  }, RangeError);
});

test("create_unicode_buffer: from a string, a size, string + size; C writes into it", () => {
  const u = create_unicode_buffer("héllo😀");
  assert.equal(u.length, 7);
  assert.equal(sizeof(u), 7 * sizeof(c_wchar));
  assert.equal(u.value, "héllo😀");
  assert.equal(u[5], "😀");

  const z = create_unicode_buffer(10);
  assert.equal(z.length, 10);
  assert.equal(z.value, "");
  assert.equal(lib.copy_wstring(z, "wíde ✓"), "wíde ✓");
  assert.equal(z.value, "wíde ✓");

  const s = create_unicode_buffer("ab", 4);
  assert.equal(s.length, 4);
  assert.deepEqual([...s], ["a", "b", "\0", "\0"]);
  s.value = "xyz";
  assert.equal(s.value, "xyz");
  assert.throws(() => create_unicode_buffer("hello", 3), RangeError);
});

test("T.from_address: views of C memory see C's changes and C sees JS writes", () => {
  lib.reset_static();
  const base = lib.get_static_ints();
  const second = c_int.from_address(base + 4);
  assert.equal(second.value, 20);
  lib.set_static(1, 222);
  assert.equal(second.value, 222);
  second.value = -5;
  assert.equal(lib.get_static(1), -5);
  assert.equal(addressof(second), base + 4);

  const all = c_int.array(5).from_address(base);
  assert.deepEqual([...all], [10, -5, 30, 40, 50]);
  all[4] = 55;
  assert.equal(lib.get_static(4), 55);
  assert.deepEqual(Array.from(all.typed), [10, -5, 30, 40, 55]);
  assert.equal(c_int.from_address(BigInt(base)).value, 10);
  lib.reset_static();
  assert.equal(all[1], 20);
  assert.throws(() => c_int.from_address(-1), TypeError);
});

test("T.from_buffer shares memory (offsets included); too small throws RangeError", () => {
  const ab = new ArrayBuffer(16);
  const x = c_int.from_buffer(ab, 4);
  x.value = 7;
  assert.deepEqual(Array.from(new Int32Array(ab)), [0, 7, 0, 0]);
  new Int32Array(ab)[1] = 8;
  assert.equal(x.value, 8);
  assert.equal(lib.address_of(ab) + 4, addressof(x));

  const node = Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]); // pooled: non-zero byteOffset
  const arr = c_int.array(2).from_buffer(node, 4);
  assert.deepEqual([...arr], [2, 3]);
  lib.scale(arr, 2, 10);
  assert.deepEqual(Array.from(node), [1, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0]);

  const sub = new Int32Array([1, 2, 3, 4]).subarray(1);
  const y = c_int.from_buffer(sub, 4);
  assert.equal(y.value, 3);

  const owner = c_int.array(3)(5, 6, 7);
  const z = c_int.from_buffer(owner, 8);
  z.value = 70;
  assert.equal(owner[2], 70);

  assert.throws(() => c_int.from_buffer(new ArrayBuffer(6), 4), RangeError);
  assert.throws(() => c_double.from_buffer(new Uint8Array(7)), RangeError);
});

test("T.from_buffer_copy copies the bytes (offsets included)", () => {
  const ab = new ArrayBuffer(12);
  new Int32Array(ab).set([1, 2, 3]);
  const c = c_int.array(2).from_buffer_copy(ab, 4);
  assert.deepEqual([...c], [2, 3]);
  c[0] = 99;
  assert.deepEqual(Array.from(new Int32Array(ab)), [1, 2, 3], "the source is not changed");
  new Int32Array(ab)[2] = 33;
  assert.equal(c[1], 3, "the copy does not follow the source");
  assert.equal(lib.sum(c, 2), 102);
  assert.throws(() => c_int.array(2).from_buffer_copy(ab, 8), RangeError);
});

test("resize: grow keeps contents (new bytes zeroed, usable by C); shrinking below the type size throws", () => {
  const x = c_int(1234);
  resize(x, 16);
  assert.equal(sizeof(x), 16);
  assert.equal(x.value, 1234);
  assert.deepEqual(Array.from(buffer_at(x, 16).subarray(4)), new Array(12).fill(0));
  lib.fill_seq(byref(x), 4, 7); // C writes past the original 4 bytes
  assert.equal(x.value, 7);
  assert.equal(cast(x, IntP)[3], 10);
  assert.equal(lib.address_of(x), addressof(x));

  const b = create_string_buffer("abc");
  resize(b, 10);
  assert.equal(sizeof(b), 10);
  assert.equal(b.value, "abc");
  assert.throws(() => resize(x, 2), RangeError);
});

test("resize: a resized string buffer exposes the whole memory through .value and .raw (ctypes)", () => {
  const b = create_string_buffer(4);
  resize(b, 32);
  lib.copy_string(b, "a much longer string");
  assert.equal(string_at(b), "a much longer string");
  assert.equal(b.value, "a much longer string");
  assert.equal(b.raw.length, 32);
});

test("resize: objects viewing other memory cannot be resized", () => {
  const owner = c_int.array(4)();
  const view = c_int.from_buffer(owner, 4);
  assert.throws(() => resize(view, 8), TypeError);
  assert.throws(() => resize(5, 8), TypeError);
});

test("malloc and Allocation: .address, .size, zeroed .bytes(), .as(T) views, passing to C", () => {
  const m = malloc(16);
  try {
    assert.ok(m instanceof Allocation);
    assert.equal(typeof m.address, "number");
    assert.ok(m.address > 0);
    assert.equal(m.size, 16);
    assert.deepEqual(Array.from(m.bytes()), new Array(16).fill(0));

    const ints = m.as(c_int.array(4));
    ints[1] = 7;
    assert.equal(m.bytes()[4], 7);
    assert.equal(addressof(ints), m.address);
    assert.equal(lib.sum(m, 4), 7, "an Allocation is a valid pointer argument");
    lib.fill_seq(m, 4, 1);
    assert.deepEqual([...ints], [1, 2, 3, 4]);
    assert.equal(m.as(c_int).value, 1);
    m.bytes()[0] = 50;
    assert.equal(ints[0], 50);
    assert.equal(c_int.from_address(m.address + 12).value, 4);
    assert.throws(() => m.as(c_int.array(5)), RangeError);
  } finally {
    m.free();
  }
});

test("free() twice is harmless; Symbol.dispose frees; freed allocations refuse use", () => {
  const m = malloc(8);
  m.free();
  assert.equal(m.address, 0);
  m.free();
  free(m);
  assert.throws(() => m.as(c_int), TypeError);
  assert.throws(() => m.bytes(), TypeError);

  const d = malloc(8);
  {
    // `using d = malloc(8)` calls this at the end of the block
    d[Symbol.dispose]();
  }
  assert.equal(d.address, 0);
  d[Symbol.dispose]();
  assert.throws(() => lib.sum(d, 2), TypeError);
  assert.throws(() => malloc(-1), TypeError);
});

test("release() hands memory to C (C frees it; the GC never does); free() of C-allocated memory", async () => {
  let m = malloc(16);
  const ints = m.as(c_int.array(4));
  ints[3] = 99;
  const address = m.release();
  assert.ok(address > 0);
  assert.equal(m.address, 0);
  m = null;
  await collectAndChurn();
  assert.equal(c_int.from_address(address + 12).value, 99, "still valid after the owner was collected");
  lib.c_free(address);

  const fromC = lib.c_alloc(32);
  assert.equal(typeof fromC, "number");
  free(fromC); // by address

  const squares = lib.alloc_squares(4);
  assert.equal(squares[3], 9);
  free(squares); // a pointer to C heap memory

  assert.throws(() => free(c_int(5)), TypeError);
});

test("keep-alive: strings, buffers and C data stored in array elements survive GC", async () => {
  const names = c_char_p.array(3)();
  const wide = c_wchar_p.array(1)();
  const voids = c_void_p.array(3)();
  const ptrs = IntP.array(2)();
  (function fill() {
    for (let i = 0; i < 3; i++) names[i] = `string number ${i} ` + "x".repeat(i * 20);
    wide[0] = "wide string " + "w".repeat(30);
    voids[0] = new Int32Array([42]);
    voids[1] = c_int(77);
    voids[2] = Buffer.from([11, 0, 0, 0]);
    ptrs[0] = c_int(5);
    ptrs[1] = pointer(c_int(6));
  })();
  await collectAndChurn();

  assert.equal(lib.string_in(names, 0), "string number 0 ");
  assert.equal(lib.string_in(names, 2), "string number 2 " + "x".repeat(40));
  assert.equal(names[1], "string number 1 " + "x".repeat(20));
  assert.equal(lib.wstring_in(wide, 0), "wide string " + "w".repeat(30));
  assert.equal(lib.int_via_void(voids, 0), 42);
  assert.equal(lib.int_via_void(voids, 1), 77);
  assert.equal(lib.int_via_void(voids, 2), 11);
  assert.equal(lib.int_in(ptrs, 0), 5);
  assert.equal(lib.int_in(ptrs, 1), 6);
  assert.equal(ptrs[1].contents.value, 6);

  names[0] = null; // replacing a value drops it
  assert.equal(names[0], null);
  assert.throws(() => {
    names[1] = {};
  }, TypeError);
});

test("keep-alive: a c_char_p / c_void_p instance, pointer() and cast() keep their memory alive", async () => {
  const s = c_char_p("a dynamic string " + "q".repeat(40));
  const v = c_void_p(new Float64Array([2.5]));
  const p = pointer(c_int(1234));
  const c = cast(c_int.array(3)(1, 2, 3), IntP);
  await collectAndChurn();
  assert.equal(s.value, "a dynamic string " + "q".repeat(40));
  assert.equal(lib.func("read_double", c_double, [c_void_p])(v), 2.5);
  assert.equal(p.contents.value, 1234);
  assert.equal(lib.func("read_int", c_int, [IntP])(p), 1234);
  assert.equal(c.contents.value, 1);
  assert.equal(lib.sum(c, 3), 6);
  assert.throws(() => c_char_p({}), TypeError);
});

test("keep-alive: a string stored into an element of a nested array (a view) survives GC", async () => {
  const Grid = c_char_p.array(2).array(2);
  const g = new Grid();
  (function fill() {
    g[1][0] = "nested string " + "z".repeat(30);
    g[0][1] = "another " + "y".repeat(30);
  })();
  await collectAndChurn();
  const flat = cast(g, POINTER(c_char_p));
  assert.equal(lib.string_in(flat, 2), "nested string " + "z".repeat(30));
  assert.equal(lib.string_in(flat, 1), "another " + "y".repeat(30));
  assert.equal(g[1][0], "nested string " + "z".repeat(30));
});

test("TypedArray / ArrayBuffer / Buffer arguments are zero-copy, subarray offsets included", () => {
  const all = new Int32Array([1, 2, 3, 4, 5, 6]);
  assert.equal(lib.sum(all.subarray(2), 3), 12);
  lib.fill_seq(all.subarray(3), 3, 100); // C writes into the middle of the JS array
  assert.deepEqual(Array.from(all), [1, 2, 3, 100, 101, 102]);
  assert.equal(lib.address_of(all.subarray(1)), lib.address_of(all) + 4);

  const buf = Buffer.from("abc"); // from Node's pool: usually a non-zero byteOffset
  assert.equal(lib.sum_bytes(buf, 3), 97 + 98 + 99);
  assert.equal(lib.address_of(buf), lib.address_of(buf.buffer) + buf.byteOffset);
  lib.fill_bytes(buf.subarray(1), 2, 0x7a);
  assert.equal(buf.toString(), "azz");

  const ab = new ArrayBuffer(4);
  lib.fill_bytes(ab, 4, 3);
  assert.deepEqual(Array.from(new Uint8Array(ab)), [3, 3, 3, 3]);

  const dv = new DataView(ab, 1, 2);
  assert.equal(lib.sum_bytes(dv, 2), 6);

  const d = new Float64Array([0, 1.5, 2.5]);
  assert.equal(lib.sum_double(d.subarray(1), 2), 4);
  assert.equal(lib.copy_string(new Uint8Array(8), "via u8"), "via u8");

  assert.throws(() => lib.sum(new Float64Array(3), 3), ArgumentError);
});
