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
