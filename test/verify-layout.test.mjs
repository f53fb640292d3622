// verifyLayout: the C compiler's layout of test/fixtures/structs.c compared with tsctypes' for the same types.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Structure, cdef, c_char, c_double, c_int, c_short, c_uint, verifyLayout } from "tsctypes";

const structsC = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "structs.c");

test("the fixtures' structs, unions, bit fields, anonymous members and aligned types agree with the C compiler", () => {
  const { types } = cdef(`
    struct Point { int x; int y; };
    struct Inner { int x; short y; };
    union IntFloat { int i; float f; };
    struct Outer { char tag; struct Inner inner; int arr[4]; union IntFloat u; int *ip; char name[8]; const char *label; double d; };
    struct Bits {
      int s3 : 3; unsigned int u5 : 5; int s7 : 7; unsigned int u17 : 17; unsigned char c2 : 2; int : 0; int z4 : 4;
      long long s40 : 40; unsigned long long u24 : 24; unsigned long long u64 : 64; long long s33 : 33; unsigned char tail;
    };
    struct __attribute__((aligned(16))) Al16 { int a; int b; };
    struct HasAl16 { char c; struct Al16 al; char d; };
    struct __attribute__((aligned(32))) Al32 { double d; };
    struct Tagged { int kind; union { int i; double d; char s[8]; }; int tail; };
    struct Nest2 { char c; struct { int pad; struct { short x, y; }; }; };
    struct Cell { int index; int length; struct Cell *prev; };
    union UBits { unsigned int a : 3; int b : 5; unsigned char c; };
    struct WideB { wchar_t w[4]; _Bool flag; float f; };
    struct BF { unsigned int a : 4; unsigned int b : 12; int c : 16; unsigned short d : 3; };
    struct LD { long double x; int n; };
    typedef struct { const char *type; long size, align; } SizeEntry;
  `);
  assert.equal(Object.keys(types).length, 16);
  assert.deepEqual(verifyLayout(types, { headers: [structsC] }), []);
});

test("ctypes-style classes: _pack_ matches #pragma pack", () => {
  class Packed1 extends Structure {}
  Packed1._pack_ = 1;
  Packed1._fields_ = [["c", c_char], ["i", c_int], ["s", c_short], ["d", c_double]];
  class PackedBits extends Structure {}
  PackedBits._pack_ = 1;
  PackedBits._fields_ = [["c", c_char], ["a", c_uint, 12], ["b", c_uint, 12], ["s", c_short]];
  assert.deepEqual(verifyLayout({ "struct Packed1": Packed1, PackedBits }, { headers: [structsC] }), []);
});

test("a type that disagrees with C is reported field by field", () => {
  const { types } = cdef(`
    struct Point { int x; short y; };
    struct Inner { int x; long y; };
    struct Bits { int s3 : 4; };
  `);
  assert.deepEqual(verifyLayout({ "struct Point": types.Point, Inner: types.Inner, Bits: types.Bits }, { headers: [structsC] }), [
    { type: "struct Point", field: "y", property: "size", c: 4, tsctypes: 2 },
    { type: "struct Inner", property: "size", c: 8, tsctypes: 16 },
    { type: "struct Inner", property: "align", c: 4, tsctypes: 8 },
    { type: "struct Inner", field: "y", property: "offset", c: 4, tsctypes: 8 },
    { type: "struct Inner", field: "y", property: "size", c: 2, tsctypes: 8 },
    { type: "struct Bits", property: "size", c: 40, tsctypes: 4 },
    { type: "struct Bits", property: "align", c: 8, tsctypes: 4 },
    { type: "struct Bits", field: "s3", property: "bits", c: "0+3", tsctypes: "0+4" },
  ]);
});

test("bad input: not a structure class, a field C does not have, headers missing", () => {
  assert.throws(() => verifyLayout({ Point: c_int }, { headers: [structsC] }), { name: "TypeError", message: 'verifyLayout(): types["Point"]: expected a Structure or Union class, got function c_int' });
  assert.throws(() => verifyLayout({}, {}), { name: "TypeError", message: "verifyLayout(): options.headers must be an array of header names" });
  const { types } = cdef("struct Point { int x; int z; };");
  assert.throws(() => verifyLayout(types, { headers: [structsC] }), { message: /^verifyLayout\(\): the probe did not compile:\n[^]*has no member named .z./ });
  assert.throws(() => verifyLayout(types, { headers: ["no_such_header_here.h"] }), { message: /^verifyLayout\(\): the probe did not compile:\n[^]*no_such_header_here\.h/ });
});
