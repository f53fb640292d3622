'use strict';
// Contenders that run under another JS runtime (Bun's bun:ffi, Deno's
// Deno.dlopen): the child is the usual bench/child.js under that runtime's
// binary, as scripts/runtimes.js installs and starts it (`node
// scripts/runtimes.js install bun deno`), with its global gc().

const fs = require('node:fs');
const path = require('node:path');
const runtimes = require('../scripts/runtimes');

// prepare(): the runtime must be installed (it is not installed from here:
// scripts/runtimes.js owns that, and the project's tests use the same copy).
function requireRuntime(name, ctx) {
  const file = runtimes.runtimePath(name);
  if (!fs.existsSync(file)) {
    throw new Error(`${name} is not installed (${path.relative(ctx.rootDir, file)} is missing; \`node scripts/runtimes.js install ${name}\`)`);
  }
}

// command(): child.js under the runtime.
function runtimeChild(name, ctx, childArgs) {
  const [file, args] = runtimes.childCommand(name, { gc: true });
  return { file, args: [...args, path.join(ctx.benchDir, 'child.js'), ...childArgs] };
}

// In the child: the shapes whose closures are the same for every runtime
// whose declared functions are attributes of one object (bun:ffi's and
// Deno's `lib.symbols`), with 64-bit integers as bigints or numbers and
// typed arrays passed as their memory. attr_i32 is add_i32: the attribute
// form is their only form. conv_1m and primes_e2e convert with
// `new Int32Array(jsArray)` (plain JavaScript; neither converts JS arrays).
function symbolShapes(f, inputs) {
  const { buf64, mix } = inputs;
  return {
    noop: () => () => f.noop(),
    add_i32: () => (i) => f.add_i32(i, 7),
    attr_i32: () => (i) => f.add_i32(i, 7),
    add_f64: () => (i) => f.add_f64(i, 0.5),
    add_f32: () => (i) => f.add_f32(i, 0.5),
    add_i64: () => {
      const a = 2n ** 40n;
      return () => f.add_i64(a, 7n);
    },
    mix6: () => {
      const { a, b, c, d, e, f: g } = mix;
      return () => f.mix6(a, b, c, d, e, g);
    },
    sum_buf: () => () => f.sum_buf(buf64, 64),
    conv_1m: () => {
      const { ints1m } = inputs;
      return () => f.sum_i32(new Int32Array(ints1m), ints1m.length);
    },
    primes_e2e: () => {
      const { ints1m } = inputs;
      return () => f.num_primes(ints1m.length, new Int32Array(ints1m));
    },
  };
}

// The realistic mode's live callback for those runtimes: `callback` is the
// runtime's callback object (JSCallback, Deno.UnsafeCallback), `cPointer`
// what C is given for it; the closure calls it through C (call_kept).
function keptCallback(f, callback, cPointer) {
  f.keep_cb(cPointer);
  const call = (x) => f.call_kept(x);
  call.callback = callback; // referenced as long as the child holds the closure (both live until close())
  return call;
}

module.exports = { requireRuntime, runtimeChild, symbolShapes, keptCallback };
