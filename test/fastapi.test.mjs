// The V8 fast API entry (DESIGN.md, the call path): optimized code calls the native
// core directly. It must never re-enter JS, so it declines while callbacks are open
// (unless the function is declared { reentrant: false }) and V8 runs the ordinary entry.
// The native core counts the calls it took (native.fastCalls()[0]), which is how these
// tests know which entry ran.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import * as T from "tsctypes";
import { fixture, runModule } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const native = require(path.join(ROOT, "build", "Release", "tsctypes.node"));
const VERIFIED = process.versions.v8.startsWith("11.3."); // Node 20
const lib = new T.CDLL(fixture("threads"));
const F = T.CFUNCTYPE(T.c_int, T.c_int);

/** Calls `call` until the fast entry has taken a call (V8 optimizes the marshaller first); its calls' results. */
function untilFast(call, limit = 400000) {
  const before = native.fastCalls()[0];
  const results = new Set();
  for (let k = 0; k < limit && native.fastCalls()[0] === before; k++) results.add(call(k));
  return { fast: native.fastCalls()[0] > before, results };
}

/** Fast calls taken during `n` calls of an already optimized call. */
function fastCallsDuring(call, n = 20000) {
  const before = native.fastCalls()[0];
  for (let k = 0; k < n; k++) assert.equal(call(k), k + 1);
  return native.fastCalls()[0] - before;
}

test("the fast entry exists exactly on the verified V8 version", () => {
  assert.equal(typeof native.invokeV8, "function");
  assert.equal(typeof native.invokeFast, VERIFIED ? "function" : "undefined");
});

test("a hot call goes through the fast entry, with the same results", { skip: !VERIFIED && "V8 fast API calls are off on this V8" }, () => {
  const plus1 = lib.func("plus_one", T.c_int, [T.c_int]);
  const { fast, results } = untilFast((k) => plus1(k) - k);
  assert.ok(fast, "V8 never took the fast entry");
  assert.deepEqual([...results], [1]);
  assert.ok(fastCallsDuring(plus1) > 15000);
});

test("open callbacks switch calls to the ordinary entry; closing the last one switches back", { skip: !VERIFIED && "V8 fast API calls are off on this V8" }, () => {
  const plus1 = lib.func("plus_one", T.c_int, [T.c_int]);
  assert.ok(untilFast(plus1).fast);
  const cb = F((x) => x * 2);
  assert.equal(fastCallsDuring(plus1), 0, "a fast call ran while a callback was open");
  // the callback still works, from a call that passes it
  assert.equal(lib.func("apply", T.c_int, [F, T.c_int])(cb, 21), 42);
  cb.close();
  assert.ok(fastCallsDuring(plus1) > 15000);
});

test("functions with callback-typed parameters never use the fast entry", { skip: !VERIFIED && "V8 fast API calls are off on this V8" }, () => {
  const apply = lib.func("apply", T.c_int, [F, T.c_int]);
  const cb = F((x) => x + 1);
  const before = native.fastCalls()[0];
  for (let k = 0; k < 50000; k++) assert.equal(apply(cb, k), k + 1);
  assert.equal(native.fastCalls()[0], before);
  cb.close();
});

test("{ reentrant: false } keeps the fast entry while callbacks are open", { skip: !VERIFIED && "V8 fast API calls are off on this V8" }, () => {
  const plus1 = lib.func("plus_one", T.c_int, [T.c_int], { reentrant: false });
  assert.equal(plus1.reentrant, false);
  const cb = F((x) => x);
  assert.ok(untilFast(plus1).fast);
  assert.ok(fastCallsDuring(plus1) > 15000);
  cb.close();
  // attribute-style functions take the declaration as an attribute
  const attr = lib.plus_one;
  assert.equal(attr.reentrant, true);
  attr.reentrant = false;
  attr.argtypes = [T.c_int];
  attr.restype = T.c_int;
  assert.equal(attr.reentrant, false);
});

test("a function declared { reentrant: false } that calls back anyway: reported, the callback returns zero (child)", { skip: !VERIFIED && "V8 fast API calls are off on this V8" }, () => {
  const r = runModule(`
    import * as T from "tsctypes";
    const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
    const F = T.CFUNCTYPE(T.c_int, T.c_int);
    const seen = [];
    const cb = F((x) => { seen.push(x); return x + 1; });
    lib.func("register_handler", null, [F])(cb);
    const trigger = lib.func("trigger", T.c_int, [T.c_int], { reentrant: false });
    // ordinary calls run the callback; once V8 uses the fast entry, C gets zero from it
    let k = 1, r = 0;
    for (; k < 1000000; k++) { r = trigger(k); if (r !== k + 1) break; }
    console.log(JSON.stringify({ r, ranUntil: seen.length === k - 1 }));
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { r: 0, ranUntil: true });
  assert.match(r.stderr, /trigger\(c_int\) -> c_int from .*libthreads\.so called callback .* but was declared \{ reentrant: false \}; the callback returns zero/);
});

test("TSCTYPES_ENTRY=v8 and =napi keep calls off the fast entry (child)", () => {
  for (const entry of ["v8", "napi"]) {
    const r = runModule(
      `
      import * as T from "tsctypes";
      import { createRequire } from "node:module";
      const native = createRequire(import.meta.url)(${JSON.stringify(path.join(ROOT, "build", "Release", "tsctypes.node"))});
      const plus1 = new T.CDLL(${JSON.stringify(fixture("threads"))}).func("plus_one", T.c_int, [T.c_int]);
      let s = 0;
      for (let k = 0; k < 200000; k++) s += plus1(k) - k;
      console.log(s, native.fastCalls()[0]);
    `,
      { env: { TSCTYPES_ENTRY: entry } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "200000 0\n", entry);
  }
});

test("strings passed to char* are written by the fast string writer once hot, byte-exact (UTF-8, surrogates, long)", () => {
  const libc = new T.CDLL("libc.so.6");
  const strlen = libc.func("strlen", T.c_size_t, [T.c_char_p]);
  const strdup = libc.func("strdup", T.c_void_p, [T.c_char_p]);
  const free = libc.func("free", null, [T.c_void_p]);
  const samples = ["hello, world", "größenwahn über alles", "abcdefghijklmnopqrstuvwxyzé plus ascii after", "0123456789abcdef", "日本語のテキストです", "a\ud800b\udc00c", "😀 emoji 😀", "x".repeat(5000), "short", ""];
  const before = native.fastCalls()[1];
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
  if (VERIFIED) assert.ok(native.fastCalls()[1] > before, "the fast string writer was never used");
  assert.equal(typeof native.writeString, "function");
});
