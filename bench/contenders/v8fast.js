'use strict';
// The floor: a hand-written addon (bench/v8fast-addon/bench_v8fast.cc) whose
// functions V8's optimized code calls through the fast API (v8::CFunction),
// with no FFI and no Node-API in between. It covers the scalar shapes
// (noop, add_i32, add_f64, add_f32), and the callback round trip through V8's
// own API (a fast call must not run JS, so that one is an ordinary V8
// function callback whose C trampoline calls a v8::Global function). It includes native/v8/v8-fast-api.h, the
// subset of V8's fast-API declarations that Node does not install, verified for
// V8 11.3, 12.4, 13.6 and 14.6 (Node 20-26); on another V8 the addon exports no
// functions and this contender reports itself unavailable.
//
// Both entries of every function count their calls. After each measurement
// check() compares the counts: unless V8 took the fast entry for at least
// 95% of the shape's calls (the rest ran before TurboFan optimized the loop),
// the shape is reported as an error, not as a floor.

const path = require('node:path');
const { buildAddon } = require('../addons');

const addonDir = path.join(__dirname, '..', 'v8fast-addon');
const addonPath = path.join(addonDir, 'build', 'Release', 'bench_v8fast.node');
const header = path.join(__dirname, '..', '..', 'native', 'v8', 'v8-fast-api.h');
const sources = [path.join(addonDir, 'bench_v8fast.cc'), path.join(addonDir, 'binding.gyp'), header];

// The addon's counter slots.
const SLOTS = { noop: 0, add_i32: 1, add_f64: 2, add_f32: 3 };
const MIN_FAST_SHARE = 0.95;

const NOT_APPLICABLE = {
  add_i64: "V8 11.3's fast API passes 64-bit integers as Numbers, not bigints",
  mix6: "its int64 argument is a bigint, which V8 11.3's fast API cannot take",
  sum_buf: "the fast API's typed-array argument type is not in native/v8/v8-fast-api.h's subset",
  str_len: "the fast API's string argument type is not in native/v8/v8-fast-api.h's subset",
};
const OTHER = 'the floor addon covers noop, add_i32, add_f64, add_f32 and callback';
// The realistic mode's live callback (child.js keepCallback).
const NO_KEPT_CALLBACK = "the addon's callback goes through its own trampoline; it has no way to hand benchlib's keep_cb a callback";

const fmtCount = (n) => Math.round(n).toLocaleString('en-US');

module.exports = {
  name: 'v8fast',
  // One line for RESULTS.md's list of contenders.
  summary:
    'the floor: a hand-written addon (`bench/v8fast-addon/`) whose functions are registered with a `v8::CFunction`, so optimized code calls the C function directly (fast-API declarations from `native/v8/v8-fast-api.h`); each measurement is checked to have taken the fast path. Its `callback` is the floor of a C-to-JS round trip through the V8 API: an ordinary function callback whose C trampoline calls a `v8::Global`',

  // Parent process: (re)build the addon when it is missing or out of date.
  prepare(ctx) {
    buildAddon(ctx, { dir: addonDir, binary: addonPath, sources, label: 'the V8 fast-API addon' });
  },

  // Child process.
  setup(ctx) {
    const addon = require(addonPath);
    if (!addon.fastApi) {
      throw new Error(
        `native/v8/v8-fast-api.h is not verified for V8 ${process.versions.v8}: the addon has no fast functions here`,
      );
    }
    const notApplicable = {};
    for (const s of ctx.shapes) if (!(s.name in SLOTS) && s.name !== 'callback') notApplicable[s.name] = NOT_APPLICABLE[s.name] || OTHER;
    const counts = (slot) => ({ fast: addon.fastCounts()[slot], slow: addon.slowCounts()[slot] });
    const before = {}; // per shape: the counts when its closure was made
    const made = (shape, closure) => {
      before[shape] = counts(SLOTS[shape]);
      return closure;
    };
    return {
      version: `hand-written V8 fast-API addon (V8 ${process.versions.v8}, ${process.version})`,
      notApplicable: { ...notApplicable, keepCallback: NO_KEPT_CALLBACK },
      shapes: {
        noop: () => {
          const f = addon.noop;
          return made('noop', () => f());
        },
        add_i32: () => {
          const f = addon.add_i32;
          return made('add_i32', (i) => f(i, 7));
        },
        add_f64: () => {
          const f = addon.add_f64;
          return made('add_f64', (i) => f(i, 0.5));
        },
        add_f32: () => {
          const f = addon.add_f32;
          return made('add_f32', (i) => f(i, 0.5));
        },
        // not a fast call (it runs JS): nothing to check
        callback: () => {
          addon.set_callback((x) => x + 1);
          const f = addon.call_cb;
          return (i) => f(i);
        },
      },
      // After the shape's measurement: did V8 really call the fast entry?
      check(shape) {
        if (!(shape in SLOTS)) return 'V8 function callback (no fast path: it runs JS)';
        const now = counts(SLOTS[shape]);
        const fast = now.fast - before[shape].fast;
        const slow = now.slow - before[shape].slow;
        const share = fast / (fast + slow);
        const text = `fast path ${(100 * share).toFixed(2)}% of ${fmtCount(fast + slow)} calls`;
        if (!(share >= MIN_FAST_SHARE)) {
          throw new Error(`${text}: V8 mostly ran the slow callback, so this would not be the floor`);
        }
        return text;
      },
    };
  },
};
