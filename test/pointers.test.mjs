// docs/api.md "Arrays, pointers, memory": POINTER(T), pointer(), contents, indexing,
// NULL handling, byref, cast, addressof, int**, pointer results and c_void_p —
// against real C code in test/fixtures/memory.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CDLL, POINTER, pointer, byref, cast, addressof, sizeof, alignment, ArgumentError, NullPointerError,
  c_int, c_uint, c_double, c_float, c_char, c_char_p, c_void_p, c_size_t, c_ubyte, c_short,
  Structure, Union, create_string_buffer,
} from "tsctypes";
import { collectAndChurn, fixture, gc } from "./helpers.mjs";

const lib = new CDLL(fixture("memory"));
const IntP = POINTER(c_int);
const IntPP = POINTER(IntP);

lib.read_int.argtypes = [IntP];
lib.write_int.argtypes = [IntP, c_int];
lib.write_int.restype = null;
lib.read_double.argtypes = [POINTER(c_double)];
lib.read_double.restype = c_double;
lib.sum.argtypes = [IntP, c_int];
lib.get_static_ints.restype = IntP;
lib.get_static.argtypes = [c_int];
lib.set_static.argtypes = [c_int, c_int];
lib.set_static.restype = null;
lib.reset_static.restype = null;
lib.alloc_squares.argtypes = [c_int];
lib.alloc_squares.restype = IntP;
lib.free_ints.argtypes = [IntP];
lib.free_ints.restype = null;
lib.null_ints.restype = IntP;
lib.set_via_pp.argtypes = [IntPP, c_int];
lib.set_via_pp.restype = null;
lib.read_via_pp.argtypes = [IntPP];
lib.point_to_static.argtypes = [IntPP, c_int];
lib.point_to_static.restype = null;
lib.address_of.argtypes = [c_void_p];
lib.address_of.restype = c_size_t;
lib.echo_ptr.argtypes = [c_void_p];
lib.echo_ptr.restype = c_void_p;
lib.offset_ptr.argtypes = [c_void_p, c_size_t];
lib.offset_ptr.restype = c_void_p;


/** The address of the C static array, as a plain number. */
const staticAddress = () => lib.func("get_static_ints", c_void_p, [])();

test("POINTER(T) is cached, pointer-sized, named LP_T; POINTER(null) is c_void_p", () => {
  assert.equal(POINTER(c_int), IntP);
  assert.equal(POINTER(IntP), IntPP);
  assert.notEqual(POINTER(c_uint), IntP);
  assert.equal(IntP.name, "LP_c_int");
  assert.equal(IntPP.name, "LP_LP_c_int");
  assert.equal(sizeof(IntP), 8);
  assert.equal(alignment(IntP), 8);
  assert.equal(sizeof(IntPP), sizeof(c_void_p));
  assert.equal(POINTER(null), c_void_p);
  assert.equal(POINTER(c_int.array(3)), POINTER(c_int.array(3)));
  assert.throws(() => POINTER(42), TypeError);
});

test("pointer(obj): .contents is a view sharing obj's memory; p.value is obj's address", () => {
  const x = c_int(5);
  const p = pointer(x);
  assert.ok(p instanceof IntP);
  assert.equal(p.value, addressof(x));
  assert.equal(p.isNull(), false);
  const c = p.contents;
  assert.ok(c instanceof c_int);
  assert.equal(c.value, 5);
  c.value = 9;
  assert.equal(x.value, 9, "write through contents reaches obj");
  x.value = 11;
  assert.equal(p.contents.value, 11, "write to obj is seen through contents");
  assert.equal(addressof(p.contents), addressof(x));
  assert.equal(lib.read_int(p), 11);
  lib.write_int(p, 12);
  assert.equal(x.value, 12);
  assert.equal(pointer(c_double(2.5)).contents.value, 2.5);
  assert.throws(() => pointer(5), TypeError);
});

test("pointer(obj) keeps obj alive through garbage collection", async () => {
  const p = (() => pointer(c_int(4242)))();
  const q = (() => pointer(c_double.array(2)(1.5, 2.5)))();
  await collectAndChurn();
  assert.equal(p.contents.value, 4242);
  assert.equal(lib.read_int(p), 4242);
  assert.deepEqual([...q.contents], [1.5, 2.5]);
});

test("p.contents = other repoints the pointer and keeps other alive", async () => {
  const p = pointer(c_int(1));
  (() => {
    p.contents = c_int(77);
  })();
  await collectAndChurn();
  assert.equal(p.contents.value, 77);
  assert.equal(lib.read_int(p), 77);
  const y = c_int(8);
  p.contents = y;
  assert.equal(p.value, addressof(y));
  assert.throws(() => {
    p.contents = c_double(1);
  }, TypeError);
});

test("p[i] works on pointers made by pointer() and POINTER(T)(obj), and NULL ones throw", () => {
  const x = c_int(5);
  const p = pointer(x);
  assert.equal(p[0], 5);
  p[0] = 6;
  assert.equal(x.value, 6);
  const arr = c_int.array(3)(1, 2, 3);
  const q = new IntP(c_int.from_buffer(arr)); // points at arr[0]
  assert.equal(q[2], 3);
  assert.equal(IntP(x)[0], 6);
  const empty = IntP();
  assert.throws(() => empty[0], NullPointerError);
});

test("p[i] reads and writes a static C array through a returned int*", () => {
  lib.reset_static();
  const p = lib.get_static_ints();
  assert.deepEqual([p[0], p[1], p[2], p[3], p[4]], [10, 20, 30, 40, 50]);
  p[2] = 99;
  assert.equal(lib.get_static(2), 99, "C sees the JS write");
  lib.set_static(3, -4);
  assert.equal(p[3], -4, "JS sees the C write");
  assert.equal(p.contents.value, 10);
  assert.equal(lib.sum(p, 5), 10 + 20 + 99 - 4 + 50);
  lib.reset_static();
  assert.throws(() => {
    p[0] = "abc";
  }, TypeError);
  assert.equal(p[0], 10);
});

test("p[i] over malloc'd C memory, then freed by the C library", () => {
  const p = lib.alloc_squares(6);
  assert.equal(p.isNull(), false);
  const values = [];
  for (let i = 0; i < 6; i++) values.push(p[i]);
  assert.deepEqual(values, [0, 1, 4, 9, 16, 25]);
  p[5] = 100;
  assert.equal(lib.sum(p, 6), 0 + 1 + 4 + 9 + 16 + 100);
  lib.free_ints(p);
  assert.throws(() => lib.free_ints(new Float64Array(1)), ArgumentError);
});

test("isNull(): NULL pointers from C and from POINTER(T)(); dereferencing them throws NullPointerError", () => {
  const n = lib.null_ints();
  assert.ok(n instanceof IntP);
  assert.equal(n.isNull(), true);
  assert.equal(n.value, 0);
  assert.throws(() => n.contents, NullPointerError);
  assert.throws(() => n[0], NullPointerError);
  assert.throws(() => {
    n[1] = 5;
  }, NullPointerError);
  assert.throws(() => n.contents, /LP_c_int/);

  const empty = IntP();
  assert.equal(empty.isNull(), true);
  assert.equal(new IntP(null).isNull(), true);
  assert.throws(() => empty.contents, NullPointerError);
  assert.equal(lib.echo_ptr(empty), null, "a NULL pointer passes as NULL");
});

test("byref(obj) and byref(obj, offset) as pointer arguments", () => {
  const x = c_int(10);
  lib.write_int(byref(x), 42);
  assert.equal(x.value, 42);
  assert.equal(lib.read_int(byref(x)), 42);
  assert.equal(lib.read_double(byref(c_double(2.5))), 2.5);

  const arr = c_int.array(4)(1, 2, 3, 4);
  lib.write_int(byref(arr, 8), 7);
  assert.deepEqual([...arr], [1, 2, 7, 4]);
  assert.equal(lib.sum(byref(arr, 4), 3), 2 + 7 + 4);
  assert.equal(lib.address_of(byref(arr, 12)), addressof(arr) + 12);

  const raw = new CDLL(fixture("memory")); // no argtypes: byref passes an address
  raw.write_int(byref(x), -1);
  assert.equal(x.value, -1);

  assert.throws(() => byref(5), TypeError);
  assert.throws(() => byref(x, 1.5), TypeError);
});

test("byref() of the wrong type is an ArgumentError", () => {
  assert.throws(() => lib.read_int(byref(c_double(1))), ArgumentError);
  assert.throws(() => lib.read_int(byref(c_double(1))), /argument 1/);
});

test("cast(obj, POINTER(T)): reinterpret arrays and pointers; writes go through", () => {
  const arr = c_int.array(3)(4, 5, 6);
  const p = cast(arr, IntP);
  assert.ok(p instanceof IntP);
  assert.equal(p[1], 5);
  assert.equal(p.value, addressof(arr));
  p[1] = 50;
  assert.equal(arr[1], 50);

  const d = c_double.array(1)(1.0);
  const bytes = cast(d, POINTER(c_ubyte));
  const seen = [];
  for (let i = 0; i < 8; i++) seen.push(bytes[i]);
  assert.deepEqual(seen, [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);

  const s = cast(p, POINTER(c_short)); // pointer to pointer of another type: same address
  assert.equal(s.value, addressof(arr));
  assert.equal(s[0], 4);

  const back = cast(cast(arr, c_void_p), IntP);
  assert.equal(back[2], 6);
  assert.throws(() => cast(arr, c_int), TypeError);
});

test("cast(address, c_void_p) and cast(address, POINTER(T))", () => {
  lib.reset_static();
  const a = staticAddress();
  const v = cast(a, c_void_p);
  assert.ok(v instanceof c_void_p);
  assert.equal(v.value, a);
  assert.equal(cast(BigInt(a), c_void_p).value, a);
  assert.equal(cast(0, c_void_p).value, null);
  const p = cast(a + 4, IntP);
  assert.equal(p.contents.value, 20);
  assert.equal(p[1], 30);
  assert.equal(cast(lib.sum, c_void_p).value, lib.sum.address, "a function's address");
  assert.throws(() => cast("abc", c_void_p), TypeError);
});

test("cast() keeps its source alive", async () => {
  const p = (() => cast(c_int.array(3)(7, 8, 9), IntP))();
  await collectAndChurn();
  assert.equal(p[2], 9);
  assert.equal(lib.sum(p, 3), 24);
});

test("addressof(obj) is the address C sees", () => {
  const x = c_int(1);
  const arr = c_double.array(4)();
  assert.equal(typeof addressof(x), "number");
  assert.equal(lib.address_of(x), addressof(x));
  assert.equal(lib.address_of(arr), addressof(arr));
  assert.equal(lib.address_of(pointer(x)), addressof(x), "a pointer passes its target");
  assert.equal(pointer(x).value, addressof(x));
  const ch = c_char.array(4)();
  assert.equal(lib.address_of(ch), addressof(ch));
  assert.throws(() => addressof(5), TypeError);
});

test("pointer to pointer (int **): C writes through both levels and fills in a pointer", () => {
  const x = c_int(0);
  const pp = pointer(pointer(x));
  assert.ok(pp instanceof IntPP);
  lib.set_via_pp(pp, 33);
  assert.equal(x.value, 33);
  assert.equal(lib.read_via_pp(pp), 33);
  assert.equal(pp.contents.contents.value, 33);
  assert.ok(pp.contents instanceof IntP);

  lib.reset_static();
  const out = IntP();
  lib.point_to_static(byref(out), 2); // C stores &static_ints[2] into out
  assert.equal(out.isNull(), false);
  assert.equal(out.value, staticAddress() + 8);
  assert.equal(out.contents.value, 30);

  const holder = pointer(IntP()); // int** whose int* is NULL; C fills it in
  lib.point_to_static(holder, 4);
  assert.equal(holder.contents.contents.value, 50);

  const inner = pointer(c_int(1)); // an int* instance for int** passes by reference, like ctypes
  lib.set_via_pp(inner, 5);
  assert.equal(inner.contents.value, 5);

  assert.throws(() => lib.set_via_pp(c_int(1), 5), ArgumentError);
});

test("a function returning a pointer: restype = POINTER(c_int), attribute and lib.func styles", () => {
  lib.reset_static();
  const p = lib.get_static_ints();
  assert.ok(p instanceof IntP);
  assert.equal(p.value, staticAddress());
  const f = lib.func("alloc_squares", IntP, [c_int]);
  const q = f(3);
  assert.ok(q instanceof IntP);
  assert.deepEqual([q[0], q[1], q[2]], [0, 1, 4]);
  lib.free_ints(q);
  const g = new CDLL(fixture("memory"));
  assert.throws(() => {
    g.get_static_ints.restype = c_int.array(3);
  }, TypeError);
});

test("passing a wrong pointer type is an ArgumentError naming the argument", () => {
  assert.throws(() => lib.read_int(pointer(c_double(1))), ArgumentError);
  assert.throws(() => lib.read_int(pointer(c_double(1))), /read_int\(\): argument 1: expected LP_c_int/);
  assert.throws(() => lib.read_int(c_double(1)), ArgumentError);
  assert.throws(() => lib.read_int(c_float.array(2)()), ArgumentError);
  assert.throws(() => lib.read_int(new Float64Array(1)), ArgumentError);
  assert.throws(() => lib.read_int(5), ArgumentError);
  assert.throws(() => lib.read_int("abc"), ArgumentError);
  assert.throws(() => lib.read_int(), ArgumentError);
  assert.equal(lib.read_int(c_int(3)), 3, "a c_int instance passes by reference, like ctypes");
  assert.equal(lib.read_int(new Int32Array([4])), 4);
});

test("C data as c_void_p and POINTER(T) arguments, called often enough to be optimized: arrays, structures, unions and byref() pass their memory, pointers their target", () => {
  class Pair extends Structure {
    static _fields_ = [["a", c_int], ["b", c_int]];
  }
  class Either extends Union {
    static _fields_ = [["i", c_int], ["d", c_double]];
  }
  const buf = create_string_buffer("abc", 16);
  const ints = new (c_int.array(3))(1, 2, 3);
  const pair = new Pair({ a: 40, b: 2 });
  const either = new Either();
  const x = new c_int(7);
  const addressOf = lib.func("address_of", c_size_t, [c_void_p]);
  const sum = lib.func("sum", c_int, [IntP, c_int]);
  const readInt = lib.func("read_int", c_int, [IntP]);
  for (let i = 0; i < 3000; i++) {
    assert.equal(addressOf(buf), addressof(buf));
    assert.equal(addressOf(ints), addressof(ints));
    assert.equal(addressOf(pair), addressof(pair));
    assert.equal(addressOf(either), addressof(either));
    assert.equal(addressOf(x), addressof(x));
    assert.equal(addressOf(byref(pair, 4)), addressof(pair) + 4);
    assert.equal(addressOf(pointer(x)), addressof(x), "a pointer passes its target, not its own memory");
    assert.equal(sum(ints, 3), 6);
    assert.equal(sum(byref(ints), 3), 6);
    assert.equal(readInt(x), 7);
    assert.equal(readInt(byref(x)), 7);
  }
});

test("C data as pointer arguments: the wrong C type is still an ArgumentError, _as_parameter_ still counts, a detached from_buffer() memory is still refused", () => {
  const sum = lib.func("sum", c_int, [IntP, c_int]);
  const addressOf = lib.func("address_of", c_size_t, [c_void_p]);
  const doubles = new (c_double.array(2))();
  class Pair extends Structure {
    static _fields_ = [["a", c_int], ["b", c_int]];
  }
  const pair = new Pair();
  for (let i = 0; i < 1000; i++) {
    assert.throws(() => sum(doubles, 2), { name: "ArgumentError", message: "sum(): argument 1: expected LP_c_int, got c_double_Array_2 instance" });
    assert.throws(() => sum(pair, 2), { name: "ArgumentError", message: "sum(): argument 1: expected LP_c_int, got Pair instance" });
    assert.throws(() => sum(byref(c_double(1)), 1), { name: "ArgumentError", message: "sum(): argument 1: expected LP_c_int, got ByRef instance (expected byref() of a c_int, got byref() of c_double)" });
  }
  // C data carrying _as_parameter_ passes that, not its own memory
  const ints = new (c_int.array(2))(20, 22);
  const other = new (c_int.array(2))(1, 2);
  for (let i = 0; i < 1000; i++) assert.equal(sum(other, 2), 3); // (passed before: its own memory)
  other._as_parameter_ = ints;
  assert.equal(sum(other, 2), 42);
  assert.equal(addressOf(other), addressof(ints));
  // memory of a detached JS buffer: refused, also after earlier calls took its address
  const ab = new ArrayBuffer(8);
  const view = c_int.array(2).from_buffer(ab);
  assert.equal(sum(view, 2), 0);
  assert.equal(addressOf(view), addressof(view));
  structuredClone(ab, { transfer: [ab] });
  assert.throws(() => sum(view, 2), { name: "ArgumentError", message: /^sum\(\): argument 1: .*detached/ });
  assert.throws(() => addressOf(view), { name: "ArgumentError", message: /^address_of\(\): argument 1: .*detached/ });
});

test("c_void_p: an address round-trips through C unchanged", () => {
  const big = 0x7ffd_1234_5678; // a typical 47-bit user-space address
  assert.equal(lib.echo_ptr(big), big);
  assert.equal(lib.echo_ptr(0x1234n), 0x1234);
  assert.equal(lib.echo_ptr(null), null);
  assert.equal(lib.echo_ptr(0), null);
  assert.equal(lib.offset_ptr(big, 16), big + 16);

  const arr = c_int.array(2)(1, 2);
  assert.equal(lib.echo_ptr(arr), addressof(arr));
  const u8 = new Uint8Array(4);
  assert.equal(lib.echo_ptr(u8), lib.address_of(u8));
  const back = lib.echo_ptr(arr);
  assert.equal(cast(back, IntP)[1], 2);
  assert.equal(c_void_p(back).value, back);

  assert.throws(() => lib.echo_ptr(-1), ArgumentError);
  assert.throws(() => lib.echo_ptr("abc"), ArgumentError);
  assert.throws(() => lib.echo_ptr(1.5), ArgumentError);
});

test("c_char_p pointers and POINTER(c_char) over a char buffer", () => {
  const text = lib.func("get_static_text", POINTER(c_char), [])();
  assert.equal(text[0], "h");
  assert.equal(text[6], "f");
  const asString = cast(text, c_char_p);
  assert.equal(asString.value, "hello from C");
  assert.throws(() => cast(text, c_double), TypeError);
});

test("every kind of C data passes the address it should as c_void_p and POINTER(T), cold and once hot", () => {
  const calls = new CDLL(fixture("calls"));
  const asVoid = calls.func("ptr_identity", c_void_p, [c_void_p]);
  const asIntP = calls.func("ptr_identity", c_void_p, [IntP]);
  const n = new c_int(7);
  const ints = new (c_int.array(4))(1, 2, 3, 4);
  class Pair extends Structure {
    static _fields_ = [["a", c_int], ["b", c_int]];
  }
  const pair = new Pair(1, 2);
  const text = create_string_buffer("hi");
  const held = c_void_p(4096);
  const cases = [
    // [what, value, address as c_void_p, address as POINTER(c_int) (undefined: refused)]
    ["c_int", n, addressof(n), addressof(n)],
    ["array of c_int", ints, addressof(ints), addressof(ints)],
    ["structure", pair, addressof(pair), undefined],
    ["string buffer", text, addressof(text), undefined],
    ["byref(c_int)", byref(n), addressof(n), addressof(n)],
    ["byref(array, 8)", byref(ints, 8), addressof(ints) + 8, addressof(ints) + 8],
    ["pointer(c_int)", pointer(n), addressof(n), addressof(n)],
    ["cast(array, POINTER(c_int))", cast(ints, IntP), addressof(ints), addressof(ints)],
    ["POINTER(c_double)", cast(ints, POINTER(c_double)), addressof(ints), undefined],
    ["c_void_p", held, 4096, 4096],
    ["c_char_p", c_char_p(addressof(text)), addressof(text), undefined],
  ];
  for (const [what, value, voidAddress, intAddress] of cases) {
    for (let k = 0; k < 20000; k++) {
      const got = asVoid(value);
      if (got !== voidAddress) assert.fail(`${what} as c_void_p: ${got}, expected ${voidAddress} (call ${k})`);
    }
    if (intAddress === undefined) {
      assert.throws(() => asIntP(value), (e) => e instanceof TypeError && /argument 1/.test(e.message), `${what} as LP_c_int`);
      continue;
    }
    for (let k = 0; k < 20000; k++) {
      const got = asIntP(value);
      if (got !== intAddress) assert.fail(`${what} as LP_c_int: ${got}, expected ${intAddress} (call ${k})`);
    }
  }
  // the pointer's value is read at each call, not remembered
  const p = pointer(n);
  const other = new c_int(8);
  for (let k = 0; k < 20000; k++) asIntP(p);
  p.contents = other;
  assert.equal(asIntP(p), addressof(other));
  assert.equal(asVoid(p), addressof(other));
});
