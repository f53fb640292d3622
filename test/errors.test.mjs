// Errors (docs/api.md "Errors"): ArgumentError (a TypeError) with messages naming the function,
// argument and type; TypeErrors for bad declarations; NullPointerError; RangeError for
// bounds and unrepresentable values; the error classes themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CDLL,
  ArgumentError,
  LibraryLoadError,
  SymbolNotFoundError,
  NullPointerError,
  POINTER,
  pointer,
  cast,
  c_bool,
  c_char,
  c_wchar,
  c_int,
  c_int64,
  c_uint64,
  c_long,
  c_size_t,
  c_float,
  c_double,
  c_longdouble,
  c_char_p,
  c_wchar_p,
  c_void_p,
} from "tsctypes";
import { fixture } from "./helpers.mjs";

const lib = new CDLL(fixture("calls"));

/** assert.throws with an exact class and a message that contains every part */
function throwsWith(fn, cls, ...parts) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

test("the error classes: ArgumentError is a TypeError; all are Errors with their names", () => {
  const a = new ArgumentError("m");
  assert.ok(a instanceof TypeError);
  assert.ok(a instanceof Error);
  assert.equal(a.name, "ArgumentError");
  assert.equal(a.message, "m");
  assert.ok(new NullPointerError("n") instanceof Error);
  assert.equal(new NullPointerError("n").name, "NullPointerError");
  assert.equal(new NullPointerError("n").message, "n");
  assert.ok(LibraryLoadError.prototype instanceof Error);
  assert.ok(SymbolNotFoundError.prototype instanceof Error);
});

test("ArgumentError message: 'argument 2: expected c_int, got string \"abc\"' with the function name", () => {
  const add = lib.func("add_ints", c_int, [c_int, c_int]);
  assert.throws(
    () => add(1, "abc"),
    (e) =>
      e instanceof ArgumentError &&
      e instanceof TypeError &&
      e.name === "ArgumentError" &&
      e.message.includes('argument 2: expected c_int, got string "abc"') &&
      e.message.includes("add_ints"),
  );
  // exactly, as the implementation renders it
  assert.throws(() => add(1, "abc"), { name: "ArgumentError", message: 'add_ints(): argument 2: expected c_int, got string "abc"' });
  // the attribute-style function says the same
  const f = new CDLL(fixture("calls")).add_ints;
  f.argtypes = [c_int, c_int];
  throwsWith(() => f("abc", 1), ArgumentError, "add_ints", 'argument 1: expected c_int, got string "abc"');
});

test("ArgumentError for a wrong value of each kind of parameter names function, argument and type", () => {
  const cases = [
    ["echo_double", c_double, [c_double], ["x"], 'argument 1: expected c_double, got string "x"'],
    ["echo_float", c_float, [c_float], [null], "argument 1: expected c_float, got null"],
    ["echo_longdouble", c_longdouble, [c_longdouble], ["1"], 'argument 1: expected c_longdouble, got string "1"'],
    ["echo_int64", c_int64, [c_int64], [1.5], "argument 1: expected c_int64, got number 1.5"],
    ["echo_uint64", c_uint64, [c_uint64], [{}], "argument 1: expected c_uint64, got Object instance"],
    ["echo_size_t", c_size_t, [c_size_t], ["1"], 'argument 1: expected c_size_t, got string "1"'],
    ["echo_long", c_long, [c_long], [NaN], "argument 1: expected c_long, got number NaN"],
    ["echo_int", c_int, [c_int], [undefined], "argument 1: expected c_int, got undefined"],
    ["echo_int", c_int, [c_int], [3.5], "argument 1: expected c_int, got number 3.5"],
    ["echo_char", c_char, [c_char], ["ab"], 'argument 1: expected c_char, got string "ab"'],
    ["echo_wchar", c_wchar, [c_wchar], ["ab"], 'argument 1: expected c_wchar, got string "ab"'],
    ["my_strlen", c_size_t, [c_char_p], [5.5], "argument 1: expected c_char_p, got number 5.5"],
    ["my_wcslen", c_size_t, [c_wchar_p], [{}], "argument 1: expected c_wchar_p, got Object instance"],
    ["ptr_identity", c_void_p, [c_void_p], ["str"], 'argument 1: expected c_void_p, got string "str"'],
    ["ptr_identity", c_void_p, [c_void_p], [-1], "argument 1: expected c_void_p, got number -1"],
    ["echo_int", c_int, [c_int], [c_double(1)], "argument 1: expected c_int, got c_double instance"],
    ["echo_double", c_double, [c_double], [c_int(1)], "argument 1: expected c_double, got c_int instance"],
    ["mixed6", c_char_p, [c_int, c_double, c_int64, c_float, c_char_p, c_int], [1, 2, 3n, 4, "s", "six"], 'argument 6: expected c_int, got string "six"'],
  ];
  for (const [name, res, args, values, expected] of cases) {
    const f = lib.func(name, res, args);
    throwsWith(() => f(...values), ArgumentError, `${name}()`, expected);
  }
  // a string for c_void_p says what to declare instead
  throwsWith(() => lib.func("ptr_identity", c_void_p, [c_void_p])("s"), ArgumentError, "c_char_p");
});

test("a failed argument leaves no trace: the next call works", () => {
  const f = lib.func("mixed6", c_char_p, [c_int, c_double, c_int64, c_float, c_char_p, c_int]);
  assert.throws(() => f(1, 2, 3n, 4, "s", "six"), ArgumentError);
  assert.equal(f(1, 2, 3n, 4, "s", 6), "1|2.000|3|4.00|s|6");
});

test("too few arguments is an ArgumentError naming the function and the counts", () => {
  const add = lib.func("add_ints", c_int, [c_int, c_int]);
  throwsWith(() => add(1), ArgumentError, "add_ints", "expected 2 arguments, got 1");
  throwsWith(() => add(), ArgumentError, "add_ints", "expected 2 arguments, got 0");
  const g = new CDLL(fixture("calls")).echo_int;
  g.argtypes = [c_int];
  throwsWith(() => g(), ArgumentError, "echo_int", "expected 1 argument, got 0");
  assert.throws(() => g(), TypeError);
});

test("wrong pointer type: POINTER(c_double) given an Int32Array, a c_int, a POINTER(c_int) or a number", () => {
  const readDouble = lib.func("read_double", c_double, [POINTER(c_double)]);
  throwsWith(() => readDouble(new Int32Array(2)), ArgumentError, "read_double", "argument 1", "LP_c_double", "Int32Array");
  throwsWith(() => readDouble(c_int(3)), ArgumentError, "read_double", "argument 1", "LP_c_double", "c_int instance");
  throwsWith(() => readDouble(pointer(c_int(3))), ArgumentError, "read_double", "argument 1", "LP_c_double", "LP_c_int");
  throwsWith(() => readDouble(5), ArgumentError, "read_double", "argument 1", "LP_c_double");
  throwsWith(() => readDouble("x"), ArgumentError, "read_double", "argument 1");
  const readInt = lib.func("read_int", c_int, [POINTER(c_int)]);
  throwsWith(() => readInt(new Float64Array(1)), ArgumentError, "read_int", "LP_c_int", "Float64Array");
  throwsWith(() => readInt(c_double(1)), ArgumentError, "read_int", "LP_c_int", "c_double instance");
  // the right things pass
  assert.equal(readDouble(new Float64Array([2.5])), 2.5);
  assert.equal(readDouble(c_double(4.5)), 4.5);
  assert.equal(readInt(new Int32Array([9])), 9);
});

test("a non-type in argtypes is a TypeError naming argtypes; restype likewise", () => {
  throwsWith(() => lib.func("add_ints", c_int, [c_int, 42]), TypeError, "argtypes[1]", "add_ints");
  throwsWith(() => lib.func("add_ints", c_int, ["c_int"]), TypeError, "argtypes[0]");
  throwsWith(() => lib.func("add_ints", {}, [c_int]), TypeError, "restype");
  const f = new CDLL(fixture("calls")).add_ints;
  throwsWith(() => { f.argtypes = [c_int, "c_int"]; }, TypeError, "add_ints.argtypes[1]");
  throwsWith(() => { f.argtypes = [null]; }, TypeError, "argtypes[0]");
  throwsWith(() => { f.argtypes = [Number]; }, TypeError, "argtypes[0]");
  throwsWith(() => { f.argtypes = c_int; }, TypeError, "argtypes");
  throwsWith(() => { f.restype = {}; }, TypeError, "add_ints.restype");
  throwsWith(() => { f.restype = String; }, TypeError, "restype");
  // nothing was changed by the failed assignments
  assert.equal(f.argtypes, null);
  assert.equal(f(2, 3), 5);
});

test("NullPointerError when reading POINTER(c_int)().contents", () => {
  const p = POINTER(c_int)();
  assert.equal(p.isNull(), true);
  assert.equal(p.value, 0);
  assert.throws(() => p.contents, (e) => e instanceof NullPointerError && e.name === "NullPointerError" && e.message.includes("LP_c_int") && e.message.includes("NULL"));
  // a NULL returned by C
  const nullPtr = lib.func("ptr_identity", POINTER(c_double), [POINTER(c_double)])(null);
  assert.equal(nullPtr.isNull(), true);
  assert.throws(() => nullPtr.contents, NullPointerError);
  assert.throws(() => nullPtr[0], NullPointerError);
  assert.throws(() => { nullPtr[0] = 1.5; }, NullPointerError);
  // cast of NULL
  assert.throws(() => cast(null, POINTER(c_int)).contents, NullPointerError);
  assert.throws(() => cast(0, POINTER(c_int))[2], NullPointerError);
  // a non-NULL pointer reads fine
  const x = c_int(5);
  assert.equal(POINTER(c_int)(x).contents.value, 5);
});

test("NullPointerError when indexing a NULL POINTER(c_int)() (p[0] read and write)", () => {
  const p = POINTER(c_int)();
  assert.throws(() => p[0], NullPointerError);
  assert.throws(() => { p[0] = 1; }, NullPointerError);
});

test("p[i] on pointers made by POINTER(T)(obj) and pointer(obj) reads and writes the target", () => {
  const x = c_int(5);
  const p = pointer(x);
  assert.equal(p[0], 5);
  p[0] = 6;
  assert.equal(x.value, 6);
  const q = POINTER(c_int)(x);
  assert.equal(q[0], 6);
  const arr = c_int.array(3)(1, 2, 3);
  const r = cast(arr, POINTER(c_int));
  assert.equal(r[2], 3);
});

test("RangeError for an array index out of bounds (read and write), naming the index", () => {
  const arr = c_int.array(3)(1, 2, 3);
  assert.equal(arr[2], 3);
  throwsWith(() => arr[3], RangeError, "index 3");
  throwsWith(() => arr[-1], RangeError, "index -1");
  throwsWith(() => { arr[3] = 4; }, RangeError, "index 3");
  throwsWith(() => { arr[-1] = 4; }, RangeError, "index -1");
  throwsWith(() => arr[100], RangeError, "0..2");
  const empty = c_double.array(0)();
  throwsWith(() => empty[0], RangeError, "index 0");
  assert.deepEqual([...arr], [1, 2, 3]);
});

test("RangeError for a value a number cannot hold, naming the type to use", () => {
  throwsWith(() => c_size_t(2n ** 60n).value, RangeError, "c_size_t", "c_uint64");
  throwsWith(() => c_long(-(2n ** 60n)).value, RangeError, "c_long", "c_int64");
  throwsWith(() => lib.func("big_size_t", c_size_t, [])(), RangeError, "c_size_t", "c_uint64");
  throwsWith(() => c_void_p(2n ** 64n - 1n), RangeError, "address");
});

test("TypeError naming the type for bad values outside calls", () => {
  throwsWith(() => c_int("x"), TypeError, "c_int");
  throwsWith(() => c_double({}), TypeError, "c_double");
  throwsWith(() => c_char("ab"), TypeError, "c_char");
  throwsWith(() => { c_bool().value = 1; c_int64().value = 0.5; }, TypeError, "c_int64");
  throwsWith(() => POINTER(5), TypeError, "POINTER");
  throwsWith(() => pointer(5), TypeError, "pointer");
});
