// docs/declarations.md: the C declaration parser (cdef, parsePrototype). Layouts are checked against
// the C compiler: each test's declarations are compiled by `cc` into a probe that prints sizeof,
// _Alignof, offsetof, enumerator values and the bytes a bit-field store leaves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  cdef, parsePrototype, CDeclError, CDLL, POINTER, CFUNCTYPE, Structure, Union, sizeof, alignment, fieldInfo, addressof, buffer_at,
  c_bool, c_char, c_wchar, c_byte, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long, c_ulong, c_longlong, c_ulonglong,
  c_size_t, c_ssize_t, c_time_t, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64, c_uint64,
  c_float, c_double, c_longdouble, c_char_p, c_wchar_p, c_void_p,
} from "tsctypes";
import { fixture } from "./helpers.mjs";

const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-cdecl-"));
process.on("exit", () => fs.rmSync(probeDir, { recursive: true, force: true }));
let probeCount = 0;

/**
 * Compile `decls` with the C compiler and report, for each `sizes` type its [sizeof, _Alignof], for each
 * `offsets` "T.f" offsetof, for each `constants` name its value (as a decimal string), and for each
 * `bits` [T, f, v] the hex bytes of a zeroed T after `x.f = v`.
 */
function probe(decls, { sizes = [], offsets = [], constants = [], bits = [] }) {
  const lines = [];
  for (const t of sizes) lines.push(`printf("\\"size:%s\\":[%zu,%zu],", ${JSON.stringify(t)}, sizeof(${t}), _Alignof(${t}));`);
  for (const q of offsets) {
    const [t, f] = q.split(".");
    lines.push(`printf("\\"off:%s\\":%zu,", ${JSON.stringify(q)}, offsetof(${t}, ${f}));`);
  }
  for (const c of constants) lines.push(`printf("\\"const:%s\\":\\"%lld\\",", ${JSON.stringify(c)}, (long long)(${c}));`);
  for (const [t, f, v] of bits)
    lines.push(`{ ${t} x; memset(&x, 0, sizeof x); x.${f} = ${v}; const unsigned char *p = (const void *)&x; printf("\\"bits:%s.%s=%s\\":\\"", ${JSON.stringify(t)}, ${JSON.stringify(f)}, ${JSON.stringify(String(v))}); for (size_t i = 0; i < sizeof x; i++) printf("%02x", p[i]); printf("\\","); }`);
  const src = `#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n#include <wchar.h>\n#include <stdbool.h>\n#include <sys/types.h>\n#include <time.h>\n${decls}\nint main(void) {\n printf("{");\n ${lines.join("\n ")}\n printf("\\"end\\":0}");\n return 0;\n}\n`;
  const n = probeCount++;
  const c = path.join(probeDir, `probe${n}.c`);
  const exe = path.join(probeDir, `probe${n}`);
  fs.writeFileSync(c, src);
  const cc = spawnSync(process.env.CC || "cc", ["-std=gnu11", "-w", "-o", exe, c], { encoding: "utf8" });
  assert.equal(cc.status, 0, `probe did not compile:\n${cc.stderr}`);
  const run = spawnSync(exe, [], { encoding: "utf8" });
  assert.equal(run.status, 0);
  return JSON.parse(run.stdout);
}

/** The bytes of a tsctypes object as hex (to compare with the probe's bit-field stores). */
function hex(obj) {
  return Buffer.from(buffer_at(addressof(obj), sizeof(obj))).toString("hex");
}

/** The type a C name refers to in cdef's result: "struct S" / "union U" by tag, else a typedef. */
const typeOf = (d, cname) => d.types[cname.replace(/^(struct|union|enum) /, "")];

/** cdef(decls) and the compiler agree on every size, alignment, offset, constant and bit-field store asked for. */
function assertMatchesC(decls, queries) {
  const d = cdef(decls);
  assertAgreesWithC(d, probe(decls, queries), queries);
  return d;
}

/** cdef's result `d` and the probe's report `c` agree on every query. */
function assertAgreesWithC(d, c, queries) {
  for (const t of queries.sizes ?? []) assert.deepEqual([sizeof(typeOf(d, t)), alignment(typeOf(d, t))], c[`size:${t}`], `sizeof/_Alignof ${t}`);
  for (const q of queries.offsets ?? []) {
    const [t, f] = q.split(".");
    assert.equal(fieldInfo(typeOf(d, t), f).offset, c[`off:${q}`], `offsetof(${t}, ${f})`);
  }
  for (const name of queries.constants ?? []) assert.equal(String(d.constants[name]), c[`const:${name}`], `value of ${name}`);
  for (const [t, f, v] of queries.bits ?? []) {
    const obj = new (typeOf(d, t))();
    obj[f] = v;
    assert.equal(hex(obj), c[`bits:${t}.${f}=${v}`], `bytes after ${t}.${f} = ${v}`);
    assert.equal(obj[f], v, `${t}.${f} reads back`);
  }
}

/** `fn()` throws a CDeclError at this line, column and token, whose message names them and contains `text`. */
function assertCDeclError(fn, { where, line, column, token, text }) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof CDeclError, `expected a CDeclError, got ${e}`);
    assert.ok(e instanceof SyntaxError);
    assert.equal(e.name, "CDeclError");
    assert.deepEqual({ line: e.line, column: e.column, token: e.token }, { line, column, token }, e.message);
    assert.ok(e.message.includes(text), `message ${JSON.stringify(e.message)} should contain ${JSON.stringify(text)}`);
    const at = token === "" ? "at the end of the text" : `at ${JSON.stringify(token)}`;
    assert.ok(e.message.startsWith(`${where}: line ${line}, column ${column} ${at}: `), e.message);
    return true;
  });
}

// ================================================================== fundamental types

test("every C spelling of the fundamental types maps to its tsctypes type", () => {
  const cases = [
    ["char", c_char], ["signed char", c_byte], ["char signed", c_byte], ["unsigned char", c_ubyte],
    ["short", c_short], ["short int", c_short], ["signed short int", c_short], ["short unsigned", c_ushort], ["unsigned short int", c_ushort],
    ["int", c_int], ["signed", c_int], ["signed int", c_int], ["unsigned", c_uint], ["unsigned int", c_uint], ["int unsigned", c_uint],
    ["long", c_long], ["long int", c_long], ["signed long", c_long], ["unsigned long", c_ulong], ["long unsigned int", c_ulong],
    ["long long", c_longlong], ["long long int", c_longlong], ["signed long long int", c_longlong],
    ["unsigned long long", c_ulonglong], ["long long unsigned", c_ulonglong], ["unsigned long long int", c_ulonglong],
    ["float", c_float], ["double", c_double], ["long double", c_longdouble], ["double long", c_longdouble],
    ["_Bool", c_bool], ["bool", c_bool], ["wchar_t", c_wchar], ["__signed__ char", c_byte],
    ["int8_t", c_int8], ["uint8_t", c_uint8], ["int16_t", c_int16], ["uint16_t", c_uint16], ["int32_t", c_int32], ["uint32_t", c_uint32],
    ["int64_t", c_int64], ["uint64_t", c_uint64], ["int_least8_t", c_int8], ["uint_least64_t", c_uint64], ["intmax_t", c_int64], ["uintmax_t", c_uint64],
    ["size_t", c_size_t], ["ssize_t", c_ssize_t], ["ptrdiff_t", c_ssize_t], ["intptr_t", c_ssize_t], ["uintptr_t", c_size_t], ["time_t", c_time_t],
    ["char16_t", c_uint16], ["char32_t", c_uint32], ["_Float32", c_float], ["_Float64", c_double], ["_Float64x", c_longdouble],
  ];
  for (const [spelling, type] of cases) {
    const p = parsePrototype(`${spelling} f(${spelling} x)`);
    assert.equal(p.restype, type, `return type ${spelling}`);
    assert.deepEqual(p.argtypes, [type], `parameter ${spelling}`);
  }
});

test("the fundamental types have the compiler's size and alignment (a struct of every spelling)", () => {
  const decls = `struct All { char c; signed char sc; unsigned char uc; short s; unsigned short us; int i; unsigned u; long l;
    unsigned long ul; long long ll; unsigned long long ull; float f; double d; long double ld; _Bool b; wchar_t w;
    int8_t i8; uint16_t u16; int32_t i32; uint64_t u64; size_t sz; ssize_t ssz; time_t t; ptrdiff_t pd; intptr_t ip;
    _Float32 f32; _Float64x f64x; };`;
  assertMatchesC(decls, {
    sizes: ["struct All"],
    offsets: ["struct All.sc", "struct All.s", "struct All.i", "struct All.l", "struct All.ll", "struct All.f", "struct All.d", "struct All.ld",
      "struct All.b", "struct All.w", "struct All.i8", "struct All.u16", "struct All.i32", "struct All.u64", "struct All.sz", "struct All.t", "struct All.ip", "struct All.f32", "struct All.f64x"],
  });
});

test("pointers: char * is c_char_p, wchar_t * c_wchar_p, void * c_void_p, char ** POINTER(c_char_p), T * POINTER(T)", () => {
  const p = parsePrototype(
    "void *f(char *a, const char *b, wchar_t *c, void *d, char **e, int *g, int **h, const char *const *i, unsigned char *j, signed char *k, double ***l, const void *m)",
  );
  assert.equal(p.restype, c_void_p);
  assert.deepEqual(p.argtypes, [
    c_char_p, c_char_p, c_wchar_p, c_void_p, POINTER(c_char_p), POINTER(c_int), POINTER(POINTER(c_int)), POINTER(c_char_p),
    POINTER(c_ubyte), POINTER(c_byte), POINTER(POINTER(POINTER(c_double))), c_void_p,
  ]);
  assert.deepEqual(p.paramNames, ["a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m"]);
});

test("prototypes: unnamed parameters, (void), (), variadic, trailing semicolon", () => {
  assert.deepEqual(parsePrototype("int add(int, int);"), { name: "add", restype: c_int, argtypes: [c_int, c_int], variadic: false, paramNames: [null, null] });
  assert.deepEqual(parsePrototype("void tick(void)"), { name: "tick", restype: null, argtypes: [], variadic: false, paramNames: [] });
  assert.deepEqual(parsePrototype("long now()"), { name: "now", restype: c_long, argtypes: [], variadic: false, paramNames: [] });
  assert.deepEqual(parsePrototype("int printf(const char *restrict fmt, ...)"), { name: "printf", restype: c_int, argtypes: [c_char_p], variadic: true, paramNames: ["fmt"] });
  assert.deepEqual(parsePrototype("int f(int a, double b, ...)").argtypes, [c_int, c_double]);
  // the return type's pointer belongs to the function, not to a function pointer
  assert.equal(parsePrototype("char *getenv(const char *name)").restype, c_char_p);
  assert.equal(parsePrototype("int **grid(void)").restype, POINTER(POINTER(c_int)));
});

test("qualifiers const, volatile, restrict and their GNU spellings are accepted and ignored", () => {
  const p = parsePrototype("const volatile int f(const int a, int *const restrict b, volatile char *__restrict c, __const int *__restrict__ d, int *__volatile__ e)");
  assert.deepEqual([p.restype, ...p.argtypes], [c_int, c_int, POINTER(c_int), c_char_p, POINTER(c_int), POINTER(c_int)]);
});

test("array parameters are pointers: T[] and T[N] (and char[] is c_char_p); a pointer to an array stays one", () => {
  const p = parsePrototype("void f(int a[], int b[8], char c[], char d[16], int m[][4], double (*rows)[3], const int e[static 4])");
  assert.deepEqual(p.argtypes, [POINTER(c_int), POINTER(c_int), c_char_p, c_char_p, POINTER(c_int.array(4)), POINTER(c_double.array(3)), POINTER(c_int)]);
});

test("function pointers are CFUNCTYPE types, also as parameters written as functions, and nested", () => {
  const p = parsePrototype("void qsort(void *base, size_t n, size_t size, int (*compar)(const void *, const void *))");
  assert.equal(p.argtypes[3], CFUNCTYPE(c_int, c_void_p, c_void_p));
  assert.equal(parsePrototype("void on(void handler(int))").argtypes[0], CFUNCTYPE(null, c_int));
  // signal(): a function returning a pointer to a function taking a pointer to a function
  const signal = parsePrototype("void (*signal(int sig, void (*func)(int)))(int)");
  assert.equal(signal.name, "signal");
  assert.equal(signal.restype, CFUNCTYPE(null, c_int));
  assert.deepEqual(signal.argtypes, [c_int, CFUNCTYPE(null, c_int)]);
  assert.deepEqual(signal.paramNames, ["sig", "func"]);
  const d = cdef("typedef double (*unary)(double); typedef unary (*factory)(int); typedef void handler_t(int); struct H { handler_t *h; unary table[2]; };");
  assert.equal(d.types.unary, CFUNCTYPE(c_double, c_double));
  assert.equal(d.types.factory, CFUNCTYPE(CFUNCTYPE(c_double, c_double), c_int));
  assert.equal(d.types.handler_t, CFUNCTYPE(null, c_int));
  assert.equal(fieldInfo(d.types.H, "h").size, sizeof(c_void_p));
  assert.equal(d.types.H._fields_[1][1], CFUNCTYPE(c_double, c_double).array(2));
  // declarators of any depth; a struct whose callback takes the struct itself
  const e = cdef(`int (*table[3])(int); char *(*getter)(void); struct Q { struct Q *(*next)(const struct Q *); int n; };
    typedef int open_arr[]; void f(open_arr a, int (*m)[2][3]);`);
  assert.equal(e.variables.table, CFUNCTYPE(c_int, c_int).array(3));
  assert.equal(e.variables.getter, CFUNCTYPE(c_char_p));
  assert.equal(e.types.Q._fields_[0][1], CFUNCTYPE(POINTER(e.types.Q), POINTER(e.types.Q)));
  assert.equal(sizeof(e.types.Q), 2 * sizeof(c_void_p));
  assert.deepEqual(e.functions.f.argtypes, [POINTER(c_int), POINTER(c_int.array(3).array(2))]);
  assert.equal("open_arr" in e.types, false);
});

// ================================================================== typedef

test("typedef: chains, pointers, arrays, struct/union/enum and function types; standard names keep their type", () => {
  const d = cdef(`
    typedef int myint, *myint_p;
    typedef myint counter;
    typedef counter vec3[3];
    typedef const char *cstr;
    typedef cstr *argv_t;
    typedef struct point { int x, y; } point_t, *point_p;
    typedef union { int i; float f; } *num_p, num;
    typedef enum { OFF, ON } switch_t;
    typedef unsigned long size_t;
    typedef signed char int8_t;
    typedef void nothing;
    nothing *opaque_ptr(counter c, vec3 v, argv_t a, point_p p, num n, switch_t s, size_t z, int8_t b);
  `);
  assert.equal(d.types.myint, c_int);
  assert.equal(d.types.myint_p, POINTER(c_int));
  assert.equal(d.types.counter, c_int);
  assert.equal(d.types.vec3, c_int.array(3));
  assert.equal(d.types.cstr, c_char_p);
  assert.equal(d.types.argv_t, POINTER(c_char_p));
  assert.equal(d.types.point_t, d.types.point);
  assert.equal(d.types.point_t.name, "point");
  assert.ok(d.types.point_t.prototype instanceof Structure);
  assert.equal(d.types.point_p, POINTER(d.types.point));
  assert.ok(d.types.num.prototype instanceof Union);
  assert.equal(d.types.num.name, "num");
  assert.equal(d.types.num_p, POINTER(d.types.num));
  assert.equal(d.types.switch_t, c_uint);
  assert.deepEqual(d.enums.switch_t, { OFF: 0, ON: 1 });
  assert.equal(d.types.size_t, c_size_t);
  assert.equal(d.types.int8_t, c_int8);
  assert.equal("nothing" in d.types, false);
  assert.deepEqual(d.functions.opaque_ptr.argtypes, [c_int, POINTER(c_int), POINTER(c_char_p), POINTER(d.types.point), d.types.num, c_uint, c_size_t, c_int8]);
  assert.equal(d.functions.opaque_ptr.restype, c_void_p);
});

test("names beyond C's built-ins resolve through the type map, struct tags too", () => {
  const Vec2 = cdef("struct Vec2 { double x, y; };").types.Vec2;
  const p = parsePrototype("Vec2 vec2_add(Vec2 a, const Vec2 *b, struct Vec2 *c, cb f)", { Vec2, cb: CFUNCTYPE(c_int, c_int) });
  assert.deepEqual([p.restype, ...p.argtypes], [Vec2, Vec2, POINTER(Vec2), POINTER(Vec2), CFUNCTYPE(c_int, c_int)]);
  const d = cdef("typedef struct Vec2 *vec2_ref; void scale(vec2_ref v, my_double k);", { Vec2, my_double: c_double });
  assert.equal(d.types.vec2_ref, POINTER(Vec2));
  assert.deepEqual(d.functions.scale.argtypes, [POINTER(Vec2), c_double]);
  assert.throws(() => cdef("int x;", { bad: 42 }), { name: "TypeError", message: "cdef(): types.bad: expected a tsctypes type (c_int, POINTER(...), a Structure, ...), got number 42" });
  assert.throws(() => cdef(42), { name: "TypeError", message: "cdef(): expected C declarations as a string, got number 42" });
});

// ================================================================== struct and union

test("structs and unions: nested, arrays, pointers, multi-dimensional arrays: the compiler's layout", () => {
  const decls = `
    struct Inner { char c; short s; };
    union Value { int i; double d; char bytes[12]; struct Inner in; };
    struct Outer {
      char tag;
      struct Inner inner;
      union Value v;
      int grid[2][3];
      struct Inner pair[2];
      const char *name;
      wchar_t label[5];
      struct { long a; char b; } anon_typed;
      long double ld;
      unsigned char tail;
    };`;
  const d = assertMatchesC(decls, {
    sizes: ["struct Inner", "union Value", "struct Outer"],
    offsets: ["struct Inner.s", "union Value.d", "union Value.in", "struct Outer.inner", "struct Outer.v", "struct Outer.grid", "struct Outer.pair",
      "struct Outer.name", "struct Outer.label", "struct Outer.anon_typed", "struct Outer.ld", "struct Outer.tail"],
  });
  const { Outer, Inner } = d.types;
  const fields = Object.fromEntries(Outer._fields_.map(([n, t]) => [n, t]));
  assert.equal(fields.inner, Inner);
  assert.equal(fields.grid, c_int.array(3).array(2));
  assert.equal(fields.pair, Inner.array(2));
  assert.equal(fields.name, c_char_p);
  assert.equal(fields.label, c_wchar.array(5));
  assert.equal(fields.anon_typed.name, "Outer.anon_typed");
  const o = new Outer();
  o.grid[1][2] = 7;
  o.inner.s = -3;
  o.label = "abc";
  assert.deepEqual([o.grid[1][2], o.inner.s, o.label], [7, -3, "abc"]);
});

test("C11 anonymous struct and union members are promoted, as _anonymous_ would", () => {
  const decls = `
    struct Tagged { int kind; union { int i; double d; char s[8]; }; int tail; };
    struct Nest2 { char c; struct { int pad; struct { short x, y; }; }; };
    union Reg { unsigned int all; struct { unsigned short lo, hi; }; };`;
  const d = assertMatchesC(decls, {
    sizes: ["struct Tagged", "struct Nest2", "union Reg"],
    offsets: ["struct Tagged.i", "struct Tagged.d", "struct Tagged.s", "struct Tagged.tail", "struct Nest2.pad", "struct Nest2.x", "struct Nest2.y", "union Reg.hi"],
  });
  const t = new d.types.Tagged({ kind: 1, d: 2.5, tail: 9 });
  assert.deepEqual([t.kind, t.d, t.tail, t._anon0.d], [1, 2.5, 9, 2.5]);
  assert.deepEqual(d.types.Tagged._anonymous_, ["_anon0"]);
  const r = new d.types.Reg();
  r.all = 0x12345678;
  assert.deepEqual([r.lo, r.hi], [0x5678, 0x1234]);
});

test("bit fields: signed, unsigned, adjacent, unnamed, zero width, wide, _Bool, enum typed: the compiler's layout and bits", () => {
  const decls = `
    enum Mode { M_A, M_B, M_C, M_D };
    struct Bits {
      int s3 : 3;
      unsigned int u5 : 5;
      int : 2;
      int s7 : 7;
      unsigned char c2 : 2;
      int : 0;
      int z4 : 4;
      long long s40 : 40;
      unsigned long long u24 : 24;
      _Bool flag : 1;
      enum Mode mode : 2;
      unsigned char tail;
    };
    union UBits { unsigned int a : 3; int b : 5; unsigned char c; };`;
  assertMatchesC(decls, {
    sizes: ["struct Bits", "union UBits"],
    offsets: ["struct Bits.tail", "union UBits.c"],
    bits: [["struct Bits", "s3", -3], ["struct Bits", "u5", 31], ["struct Bits", "s7", -64], ["struct Bits", "c2", 3], ["struct Bits", "z4", 5],
      ["struct Bits", "s40", -549755813887n], ["struct Bits", "u24", 16777215n], ["struct Bits", "flag", true], ["struct Bits", "mode", 3],
      ["union UBits", "a", 5], ["union UBits", "b", -16]],
  });
});

test("self-reference through pointers (the ctypes pattern), mutual recursion, and opaque structs behind pointers", () => {
  const recursive = `
    struct Cell { int index; struct Cell *prev; struct Cell *next; };
    typedef struct Tree Tree;
    struct Forest;
    struct Tree { int value; Tree *children[2]; struct Forest *forest; };
    struct Forest { Tree *root; int size; };`;
  assertMatchesC(recursive, { sizes: ["struct Cell", "struct Tree", "struct Forest"], offsets: ["struct Tree.children", "struct Tree.forest", "struct Forest.size"] });
  const d = cdef(`${recursive}
    typedef struct FILE_ FILE;
    FILE *fopen(const char *path, const char *mode);
    int fclose(FILE *f);
  `);
  const { Cell, Tree, Forest, FILE } = d.types;
  assert.deepEqual(Cell._fields_.map(([n, t]) => [n, t]), [["index", c_int], ["prev", POINTER(Cell)], ["next", POINTER(Cell)]]);
  assert.equal(Tree._fields_[1][1], POINTER(Tree).array(2));
  assert.equal(Forest._fields_[0][1], POINTER(Tree));
  const a = new Cell({ index: 1 });
  const b = new Cell({ index: 2 });
  b.prev = a;
  assert.equal(b.prev.contents.index, 1);
  // an opaque struct: a Structure class with no fields, usable behind pointers only
  assert.ok(FILE.prototype instanceof Structure);
  assert.equal(FILE.name, "FILE_");
  assert.equal(d.functions.fopen.restype, POINTER(FILE));
  assert.deepEqual(d.functions.fclose.argtypes, [POINTER(FILE)]);
  assert.throws(() => sizeof(FILE), /FILE_: _fields_ is not set/);
});

test("flexible array members take no room (T.array(0)), as GCC lays them out", () => {
  const d = assertMatchesC("struct Msg { int len; short kind; double data[]; };", { sizes: ["struct Msg"], offsets: ["struct Msg.data"] });
  assert.equal(d.types.Msg._fields_[2][1], c_double.array(0));
});

test("__attribute__((packed)) and aligned(N) on structs map to _pack_ and _align_; harmless attributes are ignored", () => {
  const decls = `
    struct __attribute__((packed)) P1 { char c; int i; short s; double d; };
    struct P2 { char c; unsigned int a : 12; unsigned int b : 12; short s; } __attribute__((__packed__));
    struct __attribute__((aligned(16))) A16 { int a; int b; };
    struct HasA16 { char c; struct A16 al; char d; };
    typedef struct __attribute__((aligned(sizeof(double) * 4), unused)) { double d; } A32;
    struct Fine { int x __attribute__((aligned(4))); char c __attribute__((packed)); long l __attribute__((deprecated("no"))); };
    struct __attribute__((scalar_storage_order("big-endian"))) BE { int a; unsigned short b; };`;
  const d = assertMatchesC(decls, {
    sizes: ["struct P1", "struct P2", "struct A16", "struct HasA16", "A32", "struct Fine", "struct BE"],
    offsets: ["struct P1.i", "struct P1.s", "struct P1.d", "struct P2.s", "struct HasA16.al", "struct HasA16.d", "struct Fine.l", "struct BE.b"],
    bits: [["struct P2", "a", 4095], ["struct P2", "b", 2049], ["struct BE", "a", 0x01020304], ["struct BE", "b", 0xa1b2]],
  });
  assert.deepEqual([d.types.P1._pack_, d.types.A16._align_, d.types.A32._align_], [1, 16, 32]);
});

// ================================================================== enum and constant expressions

test("enums: implicit and explicit values, constant expressions, the compiler's values", () => {
  const decls = `
    enum Color { RED, GREEN = 5, BLUE, ALSO_BLUE = BLUE };
    enum Flags { F_READ = 1 << 0, F_WRITE = 1 << 1, F_RW = F_READ | F_WRITE, F_ALL = ~(~0u << 4), F_HIGH = 0x80000000 };
    enum Exprs {
      E_ARITH = (3 + 4) * 2 - 10 / 3 % 2, E_NEG = -7 / 2, E_MOD = -7 % 2, E_XOR = 0xF0 ^ 0x3C, E_AND = 0xF0 & ~0x30,
      E_SHR = -16 >> 2, E_CMP = (1 < 2) + (2 <= 2) + (3 > 4) + (5 >= 5) + (6 == 6) + (7 != 7),
      E_LOGIC = (0 && (1 / 1)) + (1 || 0) * 2 + !5 + !0 * 4, E_COND = 1 ? 10 : 20, E_COND2 = 0 ? 10 : E_COND + 1,
      E_UNSIGNED_CMP = (1u - 2 > 0), E_CAST = (unsigned char)300, E_SCAST = (signed char)200, E_OCT = 017, E_BIN = 0b101,
      E_CHAR = 'A', E_ESC = '\\n', E_HEX_CHAR = '\\x7f', E_OCT_CHAR = '\\101', E_QUOTE = '\\'', E_WIDE = L'\\u0416',
      E_SIZE = sizeof(long) + sizeof(struct { char c; double d; }) + sizeof(char *) * 2 + _Alignof(double),
      E_SUFFIX = 10UL + 1LL + 2ull, E_PLUS = +3, E_NOT = ~5, E_EXT = __extension__ 4
    };
    enum Neg { N_MIN = -2147483647 - 1, N_MAX = 2147483647 };
    enum Wide { W_BIG = 0x100000000, W_NEXT };
    enum { ANON_A = 42, ANON_B };
    typedef enum { T_ONE = 1, T_TWO } two_t;`;
  const names = ["RED", "GREEN", "BLUE", "ALSO_BLUE", "F_READ", "F_WRITE", "F_RW", "F_ALL", "F_HIGH", "E_ARITH", "E_NEG", "E_MOD", "E_XOR", "E_AND",
    "E_SHR", "E_CMP", "E_LOGIC", "E_COND", "E_COND2", "E_UNSIGNED_CMP", "E_CAST", "E_SCAST", "E_OCT", "E_BIN", "E_CHAR", "E_ESC", "E_HEX_CHAR",
    "E_OCT_CHAR", "E_QUOTE", "E_WIDE", "E_SIZE", "E_SUFFIX", "E_PLUS", "E_NOT", "E_EXT", "N_MIN", "N_MAX", "W_BIG", "W_NEXT", "ANON_A", "ANON_B", "T_ONE", "T_TWO"];
  const d = assertMatchesC(decls, { constants: names, sizes: ["enum Color", "enum Flags", "enum Neg", "enum Wide", "two_t"] });
  assert.deepEqual(d.enums.Color, { RED: 0, GREEN: 5, BLUE: 6, ALSO_BLUE: 6 });
  assert.deepEqual(d.enums.two_t, { T_ONE: 1, T_TWO: 2 });
  assert.deepEqual(Object.keys(d.enums), ["Color", "Flags", "Exprs", "Neg", "Wide", "two_t"]);
  assert.equal(d.constants.ANON_B, 43);
  assert.equal(d.constants.F_HIGH, 2147483648);
  assert.equal(d.constants.W_NEXT, 4294967297);
  // the underlying type GCC gives: unsigned int without negative values, int with, 64 bits when needed
  assert.deepEqual([d.types.Color, d.types.Flags, d.types.Neg, d.types.Wide, d.types.two_t], [c_uint, c_uint, c_int, c_uint64, c_uint]);
});

test("constants in array sizes and bit widths; values beyond 2^53 are bigints", () => {
  const d = assertMatchesC(`enum { N = 4, W = 3 }; struct Sized { int a[N * 2]; char name[sizeof(int) + 1]; unsigned f : W + 1; };
    enum Huge { H = 0x7fffffffffffffff };`, { sizes: ["struct Sized"], offsets: ["struct Sized.name"], constants: ["H"] });
  assert.equal(d.types.Sized._fields_[0][1], c_int.array(8));
  assert.equal(d.types.Sized._fields_[2][2], 4);
  assert.equal(d.constants.H, 0x7fffffffffffffffn);
});

// ================================================================== GNU extensions, storage classes

test("GNU extensions are skipped safely: attributes, __extension__, __inline, asm labels, _Noreturn, static/inline bodies", () => {
  const d = cdef(`
    __extension__ typedef long long __quad_t;
    extern int printf(const char *__restrict __format, ...) __attribute__((__format__(__printf__, 1, 2), __nonnull__((1))));
    extern void exit(int __status) __attribute__((__nothrow__, __leaf__)) __attribute__((__noreturn__));
    _Noreturn void abort(void);
    extern __inline __attribute__((__gnu_inline__)) int twice(int x);
    static __inline int helper(int x) { return x * (2 + (x > 0 ? 1 : 0)); }
    static inline void nothing(void) { { } }
    inline int body(void) { return 1; }
    extern int stat64(const char *__restrict __file, void *__restrict __buf) __asm__("" "stat") __attribute__((__nonnull__(1, 2)));
    extern double strtod(const char *__nptr, char **__endptr) __asm ("strtod");
    static int hidden(int);
    __const int *konst(void);
    extern volatile unsigned long ticks __attribute__((unused));
    _Static_assert(sizeof(int) == 4, "int");
    struct __attribute__((__may_alias__)) Alias { int __attribute__((unused)) a; } __attribute__((deprecated));
    __declspec(dllimport) int imported(void);
    ;;
  `);
  assert.deepEqual(Object.keys(d.functions), ["printf", "exit", "abort", "twice", "stat64", "strtod", "konst", "imported"]);
  assert.deepEqual(d.functions.printf, { name: "printf", restype: c_int, argtypes: [c_char_p], variadic: true, paramNames: ["__format"] });
  assert.deepEqual(d.functions.stat64.argtypes, [c_char_p, c_void_p]);
  assert.deepEqual(d.functions.strtod.argtypes, [c_char_p, POINTER(c_char_p)]);
  assert.equal(d.types.__quad_t, c_longlong);
  assert.deepEqual(d.variables, { ticks: c_ulong });
  assert.equal(sizeof(d.types.Alias), 4);
});

test("attribute mode(...) on integer typedefs picks the width, as glibc's headers use it", () => {
  const decls = `typedef int register_t __attribute__ ((__mode__ (__word__)));
    typedef unsigned int u8m __attribute__((mode(QI)));
    typedef int i16m __attribute__((__mode__(__HI__)));
    typedef unsigned long u32m __attribute__((mode(SI)));
    typedef int i64m __attribute__((mode(DI)));
    struct Modes { register_t r; u8m a; i16m b; u32m c; i64m d; };`;
  const d = assertMatchesC(decls, { sizes: ["register_t", "u8m", "i16m", "u32m", "i64m", "struct Modes"], offsets: ["struct Modes.a", "struct Modes.b", "struct Modes.c", "struct Modes.d"] });
  assert.deepEqual([d.types.register_t, d.types.u8m, d.types.i16m, d.types.u32m, d.types.i64m], [sizeof(c_void_p) === 8 ? c_int64 : c_int32, c_uint8, c_int16, c_uint32, c_int64]);
  assertCdefErrors([
    ["typedef float f4 __attribute__((mode(SF)));", 1, 33, "mode", 'attribute mode(SF) on typedef "f4" is not supported (only integer modes QI, HI, SI, DI, word, pointer)'],
    ["typedef int v4si __attribute__((mode(V4SI)));", 1, 33, "mode", "attribute mode(V4SI) on typedef"],
  ]);
});

test("global variables are reported with their types; static ones are not exported", () => {
  const d = cdef("extern int counter; extern const char *names[4]; static int hidden; struct P { int x; } origin; extern double (*op)(double);");
  assert.deepEqual(d.variables, { counter: c_int, names: c_char_p.array(4), origin: d.types.P, op: CFUNCTYPE(c_double, c_double) });
});

// ================================================================== errors

/** [source, line, column, token, part of the message] for cdef() */
function assertCdefErrors(cases) {
  for (const [source, line, column, token, text] of cases) assertCDeclError(() => cdef(source), { where: "cdef()", line, column, token, text });
}

test("errors: preprocessor lines, bad characters, unterminated comments and constants", () => {
  assertCdefErrors([
    ["int x;\n#include <stdio.h>\n", 2, 1, "#include", "preprocessor directive on line 2: cdef() has no preprocessor"],
    ["/* a\n   comment */ int x;\n  # define N 3", 3, 3, "# define", "preprocessor directive on line 3"],
    ["int x @;", 1, 7, "@", 'unexpected character "@"'],
    ["int x;\n/* open", 2, 1, "/*", "unterminated comment"],
    ["enum { A = 'a };", 1, 12, "'a };", "unterminated character constant"],
  ]);
});

test("errors: declarations (unknown types, initializers, bodies, missing ';', storage classes, unsupported types)", () => {
  assertCdefErrors([
    ["int x;\n  foo_t x;", 2, 3, "foo_t", 'unknown type name "foo_t" (declare it first, or pass it in the types map)'],
    ["int f(foo_t x);", 1, 7, "foo_t", 'unknown type name "foo_t"'],
    ["int a = 3;", 1, 7, "=", 'an initializer is not a declaration (of "a")'],
    ["int f(int a) { return a; }", 1, 14, "{", 'a function definition is not a declaration: end the prototype of "f" with ";"'],
    ["int x\nint y;", 2, 1, "int", 'expected ";" or "," after the declaration of "x"'],
    ["struct S { int a; }", 1, 20, "", 'expected ";" after the definition of "struct S"'],
    ["int;", 1, 1, "int", "declaration does not declare anything"],
    ["int (*)(int);", 1, 7, ")", 'expected a name, got ")"'],
    ["static extern int x;", 1, 8, "extern", 'two storage classes ("static" and "extern")'],
    ["_Complex double z;", 1, 1, "_Complex", "complex types have no tsctypes type"],
    ["__int128 big;", 1, 1, "__int128", "__int128 has no tsctypes type"],
    ["extern void v;", 1, 13, "v", 'variable "v" cannot have type void'],
    ["extern int arr[];", 1, 12, "arr", 'variable "arr" is an array of unknown size'],
    ["int f() __attribute__((unused);", 1, 31, ";", 'expected ")" to close __attribute__(('],
    ['int f(int x) __asm__("x" ;', 1, 27, "", 'expected ")" to match "(" on line 1, column 21'],
  ]);
});

test("errors: type specifiers and typedefs", () => {
  assertCdefErrors([
    ["long long long x;", 1, 11, "long", 'invalid combination of type specifiers "long long long"'],
    ["unsigned double x;", 1, 10, "double", 'invalid combination of type specifiers "unsigned double"'],
    ["int float x;", 1, 5, "float", 'invalid combination of type specifiers "int float"'],
    ["signed unsigned x;", 1, 8, "unsigned", 'invalid combination of type specifiers "signed unsigned"'],
    ["typedef int T; T int x;", 1, 18, "int", 'two types in one declaration ("T" and "int")'],
    ["typedef int T;\ntypedef long T;", 2, 14, "T", 'conflicting redefinition of typedef "T"'],
    ["typedef short size_t;", 1, 15, "size_t", 'typedef "size_t" does not match the standard size_t (c_size_t)'],
    ["typedef int v4 __attribute__((vector_size(16)));", 1, 31, "vector_size", 'attribute "vector_size" on typedef "v4" changes the type in a way tsctypes cannot express'],
  ]);
});

test("errors: prototypes, parameters and declarators", () => {
  assertCdefErrors([
    ["int f(void, int);", 1, 7, "void", 'parameter 1 has type void (only "(void)" alone means no parameters)'],
    ["int f(int a,\n      void);", 2, 7, "void", "parameter 2 has type void"],
    ["int f(int a)[3];", 1, 6, "(", "a function cannot return an array"],
    ["int f(int a)(int);", 1, 6, "(", "a function cannot return a function"],
    ["int a[3](int);", 1, 6, "[", "an array of functions is not a C type (use an array of function pointers)"],
    ["void a[3];", 1, 7, "[", "an array of void is not a C type"],
    ["int f(int a[*]);", 1, 13, "*", "variable-length arrays have no fixed type"],
    ["int f(int a,);", 1, 13, ")", "expected a type in the parameter"],
    ["int f(int a", 1, 12, "", 'expected ")" or "," after parameter 1'],
    ["typedef int (*fp)(int, ...);", 1, 15, "fp", "a pointer to a variadic function has no CFUNCTYPE type"],
    ["struct S f(void);", 1, 10, "f", "the return type of f() has the incomplete type S: define it, or pass a pointer"],
    ["struct S;\nvoid g(int a, struct S s);", 2, 24, "s", "parameter 2 of g() has the incomplete type S"],
  ]);
  // a struct passed by value may be defined after the prototype
  assert.deepEqual(cdef("struct S;\nvoid g(struct S s);\nstruct S { int a; };").functions.g.argtypes.map((t) => t.name), ["S"]);
  for (const [text, line, column, token, message] of [
    ["int x", 1, 5, "x", '"x" is not a function: expected a prototype like "int add(int a, int b)"'],
    ["int (*fp)(int)", 1, 7, "fp", '"fp" is not a function'],
    ["int f(int) int", 1, 12, "int", "expected the end of the declaration"],
    ["Vec2 f(void)", 1, 1, "Vec2", 'unknown type name "Vec2"'],
    ["", 1, 1, "", "expected a type in the declaration"],
  ])
    assertCDeclError(() => parsePrototype(text), { where: "parsePrototype()", line, column, token, text: message });
  assertCDeclError(() => parsePrototype("int f(x)", {}, "lib.func()"), { where: "lib.func()", line: 1, column: 7, token: "x", text: 'unknown type name "x"' });
});

test("errors: struct and union definitions, members, bit fields, layout attributes", () => {
  assertCdefErrors([
    ["struct S s2;\nstruct S { int a; };", 1, 10, "s2", 'variable "s2" has the incomplete type S: define it first, or use a pointer'],
    ["struct S { int a; };\nstruct S { int b; };", 2, 1, "struct", "redefinition of struct S"],
    ["struct S { int a; };\nunion S *p;", 2, 1, "union", '"S" was declared as a struct, not as a union'],
    ["struct S {\n  int a;\n  int a;\n};", 3, 7, "a", 'duplicate member "a" in S'],
    ["struct S { float f : 3; };", 1, 18, "f", 'bit field member "f" of S must have an integer type, not c_float'],
    ["struct S { int f : 33; };", 1, 20, "33", 'width 33 of member "f" of S exceeds its type (32 bits)'],
    ["struct S { int f : 0; };", 1, 20, "0", 'zero-width bit field "f" must be unnamed'],
    ["struct S { int f : -1; };", 1, 20, "-", "bit-field width must be a non-negative integer, got -1"],
    ["struct S { int a[]; int b; };", 1, 16, "a", 'member "a" of S is an array of unknown size'],
    ["struct S { void v; };", 1, 17, "v", 'member "v" of S cannot have type void'],
    ["struct S { struct T t; };", 1, 21, "t", 'member "t" of S has the incomplete type T: define it first, or use a pointer'],
    ["struct S { int a;", 1, 18, "", 'expected "}" to close the struct opened on line 1'],
    ["struct { int b };", 1, 16, "}", 'expected ";" or "," after the member "b"'],
    ["struct S { int; };", 1, 12, "int", "member declaration does not declare anything"],
    ["struct S { static int x; };", 1, 12, "static", '"static" is not allowed in a member'],
    ["struct", 1, 7, "", 'expected a tag name or "{" after "struct"'],
    ["struct S { int x __attribute__((aligned(16))); };", 1, 33, "aligned", 'attribute "aligned" on member "x" of S changes its layout: tsctypes can express packed and aligned only on a whole struct or union'],
    ["struct S { int x; } __attribute__((aligned(3)));", 1, 36, "aligned", "alignment 3 is not a power of two"],
    ["struct S { int x; } __attribute__((aligned));", 1, 36, "aligned", '"aligned" without a value depends on the target: write aligned(N)'],
    ["struct __attribute__((ms_struct)) S { int x; };", 1, 23, "ms_struct", 'attribute "ms_struct" changes the layout in a way tsctypes cannot express'],
  ]);
});

test("errors: enums and constant expressions", () => {
  assertCdefErrors([
    ["enum E { A, B, A };", 1, 16, "A", 'redefinition of enumerator "A"'],
    ["enum E { A = 1 / 0 };", 1, 16, "/", "division by zero in a constant expression"],
    ["enum E { A = 5 % (2 - 2) };", 1, 16, "%", "division by zero in a constant expression"],
    ["enum E { A = 1 << 32 };", 1, 16, "<<", "shift count 32 is out of range for a 32-bit operand"],
    ["enum E { A = B };", 1, 14, "B", '"B" is not a constant declared earlier (only enumerators can be used in constant expressions)'],
    ["enum E { A = 1.5 };", 1, 14, "1.5", "a floating constant is not an integer constant expression"],
    ["enum E { A = 'ab' };", 1, 14, "'ab'", "a multi-character constant has an implementation-defined value"],
    ["enum E { A = '\\xff' };", 1, 14, "'\\xff'", "character constant '\\xff' depends on whether char is signed: write the number"],
    ["enum E { A = '\\q' };", 1, 14, "'\\q'", 'unknown escape sequence "\\q"'],
    ["enum E { A = 99999999999999999999999 };", 1, 14, "99999999999999999999999", "integer constant is too large for any integer type"],
    ["enum E { A = 10q };", 1, 14, "10q", "invalid integer constant"],
    ["enum E { A = 10lul };", 1, 14, "10lul", 'invalid suffix "lul" on an integer constant'],
    ["enum E { A = sizeof 3 };", 1, 21, "3", "sizeof takes a type in parentheses here: sizeof(T)"],
    ["enum E { A = (double)1 };", 1, 14, "(", "a cast in a constant expression must be to an integer type, not c_double"],
    ["enum E { A = (1 + 2 };", 1, 21, "}", 'expected ")" to close the parenthesised expression'],
    ["enum { A = 1 ? 2 };", 1, 18, "}", 'expected ":" in the conditional expression of line 1, column 14'],
    ["enum E { A = };", 1, 14, "}", "expected an integer constant expression"],
    ["enum E { };", 1, 1, "enum", "an enum needs at least one enumerator"],
    ["enum E x;", 1, 1, "enum", "enum E is not defined (an enum cannot be declared before its values)"],
    ["enum E { A };\nenum E { B };", 2, 1, "enum", "redefinition of enum E"],
    ["struct E { int a; };\nenum E { B };", 2, 1, "enum", '"E" was declared as a struct, not as an enum'],
    ["enum __attribute__((packed)) E { A };", 1, 21, "packed", 'attribute "packed" changes the size of the enum: not supported'],
    ["enum E { A } x y;", 1, 16, "y", 'expected ";" or "," after the declaration of "x"'],
  ]);
});

test("preprocessed system headers (glibc's sys/stat.h, signal.h, netinet/in.h, dirent.h, termios.h, time.h) give the compiler's layouts", {
  // (AArch64's signal.h holds the FP/SIMD registers in its ucontext as __uint128_t: no tsctypes type, a CDeclError by design)
  skip: process.arch === "arm64" && "glibc's AArch64 signal.h declares __uint128_t members, which cdef refuses by design",
}, () => {
  const includes = ["sys/stat.h", "signal.h", "netinet/in.h", "dirent.h", "termios.h", "time.h"].map((h) => `#include <${h}>`).join("\n");
  const pre = spawnSync(process.env.CC || "cc", ["-E", "-P", "-"], { input: includes, encoding: "utf8" });
  assert.equal(pre.status, 0, pre.stderr);
  const d = cdef(pre.stdout);
  const sizes = ["struct stat", "struct sigaction", "siginfo_t", "struct sockaddr_in6", "struct dirent", "struct termios", "struct tm", "struct timespec", "sigset_t"];
  const offsets = ["struct stat.st_mtim", "struct stat.st_size", "struct sigaction.sa_mask", "struct sigaction.sa_flags", "siginfo_t._sifields",
    "struct sockaddr_in6.sin6_addr", "struct sockaddr_in6.sin6_scope_id", "struct dirent.d_name", "struct termios.c_cc", "struct tm.tm_gmtoff"];
  assertAgreesWithC(d, probe(includes, { sizes, offsets }), { sizes, offsets });
  assert.deepEqual(d.functions.nanosleep.argtypes, [POINTER(d.types.timespec), POINTER(d.types.timespec)]);
  assert.equal(d.functions.signal.restype, CFUNCTYPE(null, c_int));
});

// ================================================================== end to end: real C through types made by cdef

test("end to end: structs by value, a self-referential list, an anonymous union, bit fields and a callback, all declared by cdef", () => {
  const structs = new CDLL(fixture("structs"));
  const d = cdef(`
    /* the declarations of test/fixtures/structs.c, as a header would give them */
    struct D2 { double x, y; };
    struct Rect { struct D2 min, max; };
    double rect_area(struct Rect r);
    struct Rect rect_grow(struct Rect r, double by);
    typedef struct Cell Cell;
    struct Cell { int index; int length; Cell *prev; };
    Cell *cell_chain(int n);
    long cell_walk(const Cell *c, int *count);
    void cell_free_chain(Cell *c);
    struct Tagged { int kind; union { int i; double d; char s[8]; }; int tail; };
    double tagged_value(const struct Tagged *t);
    void tagged_set_double(struct Tagged *t, double d);
    struct Bits {
      int s3 : 3; unsigned int u5 : 5; int s7 : 7; unsigned int u17 : 17; unsigned char c2 : 2; int : 0; int z4 : 4;
      long long s40 : 40; unsigned long long u24 : 24; unsigned long long u64 : 64; long long s33 : 33; unsigned char tail;
    };
    void bits_set(struct Bits *b, int which, long long v);
    long long bits_get(const struct Bits *b, int which);
    long c_sizeof(const char *type);
    long c_offsetof(const char *type, const char *field);
    long byvalue_sizeof(int which);
  `);
  const bind = (lib, name) => {
    const p = d.functions[name];
    return lib.func(p.name, p.restype, p.argtypes);
  };
  const { Rect, Cell, Tagged, Bits } = d.types;
  // layouts as the fixture's compiler reports them
  for (const [cname, type] of [["struct Cell", Cell], ["struct Tagged", Tagged], ["struct Bits", Bits]])
    assert.equal(sizeof(type), bind(structs, "c_sizeof")(cname), `sizeof(${cname})`);
  assert.equal(sizeof(Rect), bind(structs, "byvalue_sizeof")(8), "sizeof(struct Rect)"); // 8: its place in structs.c's BYVALUE_TYPES
  for (const f of ["kind", "i", "d", "s", "tail"]) assert.equal(fieldInfo(Tagged, f).offset, bind(structs, "c_offsetof")("struct Tagged", f), `offsetof(struct Tagged, ${f})`);

  // by value, in and out
  const r = new Rect({ min: { x: 1, y: 2 }, max: { x: 4, y: 6 } });
  assert.equal(bind(structs, "rect_area")(r), 12);
  const grown = bind(structs, "rect_grow")(r, 0.5);
  assert.ok(grown instanceof Rect);
  assert.deepEqual(grown.toObject(), { min: { x: 0.5, y: 1.5 }, max: { x: 4.5, y: 6.5 } });

  // a list C builds, walked from JS through POINTER(Cell) and by C through the same type
  const last = bind(structs, "cell_chain")(3);
  assert.deepEqual([last.contents.index, last.contents.prev.contents.length, last.contents.prev.contents.prev.contents.prev.isNull()], [2, 10, true]);
  const count = c_int();
  assert.equal(bind(structs, "cell_walk")(last, count), 2 * 1000 + 20 + 1000 + 10 + 0);
  assert.equal(count.value, 3);
  bind(structs, "cell_free_chain")(last);

  // the anonymous union's members, promoted
  const t = new Tagged({ kind: 0, i: 41 });
  assert.equal(bind(structs, "tagged_value")(t), 41);
  bind(structs, "tagged_set_double")(t, 2.75);
  assert.deepEqual([t.kind, t.d, t.tail], [1, 2.75, 99]);

  // bit fields written by C, read by JS, and the other way round
  const b = new Bits();
  bind(structs, "bits_set")(b, 0, -3n);
  bind(structs, "bits_set")(b, 6, -549755813887n);
  b.u17 = 99999;
  b.z4 = 5;
  assert.deepEqual([b.s3, b.s40], [-3, -549755813887n]);
  assert.deepEqual([bind(structs, "bits_get")(b, 3), bind(structs, "bits_get")(b, 5)], [99999n, 5n]);

  // a function-pointer parameter: CFUNCTYPE from the prototype, a JS callback through it
  const threads = new CDLL(fixture("threads"));
  const cb = parsePrototype("double cb_double(double (*f)(double), double x)");
  const call = threads.func(cb.name, cb.restype, cb.argtypes);
  const square = new cb.argtypes[0]((x) => x * x);
  assert.equal(call(square, 1.5), 2.25);
  square.close();
});
