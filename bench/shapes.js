'use strict';
// The call shapes measured by the benchmark, in table order.
//
// A shape is one kind of call from JavaScript into C. Each contender
// (bench/contenders/<name>.js) supplies, for every shape it supports, a
// closure `(i) => result` that makes exactly one call of the C function with
// the inputs described here. The timing loop (bench/timing.js) calls it with
// the loop counter `i`; shapes whose inputs don't depend on it ignore it.
//
// Fields:
//   name       key used by --shapes=, by the contenders and in the tables
//   signature  the C prototype (in bench/lib/benchlib.c)
//   call       the JS call every contender makes, written out for the table
//   expect(i)  the result the closure must return for counter i, checked
//              before timing (bigint results are compared as numbers)
//
// To add a shape (callbacks, qsort, 1M-array conversion, prime counter, ...): add its C code to
// bench/lib/benchlib.c, an entry here (and any shared input to makeInputs),
// and a closure under the same name in each contender that supports it.
// Contenders without it show "n/a" in that row.

const shapes = [
  {
    name: 'noop',
    signature: 'void noop(void)',
    call: 'noop()',
    expect: () => undefined,
  },
  {
    name: 'add_i32',
    signature: 'int add_i32(int, int)',
    call: 'add_i32(i, 7)',
    expect: (i) => i + 7,
  },
  {
    name: 'add_f64',
    signature: 'double add_f64(double, double)',
    call: 'add_f64(i, 0.5)',
    expect: (i) => i + 0.5,
  },
  {
    name: 'mix6',
    signature: 'double mix6(int, double, int64_t, float, uint8_t, double)',
    call: 'mix6(1, 2.5, 3n, 4.5, 5, 6.25)',
    expect: () => 22.25,
  },
  {
    name: 'sum_buf',
    signature: 'int64_t sum_buf(const uint8_t *, size_t)',
    call: 'sum_buf(buf64, 64)',
    expect: () => 2016, // buf64[k] = k for k in 0..63
  },
  {
    name: 'str_len',
    signature: 'size_t str_len(const char *)',
    call: "str_len('hello, world')",
    expect: () => 12,
  },
  {
    // No C call: one read and one write of double fields of a struct
    // {double x, y} per operation. tsctypes: a struct({x: c_double, y: c_double})
    // instance (fields live in its C memory); js: a plain object {x, y};
    // koffi: the struct in memory from koffi.alloc, fields through
    // koffi.decode/encode at koffi.offsetof offsets. (`p.x = p.y + i` rather
    // than `p.x = p.x + 1` so that the result is a function of i alone.)
    name: 'struct_rw',
    signature: 'struct Vec2 { double x, y; } (memory only)',
    call: 'p.x = p.y + i   (p.y = 0.5)',
    expect: (i) => i + 0.5,
  },
  {
    // Two 16-byte structs of doubles in, one out, and both result fields read.
    name: 'vec2_byval',
    signature: 'Vec2 vec2_add(Vec2 a, Vec2 b)  /* Vec2 = {double x, y} */',
    call: 'r = vec2_add(va, vb); r.x + r.y',
    expect: () => 3, // (1.5 + 0.25) + (2.25 - 1)
  },
  {
    // Two 16-byte structs of integers (one int64) in, one out, every result field read.
    name: 'mixed_byval',
    signature: 'Mixed mixed_add(Mixed p, Mixed q)  /* Mixed = {int32_t a, b; int64_t c} */',
    call: 'r = mixed_add(ma, mb); r.a + r.b + Number(r.c)',
    expect: () => 10 - 4 + 7000000000 + 11, // a: 3 + 7, b: -5 + 1, c: 7e9 + 11n
  },
];

// Inputs shared by all contenders, so every one converts the same JS values.
// Called once per child process.
function makeInputs() {
  const buf64 = new Uint8Array(64);
  for (let k = 0; k < buf64.length; k++) buf64[k] = k;
  return {
    buf64,
    str: 'hello, world',
    // mix6's arguments; `c` is an int64_t, passed as a bigint to everyone.
    mix: { a: 1, b: 2.5, c: 3n, d: 4.5, e: 5, f: 6.25 },
    // Struct shapes: the field values every contender starts from, as plain
    // objects. Contenders whose structs are C data (tsctypes) build their
    // struct objects from these once, outside the timed closure, the way a
    // program keeps its structs; koffi and the Node-API addon take the plain
    // objects themselves.
    vec: { p: { x: 0, y: 0.5 }, a: { x: 1.5, y: 2.25 }, b: { x: 0.25, y: -1 } },
    mixed: { p: { a: 3, b: -5, c: 7000000000n }, q: { a: 7, b: 1, c: 11n } },
  };
}

const byName = new Map(shapes.map((s) => [s.name, s]));

module.exports = { shapes, byName, makeInputs };
