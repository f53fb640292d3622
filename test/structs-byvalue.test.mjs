// docs/api.md "Structures and unions": structs and unions passed to and returned from
// C by value (libffi struct types), one C function per ABI shape of the x86-64
// System V classification (SSE, INTEGER, mixed, padding, 1- and 3-byte, MEMORY,
// nested, arrays, unions, bit fields, long double, raised alignment, packed) and of
// AAPCS64 (homogeneous float aggregates that are unions, packed or hold zero-width bit
// fields; packed structs in integer registers), in test/fixtures/structs.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CDLL, Structure, Union, struct, union, POINTER, pointer, sizeof, alignment, ArgumentError,
  c_char, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long, c_longlong, c_int32, c_int64, c_float, c_double, c_longdouble, c_char_p,
} from "tsctypes";
import { fixture, runModule } from "./helpers.mjs";

const lib = new CDLL(fixture("structs"));

// ------------------------------------------------------------------ the types (same declarations as structs.c)

const D2 = struct({ x: c_double, y: c_double }, { name: "D2" });
const F3 = struct({ a: c_float, b: c_float, c: c_float }, { name: "F3" });
const I2L = struct({ a: c_int32, b: c_int32, c: c_int64 }, { name: "I2L" });
class CIS extends Structure {
  static _fields_ = [["c", c_char], ["i", c_int], ["s", c_short]];
}
const C1 = struct({ c: c_char }, { name: "C1" });
const C3 = struct({ s: c_char.array(3) }, { name: "C3" });
const Big24 = struct({ a: c_longlong, b: c_double, c: c_int }, { name: "Big24" });
const Big64 = struct({ d: c_double.array(4), q: c_longlong.array(4) }, { name: "Big64" });
const Rect = struct({ min: D2, max: D2 }, { name: "Rect" });
const P2i = struct({ x: c_int, y: c_int }, { name: "P2i" });
const Wrap = struct({ p: P2i, w: c_float }, { name: "Wrap" });
const WithArr = struct({ v: c_int.array(3), n: c_short }, { name: "WithArr" });
class IF extends Union {
  static _fields_ = [["i", c_int], ["f", c_float]];
}
const DL = union({ d: c_double, l: c_longlong }, { name: "DL" });
const TU = struct({ kind: c_int, u: union({ f: c_float, i: c_int }) }, { name: "TU" });
class BF extends Structure {
  static _fields_ = [["a", c_uint, 4], ["b", c_uint, 12], ["c", c_int, 16], ["d", c_ushort, 3]];
}
const LD = struct({ x: c_longdouble, n: c_int }, { name: "LD" });
const LD1 = struct({ x: c_longdouble }, { name: "LD1" });
const A16 = struct({ a: c_int, b: c_int }, { name: "A16", align: 16 });
const PK = struct({ c: c_char, i: c_int }, { name: "PK", pack: 1 });
const PKD = struct({ c: c_char, d: c_double }, { name: "PKD", pack: 1 });
const UFF = union({ f: c_float.array(2), p: struct({ x: c_float, y: c_float }) }, { name: "UFF" });
class ZWF extends Structure {
  static _fields_ = [["a", c_float], ["", c_int, 0], ["b", c_float]];
}
class ZWL extends Structure {
  static _fields_ = [["a", c_float], ["b", c_float], ["", c_long, 0]];
}
const PF2 = struct({ a: c_float, b: c_float }, { name: "PF2", pack: 2 });
class UFB extends Union {
  static _fields_ = [["f", c_float], ["", c_int, 3]];
}
class SFB extends Structure {
  static _fields_ = [["f", c_float], ["", c_int, 3]];
}
const ZLA = struct({ a: c_float, b: c_float, z: c_float.array(0) }, { name: "ZLA" });

// the ABIs whose rules differ here (elsewhere only natural layouts pass by value)
const SYSV_X64 = process.arch === "x64" && process.platform !== "win32";
const AAPCS64 = process.arch === "arm64" && process.platform !== "win32" && process.platform !== "darwin";

// in the order of byvalue_sizeof() in structs.c
const ALL = [D2, F3, I2L, CIS, C1, C3, Big24, Big64, Rect, Wrap, WithArr, IF, DL, TU, BF, LD, LD1, A16, PK, PKD, UFF, ZWF, ZWL, PF2, UFB, SFB, ZLA];

test("every by-value type has C's size and alignment", () => {
  const byvalue_sizeof = lib.func("byvalue_sizeof", c_long, [c_int]);
  const byvalue_alignof = lib.func("byvalue_alignof", c_long, [c_int]);
  ALL.forEach((T, i) => assert.equal(sizeof(T), byvalue_sizeof(i), T.name));
  ALL.forEach((T, i) => assert.equal(alignment(T), byvalue_alignof(i), T.name));
  const ldSizes = sizeof(c_longdouble) === 16 ? [32, 16] : [sizeof(c_longdouble) * 2, sizeof(c_longdouble)];
  assert.deepEqual(ALL.map((T) => sizeof(T)), [16, 12, 16, 12, 1, 3, 24, 64, 32, 12, 16, 4, 8, 8, 8, ...ldSizes, 16, 5, 9, 8, 8, 8, 8, 4, 8, 8]);
  // on AArch64 an unnamed bit field raises the alignment: `long : 0` to 8 (x86-64: no effect)
  if (SYSV_X64 || AAPCS64) assert.equal(alignment(ZWL), AAPCS64 ? 8 : 4);
});

test("{double, double} (two SSE eightbytes): in and out, lib.func and ctypes-style", () => {
  const d2_make = lib.func("d2_make", D2, [c_double, c_double]);
  const d2_dot = lib.func("d2_dot", c_double, [D2, D2]);
  const d2_add = lib.func("d2_add", D2, [D2, D2]);
  const v = d2_make(1.5, -2);
  assert.ok(v instanceof D2);
  assert.deepEqual(v.toObject(), { x: 1.5, y: -2 });
  assert.equal(d2_dot(v, new D2(2, 3)), 3 - 6);
  const sum = d2_add(v, new D2(0.25, 10));
  assert.deepEqual(sum.toObject(), { x: 1.75, y: 8 });
  // results are fresh JS-owned objects
  const again = d2_add(v, new D2(0, 0));
  again.x = 100;
  assert.equal(sum.x, 1.75);
  assert.equal(v.x, 1.5);
  // ctypes style
  const f = lib.function("d2_dot");
  f.argtypes = [D2, D2];
  f.restype = c_double;
  assert.equal(f(new D2(1, 1), new D2(2, 3)), 5);
  // wrong argument types
  assert.throws(() => d2_dot(5, v), { name: "ArgumentError", message: "d2_dot(): argument 1: expected D2, got number 5" });
  assert.throws(() => d2_dot(v, new F3()), { name: "ArgumentError", message: "d2_dot(): argument 2: expected D2, got F3 instance" });
  assert.throws(() => d2_dot(v, null), ArgumentError);
  assert.throws(() => d2_dot(v), ArgumentError);
});

test("a by-value argument is C's copy: the callee changing it leaves the JS object unchanged", () => {
  const d2_clobber = lib.func("d2_clobber", c_double, [D2]);
  const v = new D2(3, 4);
  assert.equal(d2_clobber(v), -2);
  assert.deepEqual(v.toObject(), { x: 3, y: 4 });
});

test("{float, float, float} (SSE eightbyte with two floats, then one float)", () => {
  const f3_scale = lib.func("f3_scale", F3, [F3, c_float]);
  const f3_sum = lib.func("f3_sum", c_float, [F3]);
  assert.deepEqual(f3_scale(new F3(1, 2, 3), 2).toObject(), { a: 2, b: 4, c: 6 });
  assert.equal(f3_sum(new F3(1, 2, 3.5)), 6.5);
  assert.equal(f3_sum({ c: 0.25 }), 0.25);
});

test("{int32, int32, int64} (two INTEGER eightbytes)", () => {
  const i2l_make = lib.func("i2l_make", I2L, [c_int, c_int, c_longlong]);
  const i2l_sum = lib.func("i2l_sum", c_longlong, [I2L]);
  const i2l_swap = lib.func("i2l_swap", I2L, [I2L]);
  const v = i2l_make(1, -2, 2n ** 40n);
  assert.deepEqual(v.toObject(), { a: 1, b: -2, c: 2n ** 40n });
  assert.equal(i2l_sum(v), 2n ** 40n - 1n);
  assert.deepEqual(i2l_swap({ a: 7, b: 8, c: 9n }).toObject(), { a: 8, b: 7, c: -9n });
  assert.equal(i2l_sum({ a: -(2 ** 31), b: 2 ** 31 - 1, c: -(2n ** 62n) }), -(2n ** 62n) - 1n);
});

test("{char, int, short} with padding", () => {
  const cis_next = lib.func("cis_next", CIS, [CIS]);
  const cis_sum = lib.func("cis_sum", c_long, [CIS]);
  assert.deepEqual(cis_next(new CIS("a", 100, -5)).toObject(), { c: "b", i: 101, s: -4 });
  assert.equal(cis_sum({ c: "\x10", i: 1 << 20, s: -1 }), 16 + (1 << 20) - 1);
  // garbage in the padding does not matter
  const v = new CIS("\x01", 2, 3);
  const raw = c_ubyte.array(12).from_buffer(v); // a byte view of v
  raw[1] = raw[2] = raw[3] = raw[10] = raw[11] = 0xee;
  assert.equal(v.toObject().i, 2);
  assert.equal(cis_sum(v), 6);
});

test("{char} (1 byte) and {char[3]} (3 bytes)", () => {
  const c1_upper = lib.func("c1_upper", C1, [C1]);
  assert.equal(c1_upper({ c: "q" }).c, "Q");
  assert.equal(c1_upper(new C1("!")).c, "!");
  const c3_rev = lib.func("c3_rev", C3, [C3]);
  const c3_sum = lib.func("c3_sum", c_int, [C3]);
  const r = c3_rev({ s: "abc" });
  assert.equal(r.s, "cba");
  assert.equal(sizeof(r), 3);
  assert.equal(c3_sum({ s: "abc" }), 97 + 98 * 256 + 99 * 65536);
  // in an array, the 3-byte elements are packed back to back and each passes alone
  const arr = C3.array(3).from([{ s: "xyz" }, { s: "123" }, { s: "ab" }]);
  assert.deepEqual([0, 1, 2].map((i) => c3_rev(arr[i]).s), ["zyx", "321", ""]); // "\0ba" reads as ""
  assert.deepEqual([...c3_rev(arr[2]).toObject().s].length, 0);
  assert.equal(c3_sum(arr[2]), 97 + 98 * 256);
  assert.deepEqual(arr.toArray().map((e) => e.s), ["xyz", "123", "ab"]);
});

test("24-byte and 64-byte structs (class MEMORY)", () => {
  const big24_mix = lib.func("big24_mix", Big24, [Big24, c_int]);
  const big24_sum = lib.func("big24_sum", c_double, [Big24]);
  assert.deepEqual(big24_mix({ a: 5n, b: 1.5, c: 7 }, 3).toObject(), { a: 15n, b: 4.5, c: 21 });
  assert.equal(big24_sum(new Big24(1n, 0.5, -4)), -2.5);
  const big64_rev = lib.func("big64_rev", Big64, [Big64]);
  const big64_sum = lib.func("big64_sum", c_double, [Big64]);
  const v = new Big64({ d: [1, 2, 3, 4], q: [5n, 6n, 7n, 8n] });
  assert.deepEqual(big64_rev(v).toObject(), { d: [4, 3, 2, 1], q: [8n, 7n, 6n, 5n] });
  assert.equal(big64_sum(v), 1 + 4 + 9 + 16 + 10 * (5 + 12 + 21 + 32));
});

test("nested structs by value: {struct {int,int}, float} and {D2, D2}", () => {
  const wrap_make = lib.func("wrap_make", Wrap, [c_int, c_int, c_float]);
  const wrap_sum = lib.func("wrap_sum", c_double, [Wrap]);
  assert.deepEqual(wrap_make(1, 2, 0.5).toObject(), { p: { x: 1, y: 2 }, w: 0.5 });
  assert.equal(wrap_sum({ p: { x: 1, y: 2 }, w: 0.5 }), 21.5);
  const rect_area = lib.func("rect_area", c_double, [Rect]);
  const rect_grow = lib.func("rect_grow", Rect, [Rect, c_double]);
  const r = new Rect({ min: { x: 0, y: 0 }, max: { x: 2, y: 3 } });
  assert.equal(rect_area(r), 6);
  const g = rect_grow(r, 1);
  assert.deepEqual(g.toObject(), { min: { x: -1, y: -1 }, max: { x: 3, y: 4 } });
  g.max.x = 5; // the nested view of the result
  assert.equal(rect_area(g), 6 * 5);
});

test("a struct with an array member by value", () => {
  const witharr_rot = lib.func("witharr_rot", WithArr, [WithArr]);
  const witharr_sum = lib.func("witharr_sum", c_int, [WithArr]);
  assert.deepEqual(witharr_rot({ v: [1, 2, 3], n: 4 }).toObject(), { v: [2, 3, 1], n: 5 });
  assert.equal(witharr_sum(new WithArr({ v: [1, 2, 3], n: 4 })), 1 + 20 + 300 + 4000);
});

test("unions by value: {int | float}, {double | long long}, a struct holding a union", () => {
  const if_from_float = lib.func("if_from_float", IF, [c_float]);
  const if_as_int = lib.func("if_as_int", c_int, [IF]);
  const u = if_from_float(1.5);
  assert.ok(u instanceof IF);
  assert.equal(u.i, 0x3fc00000);
  assert.equal(if_as_int({ f: 1.5 }), 0x3fc00000);
  assert.equal(if_as_int(new IF(-1)), -1);
  const dl_from_double = lib.func("dl_from_double", DL, [c_double]);
  const dl_as_long = lib.func("dl_as_long", c_longlong, [DL]);
  assert.equal(dl_from_double(1).l, 0x3ff0000000000000n);
  assert.equal(dl_as_long({ d: -2 }), -0x4000000000000000n);
  assert.equal(dl_as_long({ l: 123n }), 123n);
  const tu_make = lib.func("tu_make", TU, [c_int, c_float]);
  const tu_value = lib.func("tu_value", c_double, [TU]);
  assert.equal(tu_make(1, 2.5).u.f, 2.5);
  assert.equal(tu_make(0, 7).u.i, 7);
  assert.equal(tu_value({ kind: 1, u: { f: 2.5 } }), 2.5);
  assert.equal(tu_value({ kind: 0, u: { i: -3 } }), -3);
});

test("a bit-field struct by value", () => {
  const bf_inc = lib.func("bf_inc", BF, [BF]);
  const bf_sum = lib.func("bf_sum", c_long, [BF]);
  assert.deepEqual(bf_inc({ a: 1, b: 2, c: 3, d: 4 }).toObject(), { a: 2, b: 3, c: 2, d: 5 });
  assert.deepEqual(bf_inc({ a: 15, b: 4095, c: -32768, d: 7 }).toObject(), { a: 0, b: 0, c: 32767, d: 0 });
  assert.equal(bf_sum(new BF(1, 2, -3, 4)), 1 + 2 * 16 - 3 * 65536 + 4 * 1000000000);
});

test("a struct with a long double and an int (32 bytes, MEMORY) by value", () => {
  const ld_twice = lib.func("ld_twice", LD, [LD]);
  const ld_get = lib.func("ld_get", c_double, [LD]);
  assert.deepEqual(ld_twice({ x: 1.25, n: 3 }).toObject(), { x: 2.5, n: 6 });
  assert.equal(ld_get({ x: 1.25, n: 3 }), 4.25);
  // a {long double} argument (class X87: passed in memory)
  const ld1_get = lib.func("ld1_get", c_double, [LD1]);
  assert.equal(ld1_get({ x: -0.5 }), -0.5);
});

test("a {long double} struct returned by value (class X87, in st0) gives the value and leaves the x87 stack balanced", () => {
  // in a child process: a wrong implementation leaves values on the x87 register stack, which then
  // breaks every later long double computation in the process
  const script = `
    import { CDLL, struct, c_int, c_double, c_longdouble } from "tsctypes";
    const lib = new CDLL(${JSON.stringify(fixture("structs"))});
    const LD1 = struct({ x: c_longdouble }, { name: "LD1" });
    const LD = struct({ x: c_longdouble, n: c_int }, { name: "LD" });
    const ld1_twice = lib.func("ld1_twice", LD1, [LD1]);
    const ld_get = lib.func("ld_get", c_double, [LD]);
    const results = [];
    for (let i = 0; i < 10; i++) results.push(ld1_twice({ x: i + 0.25 }).x);
    console.log(JSON.stringify({ results, after: ld_get({ x: 1.25, n: 3 }) }));
  `;
  const r = runModule(script);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.results, Array.from({ length: 10 }, (_, i) => 2 * (i + 0.25)));
  assert.equal(out.after, 4.25);
});

test("an _align_ 16 struct: by value is refused with a clear TypeError; by pointer works", () => {
  assert.deepEqual([sizeof(A16), alignment(A16)], [16, 16]);
  const message = "A16 cannot be passed or returned by value: alignment above 8 is not supported for non-natural layouts; pass a pointer to it instead";
  assert.throws(() => lib.func("a16_diff", c_int, [A16]), { name: "TypeError", message });
  assert.throws(() => lib.func("a16_swap", A16, [A16]), { name: "TypeError", message });
  const a16_diff_ptr = lib.func("a16_diff_ptr", c_int, [POINTER(A16)]);
  assert.equal(a16_diff_ptr(new A16(10, 3)), 7);
});

test("a packed struct with misaligned fields (x86-64): by value is a TypeError (declaring or calling); by pointer works", { skip: !SYSV_X64 && "x86-64 System V passes these in memory, which libffi cannot express" }, () => {
  const message = /^PK cannot be passed or returned by value: packed with misaligned members.*; pass a pointer to it instead$/;
  assert.throws(() => lib.func("pk_sum", c_int, [PK]), { name: "TypeError", message });
  assert.throws(() => lib.func("pk_make", PK, [c_char, c_int]), { name: "TypeError", message });
  assert.throws(() => lib.func("pkd_c", c_int, [PKD]), { name: "TypeError", message: /^PKD cannot be passed or returned by value/ });
  // ctypes style: the attributes are accepted, the call refuses
  const f = lib.function("pk_sum");
  f.argtypes = [PK];
  assert.throws(() => f(new PK("a", 1)), { name: "TypeError", message });
  const g = lib.function("pk_make");
  g.restype = PK;
  assert.throws(() => g("a", 1), { name: "TypeError", message });
  // without argtypes a struct instance is inferred as by value (as in ctypes), so it is refused too
  assert.throws(() => lib.function("pk_sum_ptr")(new PK("a", 1)), { name: "TypeError", message });
  const pk_sum_ptr = lib.func("pk_sum_ptr", c_int, [POINTER(PK)]);
  assert.equal(pk_sum_ptr(new PK("a", 2)), 99);
  assert.equal(pk_sum_ptr(pointer(new PK("\x01", 1 << 24))), 1 + (1 << 24));
  const pkd_sum_ptr = lib.func("pkd_sum_ptr", c_double, [POINTER(PKD)]);
  assert.equal(pkd_sum_ptr(new PKD("\x02", 0.5)), 2.5);
});

test("a packed struct with misaligned fields (AArch64): by value in integer registers as its bytes, in and out; by pointer works", { skip: !AAPCS64 && "AAPCS64 only" }, () => {
  // AAPCS64 passes any composite of at most 16 bytes that is not a homogeneous float aggregate
  // in general registers, packed or not: PK (5 bytes) in x0, PKD (9 bytes) in x0 and x1
  const pk_sum = lib.func("pk_sum", c_int, [PK]);
  const pk_make = lib.func("pk_make", PK, [c_char, c_int]);
  assert.equal(pk_sum(new PK("a", 1)), 97 + 1);
  assert.equal(pk_sum({ c: "\x01", i: 1 << 24 }), 1 + (1 << 24));
  const made = pk_make("b", -5);
  assert.ok(made instanceof PK);
  assert.deepEqual([made.c, made.i], [new PK("b", 0).c, -5]);
  assert.equal(pk_sum(made), 98 - 5);
  const pkd_make = lib.func("pkd_make", PKD, [c_char, c_double]);
  const pkd_sum = lib.func("pkd_sum", c_double, [PKD]);
  const pkd_c = lib.func("pkd_c", c_int, [PKD]);
  assert.equal(pkd_sum(new PKD("\x02", 0.5)), 2.5);
  assert.equal(pkd_c({ c: "\x07", d: -1 }), 7);
  assert.equal(pkd_make("\x03", 1.25).d, 1.25);
  assert.equal(pkd_sum(pkd_make("\x03", 1.25)), 4.25);
  // ctypes style and inferred by-value arguments pass too
  const f = lib.function("pk_sum");
  f.argtypes = [PK];
  assert.equal(f(new PK("a", 1)), 98);
  assert.equal(lib.function("pk_sum")(new PK("a", 2)), 99);
  const pk_sum_ptr = lib.func("pk_sum_ptr", c_int, [POINTER(PK)]);
  assert.equal(pk_sum_ptr(new PK("a", 2)), 99);
  const pkd_sum_ptr = lib.func("pkd_sum_ptr", c_double, [POINTER(PKD)]);
  assert.equal(pkd_sum_ptr(new PKD("\x02", 0.5)), 2.5);
});

test("non-natural homogeneous float aggregates and unnamed bit fields by value (vector registers on AArch64 only where C uses them)", { skip: !(SYSV_X64 || AAPCS64) && "only natural layouts pass by value here" }, () => {
  // AAPCS64: UFF, ZWF, ZWL and PF2 are HFAs of two floats (s0, s1); UFB and SFB are not (the
  // unnamed bit field is an integer member): w0 / x0; neither is ZLA (a natural layout, but its
  // zero-length array, which libffi never sees, keeps it from being homogeneous): x0. x86-64:
  // UFF, ZWF, ZWL, PF2 and ZLA are one SSE eightbyte, UFB and SFB one INTEGER eightbyte; PF2 is
  // refused there (SSE members in a 2-aligned struct have no libffi element list).
  const cases = [
    [UFF, "uff", (u) => [u.f[0], u.f[1]]],
    [ZWF, "zwf", (v) => [v.a, v.b]],
    [ZWL, "zwl", (v) => [v.a, v.b]],
    [ZLA, "zla", (v) => [v.a, v.b]],
  ];
  if (AAPCS64) cases.push([PF2, "pf2", (v) => [v.a, v.b]]);
  else assert.throws(() => lib.func("pf2_sum", c_double, [PF2]), { name: "TypeError", message: "PF2 cannot be passed by value: packed with floating-point members" });
  for (const [T, name, get] of cases) {
    const make = lib.func(`${name}_make`, T, [c_float, c_float]);
    const sum = lib.func(`${name}_sum`, c_double, [T]);
    const v = make(1.5, -2.25);
    assert.ok(v instanceof T, name);
    assert.deepEqual(get(v), [1.5, -2.25], name);
    assert.equal(sum(v), 15 - 2.25, name);
    // after the other float arguments: only the registers left (or the stack) differ
    assert.equal(sum(make(0.5, 4)), 9, name);
  }
  const ufb_make = lib.func("ufb_make", UFB, [c_float]);
  const ufb_get = lib.func("ufb_get", c_double, [UFB]);
  assert.equal(ufb_make(0.75).f, 0.75);
  assert.equal(ufb_get({ f: -3.5 }), -3.5);
  const sfb_make = lib.func("sfb_make", SFB, [c_float]);
  const sfb_get = lib.func("sfb_get", c_double, [SFB]);
  assert.equal(sfb_make(0.75).f, 0.75);
  assert.equal(sfb_get(new SFB(-3.5)), -3.5);
});

test("a plain object argument is converted on the fly; bad objects are ArgumentErrors", () => {
  const d2_dot = lib.func("d2_dot", c_double, [D2, D2]);
  assert.equal(d2_dot({ x: 1, y: 2 }, { x: 3, y: 4 }), 11);
  assert.equal(d2_dot({}, { x: 3, y: 4 }), 0);
  assert.throws(() => d2_dot({ x: 1, z: 2 }, { x: 3 }), {
    name: "ArgumentError",
    message: 'd2_dot(): argument 1: expected D2, got Object instance (no field named "z")',
  });
  assert.throws(() => d2_dot({ x: "a" }, { x: 3 }), {
    name: "ArgumentError",
    message: 'd2_dot(): argument 1: expected D2, got Object instance (expected a number, got string "a")',
  });
  assert.throws(() => d2_dot({ x: 1 }, [1, 2]), { name: "ArgumentError", message: /^d2_dot\(\): argument 2: / });
  const rect_area = lib.func("rect_area", c_double, [Rect]);
  assert.equal(rect_area({ min: new D2(1, 1), max: { x: 4, y: 5 } }), 12);
});

test("more struct arguments than registers: 5 x {double,double} + 3 ints, 5 x {int,int,int64} + 3 ints", () => {
  const many_d2 = lib.func("many_d2", c_double, [D2, D2, D2, D2, D2, c_int, c_int, c_int]);
  const vs = [1, 2, 3, 4, 5].map((k) => new D2(k, k * 3));
  const expected = 1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5 + 10 * 3 + 20 * 6 + 30 * 9 + 40 * 12 + 50 * 15 + 7 * 1000 + 8 * 10000 + 9 * 100000;
  assert.equal(many_d2(...vs, 7, 8, 9), expected);
  assert.equal(many_d2(...vs.map((v) => v.toObject()), 7, 8, 9), expected);
  const many_i2l = lib.func("many_i2l", c_longlong, [I2L, I2L, I2L, I2L, I2L, c_int, c_int, c_int]);
  const is = [1, 2, 3, 4, 5].map((k) => new I2L(k, -2 * k, BigInt(k) << 33n));
  const sum = (k) => BigInt(k - 2 * k) + (BigInt(k) << 33n);
  assert.equal(many_i2l(...is, 7, 8, 9), sum(1) + 2n * sum(2) + 3n * sum(3) + 4n * sum(4) + 5n * sum(5) + 7000n + 80000n + 900000n);
});

test("a struct returned by value from a function without argtypes (restype set, args inferred)", () => {
  const f = lib.function("d2_add");
  f.restype = D2;
  const r = f(new D2(1, 2), new D2(3, 4)); // struct instances infer as by-value arguments
  assert.ok(r instanceof D2);
  assert.deepEqual(r.toObject(), { x: 4, y: 6 });
  const g = lib.function("i2l_make");
  g.restype = I2L;
  assert.deepEqual(g(1, 2, 3n).toObject(), { a: 1, b: 2, c: 3n });
  const h = lib.function("cis_next");
  h.restype = CIS;
  assert.deepEqual(h(new CIS("x", 1, 2)).toObject(), { c: "y", i: 2, s: 3 });
  // a plain object has no C type to infer: ArgumentError with a hint
  const k = lib.function("d2_x");
  k.restype = c_double;
  assert.throws(() => k({ x: 1, y: 2 }), { name: "ArgumentError", message: /argument 1: don't know how to convert Object instance; declare argtypes/ });
  assert.equal(k(new D2(1.5, 2)), 1.5);
});

test("by-value calls in a loop give consistent results (libffi type built once per type)", () => {
  const d2_add = lib.func("d2_add", D2, [D2, D2]);
  let acc = new D2(0, 0);
  const one = new D2(1, 0.5);
  for (let i = 0; i < 10000; i++) acc = d2_add(acc, one);
  assert.deepEqual(acc.toObject(), { x: 10000, y: 5000 });
  const i2l_swap = lib.func("i2l_swap", I2L, [I2L]);
  let v = new I2L(1, 2, 3n);
  for (let i = 0; i < 1001; i++) v = i2l_swap(v);
  assert.deepEqual(v.toObject(), { a: 2, b: 1, c: -3n });
});

// ------------------------------------------------------------------ every eightbyte shape, and the register boundary

const FF = struct({ a: c_float, b: c_float }, { name: "FF" });
const FI = struct({ f: c_float, i: c_int }, { name: "FI" });
const S3 = struct({ a: c_short, b: c_short, c: c_short }, { name: "S3" });
const DC = struct({ d: c_double, c: c_char }, { name: "DC" });
const CD = struct({ c: c_char, d: c_double }, { name: "CD" });
const F4 = struct({ a: c_float, b: c_float, c: c_float, d: c_float }, { name: "F4" });
const I4 = struct({ a: c_int, b: c_int, c: c_int, d: c_int }, { name: "I4" });
const Dbl = struct({ d: c_double }, { name: "Dbl" });
const L1 = struct({ q: c_longlong }, { name: "L1" });
const SP = struct({ s: c_char_p, n: c_int }, { name: "SP" });

test("small structs of every eightbyte class combination, in and out", () => {
  const shapes_sizeof = lib.func("shapes_sizeof", c_long, [c_int]);
  [FF, FI, S3, DC, CD, F4, I4, Dbl, L1, SP].forEach((T, i) => assert.equal(sizeof(T), shapes_sizeof(i), T.name));
  assert.deepEqual(lib.func("ff_swap", FF, [FF])({ a: 1.5, b: -2 }).toObject(), { a: -2, b: 1.5 });
  assert.deepEqual(lib.func("fi_make", FI, [c_float, c_int])(0.5, -7).toObject(), { f: 0.5, i: -7 });
  assert.equal(lib.func("fi_sum", c_double, [FI])({ f: 0.25, i: 3 }), 3.25);
  assert.deepEqual(lib.func("s3_rot", S3, [S3])({ a: 1, b: 2, c: -3 }).toObject(), { a: -3, b: 1, c: 2 });
  assert.deepEqual(lib.func("dc_make", DC, [c_double, c_char])(2.5, "z").toObject(), { d: 2.5, c: "z" });
  assert.equal(lib.func("dc_sum", c_double, [DC])({ d: 0.5, c: "\x02" }), 2.5);
  assert.deepEqual(lib.func("cd_make", CD, [c_char, c_double])("q", -1.25).toObject(), { c: "q", d: -1.25 });
  assert.equal(lib.func("cd_sum", c_double, [CD])({ c: "\x03", d: 0.5 }), 3.5);
  assert.deepEqual(lib.func("f4_rev", F4, [F4])(new F4(1, 2, 3, 4)).toObject(), { a: 4, b: 3, c: 2, d: 1 });
  assert.deepEqual(lib.func("i4_rev", I4, [I4])(new I4(1, -2, 3, -4)).toObject(), { a: -4, b: 3, c: -2, d: 1 });
  assert.equal(lib.func("dbl_neg", Dbl, [Dbl])({ d: 1.5 }).d, -1.5);
  assert.equal(lib.func("l1_neg", L1, [L1])({ q: 2n ** 62n }).q, -(2n ** 62n));
});

test("a struct with a c_char_p member by value: a string in a plain object lives through the call", () => {
  const sp_len = lib.func("sp_len", c_long, [SP]);
  const sp_make = lib.func("sp_make", SP, [c_char_p, c_int]);
  assert.equal(sp_len({ s: "hello", n: 7 }), 5007);
  assert.equal(sp_len(new SP({ s: "héllo", n: 1 })), 6001);
  assert.equal(sp_len({ n: 1 }), -1);
  const r = sp_make("abc", 3);
  assert.equal(r.n, 3); // r.s points into the call's scratch memory, so it is not read here
});

test("structs at the register boundary: one that no longer fits goes on the stack, later scalars still use registers", () => {
  const edge_sse = lib.func("edge_sse", c_double, [c_double, c_double, c_double, c_double, c_double, c_double, c_double, D2, c_double]);
  assert.equal(edge_sse(1, 1, 1, 1, 1, 1, 1, { x: 2, y: 3 }, 4), 28 + 200 + 3000 + 40000);
  const edge_sse_fit = lib.func("edge_sse_fit", c_double, [c_double, c_double, c_double, c_double, c_double, c_double, D2]);
  assert.equal(edge_sse_fit(1, 1, 1, 1, 1, 1, { x: 2, y: 3 }), 21 + 200 + 3000);
  const edge_int = lib.func("edge_int", c_longlong, [c_int, c_int, c_int, c_int, c_int, I2L, c_int]);
  assert.equal(edge_int(1, 1, 1, 1, 1, { a: 2, b: 3, c: 4n }, 5), 15n + 200n + 3000n + 40000n + 500000n);
  const edge_int_fit = lib.func("edge_int_fit", c_longlong, [c_int, c_int, c_int, c_int, I2L]);
  assert.equal(edge_int_fit(1, 1, 1, 1, { a: 2, b: 3, c: 4n }), 10n + 200n + 3000n + 40000n);
  const edge_mixed = lib.func("edge_mixed", c_double, [c_long, c_long, c_long, c_long, c_long, CD, c_long, c_double]);
  assert.equal(edge_mixed(1, 1, 1, 1, 1, { c: "\x02", d: 3 }, 4, 5), 15 + 200 + 3000 + 40000 + 500000);
});
