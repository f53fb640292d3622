// docs/declarations.md "Functions from C text": lib.func(prototype, types?, options?) and lib.bind(cdef(...)),
// calling the C fixtures. The inferred TypeScript types are checked by test/types/declare.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  cdef, CDeclError, CDLL, CFUNCTYPE, POINTER, SymbolNotFoundError, create_string_buffer, struct,
  c_int, c_int64, c_double, c_float, c_char_p, c_void_p, c_size_t, c_ssize_t,
} from "tsctypes";
import { fixture } from "./helpers.mjs";

const calls = new CDLL(fixture("calls"));
const structs = new CDLL(fixture("structs"));
const threads = new CDLL(fixture("threads"));
const libc = new CDLL(null);

/** The error `fn` throws (assert.throws checks it but returns nothing). */
function thrown(fn, expected) {
  try {
    fn();
  } catch (e) {
    assert.throws(() => {
      throw e;
    }, expected);
    return e;
  }
  assert.fail("expected an error");
}

test("lib.func(prototype): scalars, named and unnamed parameters, any whitespace", () => {
  const add = calls.func("int add_ints(int a, int b)");
  assert.equal(add(2, 40), 42);
  assert.equal(add(-2147483648, -1), 2147483647); // C's wrap-around: really an int
  const add8 = calls.func("int8_t add_int8(int8_t, int8_t);");
  assert.equal(add8(100, 100), -56);
  const addDouble = calls.func("double\n  add_double (\tdouble a ,double b )");
  assert.equal(addDouble(0.5, 0.25), 0.75);
});

test("lib.func(prototype): 64-bit integers are bigint in and out, every spelling", () => {
  assert.equal(calls.func("int64_t add_int64(int64_t a, int64_t b)")(2n ** 62n, 2n ** 62n), -(2n ** 63n));
  assert.equal(calls.func("uint64_t add_uint64(uint64_t a, uint64_t b)")(2n ** 63n, 5n), 2n ** 63n + 5n);
  assert.equal(calls.func("long long unsigned int echo_uint64(unsigned long long v)")(2n ** 64n - 1n), 2n ** 64n - 1n);
  assert.equal(calls.func("signed long long echo_int64(long long int v)")(-5), -5n);
});

test("lib.func(prototype): strings, pointers, arrays as parameters", () => {
  assert.equal(calls.func("size_t my_strlen(const char *s)")("hello"), 5);
  const identity = calls.func("const char * str_identity(const char* restrict s)");
  assert.equal(identity("héllo"), "héllo");
  assert.equal(identity(null), null);
  assert.equal(calls.func("const char *static_string(void)")(), "hello from C");
  const buf = create_string_buffer(16);
  assert.equal(calls.func("int upper_into(char dst[], const char *src)")(buf, "abc"), 3);
  assert.equal(buf.value, "ABC");
  const ints = c_int.array(4)(1, 2, 3, 4);
  assert.equal(calls.func("int sum_int_array(const int *p, int n)")(ints, 4), 10);
  const fill = calls.func("void fill_ints(int p[4], int n, int start)");
  assert.equal(fill(ints, 4, 7), undefined);
  assert.deepEqual(ints.toArray(), [7, 8, 9, 10]);
  const diff = calls.func("ssize_t ptr_diff(const void *a, const void *b)");
  assert.equal(diff(ints, 100), 100 - ints._address);
  assert.equal(calls.func("void *ptr_identity(void *p)")(1234), 1234);
});

test("lib.func(prototype): structs by value and behind pointers through the type map", () => {
  const D2 = struct({ x: c_double, y: c_double });
  const d2Add = structs.func("struct D2 d2_add(struct D2 a, struct D2 b)", { D2 });
  const r = d2Add(new D2({ x: 1, y: 2 }), { x: 10, y: 20 });
  assert.ok(r instanceof D2);
  assert.deepEqual(r.toObject(), { x: 11, y: 22 });
  assert.equal(structs.func("double d2_dot(D2 a, D2 b)", { D2 })({ x: 1, y: 2 }, { x: 3, y: 4 }), 11);
  const Point = struct({ x: c_int, y: c_int });
  const p = new Point({ x: 3, y: 4 });
  structs.func("void point_set(struct Point *p, int x, int y)", { Point })(p, 5, 6);
  assert.deepEqual(p.toObject(), { x: 5, y: 6 });
  assert.equal(structs.func("int point_sum(const Point *p)", { Point })(p), 11);
});

test("lib.func(prototype): callbacks through a CFUNCTYPE type in the map", () => {
  const IntToInt = CFUNCTYPE(c_int, c_int);
  const cbInt = threads.func("long long cb_i32(int_to_int f, int x)", { int_to_int: IntToInt });
  assert.equal(cbInt((x) => x * 3, 14), 42n);
  assert.equal(cbInt.argtypes[0], IntToInt);
  // a function-pointer parameter written out: the run time makes the CFUNCTYPE type itself
  const written = threads.func("long long cb_i32(int32_t (*f)(int32_t), int32_t x)");
  assert.equal(written((x) => x - 1, -41), -42n);
  const StrIn = CFUNCTYPE(c_int, c_char_p);
  const seen = [];
  assert.equal(threads.func("int cb_str_in(str_fn f, const char *s)", { str_fn: StrIn })((s) => (seen.push(s), s.length), "four"), 4);
  assert.deepEqual(seen, ["four"]);
});

test("lib.func(prototype): variadic functions take extra arguments typed per call", () => {
  assert.equal(calls.func("int sum_ints(int n, ...)")(3, 10, 20, 12), 42);
  assert.equal(calls.func("double sum_doubles_va(int n, ...)")(2, c_double(0.5), c_double(1.25)), 1.75);
  // as without a prototype: a JS number for a variadic parameter is an int or an error, never a guess
  assert.throws(() => calls.func("double sum_doubles_va(int n, ...)")(1, 0.5), /argument 2: don't know how to convert number 0\.5/);
  assert.equal(calls.func("long long sum_longlongs_va(int n, ...)")(2, 2n ** 40n, 1n), 2n ** 40n + 1n);
  const buf = create_string_buffer(64);
  const snprintf = libc.func("int snprintf(char *restrict str, size_t size, const char *restrict format, ...)");
  assert.equal(snprintf(buf, 64, "%d-%s-%.2f", 7, "x", c_double(1.5)), 8);
  assert.equal(buf.value, "7-x-1.50");
});

test("lib.func(prototype) compiles the same call as lib.func(name, restype, argtypes)", () => {
  const fromText = calls.func("int64_t add_int64(int64_t a, int64_t b)", {}, { reentrant: false });
  const fromTypes = calls.func("add_int64", c_int64, [c_int64, c_int64], { reentrant: false });
  for (const f of [fromText, fromTypes]) {
    assert.equal(f.name, "add_int64");
    assert.equal(f.restype, c_int64);
    assert.deepEqual(f.argtypes, [c_int64, c_int64]);
    assert.equal(f.reentrant, false);
    assert.equal(f.address, calls.symbolAddress("add_int64"));
  }
  const strlen = calls.func("size_t my_strlen(const char *s)", {}, { threads: true });
  assert.equal(strlen.threads, true);
  assert.deepEqual([strlen.restype, strlen.argtypes], [c_size_t, [c_char_p]]);
  assert.equal(calls.func("void *ptr_identity(void *p)").restype, c_void_p);
  assert.equal(calls.func("ssize_t ptr_diff(const void *a, const void *b)").restype, c_ssize_t);
  assert.equal(calls.func("void fill_ints(int *p, int n, int start)").restype, null);
  assert.equal(calls.func("int sum_int_array(const int *p, int n)").argtypes[0], POINTER(c_int));
  assert.throws(() => fromText("x", 1n), /add_int64\(\): argument 1/);
});

test("lib.func(prototype): .async runs the same call off the thread", async () => {
  const add = calls.func("double add_double(double a, double b)");
  assert.equal(await add.async(1.5, 2), 3.5);
});

test("lib.func(prototype): bad C text is a CDeclError naming lib.func(), line, column and token", () => {
  const cases = [
    ["int add_ints(foo_t a, int b)", 1, 14, "foo_t", /unknown type name "foo_t"/],
    ["int add_ints(int a,\n  int b", 2, 8, "", /expected/],
    ["int add_ints(int a, int b) x", 1, 28, "x", /x/],
    ["int x(", 1, 7, "", /expected/],
  ];
  for (const [text, line, column, token, message] of cases) {
    const e = thrown(() => calls.func(text), CDeclError);
    assert.ok(e instanceof SyntaxError);
    assert.deepEqual([e.line, e.column, e.token], [line, column, token], text);
    assert.match(e.message, /^lib\.func\(\): line \d+, column \d+/);
    assert.match(e.message, message);
  }
  assert.throws(() => calls.func("int no_such_function(void)"), SymbolNotFoundError);
  assert.throws(() => calls.func("int add_ints(int a, int b)", { Bad: 1 }), /lib\.func\(\): types\.Bad: expected a tsctypes type/);
});

test("lib.bind(cdef(...)): every prototype as a function, typed from the same declarations", () => {
  const decls = cdef(`
    struct D2 { double x, y; };
    struct D2 d2_add(struct D2 a, struct D2 b);
    double d2_dot(struct D2 a, struct D2 b);
    typedef float (*unused_fn)(float);
    static inline int helper(void) { return 1; }
    extern int some_variable;
  `);
  const bound = structs.bind(decls);
  assert.deepEqual(Object.keys(bound).sort(), ["d2_add", "d2_dot"]);
  const D2 = decls.types.D2;
  assert.deepEqual(bound.d2_add({ x: 1, y: 2 }, new D2({ x: 3, y: 4 })).toObject(), { x: 4, y: 6 });
  assert.equal(bound.d2_dot({ x: 1, y: 2 }, { x: 3, y: 4 }), 11);
  assert.equal(bound.d2_dot.restype, c_double);

  const viaMap = calls.bind(cdef("int sum_ints(int n, ...); float add_float(float a, float b);", {}), { reentrant: false });
  assert.equal(viaMap.sum_ints(2, 40, 2), 42);
  assert.equal(viaMap.add_float(0.5, 0.25), 0.75);
  assert.equal(viaMap.add_float.reentrant, false);
  assert.equal(viaMap.add_float.restype, c_float);
});

test("lib.bind: symbols the library lacks are an error naming them, or left out with skipMissing", () => {
  const decls = cdef("int add_ints(int a, int b); int not_here(void); void nor_here(int);");
  const e = thrown(() => calls.bind(decls), SymbolNotFoundError);
  assert.match(e.message, /^lib\.bind\(\): "not_here", "nor_here" not found in library .*libcalls\.so \(pass \{ skipMissing: true \} to leave them out\)$/);
  const some = calls.bind(decls, { skipMissing: true });
  assert.deepEqual(Object.keys(some), ["add_ints"]);
  assert.equal(some.add_ints(1, 2), 3);
  assert.throws(() => calls.bind({}), /lib\.bind\(\): expected the result of cdef\(\), got/);
  assert.throws(() => calls.bind(null), /lib\.bind\(\): expected the result of cdef\(\), got null/);
});
