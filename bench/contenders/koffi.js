'use strict';
// koffi 2.x: declare each function from a C prototype string.
// Strings are passed as `const char *`, the buffer as `const uint8_t *`
// (koffi passes a Uint8Array's memory directly). Structs are koffi.struct
// types; by value they go in and come out as plain JS objects, and in memory
// (struct_rw) their fields are read and written with koffi.decode/encode.
// Callbacks are koffi.proto types; the JS functions are made into C function
// pointers once, with koffi.register (koffi's "registered callbacks"), and
// pointer parameters of a callback arrive as opaque values read with
// koffi.decode. Async calls are f.async(...args, (err, res) => ...), wrapped
// in a Promise.

module.exports = {
  name: 'koffi',
  // One line for RESULTS.md's list of contenders.
  summary:
    'prototype strings (`lib.func(\'int add_i32(int, int)\')`), `koffi.struct`, callbacks with `koffi.register`, JS arrays passed straight to `const int32_t *`, `f.async` in a Promise',

  // Parent process, before the child is started.
  prepare(ctx) {
    ctx.ensureDeps();
  },

  // Child process.
  setup(ctx) {
    const koffi = require('koffi');
    const lib = koffi.load(ctx.libPath);
    const { buf64, str, mix, mixBufSize, arr, vec, mixed } = ctx.inputs;
    const int = koffi.resolve('int');
    const Vec2 = koffi.struct('Vec2', { x: 'double', y: 'double' });
    koffi.struct('Mixed', { a: 'int32_t', b: 'int32_t', c: 'int64_t' });
    return {
      version: `koffi ${require('koffi/package.json').version}`,
      shapes: {
        noop: () => {
          const f = lib.func('void noop(void)');
          return () => f();
        },
        add_i32: () => {
          const f = lib.func('int add_i32(int a, int b)');
          return (i) => f(i, 7);
        },
        attr_i32: () => {
          // koffi functions are not attributes of the library: the nearest
          // idiom is an object of declared functions, looked up per call.
          const api = { add_i32: lib.func('int add_i32(int a, int b)') };
          return (i) => api.add_i32(i, 7);
        },
        add_f64: () => {
          const f = lib.func('double add_f64(double a, double b)');
          return (i) => f(i, 0.5);
        },
        add_f32: () => {
          const f = lib.func('float add_f32(float a, float b)');
          return (i) => f(i, 0.5);
        },
        add_i64: () => {
          const f = lib.func('int64_t add_i64(int64_t a, int64_t b)');
          const a = 2n ** 40n;
          return () => f(a, 7n);
        },
        mix6: () => {
          const f = lib.func('double mix6(int a, double b, int64_t c, float d, uint8_t e, double f)');
          const { a, b, c, d, e, f: g } = mix;
          return () => f(a, b, c, d, e, g);
        },
        mix6p: () => {
          // C data of the program: koffi.alloc memory, its first byte 5, as void *.
          const f = lib.func('double mix6p(int a, double b, int64_t c, float d, const void *p, double f)');
          const cbuf = koffi.alloc('uint8_t', mixBufSize);
          koffi.encode(cbuf, 'uint8_t', mix.e);
          const { a, b, c, d, f: g } = mix;
          return () => f(a, b, c, d, cbuf, g);
        },
        sum_buf: () => {
          const f = lib.func('int64_t sum_buf(const uint8_t *p, size_t n)');
          return () => f(buf64, 64);
        },
        str_len: () => {
          const f = lib.func('size_t str_len(const char *s)');
          return () => f(str);
        },
        struct_rw: () => {
          // The struct lives in C memory (koffi.alloc); one field is decoded
          // and another encoded per operation, at offsets koffi computed.
          // Resolving 'double' once avoids parsing the type name per call.
          const p = koffi.alloc(Vec2, 1);
          koffi.encode(p, Vec2, { ...vec.p });
          const double = koffi.resolve('double');
          const ox = koffi.offsetof(Vec2, 'x');
          const oy = koffi.offsetof(Vec2, 'y');
          return (i) => {
            const v = koffi.decode(p, oy, double) + i;
            koffi.encode(p, ox, double, v);
            return v;
          };
        },
        arr_rw: () => {
          // koffi has no array objects over C memory: the nearest is
          // koffi.decode/encode of an int at byte offsets of koffi.alloc memory.
          const a = koffi.alloc('int', arr.length);
          koffi.encode(a, 4 * arr.fixed, int, arr.value);
          const fixed = 4 * arr.fixed;
          return (i) => {
            const v = koffi.decode(a, fixed, int) + i;
            koffi.encode(a, 4 * (i & 31), int, v);
            return v;
          };
        },
        vec2_byval: () => {
          const f = lib.func('Vec2 vec2_add(Vec2 a, Vec2 b)');
          const { a, b } = vec;
          return () => {
            const r = f(a, b);
            return r.x + r.y;
          };
        },
        mixed_byval: () => {
          // koffi returns an int64_t field as a number when it fits exactly
          // (a bigint otherwise); Number() takes either.
          const f = lib.func('Mixed mixed_add(Mixed p, Mixed q)');
          const { p, q } = mixed;
          return () => {
            const r = f(p, q);
            return r.a + r.b + Number(r.c);
          };
        },
        callback: () => {
          const CB = koffi.proto('int BenchCB(int x)');
          const cb = koffi.register((x) => x + 1, koffi.pointer(CB));
          const f = lib.func('int call_cb(BenchCB *cb, int x)');
          return (i) => f(cb, i);
        },
        qsort_10k: () => {
          // koffi can't tell what a callback's pointer parameters point to:
          // they arrive as opaque values, read with koffi.decode (the way its
          // documentation sorts with qsort). The type is resolved once
          // (koffi.resolve) rather than parsed from 'int' on every decode.
          const Cmp = koffi.proto('int BenchCmp(const int *a, const int *b)');
          const cmp = koffi.register((a, b) => koffi.decode(a, int) - koffi.decode(b, int), koffi.pointer(Cmp));
          const libc = koffi.load('libc.so.6');
          const qsort = libc.func('void qsort(void *base, size_t n, size_t size, BenchCmp *cmp)');
          const { data, work, n, checksum } = ctx.inputs.qsort;
          return () => {
            work.set(data);
            qsort(work, n, 4, cmp);
            return checksum(work);
          };
        },
        conv_1m: () => {
          // koffi converts a JS array passed to a pointer parameter into a
          // temporary C array for the call (its documented "dynamic arrays").
          const { ints1m } = ctx.inputs;
          const f = lib.func('int64_t sum_i32(const int32_t *p, size_t n)');
          return () => f(ints1m, ints1m.length);
        },
        primes_e2e: () => {
          const { ints1m } = ctx.inputs;
          const f = lib.func('int num_primes(int n, const int *a)');
          return () => f(ints1m.length, ints1m);
        },
        async_call: () => {
          const f = lib.func('int add_i32(int a, int b)');
          return (i) => new Promise((resolve, reject) => f.async(i, 7, (err, r) => (err ? reject(err) : resolve(r))));
        },
        primes_parallel: () => {
          const f = lib.func('int num_primes(int n, const int *a)');
          const fAsync = (a) => new Promise((resolve, reject) => f.async(a.length, a, (err, r) => (err ? reject(err) : resolve(r))));
          const { all, halves } = ctx.inputs.primes;
          const [h0, h1] = halves;
          return {
            one: () => f(all.length, all),
            two: () => Promise.all([fAsync(h0), fAsync(h1)]).then(([a, b]) => a + b),
          };
        },
      },
      // The realistic mode's live callback: a registered callback, which koffi
      // keeps until koffi.unregister, stored by C (keep_cb).
      keepCallback() {
        const CB = koffi.proto('int BenchKeptCB(int x)');
        const cb = koffi.register((x) => x + 1, koffi.pointer(CB));
        lib.func('void keep_cb(BenchKeptCB *cb)')(cb);
        return lib.func('int call_kept(int x)');
      },
    };
  },
};
