// The V8 fast API entries (the accelerator, docs/architecture.md): optimized code calls the
// native code directly. A fast call must never re-enter JS, so while callbacks are open it
// runs only functions not expected to call back (no function pointer argument, not declared
// { reentrant: true }, not seen calling back) and declines the others: the marshaller runs
// those through the plain entry (docs/performance.md "Fast calls and live callbacks"). The accelerator counts the calls each fast entry took
// (counters().fast: the slab's fast entry, .typed: typed entries), which is how these tests
// know which entry ran.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import * as T from "tsctypes";
import { COUNTERS, NO_FAST_API, RUNTIME, fixture, runModule } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const counters = require(COUNTERS);
const { accelerator } = require("../dist/cjs/native.js");
// V8 versions whose fast API the accelerator is verified for (native/v8/v8-fast-api.h): on
// Node lines with these, the fast entries must be there (tested below), so a skip for their
// absence hides nothing.
const VERIFIED_V8 = ["11.3", "12.4", "13.6", "14.6"];
const VERIFIED = Boolean(accelerator?.invokeFast);
const lib = new T.CDLL(fixture("threads"));
const F = T.CFUNCTYPE(T.c_int, T.c_int);

// Two fast entries: typed entries (scalar signatures: the arguments themselves, no slab),
// counted in counters().typed, and the slab's fast entry (everything else), in .fast.
const ENTRIES = [
  { name: "typed entry", counter: "typed", fn: "plus_one", type: T.c_int, trigger: "trigger", of: (k) => k, back: (r) => r },
  { name: "slab fast entry", counter: "fast", fn: "plus_one_ll", type: T.c_longlong, trigger: "trigger_ll", of: (k) => BigInt(k), back: (r) => Number(r) },
];
const taken = (e) => counters()[e.counter];

/** Calls `call` until entry `e` has taken a call (V8 optimizes the marshaller first); its calls' results. */
function untilFast(e, call, limit = 400000) {
  const before = taken(e);
  const results = new Set();
  for (let k = 0; k < limit && taken(e) === before; k++) results.add(call(k));
  return { fast: taken(e) > before, results };
}

/** Calls entry `e` took during `n` calls of an already optimized call (k -> k + 1). */
function fastCallsDuring(e, call, n = 20000) {
  const before = taken(e);
  for (let k = 0; k < n; k++) assert.equal(call(k), k + 1);
  return taken(e) - before;
}

/**
 * Whether the fast entry takes (nearly) every call of `call` once V8 has settled: batches of
 * `n` calls until one has more than 3/4 of them fast (V8 may optimize in tiers, and
 * deoptimize once on the way), at most `batches`.
 */
function settlesFast(e, call, n = 20000, batches = 20) {
  for (let b = 0; b < batches; b++) if (fastCallsDuring(e, call, n) > (3 * n) / 4) return true;
  return false;
}

/** `e`'s plus-one function as a call k -> k + 1 on numbers, declared with `options`. */
function plusOne(e, options) {
  const f = lib.func(e.fn, e.type, [e.type], options);
  return (k) => e.back(f(e.of(k)));
}

test("on Node, the fast entries exist exactly on the verified V8 versions", { skip: RUNTIME !== "node" ? "no accelerator in this runtime" : process.env.TSCTYPES_ENTRY === "napi" && "TSCTYPES_ENTRY=napi: no accelerator loaded" }, () => {
  const verified = VERIFIED_V8.includes(process.versions.v8.split(".").slice(0, 2).join("."));
  assert.ok(accelerator, "the V8 accelerator is loaded");
  assert.equal(typeof accelerator.invokeV8, "function");
  assert.equal(typeof accelerator.invokeFast, verified ? "function" : "undefined");
  assert.equal(typeof accelerator.typedEntry, verified ? "function" : "undefined");
  assert.equal(typeof accelerator.writeString, verified ? "function" : "undefined");
});

for (const e of ENTRIES) {
  test(`${e.name}: a hot call goes through it, with the same results`, { skip: NO_FAST_API }, () => {
    const plus1 = plusOne(e);
    const { fast, results } = untilFast(e, (k) => plus1(k) - k);
    assert.ok(fast, "V8 never took the fast entry");
    assert.deepEqual([...results], [1]);
    assert.ok(settlesFast(e, plus1));
  });

  test(`${e.name}: a live callback kept by C leaves a function without callback arguments on it`, { skip: NO_FAST_API }, () => {
    const plus1 = plusOne(e);
    assert.ok(untilFast(e, plus1).fast);
    const seen = [];
    const cb = F((x) => (seen.push(x), x * 2));
    lib.func("register_handler", null, [F])(cb); // C stores it
    assert.ok(settlesFast(e, plus1), "a callback being alive took the fast entry away");
    // the callback still works, from a call that passes it and from one that calls the stored one
    assert.equal(lib.func("apply", T.c_int, [F, T.c_int])(cb, 21), 42);
    assert.equal(lib.func("trigger", T.c_int, [T.c_int])(5), 10);
    assert.deepEqual(seen, [21, 5]);
    lib.func("register_handler", null, [T.c_void_p])(null);
    cb.close();
    assert.ok(settlesFast(e, plus1));
  });

  test(`${e.name}: a function that calls a callback C stored earlier runs it on every call (learned: it leaves the fast entry)`, { skip: NO_FAST_API }, () => {
    const seen = [];
    const cb = F((x) => (seen.push(x), x + 1));
    lib.func("register_handler", null, [F])(cb);
    const trigger = lib.func(e.trigger, e.type, [e.type]); // nothing declared: it has no callback argument
    const before = taken(e);
    const n = 50000;
    for (let k = 0; k < n; k++) {
      const r = e.back(trigger(e.of(k)));
      if (r !== k + 1) assert.fail(`call ${k}: ${r}`);
    }
    assert.equal(seen.length, n, "a callback did not run");
    assert.equal(taken(e) - before, 0, "a call that calls back took the fast entry");
    lib.func("register_handler", null, [T.c_void_p])(null);
    cb.close();
  });

  test(`${e.name}: { reentrant: true } keeps a function off it, with or without callbacks`, { skip: NO_FAST_API }, () => {
    const plus1 = plusOne(e, { reentrant: true });
    assert.equal(fastCallsDuring(e, plus1, 100000), 0);
    const cb = F((x) => x);
    assert.equal(fastCallsDuring(e, plus1, 100000), 0);
    cb.close();
  });

  test(`${e.name}: { reentrant: false } keeps it while callbacks are open`, { skip: NO_FAST_API }, () => {
    const plus1 = plusOne(e, { reentrant: false });
    const cb = F((x) => x);
    assert.ok(untilFast(e, plus1).fast);
    assert.ok(settlesFast(e, plus1));
    cb.close();
  });

  test(`${e.name}: a hot call into a closed library throws ERR_LIBRARY_CLOSED`, { skip: NO_FAST_API }, () => {
    const own = new T.CDLL(fixture("threads"));
    const f = own.func(e.fn, e.type, [e.type]);
    const plus1 = (k) => e.back(f(e.of(k)));
    assert.ok(untilFast(e, plus1).fast);
    own.close();
    assert.throws(() => plus1(1), { code: "ERR_LIBRARY_CLOSED", message: new RegExp(`${e.fn}`) });
  });

  // V8 11.3 unwinds an exception thrown by a fast call's fallback past a try/catch in the optimized
  // function the call was inlined into; the entries leave it for the marshaller to throw instead.
  test(`${e.name}: errors of a hot call reach a try/catch around it in the same function`, { skip: NO_FAST_API }, () => {
    const own = new T.CDLL(fixture("threads"));
    const f = own.func(e.fn, e.type, [e.type]);
    function loop(n, closeAt) {
      const caught = [];
      for (let k = 0; k < n; k++) {
        if (k === closeAt) own.close();
        try {
          if (e.back(f(e.of(k))) !== k + 1) caught.push("wrong result");
        } catch (err) {
          caught.push(err.code);
        }
      }
      return caught;
    }
    assert.deepEqual(loop(300000, -1), []);
    assert.ok(taken(e) > 0);
    assert.deepEqual(loop(10, 5), Array(5).fill("ERR_LIBRARY_CLOSED"));
  });
}

test("functions with callback-typed parameters never use a fast entry", { skip: NO_FAST_API }, () => {
  const apply = lib.func("apply", T.c_int, [F, T.c_int]);
  const cb = F((x) => x + 1);
  const before = counters();
  for (let k = 0; k < 50000; k++) assert.equal(apply(cb, k), k + 1);
  const after = counters();
  assert.deepEqual([after.fast, after.typed], [before.fast, before.typed]);
  // (and C reached the callback through its register trampoline)
  assert.equal(after.trampoline - before.trampoline, 50000);
  cb.close();
});

test("reentrant is an option of lib.func and an attribute; left out, it is null (inferred)", () => {
  assert.equal(lib.func("plus_one", T.c_int, [T.c_int], { reentrant: false }).reentrant, false);
  assert.equal(lib.func("plus_one", T.c_int, [T.c_int], { reentrant: true }).reentrant, true);
  assert.equal(lib.func("plus_one", T.c_int, [T.c_int]).reentrant, null);
  const attr = lib.plus_one;
  assert.equal(attr.reentrant, null);
  attr.reentrant = false;
  attr.argtypes = [T.c_int];
  attr.restype = T.c_int;
  assert.equal(attr.reentrant, false);
  attr.reentrant = null;
  assert.equal(attr.reentrant, null);
});

// A fast call that waits for a C thread calling a stored callback: the JS thread cannot run it,
// and the waiting thread must find the call the JS thread is blocked in (the thread's fast_running,
// native/core/foreign.c) to report it after 1 s and give up after 5 s instead of waiting forever.
test("a fast call waiting for a C thread that calls back: stderr names it, and after 5 s it throws ERR_CALLBACK_THREAD (child)", { skip: NO_FAST_API }, () => {
  const r = runModule(`
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
    const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
    const F = T.CFUNCTYPE(T.c_int, T.c_int);
    const cb = F((x) => x + 1);
    lib.func("register_handler", null, [F])(cb);
    const triggerInThreadIf = lib.func("trigger_in_thread_if", T.c_int, [T.c_int, T.c_int]);
    // as in the test below: one loop, and once 1000 calls were fast, a call fires from a fast call
    const start = counters().typed;
    let fire = 0, error = null, result = null, fastBefore = 0, fastAfter = 0;
    for (let k = 0; k < 2000000; k++) {
      fire |= +(counters().typed - start >= 1000);
      const before = counters().typed;
      try {
        result = triggerInThreadIf(k, fire);
      } catch (err) {
        error = { code: err.code, message: err.message };
      }
      if (fire) {
        fastBefore = before - start;
        fastAfter = counters().typed - before;
        break;
      }
    }
    cb.close();
    console.log(JSON.stringify({ error, result, fastBefore, fastAfter }));
  `, { timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.fastBefore >= 1000, "the typed entry never took 1000 calls");
  assert.equal(out.fastAfter, 1, "the firing call was a fast call");
  const note = "trigger_in_thread_if\\(c_int, c_int\\) -> c_int from .*libthreads\\.so";
  assert.equal(out.error?.code, "ERR_CALLBACK_THREAD");
  assert.match(out.error.message, new RegExp(`callback .* was called from another thread while the JS thread was blocked in the synchronous call ${note}`));
  assert.match(r.stderr, new RegExp(`is waiting for the JS thread, which is blocked in the synchronous call ${note}`));
});

for (const e of ENTRIES) {
  test(`${e.name}: a callback first reached during a fast call: it returns zero, the call throws ERR_CALLBACK_IN_FAST_CALL, later calls run it (child)`, { skip: NO_FAST_API }, () => {
    const type = e.type === T.c_int ? "c_int" : "c_longlong";
    const fn = `${e.trigger.replace("trigger", "trigger_if")}`;
    const r = runModule(`
      import * as T from "tsctypes";
      import { createRequire } from "node:module";
      const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
      const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
      const F = T.CFUNCTYPE(T.c_int, T.c_int);
      const seen = [];
      const cb = F((x) => { seen.push(x); return x + 1; });
      lib.func("register_handler", null, [F])(cb);
      // calls the stored callback only when told to: nothing in its signature says it may
      const triggerIf = lib.func("${fn}", T.${type}, [T.${type}, T.${type}]);
      const of = ${e.of.toString()}, back = ${e.back.toString()};
      // One loop, the same code on every turn up to the call (no branch V8 has not seen yet, which
      // would deoptimize it first): once V8 has made 1000 of its calls fast, a call fires the
      // callback (from inside a fast call), then every call does.
      const start = counters().${e.counter};
      let fire = 0, firedAt = -1, error = null, errorAt = -1, lastSeen = null, wrong = 0, fastAfter = 0;
      for (let k = 0; k < 2000000; k++) {
        fire |= +(counters().${e.counter} - start >= 1000);
        try {
          const r = back(triggerIf(of(k), of(fire)));
          if (r !== fire * (k + 2) - 1) wrong++;
        } catch (err) {
          error = { code: err.code, message: err.message };
          errorAt = k;
          lastSeen = lib.func("last_seen", T.c_int, [])();
          fastAfter = counters().${e.counter};
        }
        if (fire && firedAt < 0) firedAt = k;
        if (firedAt >= 0 && k - firedAt >= 20000) break;
      }
      fastAfter = counters().${e.counter} - fastAfter;
      cb.close(); // (cb stays reachable until here: optimized code may drop a binding it no longer reads)
      console.log(JSON.stringify({ firedAt, errorAt, error, lastSeen, wrong, ran: seen.length, fastAfter }));
    `);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.firedAt > 0, "the fast entry never took 1000 calls");
    const note = `${fn}\\(${type}, ${type}\\) -> ${type} from .*libthreads\\.so`;
    // the first firing call was a fast call: its callback could not run
    assert.equal(out.error?.code, "ERR_CALLBACK_IN_FAST_CALL");
    assert.equal(out.errorAt, out.firedAt);
    assert.match(out.error.message, new RegExp(`${note} called callback .* during a V8 fast call, where JavaScript cannot run: the callback did not run and returned zero to C`));
    assert.equal(out.lastSeen, 0, "C got zero from the callback that could not run");
    // every later call ran its callback, none of them through the fast entry
    assert.deepEqual([out.wrong, out.ran, out.fastAfter], [0, 20000, 0]);
    assert.match(r.stderr, new RegExp(`${note} called callback .* during a V8 fast call`));
  });
}

test("a fast call that waits for a C thread calling a stored callback gives up after 5 s and throws ERR_CALLBACK_THREAD (child)", { skip: NO_FAST_API }, () => {
  const r = runModule(`
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
    const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
    const TCB = T.CFUNCTYPE(T.c_int, T.c_int, T.c_int);
    const cb = TCB((a, b) => a + b);
    lib.func("keep_thread_cb", null, [TCB])(cb);
    const waitIf = lib.func("kept_in_thread_if", T.c_longlong, [T.c_int, T.c_int]);
    const start = counters().fast;
    let fire = 0, out = null, wrong = 0;
    for (let k = 0; k < 2000000 && out === null; k++) {
      fire |= +(counters().fast - start >= 1000);
      try {
        const r = waitIf(k, fire);
        if (fire) out = { returned: String(r) };
        else if (r !== -1n) wrong++;
      } catch (err) {
        out = { code: err.code, fast: counters().fast - start >= 1000 };
      }
    }
    cb.close();
    console.log(JSON.stringify({ out, wrong }));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { out: { code: "ERR_CALLBACK_THREAD", fast: true }, wrong: 0 });
  assert.match(r.stderr, /is waiting for the JS thread, which is blocked in the synchronous call kept_in_thread_if\(c_int, c_int\) -> c_longlong/);
});

test("TSCTYPES_ENTRY=v8 and =napi keep calls off the fast entry (child)", () => {
  for (const entry of ["v8", "napi"]) {
    const r = runModule(
      `
      import * as T from "tsctypes";
      import { createRequire } from "node:module";
      const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
      const plus1 = new T.CDLL(${JSON.stringify(fixture("threads"))}).func("plus_one", T.c_int, [T.c_int]);
      const plus1ll = new T.CDLL(${JSON.stringify(fixture("threads"))}).func("plus_one_ll", T.c_longlong, [T.c_longlong]);
      let s = 0;
      for (let k = 0; k < 200000; k++) s += plus1(k) - k + Number(plus1ll(BigInt(k))) - k;
      console.log(s, counters().fast + counters().typed);
    `,
      { env: { TSCTYPES_ENTRY: entry } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "400000 0\n", entry);
  }
});

test("strings passed to char* are written by the fast string writer once hot, byte-exact (UTF-8, surrogates, long)", () => {
  const libc = new T.CDLL("libc.so.6");
  const strlen = libc.func("strlen", T.c_size_t, [T.c_char_p]);
  const strdup = libc.func("strdup", T.c_void_p, [T.c_char_p]);
  const free = libc.func("free", null, [T.c_void_p]);
  const samples = ["hello, world", "größenwahn über alles", "abcdefghijklmnopqrstuvwxyzé plus ascii after", "0123456789abcdef", "日本語のテキストです", "a\ud800b\udc00c", "😀 emoji 😀", "x".repeat(5000), "short", ""];
  const before = counters().strings;
  for (const s of samples) {
    const bytes = Buffer.from(s, "utf8"); // lone surrogates become U+FFFD, as the library writes them
    for (let k = 0; k < 30000; k++) {
      const n = strlen(s);
      if (n !== bytes.length) assert.fail(`strlen(${JSON.stringify(s.slice(0, 20))}) = ${n}, expected ${bytes.length} (call ${k})`);
    }
    const copy = strdup(s);
    assert.deepEqual(new Uint8Array(T.buffer_at(copy, bytes.length)), new Uint8Array(bytes));
    free(copy);
  }
  if (VERIFIED) assert.ok(counters().strings > before, "the fast string writer was never used");
});

test("narrow results come back as their C type whatever the register holds above them, on every entry (x86-64)", { skip: process.arch !== "x64" && "the fixture's junk-returning functions are x86-64 assembly" }, () => {
  const JUNK = { junk_i8: ["c_int8", -128], junk_u8: ["c_uint8", 255], junk_i16: ["c_int16", -32767], junk_u16: ["c_uint16", 32769], junk_true: ["c_bool", true], junk_false: ["c_bool", false], junk_char: ["c_char", "A"] };
  const expected = Object.fromEntries(Object.entries(JUNK).map(([name, [, v]]) => [name, v]));
  const script = `
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
    const lib = new T.CDLL(${JSON.stringify(fixture("calls"))});
    const out = {};
    for (const [name, [type]] of Object.entries(${JSON.stringify(JUNK)})) {
      const f = lib.func(name, T[type], []);
      const cold = f();
      // hot: until a fast entry took it (where there is one), then once more
      const before = counters().typed;
      for (let k = 0; k < 400000 && counters().typed === before; k++) f();
      out[name] = [cold, f(), counters().typed > before];
    }
    console.log(JSON.stringify(out));
  `;
  for (const entry of ["fast", "v8", "napi"]) {
    const r = runModule(script, { env: { TSCTYPES_ENTRY: entry } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const [name, v] of Object.entries(expected)) {
      assert.deepEqual(out[name].slice(0, 2), [v, v], `${name} (${entry})`);
      assert.equal(out[name][2], VERIFIED && entry === "fast", `${name} (${entry}): typed entry taken`);
    }
  }
});

test("float arguments round to nearest, ties to even, on every entry: as Math.fround does", () => {
  // doubles that are not floats: between floats, exactly halfway (ties), past FLT_MAX, below the
  // smallest subnormal; the typed entry converts them itself (native/v8/typed.cc)
  const show = (v) => (Object.is(v, -0) ? "-0" : String(v));
  const VALUES = [0.1, -0.1, 1 + 2 ** -24, 1 + 3 * 2 ** -24, 1 + 2 ** -24 + 2 ** -52, 3.4028235677973366e38, 3.4028235677973362e38, 1e39, -1e39, 2 ** -150, 2 ** -149 * 1.5, 16777217, -0, NaN];
  const script = `
    import * as T from "tsctypes";
    import { createRequire } from "node:module";
    const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
    const lib = new T.CDLL(${JSON.stringify(fixture("calls"))});
    const echo = lib.func("echo_float", T.c_float, [T.c_float]);
    const values = ${JSON.stringify(VALUES.map(show))}.map(Number);
    const cold = values.map((v) => echo(v));
    const before = counters().typed;
    for (let k = 0; k < 400000 && counters().typed === before; k++) echo(values[k % values.length]);
    const hot = values.map((v) => echo(v));
    const show = ${show};
    console.log(JSON.stringify({ cold: cold.map(show), hot: hot.map(show), typed: counters().typed > before }));
  `;
  const expected = VALUES.map((v) => show(Math.fround(v)));
  for (const entry of ["fast", "v8", "napi"]) {
    const r = runModule(script, { env: { TSCTYPES_ENTRY: entry } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.cold, expected, `cold (${entry})`);
    assert.deepEqual(out.hot, expected, `hot (${entry})`);
    assert.equal(out.typed, VERIFIED && entry === "fast", `typed entry taken (${entry})`);
  }
});
