// Misuse that used to crash or misbehave (issue 13): each is now refused with an error naming
// the function, argument or field, or works. Repros that could crash the process run in a child.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { constants } from "node:buffer";
import {
  CDLL,
  CFUNCTYPE,
  ArgumentError,
  Structure,
  POINTER,
  struct,
  addressof,
  byref,
  cast,
  create_string_buffer,
  create_unicode_buffer,
  malloc,
  memmove,
  memset,
  sizeof,
  string_at,
  wstring_at,
  buffer_at,
  c_char,
  c_wchar,
  c_char_p,
  c_wchar_p,
  c_void_p,
  c_int,
  c_ubyte,
  c_uint,
  c_ulong,
  c_size_t,
  c_double,
} from "tsctypes";
import { fixture, runModule } from "./helpers.mjs";

const calls = new CDLL(fixture("calls"));
const memory = new CDLL(fixture("memory"));
const misuse = new CDLL(fixture("misuse"));
const { MAX_LENGTH } = constants;
/** The typed array of wchar_t units */
const WCHAR_ARRAY = sizeof(c_wchar) === 2 ? Uint16Array : Uint32Array;

/** assert.throws with an exact class and a message that contains every part */
function throwsWith(fn, cls, ...parts) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
    for (const p of parts) assert.ok(e.message.includes(p), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(p)}`);
    return true;
  });
}

/**
 * Run `body` in a child (with T = tsctypes, CALLS / MEMORY = the fixture paths and `attempt(f)`,
 * which prints f's result or its error as "Name: message") and return its stdout lines; the
 * child must exit normally.
 */
function inChild(body) {
  const script = `import * as T from "tsctypes";
const CALLS = ${JSON.stringify(fixture("calls"))}, MEMORY = ${JSON.stringify(fixture("memory"))};
function attempt(f) {
  try { console.log(String(f())); } catch (e) { console.log(e.name + ": " + e.message); }
}
${body}`;
  const r = runModule(script, { timeout: 60000, env: { NODE_OPTIONS: "" } });
  assert.equal(r.signal, null, `child died by ${r.signal}; stderr: ${r.stderr}`);
  assert.equal(r.status, 0, `child exit status ${r.status}; stderr: ${r.stderr}`);
  return r.stdout.trimEnd().split("\n");
}

// ---------------------------------------------------------------- numbers for c_char_p

test("a number or bigint for a c_char_p / c_wchar_p parameter is an ArgumentError, also through a CFUNCTYPE pointer", () => {
  const lines = inChild(`
    const lib = new T.CDLL(CALLS);
    const strlen = lib.func("my_strlen", T.c_size_t, [T.c_char_p]);
    attempt(() => strlen(5));
    attempt(() => strlen(5n));
    const viaPointer = T.CFUNCTYPE(T.c_size_t, T.c_char_p)(strlen.address);
    attempt(() => viaPointer(5));
    const wcslen = lib.func("my_wcslen", T.c_size_t, [T.c_wchar_p]);
    attempt(() => wcslen(5));
    lib.my_strlen.argtypes = [T.c_char_p];
    attempt(() => lib.my_strlen(5));
  `);
  const expected = (fn, got, type = "c_char_p") =>
    `ArgumentError: ${fn}: argument 1: expected ${type}, got ${got}; to pass an address declare the parameter c_void_p or pass cast(address, ${type})`;
  assert.match(lines[2], /^ArgumentError: CFUNCTYPE\(c_size_t\(c_char_p\)\)@0x[0-9a-f]+\(\): argument 1: expected c_char_p, got number 5;/);
  assert.deepEqual(lines, [
    expected("my_strlen()", "number 5"),
    expected("my_strlen()", "bigint 5n"),
    lines[2],
    expected("my_wcslen()", "number 5", "c_wchar_p"),
    expected("my_strlen()", "number 5"),
  ]);
});

test("addresses still reach a char * through c_void_p or cast(), and C's char * results and casts work", () => {
  const buf = create_string_buffer("hello");
  const strlen = calls.func("my_strlen", c_size_t, [c_char_p]);
  assert.equal(strlen(cast(addressof(buf), c_char_p)), 5);
  assert.equal(strlen(cast(BigInt(addressof(buf)), c_char_p)), 5);
  assert.equal(calls.func("my_strlen", c_size_t, [c_void_p])(addressof(buf)), 5);
  const identity = calls.func("str_identity", c_char_p, [c_char_p]);
  assert.equal(identity(buf), "hello");
  assert.equal(identity(c_char_p("from a c_char_p")), "from a c_char_p");
  assert.equal(identity(null), null);
  // c_char_p instances may still be made from an address (ctypes allows it)
  assert.equal(c_char_p(addressof(buf)).value, "hello");
  assert.equal(string_at(cast(addressof(buf), c_char_p)), "hello");
});

test("c_char_p refuses C data of other types (a c_int instance); c_wchar_p refuses a Uint8Array", () => {
  const strlen = calls.func("my_strlen", c_size_t, [c_char_p]);
  const wcslen = calls.func("my_wcslen", c_size_t, [c_wchar_p]);
  throwsWith(() => strlen(c_int(5)), ArgumentError, "my_strlen(): argument 1: expected c_char_p, got c_int instance");
  throwsWith(() => strlen(byref(c_int(5))), ArgumentError, "my_strlen(): argument 1: expected c_char_p, got ByRef instance; it refers to a c_int");
  throwsWith(() => strlen(create_unicode_buffer("w")), ArgumentError, "argument 1: expected c_char_p, got c_wchar_Array_2 instance");
  throwsWith(() => strlen(new Float64Array(2)), ArgumentError, "argument 1: expected c_char_p, got Float64Array instance");
  throwsWith(() => wcslen(new Uint8Array(8)), ArgumentError, "my_wcslen(): argument 1: expected c_wchar_p, got Uint8Array instance");
  throwsWith(() => wcslen(new ArrayBuffer(8)), ArgumentError, "my_wcslen(): argument 1: expected c_wchar_p, got ArrayBuffer instance");
  throwsWith(() => wcslen(create_string_buffer("abc")), ArgumentError, "argument 1: expected c_wchar_p, got c_char_Array_4 instance");
  throwsWith(() => wcslen(c_int(5)), ArgumentError, "argument 1: expected c_wchar_p, got c_int instance");
  // what they take: strings, their own instances, c_void_p, memory of their character type
  const chars = create_string_buffer("abcd");
  assert.equal(strlen("abc"), 3);
  assert.equal(strlen(chars), 4);
  assert.equal(strlen(byref(chars)), 4);
  assert.equal(strlen(byref(chars, 1)), 3);
  assert.equal(strlen(cast(chars, POINTER(c_char))), 4);
  assert.equal(strlen(c_void_p(addressof(chars))), 4);
  assert.equal(strlen(new Uint8Array([65, 66, 0])), 2);
  assert.equal(strlen(new Int8Array([65, 0])), 1);
  assert.equal(strlen(new Uint8Array([65, 66, 67, 0]).buffer), 3);
  assert.equal(wcslen("wide"), 4);
  assert.equal(wcslen(create_unicode_buffer("wid")), 3);
  assert.equal(wcslen(new WCHAR_ARRAY([0x77, 0x78, 0])), 2);
  assert.equal(wcslen(c_wchar_p("four")), 4);
});

// ---------------------------------------------------------------- detached buffers

test("a detached ArrayBuffer (structuredClone transfer) as a pointer: an ArgumentError naming the argument, not a crash or NULL", () => {
  const lines = inChild(`
    const mem = new T.CDLL(MEMORY), lib = new T.CDLL(CALLS);
    const sumVoid = mem.func("sum_bytes", T.c_uint, [T.c_void_p, T.c_size_t]);
    const sumTyped = mem.func("sum_bytes", T.c_uint, [T.POINTER(T.c_ubyte), T.c_size_t]);
    const byteSum = lib.func("byte_sum", T.c_ulong, [T.c_char_p]);
    const u8 = new Uint8Array([1, 2, 3, 0]);
    console.log(sumVoid(u8, 3), sumTyped(u8, 3), byteSum(u8), sumVoid(u8.buffer, 3));
    structuredClone(u8.buffer, { transfer: [u8.buffer] });
    attempt(() => sumVoid(u8, 3));
    attempt(() => sumVoid(u8.buffer, 3));
    attempt(() => sumTyped(u8, 3));
    attempt(() => byteSum(u8));
    attempt(() => mem.sum_bytes(u8, 3));
    const S = T.struct({ p: T.c_void_p });
    attempt(() => new S({ p: u8 }));
    attempt(() => T.memmove(new Uint8Array(4), u8, 3));
  `);
  const detached = "the ArrayBuffer is detached (transferred by transfer() or structuredClone), so there is no memory to point at";
  assert.deepEqual(lines, [
    "6 6 6 6",
    `ArgumentError: sum_bytes(): argument 1: expected c_void_p, got Uint8Array instance (${detached})`,
    `ArgumentError: sum_bytes(): argument 1: expected c_void_p, got ArrayBuffer instance (${detached})`,
    `ArgumentError: sum_bytes(): argument 1: expected LP_c_ubyte, got Uint8Array instance (${detached})`,
    `ArgumentError: byte_sum(): argument 1: expected c_char_p, got Uint8Array instance (${detached})`,
    `ArgumentError: sum_bytes(): argument 1: expected c_void_p, got Uint8Array instance (${detached})`,
    `TypeError: Struct.p: ${detached}`,
    `TypeError: memmove(): argument 2: ${detached}`,
  ]);
});

test("a buffer detached by ArrayBuffer.prototype.transfer() as a pointer: an ArgumentError", {
  skip: typeof ArrayBuffer.prototype.transfer !== "function" && "no ArrayBuffer.prototype.transfer in this runtime",
}, () => {
  const lines = inChild(`
    const mem = new T.CDLL(MEMORY);
    const sum = mem.func("sum_bytes", T.c_uint, [T.c_void_p, T.c_size_t]);
    const u8 = new Uint8Array([4, 5, 6]);
    console.log(sum(u8, 3));
    const moved = u8.buffer.transfer();
    attempt(() => sum(u8, 3));
    console.log(sum(moved, 3));
  `);
  assert.deepEqual(lines, [
    "15",
    "ArgumentError: sum_bytes(): argument 1: expected c_void_p, got Uint8Array instance (the ArrayBuffer is detached (transferred by transfer() or structuredClone), so there is no memory to point at)",
    "15",
  ]);
});

// ---------------------------------------------------------------- printing c_char_p

test("String() and inspect of a c_char_p / c_wchar_p never read the address: c_char_p(0x5)", () => {
  const lines = inChild(`
    console.log(String(T.c_char_p(5)));
    console.log(T.c_char_p(5));
    console.log(\`\${T.c_wchar_p(0x1234n)}\`);
    console.log(T.c_wchar_p(7));
    console.log("inside:", T.c_char_p(8));
    console.log(T.c_void_p(5));
  `);
  assert.deepEqual(lines, ["c_char_p(0x5)", "c_char_p(0x5)", "c_wchar_p(0x1234)", "c_wchar_p(0x7)", "inside: c_char_p(0x8)", "c_void_p(5)"]);
});

test("a c_char_p over JS memory it keeps prints its string; over other memory, its address", () => {
  assert.equal(String(c_char_p("héllo")), 'c_char_p("héllo")');
  assert.equal(inspect(c_wchar_p("wide \u2713")), 'c_wchar_p("wide \u2713")');
  assert.equal(String(c_char_p(null)), "c_char_p(null)");
  assert.equal(String(c_wchar_p(null)), "c_wchar_p(null)");
  assert.equal(String(c_char_p(new Uint8Array([65, 66, 0, 67]))), 'c_char_p("AB")');
  // no NUL inside the kept bytes: the address, not a read past them
  const open = new Uint8Array([65, 66]);
  const p = c_char_p(open);
  assert.equal(String(p), `c_char_p(0x${cast(p, c_void_p).value.toString(16)})`);
  // a string C returned: C's memory, printed as its address
  const s = calls.func("static_string", c_void_p, [])();
  assert.equal(String(cast(s, c_char_p)), `c_char_p(0x${s.toString(16)})`);
  assert.equal(cast(s, c_char_p).value, "hello from C");
});

// ---------------------------------------------------------------- field names

test("field names the C data object uses itself are refused at declaration, naming the field", () => {
  for (const name of ["_view", "_off", "_size", "_base", "_objects", "_addr", "_address", "_bytes", "_info", "constructor", "toString", "toJSON", "valueOf"]) {
    class S extends Structure {
      static _fields_ = [
        ["a", c_int],
        [name, c_int],
      ];
    }
    throwsWith(() => sizeof(S), TypeError, `S._fields_[1]: the field name ${JSON.stringify(name)} is taken by the C data object itself`, "rename the field");
    throwsWith(() => new S(), TypeError, `S._fields_[1]: the field name ${JSON.stringify(name)}`);
    throwsWith(() => sizeof(struct({ a: c_int, [name]: c_int }, { name: "T" })), TypeError, `T._fields_[1]: the field name ${JSON.stringify(name)}`);
  }
});

test("fields named toObject, __proto__ and then work: C reads them, toObject/inspect/JSON keep them", () => {
  class S extends Structure {
    static _fields_ = [
      ["toObject", c_int],
      ["__proto__", c_int],
      ["then", c_int],
    ];
  }
  const sum3 = misuse.func("sum3", c_int, [c_void_p]);
  const s = new S(1, 20, 300);
  assert.equal(sum3(s), 321);
  assert.equal(s.toObject, 1);
  assert.equal(s.__proto__, 20);
  assert.equal(Object.getPrototypeOf(s), S.prototype);
  s.__proto__ = 40;
  assert.equal(sum3(s), 341);
  assert.equal(Object.getPrototypeOf(s), S.prototype);
  assert.equal(JSON.stringify(s), '{"toObject":1,"__proto__":40,"then":300}');
  assert.equal(String(s), "S(toObject=1, __proto__=40, then=300)");
  assert.equal(inspect(s), "S { toObject: 1, ['__proto__']: 40, then: 300 }");
  assert.equal(sum3(new S({ ["__proto__"]: 2, then: 3 })), 5);
  // the struct() form: a computed key declares the field
  const T = struct({ ["__proto__"]: c_int, b: c_int });
  assert.equal(sum3(new T({ ["__proto__"]: 5, b: 6 })), 11);
});

test("struct({ __proto__: T }) (a prototype, not a field) is refused instead of silently dropped", () => {
  throwsWith(() => struct({ __proto__: c_int, a: c_int }), TypeError, "struct(): the field object has a prototype", '["__proto__"]: T');
});

// ---------------------------------------------------------------- declarations

test("a structure containing itself by value is refused (sizeof used to overflow the stack)", () => {
  class Node extends Structure {}
  throwsWith(() => (Node._fields_ = [["value", c_int], ["next", Node]]), TypeError, 'Node._fields_[1] ("next"): Node would contain itself by value; refer to it through POINTER(Node)');
  class Self extends Structure {
    static _fields_ = [["self", Self]];
  }
  throwsWith(() => sizeof(Self), TypeError, 'Self._fields_[0] ("self"): Self would contain itself by value');
  // through another structure
  class A extends Structure {}
  class B extends Structure {
    static _fields_ = [["a", A]];
  }
  A._fields_ = [["b", B]];
  throwsWith(() => sizeof(A), TypeError, 'B._fields_[0] ("a"): A would contain itself by value');
  // through a pointer it is fine
  class List extends Structure {}
  List._fields_ = [["value", c_int], ["next", POINTER(List)]];
  assert.equal(sizeof(List), 16);
});

test("_pack_ must be 0 or a power of two up to 2**16", () => {
  const packed = (pack) =>
    class P extends Structure {
      static _pack_ = pack;
      static _fields_ = [["c", c_char], ["d", c_double]];
    };
  for (const bad of [3, 6, 65537, 131072, 2 ** 32, 3 * 2 ** 32, -1, -2, 0.5, 2.5, NaN, Infinity, "1"])
    throwsWith(() => sizeof(packed(bad)), TypeError, "P._pack_ must be a power of two from 1 to 65536");
  assert.equal(sizeof(packed(0)), 16);
  assert.equal(sizeof(packed(1)), 9);
  assert.equal(sizeof(packed(2)), 10);
  assert.equal(sizeof(packed(65536)), 16);
});

test("byref() offsets must lie within the object (0 to its size)", () => {
  const x = c_int(7);
  throwsWith(() => byref(x, -1), RangeError, "byref(): offset -1 is outside the 4 bytes of the c_int (0..4)");
  throwsWith(() => byref(x, 5), RangeError, "byref(): offset 5 is outside the 4 bytes of the c_int");
  const ints = c_int.array(3)(10, 20, 30);
  const readInt = memory.func("read_int", c_int, [c_void_p]);
  assert.equal(readInt(byref(ints, 8)), 30);
  assert.equal(byref(ints, 12).offset, 12);
  throwsWith(() => byref(ints, 13), RangeError, "outside the 12 bytes of the c_int_Array_3");
});

// ---------------------------------------------------------------- memmove, memset

test("memmove / memset: a count beyond a destination (or source) of known size is a RangeError", () => {
  throwsWith(() => memmove(c_int(1), c_int.array(2)(), 8), RangeError, "memmove(): 8 bytes run past the 4 bytes of the destination (c_int instance)");
  throwsWith(() => memmove(new Uint8Array(8), c_int(1), 8), RangeError, "memmove(): 8 bytes run past the 4 bytes of the source (c_int instance)");
  throwsWith(() => memmove(new ArrayBuffer(4), new Uint8Array(8), 5), RangeError, "5 bytes run past the 4 bytes of the destination (ArrayBuffer instance)");
  throwsWith(() => memmove(new Uint8Array(8), new Uint8Array(8).subarray(6), 3), RangeError, "3 bytes run past the 2 bytes of the source (Uint8Array instance)");
  throwsWith(() => memset(c_int(1), 0xff, 5), RangeError, "memset(): 5 bytes run past the 4 bytes of the destination (c_int instance)");
  throwsWith(() => memset(new Float64Array(1), 0, 9), RangeError, "memset(): 9 bytes run past the 8 bytes of the destination (Float64Array instance)");
  throwsWith(() => memset(byref(c_int.array(2)(), 4), 1, 5), RangeError, "5 bytes run past the 4 bytes of the destination (ByRef instance)");
  throwsWith(() => memset(malloc(4), 1, 5), RangeError, "5 bytes run past the 4 bytes of the destination (Allocation instance)");
  // exactly the size is fine, and C sees the bytes
  const dst = new Uint8Array(4);
  memmove(dst, new Uint8Array([1, 2, 3, 4]), 4);
  assert.deepEqual([...dst], [1, 2, 3, 4]);
  const x = c_int(0);
  memset(x, 1, 4);
  assert.equal(memory.func("read_int", c_int, [POINTER(c_int)])(x), 0x01010101);
  const pair = c_int.array(2)(0, 0);
  memset(byref(pair, 4), 0xff, 4);
  assert.deepEqual([...pair], [0, -1]);
  // unknown sizes (addresses, pointers) are not checked
  const big = create_string_buffer(16);
  memset(addressof(big), 0x41, 16);
  memmove(create_string_buffer(17), cast(addressof(big), c_char_p), 16);
  // a c_char_p source gives the address it holds
  const copy = create_string_buffer(4);
  memmove(copy, c_char_p("abc"), 4);
  assert.equal(copy.value, "abc");
});

// ---------------------------------------------------------------- SharedArrayBuffer

test("a SharedArrayBuffer or a view of one is accepted as a pointer argument", () => {
  const sab = new SharedArrayBuffer(8);
  const shared = new Uint8Array(sab);
  shared.set([1, 2, 3, 4, 5, 6, 7, 0]);
  const sumVoid = memory.func("sum_bytes", c_uint, [c_void_p, c_size_t]);
  const sumTyped = memory.func("sum_bytes", c_uint, [POINTER(c_ubyte), c_size_t]);
  const byteSum = calls.func("byte_sum", c_ulong, [c_char_p]);
  assert.equal(sumVoid(sab, 8), 28);
  assert.equal(sumVoid(shared, 8), 28);
  assert.equal(sumVoid(new Uint8Array(sab, 4), 4), 18);
  assert.equal(sumVoid(new DataView(sab, 2), 2), 7);
  assert.equal(sumTyped(shared, 3), 6);
  assert.equal(byteSum(shared), 28);
  assert.equal(byteSum(sab), 28);
  assert.equal(memory.sum_bytes(new Uint8Array(sab, 1, 2), 2), 5);
  // C writes where JS reads
  memory.func("fill_bytes", null, [c_void_p, c_size_t, c_int])(new Uint8Array(sab, 2), 3, 9);
  assert.deepEqual([...shared], [1, 2, 9, 9, 9, 6, 7, 0]);
  assert.equal(string_at(sab, 2), "\x01\x02");
});

// ---------------------------------------------------------------- symbol names

test("symbols whose names are not JS identifiers are callable (3d_add, scale.v2)", async () => {
  const add = misuse.func("3d_add", c_int, [c_int, c_int]);
  assert.equal(add(2, 3), 5);
  assert.equal(await add.async(4, 5), 9);
  const attr = misuse["3d_add"];
  attr.argtypes = [c_int, c_int];
  assert.equal(attr(20, 22), 42);
  assert.equal(misuse["scale.v2"](21), 42);
  assert.equal(CFUNCTYPE(c_int, c_int, c_int)(add.address)(7, 8), 15);
  throwsWith(() => add(1), ArgumentError, "3d_add(): expected 2 arguments, got 1");
});

// ---------------------------------------------------------------- string and buffer limits

test("string_at / wstring_at / buffer_at: sizes beyond what JS can hold, or beyond known memory, are RangeErrors", () => {
  const buf = create_string_buffer("hi");
  throwsWith(() => string_at(addressof(buf), 2 ** 31), RangeError, "string_at(): size 2147483648 is beyond the longest C string that can be read (2147483647 bytes)");
  throwsWith(() => string_at(buf, 2 ** 31), RangeError, "string_at(): 2147483648 bytes run past the 3 bytes of the memory (c_char_Array_3 instance)");
  throwsWith(() => string_at(buf, 4), RangeError, "string_at(): 4 bytes run past the 3 bytes of the memory");
  throwsWith(() => wstring_at(addressof(buf), 2 ** 31), RangeError, "wstring_at(): size 2147483648 is beyond the longest string");
  throwsWith(() => wstring_at(create_unicode_buffer("ab"), 4), RangeError, "wstring_at(): ");
  // (Node 20: 2**32 bytes at most; later lines take any safe integer, and a larger count is refused as such)
  if (Number.isSafeInteger(MAX_LENGTH + 1))
    throwsWith(() => buffer_at(addressof(buf), MAX_LENGTH + 1), RangeError, `buffer_at(): size ${MAX_LENGTH + 1} is beyond the largest Uint8Array (${MAX_LENGTH} bytes)`);
  else throwsWith(() => buffer_at(addressof(buf), MAX_LENGTH + 1), TypeError, "buffer_at(): count must be a non-negative integer");
  throwsWith(() => buffer_at(buf, 4), RangeError, "buffer_at(): 4 bytes run past the 3 bytes of the memory");
  assert.equal(string_at(buf, 3), "hi\0");
  assert.equal(wstring_at(create_unicode_buffer("ab"), 2), "ab");
  assert.deepEqual([...buffer_at(buf, 3)], [104, 105, 0]);
});

const tooLong = constants.MAX_STRING_LENGTH + 1;
test("string_at of more bytes than a JS string holds (in real memory): a RangeError, not undefined", {
  skip: tooLong > 2 ** 30 && `the longest string here (${constants.MAX_STRING_LENGTH} characters) is too long to make in a test`,
}, () => {
  // untouched calloc memory: zero bytes, one more than the longest string has characters
  const big = malloc(tooLong);
  try {
    throwsWith(() => string_at(big.address, tooLong), RangeError, `string_at(): the C string does not fit in a JS string (at most ${constants.MAX_STRING_LENGTH} characters)`);
  } finally {
    big.free();
  }
});
