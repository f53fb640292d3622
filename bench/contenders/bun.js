'use strict';
// Bun's own FFI, `bun:ffi`, as a reference line: the child is bench/child.js
// under Bun (bench/other-runtime.js). `dlopen(path, { name: { args, returns } })`
// declares every function at once and `lib.symbols.name(...)` calls it (the
// attribute form is its only form). 64-bit integers are bigints in and out;
// typed arrays go to 'ptr' parameters as their memory; strings have no
// parameter type, so str_len encodes the string per call (as the other FFIs
// convert it per call); callbacks are JSCallback objects passed as
// 'function'. No struct types, no async calls, and C memory is read and
// written through a typed array over it (toArrayBuffer), i.e. the `js` row.

const { requireRuntime, runtimeChild, symbolShapes, keptCallback } = require('../other-runtime');

const NO_MEMORY_OBJECTS = 'bun:ffi has no struct or array objects: C memory is a typed array over it (toArrayBuffer), as in the js row';
const NOT_APPLICABLE = {
  struct_rw: NO_MEMORY_OBJECTS,
  arr_rw: NO_MEMORY_OBJECTS,
  vec2_byval: 'bun:ffi has no struct types',
  mixed_byval: 'bun:ffi has no struct types',
  async_call: 'bun:ffi has no asynchronous calls',
  primes_parallel: 'bun:ffi has no asynchronous calls',
};

module.exports = {
  name: 'bun',
  full: { processes: 2 },
  summary:
    "Bun's `bun:ffi` (reference; its own runtime): `dlopen(path, { name: { args, returns } }).symbols.name(...)`, `JSCallback`, typed arrays as `ptr`; no structs, no async",

  prepare(ctx) {
    requireRuntime('bun', ctx);
  },

  command(ctx, childArgs) {
    return runtimeChild('bun', ctx, childArgs);
  },

  // Child process (Bun).
  setup(ctx) {
    const { dlopen, JSCallback, read, toArrayBuffer } = require('bun:ffi');
    const { symbols: f } = dlopen(ctx.libPath, {
      noop: { args: [], returns: 'void' },
      add_i32: { args: ['i32', 'i32'], returns: 'i32' },
      add_f64: { args: ['f64', 'f64'], returns: 'f64' },
      add_f32: { args: ['f32', 'f32'], returns: 'f32' },
      add_i64: { args: ['i64', 'i64'], returns: 'i64' },
      mix6: { args: ['i32', 'f64', 'i64', 'f32', 'u8', 'f64'], returns: 'f64' },
      mix6p: { args: ['i32', 'f64', 'i64', 'f32', 'ptr', 'f64'], returns: 'f64' },
      sum_buf: { args: ['ptr', 'u64'], returns: 'i64' },
      str_len: { args: ['ptr'], returns: 'u64' },
      call_cb: { args: ['function', 'i32'], returns: 'i32' },
      keep_cb: { args: ['function'], returns: 'void' },
      call_kept: { args: ['i32'], returns: 'i32' },
      sum_i32: { args: ['ptr', 'u64'], returns: 'i64' },
      num_primes: { args: ['i32', 'ptr'], returns: 'i32' },
    });
    const libc = dlopen('libc.so.6', {
      malloc: { args: ['u64'], returns: 'ptr' },
      qsort: { args: ['ptr', 'u64', 'u64', 'function'], returns: 'void' },
    }).symbols;
    const { str, mix, mixBufSize } = ctx.inputs;
    return {
      version: `bun:ffi, Bun ${process.versions.bun}`,
      notApplicable: NOT_APPLICABLE,
      shapes: {
        ...symbolShapes(f, ctx.inputs),
        mix6p: () => {
          // C data of the program: malloc'd memory (a pointer number), its first byte 5.
          const cbuf = libc.malloc(mixBufSize);
          new Uint8Array(toArrayBuffer(cbuf, 0, mixBufSize))[0] = mix.e;
          const { a, b, c, d, f: g } = mix;
          return () => f.mix6p(a, b, c, d, cbuf, g);
        },
        str_len: () => () => f.str_len(Buffer.from(`${str}\0`)),
        callback: () => {
          const cb = new JSCallback((x) => x + 1, { args: ['i32'], returns: 'i32' });
          return (i) => f.call_cb(cb, i);
        },
        qsort_10k: () => {
          // The comparator's pointers arrive as numbers, read with read.i32.
          const cmp = new JSCallback((a, b) => read.i32(a, 0) - read.i32(b, 0), { args: ['ptr', 'ptr'], returns: 'i32' });
          const { data, work, n, checksum } = ctx.inputs.qsort;
          return () => {
            work.set(data);
            libc.qsort(work, n, 4, cmp);
            return checksum(work);
          };
        },
      },
      keepCallback() {
        const cb = new JSCallback((x) => x + 1, { args: ['i32'], returns: 'i32' });
        return keptCallback(f, cb, cb);
      },
    };
  },
};
