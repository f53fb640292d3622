// ctypes behaviours ported one by one (issue 13): _as_parameter_, from_param and adapters in argtypes,
// slices, subclasses of simple types kept as instances, __ctype_be__/__ctype_le__, restype/argtypes on
// CFUNCTYPE objects, Proto([name, lib], paramflags), memmove/memset results, arrays in CFUNCTYPE
// signatures, strings for POINTER(c_wchar), file: URLs as library paths, structure subclasses, mixed
// byte order nesting, anonymous members both named "_", and function pointers read from fields —
// each against real C code in test/fixtures/fidelity.c.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import {
  CDLL, cdll, Structure, Union, BigEndianStructure, CFUNCTYPE, POINTER, ArgumentError, LibraryLoadError,
  addressof, memmove, memset, sizeof, fieldInfo, cast, byref,
  c_int, c_short, c_double, c_char_p, c_void_p, c_wchar, c_wchar_p, c_size_t, c_long, c_uint8, c_uint16, c_uint32,
  c_int64, c_char, c_float, c_longdouble,
} from "tsctypes";
import { collectAndChurn, fixture } from "./helpers.mjs";

const lib = new CDLL(fixture("fidelity"));
const add = lib.func("fid_add", c_int, [c_int, c_int]);
const scale = lib.func("fid_scale", c_double, [c_double, c_int]);
const sum = lib.func("fid_sum", c_long, [POINTER(c_int), c_int]);
const release = lib.func("fid_release", null, [c_void_p]);
const be32 = lib.func("fid_be32", c_uint32, [c_void_p]);

// ------------------------------------------------------------------ _as_parameter_

describe("_as_parameter_", () => {
  test("an object with _as_parameter_ passes as that value, for declared scalar, string and pointer parameters", () => {
    assert.equal(add({ _as_parameter_: 40 }, { _as_parameter_: 2 }), 42);
    assert.equal(scale({ _as_parameter_: 1.5 }, 4), 6);
    const strdup = lib.func("fid_strdup", c_void_p, [c_char_p]);
    const p = strdup({ _as_parameter_: "from a property" });
    assert.equal(cast(p, c_char_p).value, "from a property");
    release(p);
    const values = c_int.array(3)(1, 2, 3);
    assert.equal(sum({ _as_parameter_: values }, 3), 6);
  });

  test("nested _as_parameter_ is followed, a getter is read per call, C data inside counts as its value", () => {
    assert.equal(add({ _as_parameter_: { _as_parameter_: { _as_parameter_: 7 } } }, 1), 8);
    let n = 0;
    const counter = {
      get _as_parameter_() {
        return ++n;
      },
    };
    assert.equal(add(counter, 100), 101);
    assert.equal(add(counter, 100), 102);
    assert.equal(add({ _as_parameter_: c_int(5) }, { _as_parameter_: c_int(6) }), 11);
  });

  test("calls without argtypes and variadic extra arguments infer the type of the value it stands for", () => {
    const f = lib.fid_add;
    f.argtypes = null;
    assert.equal(f({ _as_parameter_: 30 }, { _as_parameter_: c_int(12) }), 42);
    const g = lib.fid_scale;
    g.argtypes = [c_double];
    g.restype = c_double;
    assert.equal(g(2.5, { _as_parameter_: 2 }), 5);
  });

  test("a wrong value behind _as_parameter_ is an ArgumentError naming the argument; endless nesting too", () => {
    assert.throws(() => add({ _as_parameter_: "x" }, 1), { name: "ArgumentError", message: /^fid_add\(\): argument 1: expected c_int/ });
    const loop = {};
    loop._as_parameter_ = loop;
    assert.throws(() => add(1, loop), { name: "ArgumentError", message: "fid_add(): argument 2: _as_parameter_ nests more than 32 levels deep" });
  });
});

// ------------------------------------------------------------------ from_param and adapters

describe("from_param", () => {
  test("every type has from_param: scalars give an instance of the type, other values come back checked", () => {
    const i = c_int.from_param(5);
    assert.ok(i instanceof c_int);
    assert.equal(i.value, 5);
    const same = c_int(9);
    assert.equal(c_int.from_param(same), same);
    assert.equal(c_double.from_param(2).value, 2);
    assert.equal(c_char_p.from_param("text").value, "text");
    assert.equal(c_int.from_param({ _as_parameter_: 3 }).value, 3);
    const arr = c_int.array(2)(4, 5);
    assert.equal(POINTER(c_int).from_param(arr), arr);
    class Pair extends Structure {
      static _fields_ = [["a", c_int], ["b", c_int]];
    }
    const pair = Pair.from_param({ a: 1, b: 2 });
    assert.ok(pair instanceof Pair);
    assert.deepEqual(pair.toObject(), { a: 1, b: 2 });
    const Fn = CFUNCTYPE(c_int, c_int, c_int);
    const cb = Fn.from_param((a, b) => a - b);
    assert.ok(cb instanceof Fn);
    assert.equal(lib.func("fid_call_op", c_int, [Fn, c_int, c_int])(cb, 10, 3), 7);
    // what from_param gives passes like the original
    assert.equal(add(c_int.from_param(40), c_int.from_param(2)), 42);
  });

  test("from_param refuses what the parameter would refuse, with an ArgumentError", () => {
    assert.throws(() => c_int.from_param("abc"), { name: "ArgumentError", message: /^c_int\.from_param\(\): expected c_int, got string "abc"/ });
    assert.throws(() => c_int.from_param(1.5), ArgumentError);
    assert.throws(() => POINTER(c_int).from_param(c_double(1)), { name: "ArgumentError", message: /^LP_c_int\.from_param\(\): expected LP_c_int/ });
    assert.throws(() => c_void_p.from_param("str"), ArgumentError);
  });

  test("a class with a static from_param stands in argtypes: its result is converted (type inferred)", () => {
    class Meters {
      static from_param(v) {
        return Math.round(v.meters);
      }
    }
    const f = lib.func("fid_add", c_int, [Meters, c_int]);
    assert.equal(f({ meters: 2.6 }, 10), 13);
    const g = lib.fid_add;
    g.argtypes = [c_int, Meters];
    g.restype = c_int;
    assert.equal(g(1, { meters: 41.2 }), 42);
    assert.deepEqual(g.argtypes, [c_int, Meters]);
    assert.throws(() => f({ meters: 1 }), { name: "ArgumentError", message: "fid_add(): expected 2 arguments, got 1" });
    const adapterObject = { from_param: (v) => v.length };
    assert.equal(lib.func("fid_add", c_int, [adapterObject, adapterObject])("abc", "de"), 5);
  });

  test("a subclass of a type with its own from_param is converted as that type", async () => {
    class Doubled extends c_int {
      static from_param(v) {
        return v * 2;
      }
    }
    const f = lib.func("fid_add", c_int, [Doubled, c_int]);
    assert.equal(f(20, 2), 42);
    assert.equal(await f.async(5, 1), 11);
    class Text extends c_char_p {
      static from_param(v) {
        return `<${v}>`;
      }
    }
    const strdup = lib.func("fid_strdup", c_void_p, [Text]);
    const p = strdup("x");
    assert.equal(cast(p, c_char_p).value, "<x>");
    release(p);
  });

  test("an adapter's error is an ArgumentError naming the function and argument", () => {
    class Strict {
      static from_param(v) {
        if (typeof v !== "number") throw new TypeError(`not a number: ${typeof v}`);
        return v;
      }
    }
    const f = lib.func("fid_add", c_int, [c_int, Strict]);
    assert.equal(f(1, 2), 3);
    assert.throws(() => f(1, "2"), { name: "ArgumentError", message: "fid_add(): argument 2: not a number: string" });
    // the converted result is still checked against C's type
    class Bad {
      static from_param() {
        return 3.5;
      }
    }
    assert.throws(() => lib.func("fid_add", c_int, [Bad, c_int])(0, 0), { name: "ArgumentError", message: /argument 1/ });
  });
});

// ------------------------------------------------------------------ slices

describe("slice and set", () => {
  test("arr.slice(start, end) is ctypes' a[start:end]: element values, negative from the end", () => {
    const a = c_int.array(5)(10, 20, 30, 40, 50);
    assert.deepEqual(a.slice(1, 3), [20, 30]);
    assert.deepEqual(a.slice(), [10, 20, 30, 40, 50]);
    assert.deepEqual(a.slice(-2), [40, 50]);
    assert.deepEqual(a.slice(3, 1), []);
    assert.deepEqual(a.slice(2, 99), [30, 40, 50]);
    assert.deepEqual(c_int64.array(2)(1, 2).slice(0, 1), [1n]);
    assert.throws(() => a.slice(0.5), { name: "TypeError", message: /slice\(\) start: expected an integer/ });
  });

  test("arr.set(values, offset) writes from arrays, iterables and typed arrays; C sees it; too many is a RangeError", () => {
    const a = c_int.array(5)();
    a.set([1, 2]);
    a.set(new Int32Array([7, 8]), 3);
    a.set(new Set([5]), 2);
    assert.deepEqual(a.toArray(), [1, 2, 5, 7, 8]);
    assert.equal(sum(a, 5), 23);
    assert.throws(() => a.set([1, 2, 3], 3), { name: "RangeError", message: "c_int_Array_5.set(): 3 values do not fit in 2 elements" });
    assert.throws(() => a.set([1], 6), { name: "RangeError", message: /offset must be an integer in 0\.\.5/ });
    assert.throws(() => a.set(["x"]), TypeError);
    const d = c_double.array(3)();
    d.set([0.5, 1.5], 1);
    assert.deepEqual(d.toArray(), [0, 0.5, 1.5]);
    const chars = c_char.array(4)();
    chars.set("hi", 1);
    assert.deepEqual(chars.slice(), ["\0", "h", "i", "\0"]);
  });

  test("p.slice(start, end) reads C memory through a pointer", () => {
    const squares = lib.func("fid_strdup", POINTER(c_char), [c_char_p]);
    const p = squares("abcdef");
    assert.deepEqual(p.slice(2, 5), ["c", "d", "e"]);
    release(p);
    const a = c_int.array(4)(3, 1, 4, 1);
    const q = cast(a, POINTER(c_int));
    assert.deepEqual(q.slice(1, 4), [1, 4, 1]);
    assert.throws(() => q.slice(1), { name: "TypeError", message: /start and end must be integers/ });
  });
});

// ------------------------------------------------------------------ subclasses of simple types

describe("subclasses of simple types", () => {
  test("a c_char_p subclass as restype comes back as an instance: C's pointer can be freed", () => {
    class OwnedString extends c_char_p {}
    const strdup = lib.func("fid_strdup", OwnedString, [c_char_p]);
    const s = strdup("malloc'd by C");
    assert.ok(s instanceof OwnedString);
    assert.equal(s.value, "malloc'd by C");
    const address = lib.func("fid_address", c_size_t, [c_void_p]);
    assert.equal(address(s), cast(s, c_void_p).value);
    // printing never reads C memory (the address may be anything): it shows the address
    assert.equal(s.toString(), `OwnedString(0x${address(s).toString(16)})`);
    release(s); // the address C returned, not a copy: free() accepts it
  });

  test("errcheck sees the instance; integer subclasses too", () => {
    class Status extends c_int {
      get ok() {
        return this.value >= 0;
      }
    }
    const f = lib.fid_add;
    f.argtypes = [c_int, c_int];
    f.restype = Status;
    let seen = null;
    f.errcheck = (result, fn, args) => {
      seen = result;
      assert.equal(fn, f);
      assert.deepEqual(args, [2, -5]);
      return result;
    };
    const r = f(2, -5);
    assert.equal(seen, r);
    assert.ok(r instanceof Status);
    assert.equal(r.value, -3);
    assert.equal(r.ok, false);
    f.errcheck = null;
    f.restype = c_int;
    assert.equal(f(2, -5), -3);
  });

  test("fields and array elements of a subclass type are instances viewing the memory", () => {
    class Celsius extends c_double {}
    class Reading extends Structure {
      static _fields_ = [["id", c_int], ["temp", Celsius]];
    }
    const r = new Reading({ id: 1, temp: 21.5 });
    const t = r.temp;
    assert.ok(t instanceof Celsius);
    assert.equal(t.value, 21.5);
    t.value = 23;
    assert.equal(r.temp.value, 23);
    r.temp = new Celsius(-4);
    assert.equal(r.temp.value, -4);
    const arr = Celsius.array(2)(1.5, 2.5);
    assert.ok(arr[1] instanceof Celsius);
    assert.equal(arr[1].value, 2.5);
    assert.equal(scale(arr[0], 2), 3);
  });

  test("in a structure of the other byte order a subclass field is its fundamental type (ctypes' __ctype_be__)", () => {
    class Port extends c_uint16 {}
    class Packet extends BigEndianStructure {
      static _fields_ = [["magic", c_uint32], ["port", Port]];
    }
    const p = new Packet({ magic: 0x01020304, port: 0x1f90 });
    assert.equal(p.port, 0x1f90);
    assert.deepEqual([...new Uint8Array(p._bytes())].slice(4, 6), [0x1f, 0x90]);
    assert.equal(be32(p), 0x01020304);
  });
});

// ------------------------------------------------------------------ byte order

describe("__ctype_be__ and __ctype_le__", () => {
  test("the byte-swapped twin stores big-endian; C reads it; the native one is the type itself", () => {
    const BE = c_uint32.__ctype_be__;
    assert.equal(c_uint32.__ctype_le__, c_uint32);
    assert.equal(BE.__ctype_be__, BE);
    assert.equal(BE.__ctype_le__, c_uint32);
    assert.equal(BE.name, "c_uint32_be");
    const v = BE(0x01020304);
    assert.equal(v.value, 0x01020304);
    assert.equal(be32(v), 0x01020304);
    assert.equal(sizeof(BE), 4);
    assert.equal(c_uint8.__ctype_be__, c_uint8);
    assert.equal(c_void_p.__ctype_be__, undefined);
    assert.equal(c_longdouble.__ctype_be__, undefined);
    assert.equal(c_float.__ctype_be__(1.5).value, 1.5);
  });

  test("a swapped field keeps its order inside a native structure", () => {
    class Header extends Structure {
      static _fields_ = [["magic", c_uint32.__ctype_be__], ["count", c_uint16.__ctype_be__], ["native", c_uint16]];
    }
    const h = new Header({ magic: 0xcafebabe, count: 0x0102, native: 0x0102 });
    assert.deepEqual([...new Uint8Array(h._bytes())], [0xca, 0xfe, 0xba, 0xbe, 0x01, 0x02, 0x02, 0x01]);
    assert.equal(be32(h), 0xcafebabe);
    assert.equal(h.magic, 0xcafebabe);
    assert.equal(h.count, 0x0102);
  });

  test("a BigEndianStructure nests inside a native one, and a native one inside a BigEndianStructure", () => {
    class Net extends BigEndianStructure {
      static _fields_ = [["value", c_uint32]];
    }
    class Host extends Structure {
      static _fields_ = [["tag", c_uint32], ["net", Net]];
    }
    const h = new Host({ tag: 1, net: { value: 0x0a0b0c0d } });
    assert.equal(be32(byref(h, 4)), 0x0a0b0c0d);
    assert.equal(h.net.value, 0x0a0b0c0d);
    class Outer extends BigEndianStructure {
      static _fields_ = [["first", c_uint32], ["host", Host]];
    }
    const o = new Outer({ first: 0x11223344, host: { tag: 0x01020304, net: { value: 7 } } });
    assert.equal(be32(o), 0x11223344);
    assert.equal(new Uint8Array(o._bytes())[4], 0x04); // the native (little-endian) tag
    assert.equal(o.host.tag, 0x01020304);
    assert.equal(be32(byref(o, 8)), 7);
  });
});

// ------------------------------------------------------------------ function pointers

describe("CFUNCTYPE objects", () => {
  const Binary = CFUNCTYPE(c_int, c_int, c_int);

  test("restype and argtypes: read from the type, settable on a pointer to a C function", () => {
    const p = Binary(["fid_add", lib]);
    assert.equal(p.restype, c_int);
    assert.deepEqual(p.argtypes, [c_int, c_int]);
    assert.equal(p(40, 2), 42);
    const q = Binary(lib.fid_scale.address);
    q.restype = c_double;
    q.argtypes = [c_double, c_int];
    assert.equal(q(2.5, 3), 7.5);
    assert.equal(q.restype, c_double);
    assert.deepEqual(Binary(lib.fid_scale.address).argtypes, [c_int, c_int]); // the type is unchanged
    assert.throws(() => (q.argtypes = [42]), { name: "TypeError", message: /argtypes\[0\]: expected a tsctypes type/ });
  });

  test("a callback's signature is fixed: reading works, setting is a TypeError", () => {
    const cb = Binary((a, b) => a * b);
    assert.equal(cb.restype, c_int);
    assert.deepEqual(cb.argtypes, [c_int, c_int]);
    assert.throws(() => (cb.restype = c_double), { name: "TypeError", message: /a callback's signature is fixed by its CFUNCTYPE/ });
    assert.equal(lib.func("fid_call_op", c_int, [Binary, c_int, c_int])(cb, 6, 7), 42);
  });

  test("Proto([name, lib]) is the library's function", () => {
    const f = Binary(["fid_add", lib]);
    assert.equal(f.address, lib.fid_add.address);
    assert.equal(f(1, 2), 3);
    assert.throws(() => Binary(["no_such_function", lib]), { name: "SymbolNotFoundError" });
    assert.throws(() => Binary(["fid_add"]), { name: "TypeError", message: /expected \[name, library\]/ });
  });

  test("Proto([name, lib]) belongs to the library: closing it makes calls throw, not crash", () => {
    const own = new CDLL(fixture("fidelity"));
    const called = Binary(["fid_add", own]);
    const notYetCalled = Binary(["fid_add", own]);
    assert.equal(called(2, 2), 4);
    own.close();
    assert.throws(() => called(1, 1), { code: "ERR_LIBRARY_CLOSED" });
    assert.throws(() => notYetCalled(1, 1), { code: "ERR_LIBRARY_CLOSED" });
  });

  test("paramflags: inputs by position, by name or default; an output parameter is the result", () => {
    const Proto = CFUNCTYPE(c_int, c_int, c_int, POINTER(c_int));
    const remainder = Proto(["fid_divmod", lib], [[1, "a"], [1, "b", 5], [2, "rem"]]);
    assert.equal(remainder(17, 5), 2);
    assert.equal(remainder(19), 4); // b defaults to 5
    assert.equal(remainder(20, { b: 7 }), 6);
    assert.equal(remainder({ a: 9, b: 4 }), 1);
    const zero = Proto(["fid_divmod", lib], [[4, "a"], [1, "b"], [2]]);
    assert.equal(zero({ b: 3 }), 0); // a defaults to 0
    assert.throws(() => remainder(), { name: "ArgumentError", message: 'fid_divmod(): required argument "a" missing' });
    assert.throws(() => remainder(1, 2, 3), { name: "ArgumentError", message: "fid_divmod(): expected at most 2 arguments, got 3" });
  });

  test("paramflags: several outputs come back as an array, structures as instances", () => {
    class Pair extends Structure {
      static _fields_ = [["a", c_int], ["b", c_int]];
    }
    const Split = CFUNCTYPE(null, c_int, POINTER(Pair), POINTER(c_int));
    const split = Split(["fid_split", lib], [[1, "v"], [2, "pair"], [2, "sum"]]);
    const [pair, total] = split(47);
    assert.ok(pair instanceof Pair);
    assert.deepEqual(pair.toObject(), { a: 4, b: 7 });
    assert.equal(total, 11);
  });

  test("paramflags are checked against the prototype", () => {
    const Proto = CFUNCTYPE(c_int, c_int, c_int, POINTER(c_int));
    assert.throws(() => Proto(["fid_divmod", lib], [[1], [1]]), { name: "TypeError", message: /one entry per argument \(3\)/ });
    assert.throws(() => Proto(["fid_divmod", lib], [[2], [1], [2]]), { name: "TypeError", message: /paramflags\[0\]: an output parameter must have a POINTER type, got c_int/ });
    assert.throws(() => Proto(["fid_divmod", lib], [[1], [1], [3]]), { name: "TypeError", message: /paramflags\[2\]: flag must be 1/ });
    assert.throws(() => Proto(lib.fid_divmod.address, [[1], [1], [2]]), { name: "TypeError", message: /paramflags need a function named in a library/ });
  });

  test("an array type among CFUNCTYPE argtypes decays to a pointer", () => {
    const WithArray = CFUNCTYPE(c_int, c_int.array(3), c_int);
    const callWithArray = lib.func("fid_call_with_array", c_int, [WithArray]);
    assert.equal(callWithArray(WithArray((p, n) => p[0] * 100 + p[1] * 10 + p[2] + n)), 459);
    assert.equal(WithArray.from_param((p, n) => n) instanceof WithArray, true);
    assert.deepEqual(WithArray(0).argtypes, [c_int.array(3), c_int]);
    assert.deepEqual(CFUNCTYPE(c_int, POINTER(c_int), c_int)(0).argtypes, [POINTER(c_int), c_int]);
  });

  test("a function pointer read from a structure field keeps the structure (and the callback) alive", async () => {
    const Ops = class extends Structure {
      static _fields_ = [["op", Binary]];
    };
    const callOp = lib.func("fid_call_op", c_int, [Binary, c_int, c_int]);
    const ops = [];
    for (let i = 0; i < 20; i++) ops.push(new Ops({ op: (a, b) => a * b + i }).op);
    await collectAndChurn();
    ops.forEach((op, i) => assert.equal(callOp(op, 6, 7), 42 + i));
  });
});

// ------------------------------------------------------------------ memory functions, strings, loading

test("memmove and memset return the destination address, as in ctypes", () => {
  const dst = c_int.array(3)();
  const src = c_int.array(3)(4, 5, 6);
  assert.equal(memmove(dst, src, sizeof(dst)), addressof(dst));
  assert.equal(sum(dst, 3), 15);
  assert.equal(memset(dst, 0, 4), addressof(dst));
  assert.equal(sum(dst, 3), 11);
  assert.equal(memmove(addressof(dst) + 4, src, 4), addressof(dst) + 4);
  assert.deepEqual(dst.toArray(), [0, 4, 6]);
});

test("a JS string is accepted for POINTER(c_wchar), as for c_wchar_p: arguments and fields", () => {
  const wcslen = lib.func("fid_wcslen", c_size_t, [POINTER(c_wchar)]);
  assert.equal(wcslen("héllo"), 5);
  assert.equal(wcslen(""), 0);
  assert.equal(lib.func("fid_wcslen", c_size_t, [c_wchar_p])("héllo"), 5);
  const charAt = lib.func("fid_wchar_at", c_int, [POINTER(c_wchar), c_int]);
  assert.equal(charAt("aé€", 2), 0x20ac);
  class Label extends Structure {
    static _fields_ = [["text", POINTER(c_wchar)]];
  }
  const label = new Label({ text: "wide " + "text".repeat(3) });
  assert.equal(wcslen(label.text), 17);
  assert.equal(label.text[1], "i");
  assert.throws(() => wcslen(5), ArgumentError);
});

test("a file: URL is accepted as a library path by new CDLL and cdll.LoadLibrary", () => {
  const url = pathToFileURL(fixture("fidelity"));
  assert.equal(new CDLL(url).func("fid_add", c_int, [c_int, c_int])(2, 3), 5);
  const again = cdll.LoadLibrary(url);
  assert.equal(again.name, fixture("fidelity"));
  assert.throws(() => new CDLL(new URL("https://example.com/libx.so")), { name: "TypeError", message: /a library URL must be a file: URL/ });
  assert.throws(() => new CDLL(pathToFileURL(fixture("fidelity") + ".missing")), LibraryLoadError);
});

// ------------------------------------------------------------------ structures

test("a structure subclass appends its fields after the base's, also when the base was used first", () => {
  class Base extends Structure {
    static _fields_ = [["a", c_int], ["s", c_short]];
  }
  assert.equal(new Base(1, 2).s, 2); // the base is used (its layout fixed) before the subclass exists
  class Derived extends Base {
    static _fields_ = [["b", c_int]];
  }
  assert.equal(sizeof(Derived), lib.func("fid_derived_size", c_size_t, [])());
  assert.equal(fieldInfo(Derived, "b").offset, lib.func("fid_derived_b_offset", c_size_t, [])());
  const d = new Derived(1, 2, 3);
  assert.deepEqual(d.toObject(), { a: 1, s: 2, b: 3 });
  assert.equal(lib.func("fid_derived_value", c_int, [POINTER(Derived)])(d), 123);
  assert.equal(sizeof(Base), 8);
  class Empty extends Base {}
  assert.equal(sizeof(Empty), 8);
  assert.equal(new Empty(4, 5).toObject().s, 5);
});

test("two anonymous members may both be named _", () => {
  class IntOrFloat extends Union {
    static _fields_ = [["i", c_int], ["f", c_float]];
  }
  class Halves extends Structure {
    static _fields_ = [["lo", c_short], ["hi", c_short]];
  }
  class Anon extends Structure {
    static _anonymous_ = ["_"];
    static _fields_ = [["tag", c_int], ["_", IntOrFloat], ["_", Halves]];
  }
  assert.equal(sizeof(Anon), lib.func("fid_anon_size", c_size_t, [])());
  const a = new Anon({ tag: 3, i: 77 });
  a.lo = 4;
  a.hi = 5;
  assert.equal(lib.func("fid_anon_value", c_int, [POINTER(Anon)])(a), 3045);
  assert.equal(lib.func("fid_anon_int", c_int, [POINTER(Anon)])(a), 77);
  assert.deepEqual([fieldInfo(Anon, "i").offset, fieldInfo(Anon, "lo").offset, fieldInfo(Anon, "hi").offset], [4, 8, 10]);
  // a name that is not anonymous may still not repeat
  class Twice extends Structure {
    static _fields_ = [["x", c_int], ["x", c_int]];
  }
  assert.throws(() => sizeof(Twice), { name: "TypeError", message: /duplicate field name "x"/ });
});
