'use strict';
// Deno's own FFI, `Deno.dlopen`, as a reference line: the child is
// bench/child.js under Deno (bench/other-runtime.js; `deno run -A`).
// `Deno.dlopen(path, { name: { parameters, result } })` declares every
// function at once and `lib.symbols.name(...)` calls it (the attribute form is
// its only form). Typed arrays go to 'buffer' parameters, C memory is a
// pointer object; strings have no parameter type, so str_len encodes the
// string per call (as the other FFIs convert it per call); callbacks are
// Deno.UnsafeCallback objects passed by their pointer; `nonblocking: true`
// declarations return promises (the async shapes). Struct values and
// element access have no object form: n/a.

const { requireRuntime, runtimeChild, symbolShapes, keptCallback } = require('../other-runtime');

const NO_MEMORY_OBJECTS =
  'Deno has no struct or array objects: C memory is read with Deno.UnsafePointerView and written through a typed array over it, as in the js row';
const NOT_APPLICABLE = {
  struct_rw: NO_MEMORY_OBJECTS,
  arr_rw: NO_MEMORY_OBJECTS,
  vec2_byval: 'Deno passes structs by value as raw bytes (Uint8Array), not as objects with fields',
  mixed_byval: 'Deno passes structs by value as raw bytes (Uint8Array), not as objects with fields',
};

module.exports = {
  name: 'deno',
  full: { processes: 2 },
  summary:
    "Deno's `Deno.dlopen` (reference; its own runtime): `Deno.dlopen(path, { name: { parameters, result } }).symbols.name(...)`, `Deno.UnsafeCallback`, typed arrays as `buffer`, `nonblocking` for async; no struct objects",

  prepare(ctx) {
    requireRuntime('deno', ctx);
  },

  command(ctx, childArgs) {
    return runtimeChild('deno', ctx, childArgs);
  },

  // Child process (Deno).
  setup(ctx) {
    const { Deno } = globalThis;
    const { symbols: f } = Deno.dlopen(ctx.libPath, {
      noop: { parameters: [], result: 'void' },
      add_i32: { parameters: ['i32', 'i32'], result: 'i32' },
      add_i32_async: { name: 'add_i32', parameters: ['i32', 'i32'], result: 'i32', nonblocking: true },
      add_f64: { parameters: ['f64', 'f64'], result: 'f64' },
      add_f32: { parameters: ['f32', 'f32'], result: 'f32' },
      add_i64: { parameters: ['i64', 'i64'], result: 'i64' },
      mix6: { parameters: ['i32', 'f64', 'i64', 'f32', 'u8', 'f64'], result: 'f64' },
      mix6p: { parameters: ['i32', 'f64', 'i64', 'f32', 'pointer', 'f64'], result: 'f64' },
      sum_buf: { parameters: ['buffer', 'usize'], result: 'i64' },
      str_len: { parameters: ['buffer'], result: 'usize' },
      call_cb: { parameters: ['function', 'i32'], result: 'i32' },
      keep_cb: { parameters: ['function'], result: 'void' },
      call_kept: { parameters: ['i32'], result: 'i32' },
      sum_i32: { parameters: ['buffer', 'usize'], result: 'i64' },
      num_primes: { parameters: ['i32', 'buffer'], result: 'i32' },
      num_primes_async: { name: 'num_primes', parameters: ['i32', 'buffer'], result: 'i32', nonblocking: true },
    });
    const libc = Deno.dlopen('libc.so.6', {
      malloc: { parameters: ['usize'], result: 'pointer' },
      qsort: { parameters: ['buffer', 'usize', 'usize', 'function'], result: 'void' },
    }).symbols;
    const { str, mix, mixBufSize } = ctx.inputs;
    const encoder = new TextEncoder();
    const intCallback = (fn) => new Deno.UnsafeCallback({ parameters: ['i32'], result: 'i32' }, fn);
    return {
      version: `Deno.dlopen, Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`,
      notApplicable: NOT_APPLICABLE,
      shapes: {
        ...symbolShapes(f, ctx.inputs),
        mix6p: () => {
          // C data of the program: malloc'd memory (a pointer object), its first byte 5.
          const cbuf = libc.malloc(mixBufSize);
          new Uint8Array(new Deno.UnsafePointerView(cbuf).getArrayBuffer(mixBufSize))[0] = mix.e;
          const { a, b, c, d, f: g } = mix;
          return () => f.mix6p(a, b, c, d, cbuf, g);
        },
        str_len: () => () => f.str_len(encoder.encode(`${str}\0`)),
        callback: () => {
          const cb = intCallback((x) => x + 1);
          return (i) => f.call_cb(cb.pointer, i);
        },
        qsort_10k: () => {
          // The comparator's pointers arrive as pointer objects, read through a view.
          const cmp = new Deno.UnsafeCallback(
            { parameters: ['pointer', 'pointer'], result: 'i32' },
            (a, b) => new Deno.UnsafePointerView(a).getInt32() - new Deno.UnsafePointerView(b).getInt32(),
          );
          const { data, work, n, checksum } = ctx.inputs.qsort;
          return () => {
            work.set(data);
            libc.qsort(work, n, 4, cmp.pointer);
            return checksum(work);
          };
        },
        async_call: () => (i) => f.add_i32_async(i, 7),
        primes_parallel: () => {
          const { all, halves } = ctx.inputs.primes;
          const [h0, h1] = halves;
          return {
            one: () => f.num_primes(all.length, all),
            two: () => Promise.all([f.num_primes_async(h0.length, h0), f.num_primes_async(h1.length, h1)]).then(([a, b]) => a + b),
          };
        },
      },
      keepCallback() {
        const cb = intCallback((x) => x + 1);
        return keptCallback(f, cb, cb.pointer);
      },
    };
  },
};
