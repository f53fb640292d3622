// docs/api.md "Structures and unions": Structure/Union classes and the struct()/union()
// factories, checked against the C compiler on the same declarations in
// test/fixtures/structs.c (sizeof/alignof/offsetof reported by C, bit fields
// probed by C code writing and reading them), zero-copy views, keep-alive,
// arrays of and pointers to structs, and the readable output forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import {
  CDLL, Structure, Union, BigEndianStructure, LittleEndianStructure, BigEndianUnion, LittleEndianUnion,
  struct, union, fieldInfo, POINTER, pointer, cast, addressof, sizeof, alignment, buffer_at, memset,
  NullPointerError,
  c_bool, c_char, c_wchar, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long, c_longlong,
  c_int8, c_int64, c_uint64, c_float, c_double, c_char_p, c_size_t,
} from "tsctypes";
import { collectAndChurn, fixture, gc, runModule } from "./helpers.mjs";

const lib = new CDLL(fixture("structs"));

// ------------------------------------------------------------------ what C says

const c_sizeof = lib.func("c_sizeof", c_long, [c_char_p]);
const c_alignof = lib.func("c_alignof", c_long, [c_char_p]);
const c_offsetof = lib.func("c_offsetof", c_long, [c_char_p, c_char_p]);

/** Assert that `type` has C's sizeof/alignof for `cname`, and C's offsetof for each listed field. */
function assertLayout(type, cname, fields = []) {
  assert.equal(c_sizeof(cname) > 0, true, `C fixture knows ${cname}`);
  assert.equal(sizeof(type), c_sizeof(cname), `sizeof(${cname})`);
  assert.equal(alignment(type), c_alignof(cname), `alignof(${cname})`);
  for (const f of fields) {
    const off = c_offsetof(cname, f);
    assert.notEqual(off, -1, `C fixture knows ${cname}.${f}`);
    assert.equal(fieldInfo(type, f).offset, off, `offsetof(${cname}, ${f})`);
  }
}

/** The bytes of a C data object, copied. */
const bytesOf = (obj) => [...buffer_at(addressof(obj), sizeof(obj))];

// ------------------------------------------------------------------ gc helpers (as in memory.test.mjs)


// ------------------------------------------------------------------ the types (same declarations as structs.c)

class Point extends Structure {
  static _fields_ = [["x", c_int], ["y", c_int]];
}

class Inner extends Structure {
  static _fields_ = [["x", c_int], ["y", c_short]];
}
class IntFloat extends Union {
  static _fields_ = [["i", c_int], ["f", c_float]];
}
class Outer extends Structure {
  static _fields_ = [
    ["tag", c_char],
    ["inner", Inner],
    ["arr", c_int.array(4)],
    ["u", IntFloat],
    ["ip", POINTER(c_int)],
    ["name", c_char.array(8)],
    ["label", c_char_p],
    ["d", c_double],
  ];
}

class Bits extends Structure {
  static _fields_ = [
    ["s3", c_int, 3],
    ["u5", c_uint, 5],
    ["s7", c_int, 7],
    ["u17", c_uint, 17],
    ["c2", c_ubyte, 2],
    ["", c_int, 0],
    ["z4", c_int, 4],
    ["s40", c_longlong, 40],
    ["u24", c_uint64, 24],
    ["u64", c_uint64, 64],
    ["s33", c_int64, 33],
    ["tail", c_ubyte],
  ];
}
const BIT_NAMES = ["s3", "u5", "s7", "u17", "c2", "z4", "s40", "u24", "u64", "s33", "tail"];

class Packed1 extends Structure {
  static _pack_ = 1;
  static _fields_ = [["c", c_char], ["i", c_int], ["s", c_short], ["d", c_double]];
}
class Packed2 extends Structure {
  static _pack_ = 2;
  static _fields_ = [["c", c_char], ["i", c_int], ["c2", c_char], ["d", c_double]];
}
class Packed4 extends Structure {
  static _pack_ = 4;
  static _fields_ = [["c", c_char], ["d", c_double], ["s", c_short], ["q", c_longlong]];
}
class PackedBits extends Structure {
  static _pack_ = 1;
  static _fields_ = [["c", c_char], ["a", c_uint, 12], ["b", c_uint, 12], ["s", c_short]];
}

class Al16 extends Structure {
  static _align_ = 16;
  static _fields_ = [["a", c_int], ["b", c_int]];
}
class HasAl16 extends Structure {
  static _fields_ = [["c", c_char], ["al", Al16], ["d", c_char]];
}
class Al32 extends Structure {
  static _align_ = 32;
  static _fields_ = [["d", c_double]];
}

class TaggedU extends Union {
  static _fields_ = [["i", c_int], ["d", c_double], ["s", c_char.array(8)]];
}
class Tagged extends Structure {
  static _anonymous_ = ["u"];
  static _fields_ = [["kind", c_int], ["u", TaggedU], ["tail", c_int]];
}

class CELL extends Structure {}
CELL._fields_ = [["index", c_int], ["length", c_int], ["prev", POINTER(CELL)]];

class Named extends Structure {
  static _fields_ = [["name", c_char_p], ["len", c_int]];
}

class BE extends BigEndianStructure {
  static _fields_ = [["a", c_int], ["b", c_ushort], ["c", c_longlong], ["f", c_float], ["d", c_double]];
}
class LE extends LittleEndianStructure {
  static _fields_ = [["a", c_int], ["b", c_ushort], ["c", c_longlong]];
}
class BEBits extends BigEndianStructure {
  static _fields_ = [
    ["a", c_uint, 3],
    ["b", c_uint, 7],
    ["c", c_int, 12],
    ["d", c_uint, 10],
    ["e", c_ushort, 5],
    ["f", c_ushort, 11],
  ];
}
const BEBITS_NAMES = ["a", "b", "c", "d", "e", "f"];
class BEU extends BigEndianUnion {
  static _fields_ = [["i", c_uint], ["s", c_ushort], ["b", c_ubyte.array(4)]];
}
class NumberU extends Union {
  static _fields_ = [["c", c_char], ["s", c_short], ["i", c_int], ["q", c_longlong], ["d", c_double], ["bytes", c_ubyte.array(8)]];
}

// ------------------------------------------------------------------ C functions

const PointP = POINTER(Point);
const point_sum = lib.func("point_sum", c_int, [PointP]);
const point_set = lib.func("point_set", null, [PointP, c_int, c_int]);
const points_weighted = lib.func("points_weighted", c_long, [PointP, c_int]);
const points_scale = lib.func("points_scale", null, [PointP, c_int, c_int]);
const get_static_points = lib.func("get_static_points", PointP, []);
const static_point_x = lib.func("static_point_x", c_int, [c_int]);

const OuterP = POINTER(Outer);
const outer_sum = lib.func("outer_sum", c_long, [OuterP]);
const outer_u_int = lib.func("outer_u_int", c_int, [OuterP]);
const outer_deref = lib.func("outer_deref", c_int, [OuterP]);
const outer_deref_at = lib.func("outer_deref_at", c_int, [OuterP, c_int]);
const outer_name = lib.func("outer_name", c_char_p, [OuterP]);
const outer_label = lib.func("outer_label", c_char_p, [OuterP]);
const outer_label_len = lib.func("outer_label_len", c_size_t, [OuterP]);
const outer_d = lib.func("outer_d", c_double, [OuterP]);
const outer_fill = lib.func("outer_fill", null, [OuterP]);

const bits_set = lib.func("bits_set", null, [POINTER(Bits), c_int, c_longlong]);
const bits_get = lib.func("bits_get", c_longlong, [POINTER(Bits), c_int]);
const packedbits_set = lib.func("packedbits_set", null, [POINTER(PackedBits), c_int, c_int]);

const packed1_sum = lib.func("packed1_sum", c_double, [POINTER(Packed1)]);
const packed2_sum = lib.func("packed2_sum", c_double, [POINTER(Packed2)]);
const packed4_sum = lib.func("packed4_sum", c_double, [POINTER(Packed4)]);
const packed1_fill = lib.func("packed1_fill", null, [POINTER(Packed1)]);
const hasal16_sum = lib.func("hasal16_sum", c_int, [POINTER(HasAl16)]);

const tagged_value = lib.func("tagged_value", c_double, [POINTER(Tagged)]);
const tagged_set_double = lib.func("tagged_set_double", null, [POINTER(Tagged), c_double]);

const cell_chain = lib.func("cell_chain", POINTER(CELL), [c_int]);
const cell_free_chain = lib.func("cell_free_chain", null, [POINTER(CELL)]);
const cell_walk = lib.func("cell_walk", c_long, [POINTER(CELL), POINTER(c_int)]);

const named_len = lib.func("named_len", c_int, [POINTER(Named)]);
const named_set = lib.func("named_set", null, [POINTER(Named), c_int]);

const be_fill = lib.func("be_fill", null, [POINTER(BE)]);
const be_get = lib.func("be_get", c_longlong, [POINTER(BE), c_int]);
const le_fill = lib.func("le_fill", null, [POINTER(LE)]);
const bebits_set = lib.func("bebits_set", null, [POINTER(BEBits), c_int, c_int]);
const bebits_get = lib.func("bebits_get", c_int, [POINTER(BEBits), c_int]);
const beu_set = lib.func("beu_set", null, [POINTER(BEU), c_uint]);
const beu_get_short = lib.func("beu_get_short", c_uint, [POINTER(BEU)]);
const number_set_double = lib.func("number_set_double", null, [POINTER(NumberU), c_double]);
const number_get_q = lib.func("number_get_q", c_longlong, [POINTER(NumberU)]);

// ================================================================== basics

test("a simple struct: C's layout, constructors, C reads and writes it", () => {
  assertLayout(Point, "struct Point", ["x", "y"]);
  assert.equal(sizeof(Point), 8);
  assert.equal(alignment(Point), 4);
  assert.equal(sizeof(new Point()), 8);
  assert.equal(alignment(new Point()), 4);

  const p = new Point(3, -4);
  assert.equal(p.x, 3);
  assert.equal(p.y, -4);
  assert.equal(point_sum(p), -1);
  const q = new Point({ x: 10, y: 20 });
  assert.deepEqual([q.x, q.y], [10, 20]);
  const r = new Point({ y: 5 }); // missing fields are zero
  assert.deepEqual([r.x, r.y], [0, 5]);
  const s = new Point(7); // missing positional initializers are zero
  assert.deepEqual([s.x, s.y], [7, 0]);
  const z = new Point();
  assert.deepEqual(bytesOf(z), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.ok(z instanceof Point && z instanceof Structure);

  point_set(z, 0x01020304, -1);
  assert.equal(z.x, 0x01020304);
  assert.equal(z.y, -1);
  assert.deepEqual(bytesOf(z), [4, 3, 2, 1, 255, 255, 255, 255]);
  z.x = 0x7fffffff + 1; // integers wrap like C
  assert.equal(z.x, -0x80000000);
  z.y = 5n;
  assert.equal(point_sum(z), -0x80000000 + 5);
});

test("constructor errors: too many initializers, unknown field, wrong value type (TypeError naming Type.field)", () => {
  assert.throws(() => new Point(1, 2, 3), { name: "TypeError", message: "Point(): too many initializers (3 for 2 fields)" });
  assert.throws(() => new Point({ x: 1, z: 2 }), { name: "TypeError", message: 'Point(): no field named "z"' });
  assert.throws(() => new Point("a"), { name: "TypeError", message: 'Point.x: expected an integer (number or bigint), got string "a"' });
  assert.throws(() => new Point(1, 2.5), { name: "TypeError", message: /^Point\.y: expected an integer/ });
  assert.throws(() => new Point({ x: {} }), { name: "TypeError", message: /^Point\.x: / });
  const p = new Point(1, 2);
  assert.throws(() => (p.x = "1"), { name: "TypeError", message: /^Point\.x: / });
  assert.throws(() => (p.y = null), { name: "TypeError", message: /^Point\.y: / });
  assert.deepEqual([p.x, p.y], [1, 2], "failed assignments leave the fields unchanged");
  const o = new Outer();
  assert.throws(() => (o.d = "a"), { name: "TypeError", message: 'Outer.d: expected a number, got string "a"' });
  assert.throws(() => (o.tag = "ab"), { name: "TypeError", message: /^Outer\.tag: / });
  assert.throws(() => (o.label = {}), { name: "TypeError", message: /^Outer\.label: / });
  assert.throws(() => (o.ip = c_double(1)), { name: "TypeError", message: /^Outer\.ip: / });
  assert.throws(() => (o.ip = 5), { name: "TypeError", message: /^Outer\.ip: / });
  assert.throws(() => (o.inner = 5), { name: "TypeError", message: /^Outer\.inner: / });
});

test("_fields_ entries are validated with messages naming the class and entry", () => {
  const bad = (fields, message) => {
    class X extends Structure {}
    X._fields_ = fields;
    assert.throws(() => sizeof(X), { name: "TypeError", message });
  };
  bad([["a"]], "X._fields_[0] must be [name, type] or [name, type, bits]");
  bad([["a", c_int, 1, 2]], "X._fields_[0] must be [name, type] or [name, type, bits]");
  bad([[1, c_int]], "X._fields_[0] must be [name, type] or [name, type, bits]");
  bad([["a", c_int], ["b", 5]], /^X\._fields_\[1\] \("b"\): expected a tsctypes type/);
  bad([["a", c_int], ["a", c_short]], 'X._fields_: duplicate field name "a"');
  bad([["a", c_double, 3]], 'X._fields_[0] ("a"): bit fields must have an integer type, got c_double');
  bad([["a", c_int, 33]], 'X._fields_[0] ("a"): bit width must be 0..32, got number 33');
  bad([["a", c_ubyte, 9]], 'X._fields_[0] ("a"): bit width must be 0..8, got number 9');
  bad([["a", c_int, -1]], /bit width must be 0\.\.32/);
  bad([["a", c_int, 1.5]], /bit width must be 0\.\.32/);
  bad([["a", c_int, 0]], 'X._fields_[0]: a zero-width bit field must be unnamed ("")');
  bad([["", c_int]], "X._fields_[0]: only bit fields may be unnamed");
});

test("_fields_ that is not an array is a clear TypeError naming _fields_", () => {
  class X extends Structure {}
  X._fields_ = "ab";
  assert.throws(() => sizeof(X), { name: "TypeError", message: /X\._fields_/ });
  class Y extends Structure {}
  Y._fields_ = { x: c_int };
  assert.throws(() => new Y(), { name: "TypeError", message: /Y\._fields_/ });
});

test("a struct without _fields_ is a clear TypeError when used; the abstract bases cannot be used", () => {
  class Empty extends Structure {}
  const msg = "Empty: _fields_ is not set (set it before using the type; for recursive types assign Empty._fields_ = [...] after the class)";
  assert.throws(() => new Empty(), { name: "TypeError", message: msg });
  assert.throws(() => sizeof(Empty), { name: "TypeError", message: msg });
  assert.throws(() => Empty.array(2), { name: "TypeError", message: msg });
  assert.throws(() => fieldInfo(Empty, "x"), { name: "TypeError", message: msg });
  assert.throws(() => lib.func("point_sum", c_int, [Empty]), { name: "TypeError", message: msg });
  // a pointer to an incomplete type is fine (that is how recursive types are declared)
  const EP = POINTER(Empty);
  assert.equal(sizeof(EP), 8);
  for (const Base of [Structure, Union, BigEndianStructure, LittleEndianStructure, BigEndianUnion, LittleEndianUnion]) {
    assert.throws(() => new Base(), { name: "TypeError", message: `${Base.name} is abstract: subclass it and set _fields_` });
    assert.throws(() => sizeof(Base), { name: "TypeError", message: /is abstract/ });
  }
  // once set, the type works
  Empty._fields_ = [["v", c_short]];
  assert.equal(sizeof(Empty), 2);
  assert.equal(new Empty(7).v, 7);
});

test("_fields_ is final once the type has been used (late assignment and static declaration)", () => {
  class Late extends Structure {}
  Late._fields_ = [["a", c_int]];
  assert.equal(sizeof(Late), 4);
  assert.throws(() => (Late._fields_ = [["a", c_int], ["b", c_int]]), { name: "TypeError", message: /Late\._fields_ is final/ });
  assert.equal(sizeof(Late), 4);

  class Declared extends Structure {
    static _fields_ = [["a", c_int]];
  }
  assert.equal(new Declared(1).a, 1);
  assert.throws(() => (Declared._fields_ = [["a", c_double]]), { name: "TypeError", message: /Declared\._fields_ is final/ });
  assert.equal(new Declared(1).a, 1);
});

test("subclassing a structure appends fields after the base's (ctypes semantics)", () => {
  class Base extends Structure {
    static _fields_ = [["a", c_char]];
  }
  class Derived extends Base {
    static _fields_ = [["b", c_int]];
  }
  assert.equal(sizeof(Derived), 8);
  assert.deepEqual(fieldInfo(Derived, "b"), { offset: 4, size: 4 });
  const d = new Derived("x", 5);
  assert.deepEqual(d.toObject(), { a: "x", b: 5 });
  assert.ok(d instanceof Base);
});

// ================================================================== bit fields

test("bit fields: layout equals gcc's (adjacent, zero-width, 64-bit units)", () => {
  assertLayout(Bits, "struct Bits", ["tail"]);
  assert.equal(sizeof(Bits), 40);
  assert.deepEqual(fieldInfo(Bits, "s3"), { offset: 0, size: 4, bit_offset: 0, bit_size: 3 });
  assert.deepEqual(fieldInfo(Bits, "u5"), { offset: 0, size: 4, bit_offset: 3, bit_size: 5 });
  assert.deepEqual(fieldInfo(Bits, "s7"), { offset: 0, size: 4, bit_offset: 8, bit_size: 7 });
  assert.deepEqual(fieldInfo(Bits, "u17"), { offset: 0, size: 4, bit_offset: 15, bit_size: 17 });
  assert.deepEqual(fieldInfo(Bits, "c2"), { offset: 4, size: 1, bit_offset: 0, bit_size: 2 });
  // the zero-width int moved z4 to the next int boundary
  assert.deepEqual(fieldInfo(Bits, "z4"), { offset: 8, size: 4, bit_offset: 0, bit_size: 4 });
  assert.deepEqual(fieldInfo(Bits, "s40"), { offset: 8, size: 8, bit_offset: 4, bit_size: 40 });
  assert.deepEqual(fieldInfo(Bits, "u24"), { offset: 16, size: 8, bit_offset: 0, bit_size: 24 });
  assert.deepEqual(fieldInfo(Bits, "u64"), { offset: 24, size: 8, bit_offset: 0, bit_size: 64 });
  assert.deepEqual(fieldInfo(Bits, "s33"), { offset: 32, size: 8, bit_offset: 0, bit_size: 33 });
});

test("bit fields: every field alone has the same bytes as when gcc writes it", () => {
  const samples = { s3: -1, u5: 31, s7: -64, u17: 0x1ffff, c2: 3, z4: -8, s40: -1n, u24: 0xffffffn, u64: 2n ** 64n - 1n, s33: -(2n ** 32n), tail: 0xff };
  BIT_NAMES.forEach((name, which) => {
    const mine = new Bits();
    mine[name] = samples[name];
    const theirs = new Bits();
    bits_set(theirs, which, typeof samples[name] === "bigint" ? BigInt.asIntN(64, samples[name]) : samples[name]);
    assert.deepEqual(bytesOf(mine), bytesOf(theirs), `bytes of ${name}`);
    assert.deepEqual(theirs[name], samples[name], `JS reads C's ${name}`);
  });
});

test("bit fields: signed fields sign-extend, unsigned don't, writes wrap to the width", () => {
  const b = new Bits();
  b.s3 = 3;
  assert.equal(b.s3, 3);
  assert.equal(bits_get(b, 0), 3n);
  b.s3 = 4; // 0b100 in 3 bits is -4
  assert.equal(b.s3, -4);
  assert.equal(bits_get(b, 0), -4n);
  b.s3 = -1;
  assert.equal(b.s3, -1);
  b.s3 = 9; // wraps: 9 & 7 = 1
  assert.equal(b.s3, 1);
  assert.equal(bits_get(b, 0), 1n);
  b.u5 = 31;
  assert.equal(b.u5, 31);
  b.u5 = 33; // wraps to 1
  assert.equal(b.u5, 1);
  b.u5 = -1; // all ones, read unsigned
  assert.equal(b.u5, 31);
  assert.equal(bits_get(b, 1), 31n);
  b.c2 = 5; // unsigned char : 2
  assert.equal(b.c2, 1);
  b.s7 = 64;
  assert.equal(b.s7, -64);
  b.u17 = 0x20000 + 5;
  assert.equal(b.u17, 5);
  // C writes out-of-range values the same way
  bits_set(b, 0, 12n);
  assert.equal(b.s3, -4);
  bits_set(b, 1, 40n);
  assert.equal(b.u5, 8);
});

test("bit fields: adjacent fields don't disturb each other; C and JS see the same values", () => {
  const values = { s3: -3, u5: 21, s7: -50, u17: 98765, c2: 2, z4: 7, s40: -(2n ** 39n), u24: 0xabcdefn, u64: 0xfedcba9876543210n, s33: 2n ** 32n - 1n, tail: 200 };
  const b = new Bits();
  for (const name of BIT_NAMES) b[name] = values[name];
  for (const name of BIT_NAMES) assert.deepEqual(b[name], values[name], name);
  BIT_NAMES.forEach((name, which) => {
    const v = values[name];
    assert.equal(bits_get(b, which), typeof v === "bigint" ? BigInt.asIntN(64, v) : BigInt(v), `C reads ${name}`);
  });
  // C writes each field in turn; the others keep their values
  const c = new Bits();
  BIT_NAMES.forEach((name, which) => bits_set(c, which, BigInt.asIntN(64, BigInt(values[name]))));
  for (const name of BIT_NAMES) assert.deepEqual(c[name], values[name], `JS reads C's ${name}`);
  assert.deepEqual(bytesOf(b), bytesOf(c));
});

test("bit fields of 64-bit types read as bigint, accept numbers, wrap to the width", () => {
  const b = new Bits();
  b.s40 = 5;
  assert.equal(b.s40, 5n);
  b.s40 = 2n ** 40n + 7n;
  assert.equal(b.s40, 7n);
  b.s40 = 2n ** 39n; // the sign bit
  assert.equal(b.s40, -(2n ** 39n));
  assert.equal(bits_get(b, 6), -(2n ** 39n));
  b.u64 = -1n;
  assert.equal(b.u64, 2n ** 64n - 1n);
  assert.equal(bits_get(b, 8), -1n);
  b.s33 = 2n ** 32n;
  assert.equal(b.s33, -(2n ** 32n));
  assert.equal(typeof b.u24, "bigint");
  assert.equal(typeof b.s3, "number");
  assert.equal(typeof b.tail, "number");
  assert.deepEqual(b.toObject(), { s3: 0, u5: 0, s7: 0, u17: 0, c2: 0, z4: 0, s40: -(2n ** 39n), u24: 0n, u64: 2n ** 64n - 1n, s33: -(2n ** 32n), tail: 0 });
});

test("bit fields: bad values are TypeErrors naming the field; bool bit fields", () => {
  const b = new Bits();
  assert.throws(() => (b.s3 = "1"), { name: "TypeError", message: /^Bits\.s3: / });
  assert.throws(() => (b.u5 = 1.5), { name: "TypeError", message: /^Bits\.u5: / });
  assert.throws(() => (b.s40 = 0.5), { name: "TypeError", message: /^Bits\.s40: / });
  assert.throws(() => (b.u64 = "x"), { name: "TypeError", message: /^Bits\.u64: / });
  assert.deepEqual(bytesOf(b), new Array(40).fill(0));

  class Flags extends Structure {
    static _fields_ = [["on", c_bool, 1], ["mode", c_uint, 3], ["neg", c_int8, 4]];
  }
  assert.equal(sizeof(Flags), 4);
  const f = new Flags({ on: true, mode: 5, neg: -2 });
  assert.deepEqual(f.toObject(), { on: true, mode: 5, neg: -2 });
  assert.deepEqual(bytesOf(f), [0xeb, 0, 0, 0]); // gcc: on | mode << 1 | (neg & 15) << 4, all in byte 0
});

test("bit fields with _pack_ 1 straddle bytes exactly like gcc's #pragma pack(1)", () => {
  assertLayout(PackedBits, "struct PackedBits", ["c", "s"]);
  assert.deepEqual(fieldInfo(PackedBits, "a"), { offset: 0, size: 4, bit_offset: 8, bit_size: 12 });
  assert.deepEqual(fieldInfo(PackedBits, "b"), { offset: 0, size: 4, bit_offset: 20, bit_size: 12 });
  const values = { c: "\x7f", a: 0xabc, b: 0x123, s: -2 };
  ["c", "a", "b", "s"].forEach((name, which) => {
    const mine = new PackedBits();
    mine[name] = values[name];
    const theirs = new PackedBits();
    packedbits_set(theirs, which, name === "c" ? 0x7f : values[name]);
    assert.deepEqual(bytesOf(mine), bytesOf(theirs), name);
  });
  const all = new PackedBits(values);
  assert.deepEqual(bytesOf(all), [0x7f, 0xbc, 0x3a, 0x12, 0xfe, 0xff]);
});

// ================================================================== recursive types

test("recursive type with late _fields_: a linked list built in C, walked in JS via .prev.contents", () => {
  assertLayout(CELL, "struct Cell", ["index", "length", "prev"]);
  const last = cell_chain(5);
  try {
    const seen = [];
    let p = last;
    while (!p.isNull()) {
      const cell = p.contents;
      assert.ok(cell instanceof CELL);
      seen.push([cell.index, cell.length]);
      p = cell.prev;
    }
    assert.deepEqual(seen, [[4, 40], [3, 30], [2, 20], [1, 10], [0, 0]]);
    // writes through .contents are seen by C
    last.contents.prev.contents.length = 1000;
    const count = c_int();
    assert.equal(cell_walk(last, pointer(count)), (0 + 1 + 2 + 3 + 4) * 1000 + 0 + 10 + 20 + 1000 + 40);
    assert.equal(count.value, 5);
    // the first cell's prev is NULL
    assert.throws(() => last.contents.prev.contents.prev.contents.prev.contents.prev.contents.prev.contents, NullPointerError);
  } finally {
    cell_free_chain(last);
  }
});

test("recursive type: a linked list built in JS, walked by C (and kept alive through gc)", async () => {
  const head = (() => {
    let prev = null;
    for (let k = 0; k < 4; k++) {
      const c = new CELL({ index: k, length: k * 10 });
      if (prev) c.prev = pointer(prev);
      prev = c;
    }
    return prev; // only the last cell is referenced from JS
  })();
  await collectAndChurn();
  const count = c_int();
  assert.equal(cell_walk(head, pointer(count)), (0 + 1 + 2 + 3) * 1000 + 0 + 10 + 20 + 30);
  assert.equal(count.value, 4);
  assert.equal(head.prev.contents.prev.contents.index, 1);
  // a CELL instance assigned directly to the pointer field is taken by address (like an argument)
  const a = new CELL(7, 70);
  const b = new CELL(8, 80);
  b.prev = a;
  assert.equal(b.prev.contents.index, 7);
  b.prev.contents.index = 9;
  assert.equal(a.index, 9);
  assert.equal(cell_walk(b, null), 9 * 1000 + 70 + 8 * 1000 + 80);
  b.prev = null;
  assert.equal(b.prev.isNull(), true);
  assert.throws(() => (b.prev = new Point()), { name: "TypeError", message: /^CELL\.prev: / });
});

// ================================================================== _pack_ and _align_

test("_pack_ 1, 2, 4 equal #pragma pack(n): offsets, sizes, and C reads the values", () => {
  assertLayout(Packed1, "struct Packed1", ["c", "i", "s", "d"]);
  assertLayout(Packed2, "struct Packed2", ["c", "i", "c2", "d"]);
  assertLayout(Packed4, "struct Packed4", ["c", "d", "s", "q"]);
  assert.deepEqual([sizeof(Packed1), alignment(Packed1)], [15, 1]);
  assert.deepEqual([sizeof(Packed2), alignment(Packed2)], [16, 2]);
  assert.deepEqual([sizeof(Packed4), alignment(Packed4)], [24, 4]);

  const p1 = new Packed1("\x01", 100000, -3, 0.25);
  assert.equal(packed1_sum(p1), 1 + 100000 - 3 + 0.25);
  assert.deepEqual(bytesOf(p1), [1, 0xa0, 0x86, 0x01, 0, 0xfd, 0xff, 0, 0, 0, 0, 0, 0, 0xd0, 0x3f]);
  const p2 = new Packed2({ c: "\x02", i: -7, c2: "\x03", d: 1.5 });
  assert.equal(packed2_sum(p2), 2 - 7 + 3 + 1.5);
  const p4 = new Packed4("\x04", 2.5, 6, 1n << 40n);
  assert.equal(packed4_sum(p4), 4 + 2.5 + 6 + 2 ** 40);
  const f = new Packed1();
  packed1_fill(f);
  assert.deepEqual(f.toObject(), { c: "\x01", i: 0x11223344, s: -2, d: 0.5 });
  // packed arrays: elements follow each other without padding
  const arr = Packed1.array(3)();
  assert.equal(sizeof(arr), 45);
  arr[1].d = 3.5;
  assert.equal(arr[1].d, 3.5);
  assert.equal(packed1_sum(cast(arr, POINTER(Packed1))[1]), 3.5);
});

test("_pack_ and _align_ must be powers of two", () => {
  for (const [attr, v] of [["_pack_", 3], ["_pack_", -1], ["_pack_", "1"], ["_align_", 3], ["_align_", 1.5]]) {
    class X extends Structure {
      static _fields_ = [["a", c_int]];
    }
    X[attr] = v;
    assert.throws(() => sizeof(X), { name: "TypeError", message: new RegExp(`^X\\.${attr} must be a power of two`) });
  }
});

test("_align_ equals __attribute__((aligned(n))): raised alignment, padded size, nested placement", () => {
  assertLayout(Al16, "struct Al16", ["a", "b"]);
  assertLayout(HasAl16, "struct HasAl16", ["c", "al", "d"]);
  assertLayout(Al32, "struct Al32");
  assert.deepEqual([sizeof(Al16), alignment(Al16)], [16, 16]);
  assert.deepEqual([sizeof(HasAl16), alignment(HasAl16)], [48, 16]);
  assert.deepEqual([sizeof(Al32), alignment(Al32)], [32, 32]);
  const h = new HasAl16({ c: "\x01", al: { a: 20, b: 300 }, d: "\x04" });
  assert.equal(hasal16_sum(h), 1 + 20 + 300 + 4);
  assert.equal(addressof(h) % 16, 0, "instances are allocated at the raised alignment");
  // _align_ smaller than the natural alignment has no effect
  class Small extends Structure {
    static _align_ = 2;
    static _fields_ = [["d", c_double]];
  }
  assert.deepEqual([sizeof(Small), alignment(Small)], [8, 8]);
});

// ================================================================== anonymous members

test("instances of an _align_ 32 struct are allocated 32-byte aligned (C may use aligned loads)", () => {
  const misaligned = [];
  for (let i = 0; i < 8; i++) {
    const a = addressof(new Al32());
    if (a % 32 !== 0) misaligned.push(a % 32);
    c_int(i); // another small object in between shifts the allocator
  }
  const big = new (Al32.array(200))(); // a large object gets its own buffer
  if (addressof(big) % 32 !== 0) misaligned.push(addressof(big) % 32);
  assert.deepEqual(misaligned, []);
});

test("_anonymous_: a C11 anonymous union's fields are on the outer object and on the member", () => {
  assertLayout(Tagged, "struct Tagged", ["kind", "i", "d", "s", "tail"]);
  assert.deepEqual(fieldInfo(Tagged, "d"), { offset: 8, size: 8 });
  assert.deepEqual(fieldInfo(Tagged, "s"), { offset: 8, size: 8 });
  assert.deepEqual(fieldInfo(Tagged, "u"), { offset: 8, size: 8 });
  const t = new Tagged();
  t.kind = 1;
  t.d = 2.5;
  assert.equal(t.u.d, 2.5);
  assert.equal(tagged_value(t), 2.5);
  t.u.i = 42;
  t.kind = 0;
  assert.equal(t.i, 42);
  assert.equal(tagged_value(t), 42);
  t.kind = 2;
  t.s = "hello";
  assert.equal(t.u.s, "hello");
  assert.equal(tagged_value(t), 5);
  tagged_set_double(t, -6.75);
  assert.deepEqual([t.kind, t.d, t.u.d, t.tail], [1, -6.75, -6.75, 99]);
  // promoted names work in the constructor too
  const init = new Tagged({ kind: 1, d: 0.5, tail: 3 });
  assert.equal(tagged_value(init), 0.5);
  assert.equal(init.tail, 3);
  assert.deepEqual(new Tagged().toObject(), { kind: 0, u: { i: 0, d: 0, s: "" }, tail: 0 });
});

test("_anonymous_ errors: not a struct/union field, unknown name, clashing names, not an array", () => {
  const cases = [
    [["kind"], [["kind", c_int]], 'X._anonymous_: "kind" is not a structure or union field'],
    [["nope"], [["kind", c_int]], 'X._anonymous_: "nope" is not a structure or union field'],
    [["u"], [["i", c_int], ["u", TaggedU]], 'X._anonymous_: field "i" of u clashes with another field'],
    ["u", [["u", TaggedU]], "X._anonymous_ must be an array of field names"],
  ];
  for (const [anonymous, fields, message] of cases) {
    class X extends Structure {}
    X._anonymous_ = anonymous;
    X._fields_ = fields;
    assert.throws(() => sizeof(X), { name: "TypeError", message });
  }
});

test("anonymous struct inside an anonymous struct: the inner names reach the outer struct, as in C11", () => {
  // struct Nest2 { char c; struct { int pad; struct { short x, y; }; }; };
  class XY extends Structure {
    static _fields_ = [["x", c_short], ["y", c_short]];
  }
  class Mid extends Structure {
    static _anonymous_ = ["xy"];
    static _fields_ = [["pad", c_int], ["xy", XY]];
  }
  class Nest2 extends Structure {
    static _anonymous_ = ["m"];
    static _fields_ = [["c", c_char], ["m", Mid]];
  }
  assertLayout(Nest2, "struct Nest2", ["c", "pad"]);
  const n = new Nest2();
  n.m.y = 0x0102; // through the members: works
  assert.equal(n.m.xy.y, 0x0102);
  assert.deepEqual(bytesOf(n).slice(8), [0, 0, 2, 1]);
  assert.equal(n.pad, 0);
  // the second-level names on the outermost struct (CPython promotes them recursively too)
  assert.equal(fieldInfo(Nest2, "y").offset, c_offsetof("struct Nest2", "y"));
  assert.equal(fieldInfo(Nest2, "x").offset, c_offsetof("struct Nest2", "x"));
  assert.equal(n.y, 0x0102);
  n.x = -1;
  assert.equal(n.m.xy.x, -1);
});

// ================================================================== nested structs, unions, arrays

test("nested struct, union and array fields: layout equals C's; C fills, JS reads", () => {
  assertLayout(Outer, "struct Outer", ["tag", "inner", "arr", "u", "ip", "name", "label", "d"]);
  assertLayout(Inner, "struct Inner");
  assertLayout(IntFloat, "union IntFloat");
  const o = new Outer();
  outer_fill(o);
  assert.equal(o.tag, "Z");
  assert.deepEqual(o.inner.toObject(), { x: -7, y: 300 });
  assert.deepEqual(o.arr.toArray(), [11, 22, 33, 44]);
  assert.equal(o.u.f, 1.5);
  assert.equal(o.u.i, 0x3fc00000);
  assert.equal(o.name, "fromC");
  assert.equal(o.label, "label from C");
  assert.equal(o.d, 2.25);
});

test("a nested struct field is a view: writing outer.inner.x changes outer's memory", () => {
  const o = new Outer({ tag: "\x01" });
  o.inner.x = 5;
  assert.equal(outer_sum(o), 1 + 50);
  const inner = o.inner; // keep the view
  inner.y = 3;
  assert.equal(o.inner.y, 3);
  assert.equal(outer_sum(o), 1 + 50 + 300);
  assert.equal(addressof(inner), addressof(o) + 4);
  o.inner = new Inner(1, 2); // assigning an instance copies it in
  assert.equal(inner.x, 1);
  o.inner = { y: 9 }; // a plain object: missing fields are zero
  assert.deepEqual(inner.toObject(), { x: 0, y: 9 });
  assert.throws(() => (o.inner = { x: 1, z: 2 }), { name: "TypeError", message: /no field named "z"/ });
  // a union field is a view too
  o.u.f = 1.5;
  assert.equal(outer_u_int(o), 0x3fc00000);
  o.u = { i: 7 };
  assert.equal(outer_u_int(o), 7);
});

test("an array field is a view: outer.arr[2] = 7 writes through", () => {
  const o = new Outer();
  o.arr[2] = 7;
  assert.equal(outer_sum(o), 7 * 3000);
  const arr = o.arr;
  arr[0] = 1;
  assert.equal(o.arr[0], 1);
  assert.equal(addressof(arr), addressof(o) + 12);
  assert.ok(arr.typed instanceof Int32Array);
  arr.typed[3] = 2;
  assert.equal(outer_sum(o), 1000 + 21000 + 8000);
  o.arr = [4, 3, 2, 1];
  assert.deepEqual(arr.toArray(), [4, 3, 2, 1]);
  assert.throws(() => (o.arr = [1, 2, 3, 4, 5]), RangeError);
  assert.throws(() => (o.arr = 5), TypeError);
  assert.throws(() => (o.arr[4] = 1), RangeError);
  assert.deepEqual(o.arr.toArray(), [4, 3, 2, 1]);
});

test("arrays of structs as fields; 2-D arrays as fields", () => {
  class Poly extends Structure {
    static _fields_ = [["n", c_int], ["pts", Point.array(3)], ["m", c_short.array(2).array(2)]];
  }
  assert.equal(sizeof(Poly), 4 + 24 + 8);
  const p = new Poly({ n: 3, pts: [{ x: 1, y: 2 }, new Point(3, 4)], m: [[1, 2], [3, 4]] });
  p.pts[2].y = 9;
  assert.equal(points_weighted(cast(p.pts, PointP), 3), 1 * 102 + 2 * 304 + 3 * 9);
  p.m[1][0] = -1;
  assert.deepEqual(p.toObject(), { n: 3, pts: [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 0, y: 9 }], m: [[1, 2], [-1, 4]] });
});

// ================================================================== pointer fields and keep-alive

test("pointer fields: C dereferences what JS stored; keep-alive of JS-owned targets through gc", async () => {
  const o = new Outer();
  o.ip = pointer(c_int(42)); // the c_int is only referenced by the pointer, which only the struct holds
  const o2 = new Outer();
  o2.ip = c_int.array(3)(5, 6, 7); // an array stored into a pointer field
  const o3 = new Outer();
  o3.ip = c_int(-9); // a c_int instance is taken by address
  await collectAndChurn();
  assert.equal(outer_deref(o), 42);
  assert.equal(o.ip.contents.value, 42);
  assert.deepEqual([0, 1, 2].map((i) => outer_deref_at(o2, i)), [5, 6, 7]);
  assert.equal(o2.ip[2], 7);
  assert.equal(outer_deref(o3), -9);
  o.ip.contents.value = 43;
  assert.equal(outer_deref(o), 43);
  o.ip = null;
  assert.equal(outer_deref(o), -1);
  assert.equal(o.ip.isNull(), true);
});

test("pointer fields: a pointer to a JS-owned struct, read and written by C through the field", () => {
  class Holder extends Structure {
    static _fields_ = [["pt", PointP], ["n", c_int]];
  }
  const h = new Holder();
  const target = new Point(2, 3);
  h.pt = pointer(target);
  assert.equal(point_sum(h.pt), 5);
  point_set(h.pt, 7, 8);
  assert.deepEqual(target.toObject(), { x: 7, y: 8 });
  h.pt.contents.x = 1;
  assert.equal(target.x, 1);
  assert.equal(h.toObject().pt, addressof(target));
});

test("keep-alive survives copying a struct into an array element or a nested field", () => {
  // in a child process: a failure here reads freed memory
  const script = `
    import { Structure, c_char_p, c_int, POINTER } from "tsctypes";
    class S extends Structure { static _fields_ = [["s", c_char_p], ["p", POINTER(c_int)]]; }
    class W extends Structure { static _fields_ = [["inner", S]]; }
    const arr = S.array(1)();
    const w = new W();
    (() => {
      const src = new S();
      src.s = "x".repeat(200);                     // JS-owned bytes, kept alive by src
      src.p = c_int.array(64)(...Array.from({ length: 64 }, (_, i) => i));
      arr[0] = src;                                // copies the bytes: the copy must keep the targets too
      w.inner = src;
    })();
    for (let round = 0; round < 4; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      const junk = [];
      for (let i = 0; i < 20000; i++) junk.push(new Uint8Array(8 + (i % 96)).fill(0x5a).buffer);
    }
    console.log(JSON.stringify([arr[0].s === "x".repeat(200), arr[0].p[63], w.inner.s === "x".repeat(200), w.inner.p[63]]));
  `;
  const r = runModule(script, { gc: true });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, 63, true, 63]);
});

// ================================================================== strings in fields

test("c_char array fields read and write as strings; too long is a RangeError", () => {
  const o = new Outer();
  o.name = "hi";
  assert.equal(o.name, "hi");
  assert.equal(outer_name(o), "hi");
  o.name = "12345678"; // exactly fills the 8 bytes (no NUL, as in C)
  assert.equal(o.name, "12345678");
  o.name = "ab"; // shorter: the rest is cleared
  assert.deepEqual([...o.toObject().name], ["a", "b"]);
  assert.equal(outer_name(o), "ab");
  assert.throws(() => (o.name = "123456789"), RangeError);
  assert.equal(o.name, "ab");
  assert.throws(() => (o.name = 5), TypeError);
  o.name = "é"; // UTF-8: 2 bytes
  assert.equal(o.name, "é");
  assert.throws(() => (o.name = "éééé1"), RangeError); // 9 bytes
});

test("too long a string for a c_char array field: the RangeError names the field (Outer.name)", () => {
  const o = new Outer();
  assert.throws(() => (o.name = "123456789"), { name: "RangeError", message: /Outer\.name/ });
});

test("c_char_p fields: string in, string out, C sees it; C stores one, JS reads it; kept alive", async () => {
  assertLayout(Named, "struct Named", ["name", "len"]);
  const n = new Named({ name: "hello" });
  assert.equal(n.name, "hello");
  assert.equal(named_len(n), 5);
  n.name = "héllo wörld";
  assert.equal(named_len(n), 13);
  named_set(n, 1);
  assert.deepEqual(n.toObject(), { name: "beta", len: 4 });
  named_set(n, -1);
  assert.equal(n.name, null);
  n.name = null;
  assert.equal(named_len(n), -1);
  n.name = new Uint8Array([104, 105, 0]);
  assert.equal(n.name, "hi");
  assert.throws(() => (n.name = true), { name: "TypeError", message: /^Named\.name: / });
  // the encoded string lives as long as the struct
  const m = new Named();
  m.name = "z".repeat(1000);
  await collectAndChurn();
  assert.equal(named_len(m), 1000);
  assert.equal(m.name, "z".repeat(1000));
  // c_char_p inside a nested struct
  const o = new Outer({ label: "nested label" });
  assert.equal(outer_label(o), "nested label");
});

// ================================================================== byte order

test("BigEndianStructure: C's scalar_storage_order(big-endian) struct, bytes checked exactly", () => {
  assertLayout(BE, "struct BE", ["a", "b", "c", "f", "d"]);
  const c = new BE();
  be_fill(c);
  assert.deepEqual(c.toObject(), { a: 0x01020304, b: 0xa1b2, c: 0x1122334455667788n, f: 1, d: -2 });
  const s = new BE({ a: 0x01020304, b: 0xa1b2, c: 0x1122334455667788n, f: 1, d: -2 });
  assert.deepEqual(bytesOf(s), [
    1, 2, 3, 4, 0xa1, 0xb2, 0, 0,
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
    0x3f, 0x80, 0, 0, 0, 0, 0, 0,
    0xc0, 0, 0, 0, 0, 0, 0, 0,
  ]);
  assert.deepEqual(bytesOf(s), bytesOf(c));
  s.a = -2;
  s.c = -3n;
  assert.equal(be_get(s, 0), -2n);
  assert.equal(be_get(s, 1), 0xa1b2n);
  assert.equal(be_get(s, 2), -3n);
  assert.equal(be_get(s, 3), 1000n);
  assert.equal(be_get(s, 4), -2000n);
});

test("LittleEndianStructure: bytes in little-endian order, as C's", () => {
  assertLayout(LE, "struct LE", ["a", "b", "c"]);
  const s = new LE(0x01020304, 0xa1b2, 0x1122334455667788n);
  assert.deepEqual(bytesOf(s), [4, 3, 2, 1, 0xb2, 0xa1, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
  const c = new LE();
  le_fill(c);
  assert.deepEqual(bytesOf(c), bytesOf(s));
});

test("bit fields in a BigEndianStructure equal gcc's big-endian scalar_storage_order layout", () => {
  assertLayout(BEBits, "struct BEBits");
  const values = { a: 5, b: 100, c: -1000, d: 777, e: 19, f: 1500 };
  BEBITS_NAMES.forEach((name, which) => {
    const mine = new BEBits();
    mine[name] = values[name];
    const theirs = new BEBits();
    bebits_set(theirs, which, values[name]);
    assert.deepEqual(bytesOf(mine), bytesOf(theirs), `bytes of ${name}`);
    assert.equal(theirs[name], values[name], `JS reads C's ${name}`);
  });
  const all = new BEBits(values);
  BEBITS_NAMES.forEach((name, which) => assert.equal(bebits_get(all, which), values[name], `C reads ${name}`));
  // a: top 3 bits of the first big-endian int
  assert.deepEqual(bytesOf(new BEBits({ a: 7 })), [0xe0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(bytesOf(new BEBits({ f: 1 })), [0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(fieldInfo(BEBits, "a"), { offset: 0, size: 4, bit_offset: 29, bit_size: 3 });
});

test("Union and BigEndianUnion: every field at offset 0, size of the largest, C agrees", () => {
  assertLayout(NumberU, "union Number", ["c", "d"]);
  assertLayout(BEU, "union BEU");
  for (const f of ["c", "s", "i", "q", "d", "bytes"]) assert.equal(fieldInfo(NumberU, f).offset, 0);
  const n = new NumberU();
  number_set_double(n, 1.0);
  assert.equal(n.q, 0x3ff0000000000000n);
  assert.deepEqual(n.bytes.toArray(), [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  n.i = -1;
  assert.equal(number_get_q(n), 0x3ff00000ffffffffn);
  const init = new NumberU({ s: 0x4142 });
  assert.equal(init.c, "B");
  assert.deepEqual(new NumberU(65).toObject().c, "A"); // positional: the first field
  assert.throws(() => new NumberU({ x: 1 }), { name: "TypeError", message: 'NumberU(): no field named "x"' });

  const u = new BEU();
  beu_set(u, 0x01020304);
  assert.equal(u.i, 0x01020304);
  assert.equal(u.s, 0x0102);
  assert.deepEqual(u.b.toArray(), [1, 2, 3, 4]);
  u.s = 0xaabb;
  assert.equal(beu_get_short(u), 0xaabb);
  assert.deepEqual(bytesOf(u), [0xaa, 0xbb, 3, 4]);
  class LEU extends LittleEndianUnion {
    static _fields_ = [["i", c_uint], ["s", c_ushort]];
  }
  const l = new LEU({ i: 0x01020304 });
  assert.equal(l.s, 0x0304);
  assert.deepEqual(bytesOf(l), [4, 3, 2, 1]);
});

test("arrays inside a BigEndianStructure store every element big-endian, as gcc does", () => {
  class BEArr extends BigEndianStructure {
    static _fields_ = [["h", c_ushort.array(3)], ["i", c_int]];
  }
  assertLayout(BEArr, "struct BEArr", ["h", "i"]);
  const bearr_fill = lib.func("bearr_fill", null, [POINTER(BEArr)]);
  const bearr_get = lib.func("bearr_get", c_int, [POINTER(BEArr), c_int]);
  const c = new BEArr();
  bearr_fill(c);
  assert.deepEqual(bytesOf(c), [1, 2, 3, 4, 5, 6, 0, 0, 0xff, 0xff, 0xff, 0xfe]);
  assert.deepEqual(c.h.toArray(), [0x0102, 0x0304, 0x0506]);
  assert.deepEqual(c.toObject(), { h: [0x0102, 0x0304, 0x0506], i: -2 });
  const j = new BEArr({ h: [0x0a0b, 0, 0x0c0d], i: 7 });
  j.h[1] = 0x1122;
  assert.deepEqual(bytesOf(j), [0x0a, 0x0b, 0x11, 0x22, 0x0c, 0x0d, 0, 0, 0, 0, 0, 7]);
  assert.deepEqual([0, 1, 2, 3].map((k) => bearr_get(j, k)), [0x0a0b, 0x1122, 0x0c0d, 7]);
});

test("a packed struct holding a naturally aligned struct: the member's alignment is capped", () => {
  class PackedOuter extends Structure {
    static _pack_ = 1;
    static _fields_ = [["c", c_char], ["in", Inner], ["s", c_short]];
  }
  assertLayout(PackedOuter, "struct PackedOuter", ["c", "in", "s"]);
  const packedouter_sum = lib.func("packedouter_sum", c_long, [POINTER(PackedOuter)]);
  const p = new PackedOuter({ c: "\x01", in: { x: 2, y: 3 }, s: 4 });
  assert.equal(packedouter_sum(p), 1 + 20 + 300 + 4000);
  p.in.y = -1; // a view at offset 1: misaligned, still exact
  assert.equal(packedouter_sum(p), 1 + 20 - 100 + 4000);
});

test("bit fields in a union all start at bit 0, as in C", () => {
  class UBits extends Union {
    static _fields_ = [["a", c_uint, 3], ["b", c_int, 5], ["c", c_ubyte]];
  }
  assertLayout(UBits, "union UBits");
  const ubits_set = lib.func("ubits_set", null, [POINTER(UBits), c_int, c_int]);
  for (const [which, name, v] of [[0, "a", 5], [1, "b", -3], [2, "c", 0xab]]) {
    const mine = new UBits();
    mine[name] = v;
    const theirs = new UBits();
    ubits_set(theirs, which, v);
    assert.deepEqual(bytesOf(mine), bytesOf(theirs), name);
  }
  const u = new UBits({ c: 0xff });
  assert.deepEqual([u.a, u.b, u.c], [7, -1, 255]);
  assert.deepEqual(fieldInfo(UBits, "b"), { offset: 0, size: 4, bit_offset: 0, bit_size: 5 });
});

test("c_wchar array fields read and write as strings; c_bool and c_float fields", () => {
  class WideB extends Structure {
    static _fields_ = [["w", c_wchar.array(4)], ["flag", c_bool], ["f", c_float]];
  }
  assertLayout(WideB, "struct WideB", ["w", "flag", "f"]);
  const wideb_wlen = lib.func("wideb_wlen", c_size_t, [POINTER(WideB)]);
  const wideb_code = lib.func("wideb_code", c_long, [POINTER(WideB), c_int]);
  const wideb_set = lib.func("wideb_set", null, [POINTER(WideB)]);
  const s = new WideB({ w: "ab😀", flag: true, f: 0.5 });
  assert.equal(s.w, "ab😀");
  assert.equal(wideb_wlen(s), 3);
  assert.deepEqual([0, 1, 2].map((k) => wideb_code(s, k)), [97, 98, 0x1f600]);
  assert.throws(() => (s.w = "abcde"), RangeError);
  assert.equal(s.w, "ab😀");
  wideb_set(s);
  assert.deepEqual(s.toObject(), { w: "ж😀", flag: true, f: 0.75 });
  s.flag = 0;
  assert.equal(s.flag, false);
  s.f = 1e40; // out of float range: C's conversion gives infinity
  assert.equal(s.f, Infinity);
});

// ================================================================== the typed factory

test("struct({...}, {pack, align, name}): layout, name in messages and inspect", () => {
  const Vec2 = struct({ x: c_double, y: c_double }, { name: "Vec2" });
  assert.equal(Vec2.name, "Vec2");
  assert.deepEqual([sizeof(Vec2), alignment(Vec2)], [16, 8]);
  const v = new Vec2({ x: 1, y: 2 });
  assert.deepEqual([v.x, v.y], [1, 2]);
  assert.equal(util.inspect(v), "Vec2 { x: 1, y: 2 }");
  assert.throws(() => new Vec2({ z: 1 }), { name: "TypeError", message: 'Vec2(): no field named "z"' });
  assert.throws(() => (v.x = "1"), { name: "TypeError", message: 'Vec2.x: expected a number, got string "1"' });
  assert.throws(() => new Vec2(1, 2, 3), { name: "TypeError", message: "Vec2(): too many initializers (3 for 2 fields)" });

  const P1 = struct({ c: c_char, i: c_int, s: c_short, d: c_double }, { pack: 1 });
  assert.equal(P1.name, "Struct");
  assert.deepEqual([sizeof(P1), alignment(P1)], [sizeof(Packed1), 1]);
  assert.deepEqual(bytesOf(new P1("\x01", 100000, -3, 0.25)), bytesOf(new Packed1("\x01", 100000, -3, 0.25)));
  assert.equal(packed1_sum(cast(new P1("\x01", 2, 3, 0.5), POINTER(Packed1))), 6.5);

  const A = struct({ a: c_int, b: c_int }, { align: 16 });
  assert.deepEqual([sizeof(A), alignment(A)], [16, 16]);
  const Bf = struct({ lo: [c_uint, 4], hi: [c_uint, 4], n: c_short });
  assert.deepEqual(fieldInfo(Bf, "hi"), { offset: 0, size: 4, bit_offset: 4, bit_size: 4 });
  assert.deepEqual(bytesOf(new Bf({ lo: 1, hi: 2, n: 3 })), [0x21, 0, 3, 0]);
  const Anon = struct({ k: c_int, u: IntFloat }, { anonymous: ["u"] });
  const an = new Anon({ f: 1.5 });
  assert.equal(an.i, 0x3fc00000);

  assert.throws(() => struct(null), { name: "TypeError", message: "struct(): expected an object of field types, got null" });
  assert.throws(() => struct({ x: 5 }), { name: "TypeError", message: /^struct\(\) field "x": expected a tsctypes type/ });
  assert.throws(() => union({ x: "c_int" }), { name: "TypeError", message: /^union\(\) field "x": / });
  assert.throws(() => sizeof(struct({ x: c_int }, { pack: 3, name: "Bad" })), { name: "TypeError", message: /^Bad\._pack_ must be a power of two/ });
  assert.throws(() => sizeof(struct({ x: [c_double, 3] }, { name: "Bad" })), { name: "TypeError", message: /bit fields must have an integer type/ });
});

test("union({...}): all at offset 0; C reads what JS wrote", () => {
  const U = union({ i: c_int, f: c_float }, { name: "IF" });
  assert.deepEqual([sizeof(U), alignment(U)], [4, 4]);
  const u = new U({ f: 1.5 });
  assert.equal(u.i, 0x3fc00000);
  const o = new Outer();
  o.u = { i: u.i };
  assert.equal(o.u.f, 1.5);
  assert.equal(util.inspect(u), "IF { i: 1069547520, f: 1.5 }");
});

test("class Point extends struct({...}) { method() }: methods see fields; the class is a C type", () => {
  class Pt extends struct({ x: c_int, y: c_int }) {
    sum() {
      return this.x + this.y;
    }
    scale(k) {
      this.x *= k;
      this.y *= k;
      return this;
    }
  }
  assert.equal(Pt.name, "Pt");
  const p = new Pt(3, 4);
  assert.equal(p.sum(), 7);
  assert.equal(p.scale(2).sum(), 14);
  assert.equal(point_sum(cast(p, PointP)), 14);
  assert.equal(util.inspect(p), "Pt { x: 6, y: 8 }");
  assert.ok(p instanceof Pt && p instanceof Structure);
  // elements of arrays and pointer targets are instances of the subclass, with its methods
  const arr = Pt.array(2).from([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
  assert.ok(arr[1] instanceof Pt);
  assert.equal(arr[1].sum(), 7);
  assert.equal(pointer(p).contents.sum(), 14);
  assert.equal(new Pt({ x: 1, y: 1 }).sum(), 2);
  assert.equal(new Pt().sum(), 0);
});

// ================================================================== fieldInfo, toObject, JSON, inspect

test("fieldInfo: plain, nested, anonymous-promoted and bit fields; errors", () => {
  assert.deepEqual(fieldInfo(Point, "y"), { offset: 4, size: 4 });
  assert.deepEqual(fieldInfo(Outer, "inner"), { offset: 4, size: 8 });
  assert.deepEqual(fieldInfo(Outer, "arr"), { offset: 12, size: 16 });
  assert.deepEqual(fieldInfo(Outer, "label"), { offset: 48, size: 8 });
  assert.deepEqual(fieldInfo(Tagged, "d"), { offset: 8, size: 8 });
  assert.deepEqual(fieldInfo(Bits, "s7"), { offset: 0, size: 4, bit_offset: 8, bit_size: 7 });
  assert.deepEqual(fieldInfo(NumberU, "q"), { offset: 0, size: 8 });
  assert.throws(() => fieldInfo(Point, "z"), { name: "TypeError", message: 'fieldInfo(): Point has no field named "z"' });
  assert.throws(() => fieldInfo(Outer, "x"), { name: "TypeError", message: 'fieldInfo(): Outer has no field named "x"' });
  assert.throws(() => fieldInfo(c_int, "x"), { name: "TypeError", message: "fieldInfo(): c_int is not a structure or union" });
  assert.throws(() => fieldInfo({}, "x"), TypeError);
});

test("toObject(): nested → objects, arrays → arrays, 64-bit → bigint, pointers → address or null", () => {
  class Rec extends Structure {
    static _fields_ = [["id", c_uint64], ["p", Point], ["xs", c_short.array(3)], ["q", POINTER(c_int)], ["s", c_char.array(4)], ["ok", c_bool], ["f", c_float]];
  }
  const target = c_int(5);
  const r = new Rec({ id: 2n ** 63n, p: { x: 1, y: -2 }, xs: [1, 2, 3], ok: true, f: 0.5, s: "ab" });
  const plain = r.toObject();
  assert.deepEqual(plain, { id: 2n ** 63n, p: { x: 1, y: -2 }, xs: [1, 2, 3], q: null, s: "ab", ok: true, f: 0.5 });
  assert.equal(Object.getPrototypeOf(plain.p), Object.prototype);
  assert.ok(Array.isArray(plain.xs));
  r.q = pointer(target);
  assert.equal(r.toObject().q, addressof(target));
  // the copy is independent
  plain.p.x = 100;
  assert.equal(r.p.x, 1);
  // round trip: the plain copy (without the pointer) constructs a struct with the same bytes
  const { q: _q, ...rest } = r.toObject();
  const copy = new Rec(rest);
  r.q = null;
  assert.deepEqual(bytesOf(copy), bytesOf(r));
});

test("JSON.stringify: bigint as string, nested objects and arrays", () => {
  class Rec extends Structure {
    static _fields_ = [["id", c_int64], ["p", Point], ["xs", c_short.array(2)], ["name", c_char.array(4)]];
  }
  const r = new Rec({ id: -(2n ** 62n), p: { x: 1, y: 2 }, xs: [3, 4], name: "ab" });
  assert.equal(JSON.stringify(r), '{"id":"-4611686018427387904","p":{"x":1,"y":2},"xs":[3,4],"name":"ab"}');
  assert.equal(JSON.stringify({ point: new Point(1, 2) }), '{"point":{"x":1,"y":2}}');
  assert.deepEqual(r.toJSON(), { id: "-4611686018427387904", p: { x: 1, y: 2 }, xs: [3, 4], name: "ab" });
});

test("util.inspect / console.log output: `Point { x: 1, y: 2 }`", () => {
  assert.equal(util.inspect(new Point(1, 2)), "Point { x: 1, y: 2 }");
  assert.equal(util.format("%o", new Point(1, 2)).startsWith("Point {"), true);
  class Big extends Structure {
    static _fields_ = [["n", c_longlong], ["p", Point], ["xs", c_int.array(2)], ["name", c_char.array(4)]];
  }
  assert.equal(util.inspect(new Big({ n: 5, p: { x: 1, y: 2 }, xs: [3, 4], name: "ab" })), "Big { n: 5n, p: { x: 1, y: 2 }, xs: [ 3, 4 ], name: 'ab' }");
  assert.equal(util.inspect(new Tagged()), "Tagged { kind: 0, u: { i: 0, d: 0, s: '' }, tail: 0 }");
  assert.equal(util.inspect([new Point(1, 2)]), "[ Point { x: 1, y: 2 } ]");
  assert.equal(String(new Point(1, 2)), "Point(x=1, y=2)");
  assert.equal(`${new Big({ n: 5 })}`, 'Big(n=5n, p={"x":0,"y":0}, xs=[0,0], name="")');
});

// ================================================================== arrays of structs, pointers, from_*

test("P.array(n): elements are views; arr[1].x = 3 writes through; from([...]); C reads and writes", () => {
  const PA = Point.array(3);
  assert.equal(sizeof(PA), 24);
  const arr = PA.from([{ x: 1, y: 2 }, { x: 3, y: 4 }]);
  assert.deepEqual(arr.toArray().map((p) => p.toObject()), [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 0, y: 0 }]);
  const el = arr[1];
  assert.ok(el instanceof Point);
  el.x = 30;
  assert.equal(arr[1].x, 30);
  arr[2].y = 9;
  assert.equal(points_weighted(arr, 3), 1 * 102 + 2 * 3004 + 3 * 9);
  points_scale(arr, 3, 2);
  assert.deepEqual([arr[0].x, el.x, arr[2].y], [2, 60, 18]);
  arr[0] = { x: 5, y: 5 };
  arr[2] = new Point(7, 7);
  assert.deepEqual(arr.toArray().map((p) => [p.x, p.y]), [[5, 5], [60, 8], [7, 7]]);
  assert.equal(addressof(arr[2]), addressof(arr) + 16);
  const direct = PA({ x: 1, y: 2 }, new Point(5, 6));
  assert.deepEqual([direct[1].x, direct[2].x], [5, 0]);
  assert.throws(() => PA.from([{ x: 1, y: 2 }, { z: 3 }]), { name: "TypeError", message: 'Point(): no field named "z"' });
  assert.throws(() => PA.from([1, 2]), { name: "TypeError", message: /expected a Point instance or a plain object/ });
  assert.throws(() => PA.from([{}, {}, {}, {}]), RangeError);
  assert.throws(() => arr[3], RangeError);
  assert.throws(() => (arr[0] = 5), { name: "TypeError", message: /^Point_Array_3\[0\]: expected a Point instance/ });
});

test("POINTER(P): p[i] and .contents are views; writes through them are seen by C", () => {
  const p = get_static_points();
  assert.ok(p.contents instanceof Point);
  assert.deepEqual([p[0].x, p[1].x, p[2].y], [1, 3, 6]);
  p[2].x = 50;
  assert.equal(static_point_x(2), 50);
  p.contents.x = 10;
  assert.equal(static_point_x(0), 10);
  p[1] = { x: 33, y: 4 };
  assert.equal(static_point_x(1), 33);
  const view = p[1];
  view.x = 3; // restore
  assert.equal(static_point_x(1), 3);
  // pointer() to a JS-owned struct
  const pt = new Point(1, 2);
  const pp = pointer(pt);
  pp.contents.x = 9;
  pp[0].y = 8;
  assert.deepEqual([pt.x, pt.y], [9, 8]);
  assert.equal(point_sum(pp), 17);
  // NULL
  assert.throws(() => PointP().contents, NullPointerError);
});

test("P.from_address(addr) views C memory; P.array(n).from_address too", () => {
  const addr = get_static_points().value;
  const q = Point.from_address(addr);
  q.x = 11;
  assert.equal(static_point_x(0), 11);
  const all = Point.array(3).from_address(addr);
  all[2].x = 5;
  assert.equal(static_point_x(2), 5);
  assert.deepEqual(all.toArray().map((p) => p.x), [11, 3, 5]);
  q.x = 1;
  assert.throws(() => Point.from_address(0), NullPointerError);
});

test("P.from_buffer(u8, offset) is a view; from_buffer_copy a copy; too small is a RangeError", () => {
  const u8 = new Uint8Array(24);
  const q = Point.from_buffer(u8, 8);
  q.x = 0x01020304;
  q.y = -1;
  assert.deepEqual([...u8.subarray(8, 16)], [4, 3, 2, 1, 255, 255, 255, 255]);
  u8[8] = 5;
  assert.equal(q.x, 0x01020305);
  assert.equal(point_sum(q), 0x01020305 - 1);
  const c = Point.from_buffer_copy(u8, 8);
  c.x = 0;
  assert.equal(u8[8], 5);
  assert.equal(c.y, -1);
  const whole = Point.from_buffer(u8.buffer);
  assert.equal(whole.x, 0);
  assert.throws(() => Point.from_buffer(u8, 20), { name: "RangeError", message: "Point.from_buffer(): buffer of 24 bytes is too small for 8 bytes at offset 20" });
  assert.throws(() => Point.from_buffer_copy(u8, 17), RangeError);
  // a struct viewing another struct's memory
  const o = new Outer();
  const inner = Inner.from_buffer(o, 4);
  inner.x = 6;
  assert.equal(o.inner.x, 6);
});

test("sizeof/alignment of types and instances; struct in a struct pointer cast", () => {
  for (const T of [Point, Outer, Bits, Packed1, Packed2, Packed4, Al16, HasAl16, Tagged, CELL, Named, BE, BEBits, NumberU]) {
    assert.equal(sizeof(new T()), sizeof(T), T.name);
    assert.equal(alignment(new T()), alignment(T), T.name);
  }
  const o = new Outer();
  const asInts = cast(o, POINTER(c_int));
  asInts[1] = 77; // inner.x at offset 4
  assert.equal(o.inner.x, 77);
  memset(o, 0, sizeof(o));
  assert.equal(o.inner.x, 0);
});
