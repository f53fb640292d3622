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
// To add a shape (struct by value, callbacks, qsort, struct field access,
// 1M-array conversion, prime counter, ...): add its C code to
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
  };
}

const byName = new Map(shapes.map((s) => [s.name, s]));

module.exports = { shapes, byName, makeInputs };
