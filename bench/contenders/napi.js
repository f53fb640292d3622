'use strict';
// The hand-written Node-API addon (bench/napi-addon/bench_napi.c): direct
// napi_get_value_* / napi_create_* conversions, linked against libbench.so.
// Structs by value are plain JS objects read and built field by field;
// struct_rw (fields of a struct in memory, no call) is not applicable.
// Callbacks: the addon passes C its own static trampoline, which calls a JS
// function stored once (set_callback / set_comparator) with
// napi_call_function; its qsort comparator receives the two ints as numbers.
// Async calls: napi_create_async_work, returning a promise. Plain JS arrays
// (conv_1m, primes_e2e) are converted by a napi_get_element loop.

const path = require('node:path');
const { buildAddon } = require('../addons');

const addonDir = path.join(__dirname, '..', 'napi-addon');
const addonPath = path.join(addonDir, 'build', 'Release', 'bench_napi.node');
const sources = ['bench_napi.c', 'binding.gyp', '../lib/benchlib.h'].map((f) => path.join(addonDir, f));

module.exports = {
  name: 'napi',
  // One line for RESULTS.md's list of contenders.
  summary:
    'hand-written Node-API addon (`bench/napi-addon/`): direct `napi_get_value_*`/`napi_create_*` conversions, callbacks through a static C trampoline, JS arrays converted by a `napi_get_element` loop, `napi_create_async_work` + promises',

  // Parent process: (re)build the addon when it is missing or out of date.
  prepare(ctx) {
    buildAddon(ctx, { dir: addonDir, binary: addonPath, sources, label: 'the Node-API addon' });
  },

  // Child process.
  setup(ctx) {
    const addon = require(addonPath);
    const { buf64, str, mix, vec, mixed } = ctx.inputs;
    return {
      version: `hand-written Node-API addon (NAPI_VERSION 8, ${process.version})`,
      notApplicable: {
        keepCallback: "the addon's callbacks go through its own static trampoline; it has no way to hand benchlib's keep_cb a callback",
      },
      shapes: {
        noop: () => {
          const f = addon.noop;
          return () => f();
        },
        add_i32: () => {
          const f = addon.add_i32;
          return (i) => f(i, 7);
        },
        add_f64: () => {
          const f = addon.add_f64;
          return (i) => f(i, 0.5);
        },
        add_f32: () => {
          const f = addon.add_f32;
          return (i) => f(i, 0.5);
        },
        add_i64: () => {
          const f = addon.add_i64;
          const a = 2n ** 40n;
          return () => f(a, 7n);
        },
        mix6: () => {
          const f = addon.mix6;
          const { a, b, c, d, e, f: g } = mix;
          return () => f(a, b, c, d, e, g);
        },
        sum_buf: () => {
          const f = addon.sum_buf;
          return () => f(buf64, 64);
        },
        str_len: () => {
          const f = addon.str_len;
          return () => f(str);
        },
        vec2_byval: () => {
          const f = addon.vec2_add;
          const { a, b } = vec;
          return () => {
            const r = f(a, b);
            return r.x + r.y;
          };
        },
        mixed_byval: () => {
          const f = addon.mixed_add;
          const { p, q } = mixed;
          return () => {
            const r = f(p, q);
            return r.a + r.b + Number(r.c);
          };
        },
        callback: () => {
          addon.set_callback((x) => x + 1);
          const f = addon.call_cb;
          return (i) => f(i);
        },
        qsort_10k: () => {
          addon.set_comparator((x, y) => x - y);
          const f = addon.qsort_i32;
          const { data, work, checksum } = ctx.inputs.qsort;
          return () => {
            work.set(data);
            f(work);
            return checksum(work);
          };
        },
        conv_1m: () => {
          const f = addon.sum_i32_array;
          const { ints1m } = ctx.inputs;
          return () => f(ints1m);
        },
        primes_e2e: () => {
          const f = addon.num_primes_array;
          const { ints1m } = ctx.inputs;
          return () => f(ints1m);
        },
        async_call: () => {
          const f = addon.add_i32_async;
          return (i) => f(i, 7);
        },
        primes_parallel: () => {
          const { num_primes: f, num_primes_async: fAsync } = addon;
          const { all, halves } = ctx.inputs.primes;
          const [h0, h1] = halves;
          return {
            one: () => f(all),
            two: () => Promise.all([fAsync(h0), fAsync(h1)]).then(([a, b]) => a + b),
          };
        },
      },
    };
  },
};
