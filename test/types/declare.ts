// Compile-time tests of lib.func(prototype) and lib.bind(cdef(...)) (run by `npm test` with tsc --noEmit):
// the type TypeScript reads from the C text must be exactly the one lib.func(name, restype, argtypes) gives.
import {
  CDLL, cdef, c_int, c_uint, c_double, c_float, c_char, c_byte, c_ubyte, c_short, c_ushort, c_long, c_ulong, c_longlong, c_ulonglong,
  c_longdouble, c_bool, c_char_p, c_wchar_p, c_void_p, c_int8, c_uint16, c_int64, c_uint64, c_size_t, c_ssize_t, c_time_t, c_wchar,
  POINTER, CFUNCTYPE, Structure, struct, CDeclTypeError, ForeignFunction, VariadicArg,
} from "tsctypes";

/** Exact type equality (not mere assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A, B>(_proof: Equal<A, B>): void {}

const lib = new CDLL("./libx.so");

const Vec2 = struct({ x: c_double, y: c_double });
class Node extends Structure {
  static override _fields_ = [["value", c_int]];
}
const Visit = CFUNCTYPE(c_int, c_int);

// 1. scalars, named and unnamed parameters
expectType<typeof add, typeof addRef>(true);
const add = lib.func("int add(int a, int b)");
const addRef = lib.func("add", c_int, [c_int, c_int]);
// 2. whitespace of any kind, trailing semicolon
expectType<typeof add2, typeof addRef>(true);
const add2 = lib.func(`int
  add ( int ,	int );`);
// 3. 64-bit: bigint, as c_int64 / c_uint64 give
const add64 = lib.func("int64_t add64(int64_t a)");
expectType<typeof add64, typeof add64Ref>(true);
const add64Ref = lib.func("add64", c_int64, [c_int64]);
// 4. every spelling of long long
expectType<typeof ll, ReturnType<typeof llRef>>(true);
const ll = lib.func("long long unsigned int f(long long a, signed long long b, unsigned long long c, uint64_t d)")(1n, 2n, 3n, 4n);
const llRef = lib.func("f", c_ulonglong, [c_longlong, c_longlong, c_ulonglong, c_uint64]);
expectType<typeof spellings, typeof spellingsRef>(true);
const spellings = lib.func("unsigned f(short s, unsigned short us, long unsigned lu, short int si, long double ld, signed char sc, unsigned char uc, char c)");
const spellingsRef = lib.func("f", c_uint, [c_short, c_ushort, c_ulong, c_short, c_longdouble, c_byte, c_ubyte, c_char]);
// 5. strings and pointers
expectType<typeof strs, typeof strsRef>(true);
const strs = lib.func("const char *f(char *s, const char* t, wchar_t *w, void *p, const void * restrict q)");
const strsRef = lib.func("f", c_char_p, [c_char_p, c_char_p, c_wchar_p, c_void_p, c_void_p]);
expectType<typeof ptrs, typeof ptrsRef>(true);
const ptrs = lib.func("int **f(int *p, char **argv, double a[], unsigned char buf[16], void **out, long *l)");
const ptrsRef = lib.func("f", POINTER(POINTER(c_int)), [POINTER(c_int), POINTER(c_char_p), POINTER(c_double), POINTER(c_ubyte), POINTER(c_void_p), POINTER(c_long)]);
// 6. standard typedefs
expectType<typeof std, typeof stdRef>(true);
const std = lib.func("size_t f(ssize_t a, time_t t, int8_t b, uint16_t c, wchar_t w, _Bool x, bool y, float z)");
const stdRef = lib.func("f", c_size_t, [c_ssize_t, c_time_t, c_int8, c_uint16, c_wchar, c_bool, c_bool, c_float]);
// 7. void result, (void) and () parameters
expectType<typeof none, typeof noneRef>(true);
const none = lib.func("void f(void)");
const noneRef = lib.func("f", null, []);
expectType<typeof empty, typeof noneRef>(true);
const empty = lib.func("void f()");
expectType<ReturnType<typeof none>, void>(true);
// 8. names from the type map: structs by value and behind pointers, callbacks
expectType<typeof vadd, typeof vaddRef>(true);
const vadd = lib.func("Vec2 vec2_add(Vec2 a, const Vec2 *b)", { Vec2 });
const vaddRef = lib.func("vec2_add", Vec2, [Vec2, POINTER(Vec2)]);
expectType<typeof walk, typeof walkRef>(true);
const walk = lib.func("int walk(struct Node *head, visit_fn f, Node **out)", { Node, visit_fn: Visit });
const walkRef = lib.func("walk", c_int, [POINTER(Node), Visit, POINTER(POINTER(Node))]);
// 9. variadic: the declared parameters, then values typed per call
expectType<Parameters<typeof printf>, [c_char_p_in, ...VariadicArg[]]>(true);
type c_char_p_in = Parameters<typeof strsRef>[0];
const printf = lib.func("int printf(const char *fmt, ...)");
printf("%d %s %f\n", 1, "x", 2.5, 3n);
// 10. sixteen parameters stay cheap
expectType<typeof sixteen, typeof sixteenRef>(true);
const sixteen = lib.func(
  "double f(int a1, double a2, int a3, double a4, int a5, double a6, int a7, double a8, int a9, double a10, int a11, double a12, int a13, double a14, int a15, const char *a16)",
);
const sixteenRef = lib.func("f", c_double, [c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_double, c_int, c_char_p]);
// 11. a name neither C's nor in the map: a readable error type, as the run time throws
expectType<typeof unknownName, CDeclTypeError<`unknown type name "foo_t" (declare it first, or pass it in the types map)`>>(true);
const unknownName = lib.func("foo_t f(int a)");
expectType<typeof notVoidAlone, CDeclTypeError<`"void" must be the only parameter`>>(true);
const notVoidAlone = lib.func("int f(int a, void)");
// 12. syntax only the run time reads: a general function
expectType<typeof fnptrParam, ForeignFunction>(true);
const fnptrParam = lib.func("int qsort_like(void *base, int (*cmp)(const void *, const void *))");
// 13. a prototype only known at run time
const text: string = "int add(int, int)";
expectType<typeof general, ForeignFunction>(true);
const general = lib.func(text);
// 14. .async keeps the signature
expectType<ReturnType<typeof add.async>, Promise<number>>(true);

// misuse
// @ts-expect-error a string is not an int
add(1, "2");
// @ts-expect-error two parameters
add(1);
// @ts-expect-error two parameters
add(1, 2, 3);
// @ts-expect-error the result is a number
const notString: string = add(1, 2);
// @ts-expect-error 64-bit results are bigint
const notNumber: number = add64(1n);
// @ts-expect-error void f(void) takes nothing
none(1);
// @ts-expect-error a char* is not a number
strs(1, "t", "w", null, null);
// @ts-expect-error the format must be a string
printf(1, 2);
// @ts-expect-error an unknown type name: not callable
unknownName(1);
// @ts-expect-error the map must hold tsctypes types
lib.func("Vec2 f(void)", { Vec2: 1 });
// @ts-expect-error a prototype takes a type map, not a result type
lib.func(text, c_int);
// @ts-expect-error a symbol name still needs restype and argtypes
lib.func("add", c_int);

// lib.bind(cdef(...)): names and types read from the block
const decls = cdef(
  `
  /* a small API */
  typedef struct Point { int x, y; } Point;
  struct Ops { int (*op)(int, int); size_t (*len)(const char *s); };
  int add(int a, int b);   // comment
  const char *name(void);
  extern double scale(double v, unsigned int n);
  void log_it(const char *fmt, ...);
  Point make_point(int x, int y);
  static inline int helper(void) { return 1; }
  `,
);
const bound = lib.bind(decls);
expectType<typeof bound.add, typeof addRef>(true);
expectType<typeof bound.name, ForeignFunction<(...args: readonly []) => string | null>>(true);
expectType<typeof bound.scale, typeof scaleRef>(true);
const scaleRef = lib.func("scale", c_double, [c_double, c_uint]);
expectType<Parameters<typeof bound.log_it>, [c_char_p_in, ...VariadicArg[]]>(true);
// a block-defined type is read at run time only: a general function
expectType<typeof bound.make_point, ForeignFunction>(true);
expectType<keyof typeof bound, "add" | "name" | "scale" | "log_it" | "make_point">(true);
// @ts-expect-error not declared
bound.helper;
const partial = lib.bind(decls, { skipMissing: true });
expectType<typeof partial.add, typeof addRef | undefined>(true);
// the type map given to cdef is read too
const withMap = lib.bind(cdef("Vec2 vec2_add(Vec2 a, Vec2 b);", { Vec2 }));
expectType<typeof withMap.vec2_add, typeof vaddByValueRef>(true);
const vaddByValueRef = lib.func("vec2_add", Vec2, [Vec2, Vec2]);

void [add, add2, add64, ll, spellings, strs, ptrs, std, none, empty, vadd, walk, printf, sixteen, unknownName, notVoidAlone, fnptrParam, general, notString, notNumber, bound, partial, withMap, vaddByValueRef, c_float];
