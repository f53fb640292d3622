'use strict';
// ffi-rs (npm package, a Rust + Node-API FFI): the library is opened once
// under a key (open), each function is declared with define() from DataType
// codes, and every call passes its arguments as one array: f([a, b]).
// Structs by value are plain objects described field by field with
// ffiTypeTag: StackStruct; plain JS arrays go to an I32Array parameter
// (ffi-rs copies them into C memory for the call); runInNewThread: true
// makes a function return a Promise (async shapes).
//
// What it cannot do here (reported as n/a with the reason):
// - a float return value (DataType.Float is for parameters only);
// - int64 struct fields as bigints (an I64 field takes a number, so
//   mixed_byval's objects are copied once with `c` as a number);
// - synchronous callbacks: a JS function passed to C is called through a
//   thread-safe function, later, so C never sees its result unless the
//   whole call runs on another thread — callback and qsort_10k would measure
//   a different thing;
// - typed arrays as I32Array (it takes plain arrays only): primes_parallel
//   passes the Int32Arrays' bytes as U8Array (a Buffer view made once,
//   outside the timed closure), which reaches C as the same int pointer.

const NOT_APPLICABLE = {
  add_f32: 'ffi-rs: DataType.Float can be a parameter type only, not a return type',
  struct_rw: 'ffi-rs has no struct objects backed by C memory',
  callback: 'ffi-rs calls JS callbacks through a thread-safe function, after the C call has returned (the C side gets no result unless the call runs in a new thread)',
  qsort_10k: 'ffi-rs: no synchronous callbacks (see callback)',
  keepCallback: 'ffi-rs: no synchronous callbacks (see callback)',
  arr_rw: 'ffi-rs has no array objects backed by C memory',
  mix6p: 'not written for ffi-rs (its C data are JsExternal pointers made with createPointer)',
};

module.exports = {
  name: 'ffi-rs',

  // Calls of microseconds: in full runs two processes and measurements of
  // ~100 ms are enough.
  full: { processes: 2, time: 100 },
  // One line for RESULTS.md's list of contenders.
  summary:
    '`define({ name: { library, retType, paramsType } })`, calls take an argument array (`f([a, b])`), structs with `ffiTypeTag: StackStruct`, `I32Array` for JS arrays, `runInNewThread` for async',

  // Parent process, before the child is started.
  prepare(ctx) {
    ctx.ensureDeps();
  },

  // Child process.
  setup(ctx) {
    const { open, define, DataType: T } = require('ffi-rs');
    const library = 'libbench';
    open({ library, path: ctx.libPath });
    const { buf64, str, mix, vec, mixed } = ctx.inputs;
    const Vec2 = { x: T.Double, y: T.Double, ffiTypeTag: T.StackStruct };
    const Mixed = { a: T.I32, b: T.I32, c: T.I64, ffiTypeTag: T.StackStruct };
    // One define() per C function: the function that takes the argument array.
    const declare = (name, retType, paramsType, options = {}) =>
      define({ [name]: { library, retType, paramsType, ...options } })[name];
    return {
      version: `ffi-rs ${require('ffi-rs/package.json').version}`,
      notApplicable: NOT_APPLICABLE,
      shapes: {
        noop: () => {
          const f = declare('noop', T.Void, []);
          return () => f([]);
        },
        add_i32: () => {
          const f = declare('add_i32', T.I32, [T.I32, T.I32]);
          return (i) => f([i, 7]);
        },
        attr_i32: () => {
          // define() returns the functions as attributes of one object.
          const api = define({ add_i32: { library, retType: T.I32, paramsType: [T.I32, T.I32] } });
          return (i) => api.add_i32([i, 7]);
        },
        add_f64: () => {
          const f = declare('add_f64', T.Double, [T.Double, T.Double]);
          return (i) => f([i, 0.5]);
        },
        add_i64: () => {
          // DataType.BigInt: an int64_t taken from and returned as a bigint.
          const f = declare('add_i64', T.BigInt, [T.BigInt, T.BigInt]);
          const a = 2n ** 40n;
          return () => f([a, 7n]);
        },
        mix6: () => {
          const f = declare('mix6', T.Double, [T.I32, T.Double, T.BigInt, T.Float, T.U8, T.Double]);
          const { a, b, c, d, e, f: g } = mix;
          return () => f([a, b, c, d, e, g]);
        },
        sum_buf: () => {
          const f = declare('sum_buf', T.I64, [T.U8Array, T.U64]);
          return () => f([buf64, 64]);
        },
        str_len: () => {
          const f = declare('str_len', T.U64, [T.String]);
          return () => f([str]);
        },
        vec2_byval: () => {
          const f = declare('vec2_add', Vec2, [Vec2, Vec2]);
          const { a, b } = vec;
          return () => {
            const r = f([a, b]);
            return r.x + r.y;
          };
        },
        mixed_byval: () => {
          const f = declare('mixed_add', Mixed, [Mixed, Mixed]);
          const asNumbers = (o) => ({ ...o, c: Number(o.c) }); // once: an I64 field takes numbers only
          const p = asNumbers(mixed.p);
          const q = asNumbers(mixed.q);
          return () => {
            const r = f([p, q]);
            return r.a + r.b + Number(r.c);
          };
        },
        conv_1m: () => {
          const f = declare('sum_i32', T.BigInt, [T.I32Array, T.U64]);
          const { ints1m } = ctx.inputs;
          return () => f([ints1m, ints1m.length]);
        },
        primes_e2e: () => {
          const f = declare('num_primes', T.I32, [T.I32, T.I32Array]);
          const { ints1m } = ctx.inputs;
          return () => f([ints1m.length, ints1m]);
        },
        async_call: () => {
          const f = declare('add_i32', T.I32, [T.I32, T.I32], { runInNewThread: true });
          return (i) => f([i, 7]);
        },
        primes_parallel: () => {
          const one = declare('num_primes', T.I32, [T.I32, T.U8Array]);
          const two = declare('num_primes', T.I32, [T.I32, T.U8Array], { runInNewThread: true });
          const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
          const { all, halves } = ctx.inputs.primes;
          const [all8, h0, h1] = [all, ...halves].map(bytes);
          const [n0, n1] = halves.map((h) => h.length);
          return {
            one: () => one([all.length, all8]),
            two: () => Promise.all([two([n0, h0]), two([n1, h1])]).then(([a, b]) => a + b),
          };
        },
      },
    };
  },
};
