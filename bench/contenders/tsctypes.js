'use strict';
// tsctypes itself, through its public API (the compiled CommonJS build,
// copied once per run, see SNAPSHOT_ENV). If it can't be loaded yet (not
// built, or mid-development), setup() throws and the run reports the
// contender as unavailable, with the error.

const fs = require('node:fs');
const path = require('node:path');

// The build every tsctypes child of one run loads: prepare() copies the
// package's build (dist/cjs, build/Release/tsctypes.node, package.json) into
// bench/build/tsctypes-snapshot and tells the children through this variable,
// so that a rebuild at the repo root while the run goes on (other work on the
// same checkout) cannot give the processes of one run different builds.
const SNAPSHOT_ENV = 'TSCTYPES_BENCH_SNAPSHOT';

// TSCTYPES_BENCH_MODULE=<path> benchmarks another build (e.g. another checkout's dist/cjs/index.js).
function load(rootDir) {
  if (process.env.TSCTYPES_BENCH_MODULE) {
    const file = path.resolve(process.env.TSCTYPES_BENCH_MODULE);
    return { api: require(file), from: file };
  }
  const snapshot = process.env[SNAPSHOT_ENV];
  const dist = path.join(snapshot || rootDir, 'dist', 'cjs', 'index.js');
  if (fs.existsSync(dist)) return { api: require(dist), from: dist };
  try {
    return { api: require('tsctypes'), from: require.resolve('tsctypes') };
  } catch (err) {
    const e = new Error(
      `cannot load tsctypes: ${path.relative(process.cwd(), dist)} does not exist and require("tsctypes") failed ` +
        `(${err.code || err.message}); run \`npm run build\` at the repo root first`,
    );
    e.name = 'Unavailable';
    throw e;
  }
}

// Copy the built package into buildDir/tsctypes-snapshot; returns that folder,
// or null when there is no build at the root to copy.
function takeSnapshot(ctx) {
  const dist = path.join(ctx.rootDir, 'dist', 'cjs');
  if (!fs.existsSync(path.join(dist, 'index.js'))) return null;
  const dir = path.join(ctx.buildDir, 'tsctypes-snapshot');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(dist, path.join(dir, 'dist', 'cjs'), { recursive: true });
  const addon = path.join(ctx.rootDir, 'build', 'Release', 'tsctypes.node');
  if (fs.existsSync(addon)) {
    fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
    fs.copyFileSync(addon, path.join(dir, 'build', 'Release', 'tsctypes.node'));
  }
  // The V8 accelerators (build/accelerators/v8-<major.minor>/tsctypes_v8.node):
  // the library looks for them next to dist/, so a snapshot without them would
  // measure the Node-API core alone.
  const accelerators = path.join(ctx.rootDir, 'build', 'accelerators');
  if (fs.existsSync(accelerators)) {
    for (const v of fs.readdirSync(accelerators)) {
      const file = path.join(accelerators, v, 'tsctypes_v8.node');
      if (!fs.existsSync(file)) continue;
      fs.mkdirSync(path.join(dir, 'build', 'accelerators', v), { recursive: true });
      fs.copyFileSync(file, path.join(dir, 'build', 'accelerators', v, 'tsctypes_v8.node'));
    }
  }
  fs.copyFileSync(path.join(ctx.rootDir, 'package.json'), path.join(dir, 'package.json'));
  const built = fs.statSync(path.join(dist, 'index.js')).mtime.toISOString();
  fs.writeFileSync(path.join(dir, 'snapshot.json'), `${JSON.stringify({ built, taken: new Date().toISOString() })}\n`);
  return dir;
}

module.exports = {
  name: 'tsctypes',
  // One line for RESULTS.md's list of contenders.
  summary:
    'this project\'s public API from `dist/cjs/index.js`: `lib.func(name, restype, argtypes)`, `struct({...})`, `CFUNCTYPE(...)(fn)`, `c_int32.array(N).from(array)`, `f.async(...)`',

  // The accelerator's call counters, from the build's internal module next to
  // the loaded index.js (dist/cjs/native.js; the same module instance the
  // library uses), or null (no accelerator: TSCTYPES_ENTRY=napi, another runtime,
  // a build without it).
  counters(from) {
    try {
      const { accelerator } = require(path.join(path.dirname(from), 'native.js'));
      return accelerator && typeof accelerator.counters === 'function' ? () => accelerator.counters() : null;
    } catch {
      return null;
    }
  },

  // Parent process: one snapshot of the build for the whole run.
  prepare(ctx) {
    if (process.env.TSCTYPES_BENCH_MODULE) return;
    const dir = takeSnapshot(ctx);
    if (dir) {
      process.env[SNAPSHOT_ENV] = dir; // inherited by the children
      ctx.log(`tsctypes: measuring a snapshot of dist/ and build/Release/ (${path.relative(ctx.rootDir, dir)})`);
    }
  },

  // Child process.
  setup(ctx) {
    const { api, from } = load(ctx.rootDir);
    const { CDLL, c_int, c_int32, c_double, c_int64, c_float, c_uint8, c_char_p, c_size_t, c_void_p, POINTER, create_string_buffer } = api;
    const lib = new CDLL(ctx.libPath);
    const { buf64, str, mix, mixBufSize, arr, vec, mixed } = ctx.inputs;
    // The callback shapes need CFUNCTYPE (a build without it reports them as errors).
    const CFUNCTYPE = (...types) => {
      if (typeof api.CFUNCTYPE !== 'function') throw new Error('this tsctypes build has no CFUNCTYPE()');
      return api.CFUNCTYPE(...types);
    };
    // Struct types for the struct shapes (the typed factory; a build without
    // struct() reports those shapes as errors rather than hiding them).
    const struct = (fields) => {
      if (typeof api.struct !== 'function') throw new Error('this tsctypes build has no struct()');
      return api.struct(fields);
    };
    let version = `tsctypes (${path.relative(ctx.rootDir, from) || from})`;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(ctx.rootDir, 'package.json'), 'utf8'));
      if (!process.env.TSCTYPES_BENCH_MODULE) version = `tsctypes ${pkg.version} (${path.relative(ctx.rootDir, from)})`;
      const snapshot = process.env[SNAPSHOT_ENV];
      if (snapshot && !process.env.TSCTYPES_BENCH_MODULE) {
        const { built } = JSON.parse(fs.readFileSync(path.join(snapshot, 'snapshot.json'), 'utf8'));
        version = `tsctypes ${pkg.version} (a snapshot of dist/cjs built ${built})`;
      }
    } catch {
      /* keep the path only */
    }
    // Which entries calls take in this process (runtimeInfo(); TSCTYPES_ENTRY
    // changes it), and how many calls the accelerator's fast entries took
    // during each shape (counted from the shape's start to its check: the
    // verification, calibration and warm-up calls as well as the measured ones).
    const info = typeof api.runtimeInfo === 'function' ? api.runtimeInfo() : undefined;
    const counters = module.exports.counters(from);
    let before = null;
    const shapes = {
    noop: () => {
        const f = lib.func('noop', null, []);
        return () => f();
      },
      add_i32: () => {
        const f = lib.func('add_i32', c_int, [c_int, c_int]);
        return (i) => f(i, 7);
      },
      attr_i32: () => {
        // ctypes style: declared on the library's attribute, looked up per call.
        lib.add_i32.argtypes = [c_int, c_int];
        lib.add_i32.restype = c_int;
        return (i) => lib.add_i32(i, 7);
      },
      add_f64: () => {
        const f = lib.func('add_f64', c_double, [c_double, c_double]);
        return (i) => f(i, 0.5);
      },
      add_f32: () => {
        const f = lib.func('add_f32', c_float, [c_float, c_float]);
        return (i) => f(i, 0.5);
      },
      add_i64: () => {
        const f = lib.func('add_i64', c_int64, [c_int64, c_int64]);
        const a = 2n ** 40n;
        return () => f(a, 7n);
      },
      mix6: () => {
        const f = lib.func('mix6', c_double, [c_int, c_double, c_int64, c_float, c_uint8, c_double]);
        const { a, b, c, d, e, f: g } = mix;
        return () => f(a, b, c, d, e, g);
      },
      mix6p: () => {
        // C data (a string buffer whose first byte is 5) as a void * argument.
        const f = lib.func('mix6p', c_double, [c_int, c_double, c_int64, c_float, c_void_p, c_double]);
        const cbuf = create_string_buffer(String.fromCharCode(mix.e), mixBufSize);
        const { a, b, c, d, f: g } = mix;
        return () => f(a, b, c, d, cbuf, g);
      },
      sum_buf: () => {
        const f = lib.func('sum_buf', c_int64, [POINTER(c_uint8), c_size_t]);
        return () => f(buf64, 64);
      },
      str_len: () => {
        const f = lib.func('str_len', c_size_t, [c_char_p]);
        return () => f(str);
      },
      struct_rw: () => {
        // A struct instance owns 16 bytes of C memory; its fields are
        // accessors at fixed offsets.
        const Vec2 = struct({ x: c_double, y: c_double });
        const p = new Vec2(vec.p);
        return (i) => (p.x = p.y + i);
      },
      arr_rw: () => {
        const a = new (c_int.array(arr.length))();
        a[arr.fixed] = arr.value;
        return (i) => (a[i & 31] = a[arr.fixed] + i);
      },
      vec2_byval: () => {
        // Structs are C data: built once from the shared values, then passed
        // by value; the result is a new Vec2 whose fields are read.
        const Vec2 = struct({ x: c_double, y: c_double });
        const f = lib.func('vec2_add', Vec2, [Vec2, Vec2]);
        const a = new Vec2(vec.a);
        const b = new Vec2(vec.b);
        return () => {
          const r = f(a, b);
          return r.x + r.y;
        };
      },
      mixed_byval: () => {
        const Mixed = struct({ a: c_int32, b: c_int32, c: c_int64 });
        const f = lib.func('mixed_add', Mixed, [Mixed, Mixed]);
        const p = new Mixed(mixed.p);
        const q = new Mixed(mixed.q);
        return () => {
          const r = f(p, q);
          return r.a + r.b + Number(r.c);
        };
      },
      callback: () => {
        // The callback is made once; each call passes it to C, which calls it once.
        const CB = CFUNCTYPE(c_int, c_int);
        const cb = CB((x) => x + 1);
        const f = lib.func('call_cb', c_int, [CB, c_int]);
        return (i) => f(cb, i);
      },
      qsort_10k: () => {
        // Python ctypes' documented qsort example: the comparator gets two
        // POINTER(c_int) objects and reads p[0] from C's memory.
        const Cmp = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int));
        const cmp = Cmp((a, b) => a[0] - b[0]);
        const libc = new CDLL(api.find_library ? api.find_library('c') : 'libc.so.6');
        const qsort = libc.func('qsort', null, [c_void_p, c_size_t, c_size_t, Cmp]);
        const { data, work, n, checksum } = ctx.inputs.qsort;
        return () => {
          work.set(data);
          qsort(work, n, 4, cmp);
          return checksum(work);
        };
      },
      conv_1m: () => {
        // The public bulk path: Array type .from(iterable or array).
        const { ints1m } = ctx.inputs;
        const IntArray = c_int32.array(ints1m.length);
        const f = lib.func('sum_i32', c_int64, [POINTER(c_int32), c_size_t]);
        return () => f(IntArray.from(ints1m), ints1m.length);
      },
      primes_e2e: () => {
        const { ints1m } = ctx.inputs;
        const IntArray = c_int.array(ints1m.length);
        const f = lib.func('num_primes', c_int, [c_int, POINTER(c_int)]);
        return () => f(ints1m.length, IntArray.from(ints1m));
      },
      async_call: () => {
        const f = lib.func('add_i32', c_int, [c_int, c_int]);
        return (i) => f.async(i, 7);
      },
      primes_parallel: () => {
        const f = lib.func('num_primes', c_int, [c_int, POINTER(c_int)]);
        const { all, halves } = ctx.inputs.primes;
        const [h0, h1] = halves;
        return {
          one: () => f(all.length, all),
          two: () => Promise.all([f.async(h0.length, h0), f.async(h1.length, h1)]).then(([a, b]) => a + b),
        };
      },
    };
    return {
      version,
      info,
      shapes,
      // The realistic mode's live callback: C keeps it (keep_cb) for the whole run.
      keepCallback() {
        const CB = CFUNCTYPE(c_int, c_int);
        const cb = CB((x) => x + 1);
        lib.func('keep_cb', null, [CB])(cb);
        const callKept = lib.func('call_kept', c_int, [c_int]);
        const call = (x) => callKept(x);
        call.callback = cb; // referenced as long as the child holds the closure
        return call;
      },
      start() {
        if (counters) before = counters();
      },
      // The calls the fast entries took (slab fast entry + typed entries) over
      // the shape, against the calls measured: at least as many means every
      // measured call can have gone through them (reported, not enforced).
      check(shapeName, m) {
        if (!counters || !before || !m || m.parts || !m.samples) return undefined;
        const after = counters();
        const slab = after[0] - before[0];
        const typed = after[1] - before[1];
        const measured = m.samples.length * m.callsPerRun;
        before = null;
        const pct = ((100 * (slab + typed)) / measured).toFixed(0);
        return `fast entries took ${slab + typed} calls (typed ${typed}, slab ${slab}) for ${measured} measured (${pct}%)`;
      },
    };
  },
};
