// The V8 fast API entries (the accelerator, docs/architecture.md): optimized code calls the
// native code directly. A fast call must never re-enter JS, so it declines while callbacks
// are open (unless the function is declared { reentrant: false }) and the marshaller runs
// the call through the plain entry. The accelerator counts the calls each fast entry took
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

  test(`${e.name}: open callbacks switch calls to the ordinary entry; closing the last one switches back`, { skip: NO_FAST_API }, () => {
    const plus1 = plusOne(e);
    assert.ok(untilFast(e, plus1).fast);
    const cb = F((x) => x * 2);
    assert.equal(fastCallsDuring(e, plus1), 0, "a fast call ran while a callback was open");
    // the callback still works, from a call that passes it
    assert.equal(lib.func("apply", T.c_int, [F, T.c_int])(cb, 21), 42);
    cb.close();
    // (declined calls may have deoptimized the marshaller: V8 optimizes it again first)
    assert.ok(settlesFast(e, plus1), "the fast entry was not taken again");
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

test("reentrant is an option of lib.func and an attribute", () => {
  assert.equal(lib.func("plus_one", T.c_int, [T.c_int], { reentrant: false }).reentrant, false);
  const attr = lib.plus_one;
  assert.equal(attr.reentrant, true);
  attr.reentrant = false;
  attr.argtypes = [T.c_int];
  attr.restype = T.c_int;
  assert.equal(attr.reentrant, false);
});

for (const e of ENTRIES) {
  test(`${e.name}: a function declared { reentrant: false } that calls back anyway: reported, the callback returns zero (child)`, { skip: NO_FAST_API }, () => {
    const r = runModule(`
      import * as T from "tsctypes";
      const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
      const F = T.CFUNCTYPE(T.c_int, T.c_int);
      const seen = [];
      const cb = F((x) => { seen.push(x); return x + 1; });
      lib.func("register_handler", null, [F])(cb);
      const type = T.${e.type === T.c_int ? "c_int" : "c_longlong"};
      const trigger = lib.func("${e.trigger}", type, [type], { reentrant: false });
      const of = ${e.of.toString()}, back = ${e.back.toString()};
      // ordinary calls run the callback; once V8 uses the fast entry, C gets zero from it
      let k = 1, r = 0;
      for (; k < 1000000; k++) { r = back(trigger(of(k))); if (r !== k + 1) break; }
      console.log(JSON.stringify({ r, ranUntil: seen.length === k - 1 }));
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { r: 0, ranUntil: true });
    assert.match(r.stderr, new RegExp(`${e.trigger}\\(${e.type === T.c_int ? "c_int" : "c_longlong"}\\) -> ${e.type === T.c_int ? "c_int" : "c_longlong"} from .*libthreads\\.so called callback .* but was declared \\{ reentrant: false \\}; the callback returns zero`));
  });
}

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
