// Lifetimes of plans, libraries and views: what must hold after GC and close().
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, runScript } from "./helpers.mjs";
import { CDLL, c_int, c_void_p, POINTER, addressof, memmove, memset, resize, NullPointerError, ArgumentError } from "tsctypes";

test("closing a library never disables another library's functions, even after plan ids are reused", () => {
  // in a child with --expose-gc: make and drop many functions of library A, collect, then make B's
  const script = `
    const { CDLL, c_int, c_double } = require("tsctypes");
    const a = new CDLL(${JSON.stringify(fixture("calls"))});
    for (let i = 0; i < 200; i++) a.func("add_ints", c_int, [c_int, c_int]);
    global.gc();
    setTimeout(() => {
      global.gc();
      const b = new CDLL("libm.so.6");
      const fns = Array.from({ length: 200 }, () => b.func("cos", c_double, [c_double]));
      a.close();
      process.stdout.write(String(fns.every((f) => f(0) === 1)));
    }, 10);
  `;
  const r = runScript(script, { gc: true });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "true");
});

test("a closed library: symbol lookup throws with code ERR_LIBRARY_CLOSED, calls throw", () => {
  const lib = new CDLL(fixture("calls"));
  const add = lib.func("add_ints", c_int, [c_int, c_int]);
  lib.close();
  assert.throws(() => add(1, 2), (e) => e.code === "ERR_LIBRARY_CLOSED" && /add_ints/.test(e.message));
  assert.throws(() => lib.func("add_ints", c_int, [c_int, c_int]), (e) => e.code === "ERR_LIBRARY_CLOSED");
});

test("resize() refuses views of C memory (it cannot grow memory it does not own)", () => {
  const owner = c_int.array(4)(1, 2, 3, 4);
  const view = c_int.from_address(addressof(owner));
  assert.throws(() => resize(view, 64), (e) => e instanceof TypeError && /resize/.test(e.message));
});

test("memmove / memset through NULL throw NullPointerError", () => {
  const a = c_int(1);
  assert.throws(() => memmove(0, a, 4), NullPointerError);
  assert.throws(() => memmove(a, null, 4), NullPointerError);
  assert.throws(() => memset(0, 0, 4), NullPointerError);
  memmove(0, 0, 0); // zero bytes: nothing to check
});

test("a number for a POINTER(T) parameter: ArgumentError with the c_void_p / cast hint", () => {
  const lib = new CDLL(fixture("memory"));
  lib.sum.argtypes = [POINTER(c_int), c_int];
  assert.throws(() => lib.sum(1234, 1), (e) => e instanceof ArgumentError && /argument 1/.test(e.message) && /cast\(/.test(e.message));
});

test("`i in array` is true exactly for valid indexes", () => {
  const a = c_int.array(3)();
  assert.equal(0 in a, true);
  assert.equal(2 in a, true);
  assert.equal(3 in a, false);
  assert.equal(-1 in a, false);
  assert.equal("length" in a, true);
  void c_void_p;
});

// close() while code of the library may still run: it takes effect at once (calls throw), the
// unloading waits. In a child: a crash there is a signal, not the end of this test run.
const THREADS = JSON.stringify(fixture("threads"));
const closedError = `(e) => e.code + " " + /its library was closed/.test(e.message)`;

test("close() with async calls in flight: they finish, new calls throw, the library is unloaded after them", () => {
  const script = `
    const { CDLL, CFUNCTYPE, c_int } = require("tsctypes");
    const lib = new CDLL(${THREADS});
    const sleep_then = lib.func("sleep_then", c_int, [c_int, c_int]);
    const apply_plus = lib.func("apply_plus", c_int, [CFUNCTYPE(c_int, c_int), c_int]);
    apply_plus((x) => x, 5); // the library's global g_last: 5 until it is unloaded
    const pending = [sleep_then.async(50, 7), sleep_then.async(20, 8), lib.sleep_then.async(30, 9)];
    lib.close();
    const out = [lib.closed];
    try { sleep_then(1, 1); } catch (e) { out.push((${closedError})(e)); }
    sleep_then.async(1, 1).catch((e) => out.push((${closedError})(e)));
    Promise.all(pending).then((values) => {
      out.push(values);
      const again = new CDLL(${THREADS}); // unloaded: its globals start over
      out.push(again.func("last_seen", c_int, [])());
      process.stdout.write(JSON.stringify(out));
    });
  `;
  const r = runScript(script);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, "ERR_LIBRARY_CLOSED true", "ERR_LIBRARY_CLOSED true", [7, 8, 9], -12345]);
});

test("close() from a callback while C code of the library runs (plain and { threads: true } calls): unloaded after the call returns", () => {
  const script = `
    const { CDLL, CFUNCTYPE, c_int } = require("tsctypes");
    const F = CFUNCTYPE(c_int, c_int);
    const out = [];
    for (const threads of [false, true]) {
      const lib = new CDLL(${THREADS});
      const cb_then_sleep = lib.func("cb_then_sleep", c_int, [F, c_int, c_int], { threads });
      const apply_plus = lib.func("apply_plus", c_int, [F, c_int]);
      apply_plus((x) => x, 5); // the library's global g_last: 5 until it is unloaded
      out.push(cb_then_sleep((x) => { lib.close(); return x * 2; }, 21, 20)); // C sleeps in the library after the callback
      try { apply_plus((x) => x, 1); } catch (e) { out.push((${closedError})(e)); }
    }
    setImmediate(() => {
      out.push(new CDLL(${THREADS}).func("last_seen", c_int, [])());
      process.stdout.write(JSON.stringify(out));
    });
  `;
  const r = runScript(script);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [42, "ERR_LIBRARY_CLOSED true", 42, "ERR_LIBRARY_CLOSED true", -12345]);
});
