'use strict';
// ffi-napi 4.x with ref-napi, ref-struct-di and ref-array-di (the node-ffi
// family): ffi.Library(path, { name: [restype, [argtypes]] }), structs from
// ref-struct-di (instances backed by a Buffer, passed by value), callbacks
// with ffi.Callback, a JS array converted with ref-array-di's
// `new (ArrayType('int32'))(jsArray)`, async calls with f.async(..., cb) in a
// Promise.
//
// Its install scripts fail on current Node, so it lives apart, in
// bench/extra/ffi-napi (own package.json): prepare() runs
// `npm install --ignore-scripts` there, then builds ref-napi and ffi-napi
// with bench's node-gyp. ffi-napi's sources define NAPI_EXPERIMENTAL, under
// which Node 20's headers type finalizers differently from what its
// node-addon-api 3 expects; defining NODE_API_EXPERIMENTAL_*_ENV_OPT_OUT (in
// CXXFLAGS, sources untouched) restores the older types. If anything fails
// the contender reports itself unavailable with the reason.
//
// int64_t: ref-napi takes numbers or strings, not bigints, so add_i64 and
// mix6 get Number() copies of the shared bigints (made once) and
// mixed_byval's objects are copied once with `c` as a number.

const fs = require('node:fs');
const path = require('node:path');

const extraDir = path.join(__dirname, '..', 'extra', 'ffi-napi');
const modulesDir = path.join(extraDir, 'node_modules');
const addons = [
  { pkg: 'ref-napi', binary: 'build/Release/binding.node' },
  { pkg: 'ffi-napi', binary: 'build/Release/ffi_bindings.node' },
];

const NOT_APPLICABLE = {
  qsort_10k:
    'not measured: inside one synchronous C call ffi-napi/ref-napi keep allocating external Buffers, and V8 answers with a full ' +
    'mark-compact ("external memory pressure") on nearly every callback call — ~6–10 ms per comparator call here, so one ' +
    'sort of 10,000 ints (~120,000 comparator calls) would take 15 minutes or more',
  arr_rw: 'ref-array-di arrays are JS objects over a Buffer, not a C int array object of its own; not measured',
};

function load(name) {
  return require(path.join(modulesDir, name));
}

module.exports = {
  name: 'ffi-napi',
  // One line for RESULTS.md's list of contenders.
  summary:
    '`ffi.Library` declarations with ref-napi types, ref-struct-di structs, `ffi.Callback`, ref-array-di for JS arrays, `f.async`; installed apart with `--ignore-scripts` and built with node-gyp 11; no bigints (int64 as numbers)',

  // A slow contender: full runs use one process, 3 measurements of ~100 ms.
  full: { processes: 1, repeats: 3, time: 100 },

  // Parent process: install into bench/extra/ffi-napi and build the two addons.
  prepare(ctx) {
    const missing = ['ffi-napi', 'ref-napi', 'ref-struct-di', 'ref-array-di'].some(
      (p) => !fs.existsSync(path.join(modulesDir, p, 'package.json')),
    );
    if (missing) {
      ctx.log('installing ffi-napi into bench/extra/ffi-napi (npm install --ignore-scripts)');
      ctx.exec('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: extraDir });
    }
    const stale = addons.filter((a) => ctx.rebuild || !fs.existsSync(path.join(modulesDir, a.pkg, a.binary)));
    if (!stale.length) return;
    ctx.ensureDeps();
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [ctx.benchDir] });
    const nodedir = path.dirname(path.dirname(process.execPath));
    const env = {
      ...process.env,
      CXXFLAGS: `${process.env.CXXFLAGS || ''} -DNODE_API_EXPERIMENTAL_NOGC_ENV_OPT_OUT -DNODE_API_EXPERIMENTAL_BASIC_ENV_OPT_OUT`,
    };
    for (const a of stale) {
      ctx.log(`building ${a.pkg} (node-gyp rebuild --nodedir=${nodedir})`);
      try {
        ctx.exec(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=error'], {
          cwd: path.join(modulesDir, a.pkg),
          env,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      } catch (err) {
        throw new Error(`could not build ${a.pkg} with node-gyp 11 (${err.message})`);
      }
    }
  },

  // Child process.
  setup(ctx) {
    const ffi = load('ffi-napi');
    const ref = load('ref-napi');
    const Struct = load('ref-struct-di')(ref);
    const ArrayType = load('ref-array-di')(ref);
    const { buf64, str, mix, mixBufSize, vec, mixed } = ctx.inputs;
    const Vec2 = Struct({ x: 'double', y: 'double' });
    const Mixed = Struct({ a: 'int32', b: 'int32', c: 'int64' });
    const IntArray = ArrayType('int32');
    const CB = ffi.Function('int', ['int']);
    const lib = ffi.Library(ctx.libPath, {
      noop: ['void', []],
      add_i32: ['int', ['int', 'int']],
      add_f64: ['double', ['double', 'double']],
      add_f32: ['float', ['float', 'float']],
      add_i64: ['int64', ['int64', 'int64']],
      mix6: ['double', ['int', 'double', 'int64', 'float', 'uint8', 'double']],
      mix6p: ['double', ['int', 'double', 'int64', 'float', 'pointer', 'double']],
      sum_buf: ['int64', ['pointer', 'size_t']],
      str_len: ['size_t', ['string']],
      vec2_add: [Vec2, [Vec2, Vec2]],
      mixed_add: [Mixed, [Mixed, Mixed]],
      call_cb: ['int', [CB, 'int']],
      keep_cb: ['void', [CB]],
      call_kept: ['int', ['int']],
      sum_i32: ['int64', [IntArray, 'size_t']],
      num_primes: ['int', ['int', IntArray]],
    });
    // primes_parallel passes Int32Arrays: declared as plain pointers.
    const typed = ffi.Library(ctx.libPath, { num_primes: ['int', ['int', 'pointer']] });
    const promised = (f, ...args) =>
      new Promise((resolve, reject) => f.async(...args, (err, r) => (err ? reject(err) : resolve(r))));
    const versionOf = (p) => load(`${p}/package.json`).version;
    return {
      version: `ffi-napi ${versionOf('ffi-napi')} (ref-napi ${versionOf('ref-napi')}, ref-struct-di ${versionOf('ref-struct-di')}, ref-array-di ${versionOf('ref-array-di')})`,
      notApplicable: NOT_APPLICABLE,
      shapes: {
        noop: () => () => lib.noop(),
        add_i32: () => (i) => lib.add_i32(i, 7),
        add_f64: () => (i) => lib.add_f64(i, 0.5),
        add_f32: () => (i) => lib.add_f32(i, 0.5),
        add_i64: () => {
          const a = Number(2n ** 40n); // no bigints in ref-napi
          return () => lib.add_i64(a, 7);
        },
        mix6: () => {
          const { a, b, c, d, e, f: g } = mix;
          const cn = Number(c);
          return () => lib.mix6(a, b, cn, d, e, g);
        },
        sum_buf: () => () => lib.sum_buf(buf64, 64),
        str_len: () => () => lib.str_len(str),
        struct_rw: () => {
          // A ref-struct-di instance: its fields live in a Buffer (C memory).
          const p = new Vec2(vec.p);
          return (i) => (p.x = p.y + i);
        },
        vec2_byval: () => {
          const a = new Vec2(vec.a);
          const b = new Vec2(vec.b);
          return () => {
            const r = lib.vec2_add(a, b);
            return r.x + r.y;
          };
        },
        mixed_byval: () => {
          const p = new Mixed({ ...mixed.p, c: Number(mixed.p.c) });
          const q = new Mixed({ ...mixed.q, c: Number(mixed.q.c) });
          return () => {
            const r = lib.mixed_add(p, q);
            return r.a + r.b + Number(r.c);
          };
        },
        callback: () => {
          const cb = ffi.Callback('int', ['int'], (x) => x + 1);
          return (i) => lib.call_cb(cb, i);
        },
        attr_i32: () => (i) => lib.add_i32(i, 7), // ffi.Library's functions are attributes of the library object
        mix6p: () => {
          // C data of the program: a Buffer (ref-napi's memory), its first byte 5, as a pointer.
          const cbuf = Buffer.alloc(mixBufSize);
          cbuf[0] = mix.e;
          const { a, b, c, d, f: g } = mix;
          const cNumber = Number(c);
          return () => lib.mix6p(a, b, cNumber, d, cbuf, g);
        },
        conv_1m: () => {
          const { ints1m } = ctx.inputs;
          return () => lib.sum_i32(new IntArray(ints1m), ints1m.length);
        },
        primes_e2e: () => {
          const { ints1m } = ctx.inputs;
          return () => lib.num_primes(ints1m.length, new IntArray(ints1m));
        },
        async_call: () => (i) => promised(lib.add_i32, i, 7),
        primes_parallel: () => {
          const { all, halves } = ctx.inputs.primes;
          const [h0, h1] = halves;
          return {
            one: () => typed.num_primes(all.length, all),
            two: () =>
              Promise.all([promised(typed.num_primes, h0.length, h0), promised(typed.num_primes, h1.length, h1)]).then(
                ([a, b]) => a + b,
              ),
          };
        },
      },
      // The realistic mode's live callback: an ffi.Callback stored by C (keep_cb).
      keepCallback() {
        const cb = ffi.Callback('int', ['int'], (x) => x + 1);
        lib.keep_cb(cb);
        const call = (x) => lib.call_kept(x);
        call.callback = cb; // ffi-napi frees an unreferenced Callback
        return call;
      },
    };
  },
};
