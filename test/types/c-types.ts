// Compile-time tests: the TypeScript types catch what a C compiler would (issue 13).
// Each @ts-expect-error line must be an error; `expectType<T>()(value)` compiles only when value's type is exactly T.
import {
  CDLL, Structure, struct, POINTER, pointer, byref, cast, malloc, create_string_buffer, create_unicode_buffer,
  c_bool, c_char, c_wchar, c_byte, c_ubyte, c_short, c_int, c_int8, c_int16, c_int32, c_uint, c_uint32, c_long, c_ulong,
  c_longlong, c_int64, c_uint64, c_size_t, c_ssize_t, c_float, c_double, c_char_p, c_wchar_p, c_void_p,
} from "tsctypes";
import type { ArrayInstance, ArrayOf, PointerInstance, PointerTo, SimpleType } from "tsctypes";

type Equals<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
/** `expectType<T>()(value)` compiles only when `value`'s type is exactly `T`. */
function expectType<Expected>() {
  return <Actual>(_value: Actual, ..._exact: Equals<Actual, Expected> extends true ? [] : ["the type differs from the expected one"]) => {};
}

const lib = new CDLL("./libx.so");

// ---------------------------------------------------------------- 1. each C scalar type is its own type

const add = lib.func("add", c_int, [c_int, c_int]);
add(2, 1);
add(2n, 1);
add(c_int(2), 1);
add(c_int32(2), 1); // int32_t is int
// @ts-expect-error a c_double is not an int
add(c_double(2), 1);
// @ts-expect-error nor is a float
add(c_float(2), 1);
// @ts-expect-error unsigned int is another type (the run time refuses it too)
add(c_uint(2), 1);
// @ts-expect-error long is another type
add(c_long(2), 1);
// @ts-expect-error a char is not an int here
add(c_char("a"), 1);

const takesIntPtr = lib.func("takes_int_ptr", null, [POINTER(c_int)]);
takesIntPtr(pointer(c_int(1)));
takesIntPtr(c_int.array(3)());
takesIntPtr(byref(c_int()));
takesIntPtr(byref(c_int.array(3)(), 4));
takesIntPtr(new Int32Array(3));
takesIntPtr(null);
takesIntPtr(c_int(1)); // by reference, as ctypes does
takesIntPtr(pointer(c_int32(1)));
takesIntPtr(c_int32.array(3)());
takesIntPtr(byref(c_int32()));
takesIntPtr(POINTER(c_int32)());
takesIntPtr(malloc(12)); // untyped memory, like a void *
takesIntPtr(new ArrayBuffer(12));
takesIntPtr(c_void_p(0));
// @ts-expect-error a pointer to double is not a pointer to int
takesIntPtr(pointer(c_double(1)));
// @ts-expect-error an array of double is not an array of int
takesIntPtr(c_double.array(3)());
// @ts-expect-error byref of a double is not an int *
takesIntPtr(byref(c_double()));
// @ts-expect-error a Float64Array holds doubles
takesIntPtr(new Float64Array(3));
// @ts-expect-error a Uint32Array holds unsigned ints
takesIntPtr(new Uint32Array(3));
// @ts-expect-error a Uint8Array holds bytes
takesIntPtr(new Uint8Array(12));
// @ts-expect-error unsigned int * is another pointer type
takesIntPtr(pointer(c_uint(1)));
// @ts-expect-error a pointer to a pointer is not an int *
takesIntPtr(pointer(pointer(c_int(1))));
// @ts-expect-error a double instance is not an int
takesIntPtr(c_double(1));
// @ts-expect-error a raw address needs c_void_p or cast()
takesIntPtr(0x1000);
// @ts-expect-error a JS array is not C memory
takesIntPtr([1, 2, 3]);

// the same rules for pointer fields, contents and elements
const IntPtr = POINTER(c_int);
const ip = IntPtr(c_int(5));
ip.contents = c_int32(6);
// @ts-expect-error contents of an int * is an int
ip.contents = c_double(6);
expectType<number>()(ip[0]);
expectType<c_int>()(ip.contents);
// @ts-expect-error POINTER(c_int)'s constructor takes an int
IntPtr(c_double(5));

// the element TypedArray of each type, and only it
lib.func("d", null, [POINTER(c_double)])(new Float64Array(2));
lib.func("f", null, [POINTER(c_float)])(new Float32Array(2));
lib.func("u", null, [POINTER(c_uint32)])(new Uint32Array(2));
lib.func("s", null, [POINTER(c_short)])(new Int16Array(2));
lib.func("b", null, [POINTER(c_byte)])(new Int8Array(2));
lib.func("ub", null, [POINTER(c_ubyte)])(new Uint8Array(2));
lib.func("q", null, [POINTER(c_int64)])(new BigInt64Array(2));
lib.func("z", null, [POINTER(c_size_t)])(new BigUint64Array(2));
lib.func("c", null, [POINTER(c_char)])(new Uint8Array(2));
lib.func("c", null, [POINTER(c_char)])(c_char_p("text"));
// @ts-expect-error Float32Array for double *
lib.func("d", null, [POINTER(c_double)])(new Float32Array(2));
// @ts-expect-error Int32Array for double *
lib.func("d", null, [POINTER(c_double)])(new Int32Array(2));
// @ts-expect-error long is 4 or 8 bytes by platform: no TypedArray matches it everywhere
lib.func("l", null, [POINTER(c_long)])(new BigInt64Array(2));
// @ts-expect-error a char * string is not an int *
takesIntPtr(c_char_p("text"));

// compatible types are the same type; the others are not, as for a C compiler on every supported platform
expectType<SimpleType<c_int>>()(c_int32);
expectType<SimpleType<c_byte>>()(c_int8);
expectType<SimpleType<c_short>>()(c_int16);
expectType<c_int>()(c_int32(1));
const takesLongLongPtr = lib.func("ll", null, [POINTER(c_longlong)]);
takesLongLongPtr(pointer(c_longlong(1)));
// @ts-expect-error int64_t is long on Linux, not long long
takesLongLongPtr(pointer(c_int64(1)));
const takesSizePtr = lib.func("sz", null, [POINTER(c_size_t)]);
takesSizePtr(pointer(c_size_t(1)));
// @ts-expect-error size_t is not unsigned long everywhere
takesSizePtr(pointer(c_ulong(1)));
// @ts-expect-error nor is ssize_t size_t
takesSizePtr(pointer(c_ssize_t(1)));
// @ts-expect-error uint64_t is not size_t everywhere
takesSizePtr(pointer(c_uint64(1)));

// pointers to pointers
const takesIntPtrPtr = lib.func("pp", null, [POINTER(POINTER(c_int))]);
takesIntPtrPtr(pointer(pointer(c_int(1))));
takesIntPtrPtr(byref(pointer(c_int(1))));
// @ts-expect-error double ** is not int **
takesIntPtrPtr(pointer(pointer(c_double(1))));

// an array parameter decays to a pointer, as in C
const takesIntArray = lib.func("arr", c_int, [c_int.array(4)]);
takesIntArray(c_int.array(4)());
takesIntArray(new Int32Array(4));
// @ts-expect-error an array of double for an int[4] parameter
takesIntArray(c_double.array(4)());

// char *, wchar_t *, void *
const strlen = lib.func("strlen", c_size_t, [c_char_p]);
strlen("hello");
strlen(new Uint8Array([65, 0]));
strlen(create_string_buffer("hi"));
strlen(c_char_p("hi"));
strlen(null);
// @ts-expect-error an int array is not a char *
strlen(c_int.array(3)());
// @ts-expect-error a wide string buffer is not a char *
strlen(create_unicode_buffer("hi"));
// @ts-expect-error a Float64Array is not a char *
strlen(new Float64Array(2));
const wcslen = lib.func("wcslen", c_size_t, [c_wchar_p]);
wcslen("wide");
wcslen(create_unicode_buffer("wide"));
// @ts-expect-error a char buffer is not a wchar_t *
wcslen(create_string_buffer("narrow"));
const takesVoidPtr = lib.func("vp", null, [c_void_p]);
takesVoidPtr(new Float64Array(2)); // void * takes any memory
takesVoidPtr(pointer(c_double(1)));
takesVoidPtr(0x1000);
takesVoidPtr(null);
// @ts-expect-error text belongs in a char *
takesVoidPtr("text");

// instances and values keep their types
expectType<c_double>()(c_double(2));
expectType<number>()(c_double(2).value);
expectType<bigint>()(c_int64(2).value);
expectType<string>()(c_char("a").value);
expectType<string | null>()(c_char_p("a").value);
expectType<boolean>()(c_bool(1).value);
expectType<string>()(c_wchar("a").value);
expectType<Int32Array>()(c_int.array(2)().typed);
expectType<Float64Array>()(c_double.array(2)().typed);
expectType<BigInt64Array | Int32Array>()(c_long.array(2)().typed);
expectType<PointerTo<c_double>>()(pointer(c_double(1)));
expectType<PointerInstance<typeof c_double>>()(pointer(c_double(1)));
expectType<ArrayOf<c_int>>()(c_int32.array(2)());
expectType<c_int>()(cast(c_void_p(0), POINTER(c_int)).contents);
// @ts-expect-error a c_int variable holds c_int instances only
const notInt: c_int = c_double(1);
// the fixed-width names are types too
const i16: c_int16 = c_short(1);
const i8: c_int8 = c_byte(1);
void [notInt, i16, i8];

// ---------------------------------------------------------------- 3. char array fields are strings

const D = struct({ id: c_int, name: c_char.array(16), wide: c_wchar.array(8), ints: c_int.array(2) });
const d = new D({ name: "x", wide: "w" });
expectType<string>()(d.name);
expectType<string>()(d.wide);
expectType<ArrayInstance<SimpleType<c_int>>>()(d.ints);
d.name = "renamed";
new D(1, "positional");
new D({ ints: [1, 2] });
new D({ ints: new Int32Array(2) });
// @ts-expect-error a string field has no .value
d.name.value;
// @ts-expect-error the field holds text
d.name = 5;
// @ts-expect-error an int array takes no string
new D({ ints: "12" });
// @ts-expect-error a string has no such property
d.name.length.toFixed(2).value;
// .value of character arrays (not fields) is the string; other arrays have none
expectType<string>()(c_char.array(4)().value);
expectType<string>()(create_string_buffer(4).value);
expectType<never>()(c_int.array(4)().value);

// ---------------------------------------------------------------- 4. elements and contents of structure classes

class Point extends Structure {
  static override _fields_ = [["x", c_int], ["y", c_int]] as const;
  declare x: number;
  declare y: number;
  norm1(): number {
    return Math.abs(this.x) + Math.abs(this.y);
  }
}
class Vec extends struct({ x: c_double, y: c_double }) {
  length(): number {
    return Math.hypot(this.x, this.y);
  }
}
const PointPtr = POINTER(Point);
const pp = PointPtr(new Point());
expectType<Point>()(pp[0]);
expectType<Point>()(pp.contents);
expectType<number>()(pp[1].norm1());
const points = Point.array(3)();
expectType<Point>()(points[0]);
expectType<Point[]>()(points.toArray());
expectType<Point>()(pointer(new Point()).contents);
const vecs = Vec.array(2)();
expectType<Vec>()(vecs[1]);
expectType<Vec>()(POINTER(Vec)(new Vec()).contents);
expectType<number>()(POINTER(Vec)(new Vec())[0].length());
const getPoint = lib.func("get_point", Point, []);
expectType<Point>()(getPoint());
const getPointPtr = lib.func("get_point_ptr", POINTER(Point), []);
expectType<Point>()(getPointPtr()[2]);
expectType<PointerTo<Point>>()(pointer(new Point()));
expectType<PointerInstance<typeof Point>>()(pointer(new Point()));
// a structure field of a structure class type reads as that class
const Line = struct({ from: Point, to: Point, dir: Vec });
expectType<Point>()(new Line().from);
expectType<Vec>()(new Line().dir);
new Line({ from: new Point(), to: { x: 1, y: 2 } });
// @ts-expect-error a field that Point doesn't have
pp[0].z;

// ---------------------------------------------------------------- 5. POINTER(Struct) takes structure memory only

const takesPointPtr = lib.func("point_sum", c_int, [POINTER(Point)]);
takesPointPtr(new Point());
takesPointPtr(byref(new Point()));
takesPointPtr(pointer(new Point()));
takesPointPtr(Point.array(2)());
takesPointPtr(getPointPtr());
takesPointPtr(malloc(8));
takesPointPtr(null);
// @ts-expect-error a Float64Array is not a struct Point *
takesPointPtr(new Float64Array(2));
// @ts-expect-error nor an Int32Array
takesPointPtr(new Int32Array(2));
// @ts-expect-error an int * is not a struct Point *
takesPointPtr(pointer(c_int(1)));
// @ts-expect-error a plain object is not C memory for a pointer
takesPointPtr({ x: 1, y: 2 });

// structures made by struct() are told apart by their field types
const IntPair = struct({ x: c_int, y: c_int });
const DoublePair = struct({ x: c_double, y: c_double });
const takesIntPair = lib.func("int_pair", null, [POINTER(IntPair)]);
takesIntPair(pointer(new IntPair()));
takesIntPair(new IntPair({ x: 1 }));
// @ts-expect-error struct { double x, y; } * is not struct { int x, y; } *
takesIntPair(pointer(new DoublePair()));
// @ts-expect-error by reference neither
takesIntPair(new DoublePair());
const takesPairValue = lib.func("int_pair_value", c_int, [IntPair]);
takesPairValue({ x: 1, y: 2 });
takesPairValue(new IntPair());
// @ts-expect-error a structure of other field types by value
takesPairValue(new DoublePair());
expectType<Point>()(Point.from_address(0x1000));
expectType<Vec>()(Vec.from_buffer(new ArrayBuffer(16)));
