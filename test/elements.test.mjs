// Element access on arrays and pointers as a whole: the methods that visit many elements
// (iteration, spread, toArray, slice, set, toString, inspect, T.from) against memory that
// real C code in test/fixtures/memory.c and structs.c reads and writes, struct elements
// as zero-copy views, and what these methods keep alive. Single-index errors (RangeError,
// NullPointerError) are in errors.test.mjs and memory.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { CDLL, POINTER, NullPointerError, c_int, c_long, cast, struct } from "tsctypes";
import { collectAndChurn, fixture } from "./helpers.mjs";

const memory = new CDLL(fixture("memory"));
const IntP = POINTER(c_int);
const fill_seq = memory.func("fill_seq", null, [IntP, c_int, c_int]);
const scale = memory.func("scale", null, [IntP, c_int, c_int]);
const sum = memory.func("sum", c_int, [IntP, c_int]);

const structs = new CDLL(fixture("structs"));
const Point = struct({ x: c_int, y: c_int });
const PointP = POINTER(Point);
const points_weighted = structs.func("points_weighted", c_long, [PointP, c_int]);
const points_scale = structs.func("points_scale", null, [PointP, c_int, c_int]);

test("for..of, spread, toArray and slice read every element C wrote, in order", () => {
  const a = c_int.array(25)();
  fill_seq(a, 25, 100);
  const expected = Array.from({ length: 25 }, (_, i) => 100 + i);
  const seen = [];
  for (const v of a) seen.push(v);
  assert.deepEqual(seen, expected);
  assert.deepEqual([...a], expected);
  assert.deepEqual(a.toArray(), expected);
  assert.deepEqual(a.slice(), expected);
  assert.deepEqual(a.slice(3, 6), [103, 104, 105]);
  assert.deepEqual(a.slice(-2), [123, 124]);
  assert.deepEqual(a.slice(30), []);
  assert.throws(() => a.slice(1.5), { name: "TypeError", message: "c_int_Array_25.slice() start: expected an integer, got number 1.5" });
});

test("toString and console.log output show the elements (inspect stops after 20)", () => {
  const a = c_int.array(25)();
  fill_seq(a, 25, 1);
  assert.equal(String(c_int.array(3)(7, -8, 9)), "<c_int_Array_3 [7, -8, 9]>");
  assert.equal(util.inspect(a), `c_int_Array_25(25) [${Array.from({ length: 20 }, (_, i) => i + 1).join(", ")}, ...]`);
  assert.equal(util.inspect(c_int.array(2)(5, 6)), "c_int_Array_2(2) [5, 6]");
  assert.equal(JSON.stringify(c_int.array(3)(1, 2, 3)), "[1,2,3]");
});

test("arr.set() and T.from() write through to the memory C reads; bad values name the element and write nothing after it", () => {
  const a = c_int.array(6)();
  a.set([1, 2, 3], 2);
  assert.equal(sum(a, 6), 6);
  assert.deepEqual(a.toArray(), [0, 0, 1, 2, 3, 0]);
  const b = c_int.array(4).from(new Int32Array([5, 6, 7, 8]));
  scale(b, 4, 10);
  assert.deepEqual([...b], [50, 60, 70, 80]);
  assert.throws(() => a.set([9, "x"]), { name: "TypeError", message: 'c_int_Array_6.set() element 1: expected an integer (number or bigint), got string "x"' });
  assert.throws(() => a.set([1, 2, 3, 4, 5, 6, 7]), { name: "RangeError", message: "c_int_Array_6.set(): 7 values do not fit in 6 elements" });
});

test("struct elements are zero-copy views: writes through an element (read by index, iteration or slice) reach C, C's writes reach them", () => {
  const pts = Point.array(3)();
  pts[0].x = 1;
  pts[0].y = 2;
  const [, second] = pts;
  second.x = 3;
  second.y = 4;
  const third = pts.slice(2)[0];
  third.x = 5;
  third.y = 6;
  assert.equal(points_weighted(pts, 3), 1 * 102 + 2 * 304 + 3 * 506);
  points_scale(pts, 3, 2);
  assert.deepEqual([second.x, second.y, third.x, third.y], [6, 8, 10, 12]);
  assert.deepEqual(pts.toArray().map((p) => [p.x, p.y]), [[2, 4], [6, 8], [10, 12]]);
  // elements set from plain objects and from Point instances are copied in
  pts.set([{ x: 7, y: 8 }, new Point({ x: 9, y: 1 })], 1);
  assert.equal(points_weighted(pts, 3), 1 * 204 + 2 * 708 + 3 * 901);
  assert.throws(() => pts.set([{ x: "q" }]), { name: "TypeError", message: /expected an integer \(number or bigint\), got string "q"/ });
});

test("a nested array element assigned from a JS array writes into the parent's memory", () => {
  const m = c_int.array(3).array(2)();
  m[1] = [4, 5, 6];
  m[0].set([1, 2], 1);
  assert.deepEqual(m.toArray().map((row) => [...row]), [[0, 1, 2], [4, 5, 6]]);
  assert.equal(sum(cast(m, IntP), 6), 18);
});

test("p.slice(start, end) reads the elements behind a pointer, including before it; through NULL it throws NullPointerError", () => {
  const a = c_int.array(8)();
  fill_seq(a, 8, 40);
  const p = cast(a, IntP);
  assert.deepEqual(p.slice(0, 8), [40, 41, 42, 43, 44, 45, 46, 47]);
  const mid = cast(addressOfElement(a, 4), IntP);
  assert.deepEqual(mid.slice(-2, 2), [42, 43, 44, 45]);
  assert.throws(() => IntP().slice(0, 2), NullPointerError);
  assert.throws(() => p.slice(0, 1.5), { name: "TypeError", message: /LP_c_int\.slice\(\): start and end must be integers/ });
});

test("arr.set() of pointer elements keeps the pointed-to objects alive after a GC", async () => {
  const ptrs = IntP.array(2)();
  ptrs.set([c_int(11), c_int(22)]);
  await collectAndChurn();
  assert.deepEqual(ptrs.toArray().map((p) => p[0]), [11, 22]);
  assert.deepEqual([...ptrs].map((p) => p.contents.value), [11, 22]);
});

/** The address of element `i` of a c_int array. */
function addressOfElement(a, i) {
  return cast(a, IntP).value + i * 4;
}
