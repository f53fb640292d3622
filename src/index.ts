/**
 * tsctypes — Python's ctypes for Node.js. The public face (docs/api.md); the
 * implementation lives in types/ (C type model), abi/ (the platform's calling
 * convention), data/ (C data objects), call/ (marshallers) and library/ (loading).
 */
import { CTYPE, CTypeLike, ELEMENT, InstanceOf, JS_IN, JsIn, JsOut, Self } from "./types/ctype";
import { CData as CDataImpl } from "./data/cdata";
import { SimpleCData as SimpleImpl, simpleTypes } from "./data/simple";
import { ArrayCData, ARRAY as arrayOf } from "./data/array";
import { ByRef, POINTER as pointerTypeImpl, PointerCData, byref, cast as castImpl, pointer as pointerImpl } from "./data/pointer";
import * as ops from "./data/ops";
import {

  Structure as StructureImpl,
  Union as UnionImpl,
  BigEndianStructure as BigEndianStructureImpl,
  LittleEndianStructure as LittleEndianStructureImpl,
  BigEndianUnion as BigEndianUnionImpl,
  LittleEndianUnion as LittleEndianUnionImpl,
  FieldTuple,
  StructOptions,
  fieldInfo as fieldInfoImpl,
  makeStructClass,
} from "./data/struct";
import { getErrno, setErrno } from "./call/slab";
import { CFUNCTYPE as CFUNCTYPEImpl, FunctionPointerCData } from "./call/callback";
import { ErrCheck, ForeignFunction as ForeignFunctionImpl, FuncOptions } from "./call/function";
import { BindOptions, CDLL as CDLLImpl, CDLLOptions, DEFAULT_MODE, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW, RTLD_LAZY, RTLD_DEEPBIND } from "./library/cdll";
import { find_library } from "./library/find_library";

export { ArgumentError, LibraryLoadError, SymbolNotFoundError, NullPointerError } from "./errors";
export { find_library, DEFAULT_MODE, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW, RTLD_LAZY, RTLD_DEEPBIND, byref, ByRef };
export type { CTypeLike, JsIn, JsOut, CDLLOptions, ErrCheck, FuncOptions, FieldTuple, StructOptions };
export { Allocation } from "./data/ops";
export { runtimeInfo } from "./library/runtime";
export type { RuntimeInfo } from "./library/runtime";
export type { ActiveEntries, EntryName } from "./call/entries";
export type { RuntimeName } from "./native";
import { cdef as cdefImpl } from "./cdecl";
import type { CDeclarations, CTypeMap } from "./cdecl";
import type { CDeclTypeError, DECLARED_PROTOTYPES, Mapped, ParsedPrototype, ParsePrototype, PointerDescriptor, PrototypesOfBlock } from "./cdecl/types";
export { parsePrototype, CDeclError } from "./cdecl";
export type { CDeclarations, CPrototype, CTypeMap, SourcePosition } from "./cdecl";
export type { BindOptions, CDeclTypeError, ParsePrototype, PrototypesOfBlock };

// ---------------------------------------------------------------- public types

/** Any C data object. */
export type CData = CDataImpl;
export const CData = CDataImpl;

/**
 * Instance of a fundamental type: `.value` reads and writes the C value. Each C type's instances (the
 * interfaces `c_int`, `c_double`, ...) narrow `[CTYPE]` to their C type, so they don't mix, as in C.
 */
export interface SimpleInstance<V, In = V> extends CDataImpl {
  value: V;
  /** the C type, as the name of its type object (`"c_int"`); for TypeScript only (no such property at run time) */
  readonly [CTYPE]: string;
  /** what the type's constructor accepts; for TypeScript only */
  readonly [JS_IN]?: In;
}

/** Methods every type object has (`this`: the type they are called on, a Structure subclass included). */
export interface TypeStatics<I> {
  readonly prototype: I;
  /** The array type of `length` elements (ctypes' `T * length`). */
  array<T>(this: T, length: number): ArrayType<T>;
  from_address<T>(this: T, address: number | bigint): InstanceOf<T>;
  from_buffer<T>(this: T, source: ArrayBuffer | ArrayBufferView | CDataImpl, offset?: number): InstanceOf<T>;
  from_buffer_copy<T>(this: T, source: ArrayBuffer | ArrayBufferView | CDataImpl, offset?: number): InstanceOf<T>;
  in_dll<T>(this: T, library: CDLL, name: string): InstanceOf<T>;
  /** ctypes' `T.from_param(value)`: what passing `value` for a parameter of this type passes, or an ArgumentError */
  from_param(value: unknown): unknown;
}

type SimpleIn<I> = I extends { readonly [JS_IN]?: infer In } ? In : never;

/** A fundamental type like `c_int`, whose instances are `I` (the interface `c_int`): callable with or without `new`. */
export interface SimpleType<I extends SimpleInstance<unknown, unknown>> extends CTypeLike<SimpleIn<I> | I, I["value"]>, TypeStatics<I> {
  (value?: SimpleIn<I>): I;
  new (value?: SimpleIn<I>): I;
  /** the type stored big-endian / little-endian (itself where that is the native order; not on pointer types and c_longdouble) */
  readonly __ctype_be__: SimpleType<I>;
  readonly __ctype_le__: SimpleType<I>;
}

type Int = number | bigint;
type AnyBinary = ArrayBuffer | ArrayBufferView;
/** Values accepted where C expects an address. */
export type AddressLike = number | bigint | null | CDataImpl | AnyBinary | ByRef | ForeignFunctionImpl | ops.Allocation;
/** Memory without an element type, accepted for any pointer as C converts a `void *` to any object pointer. */
export type UntypedMemory = ArrayBuffer | ops.Allocation | c_void_p;

export type { InstanceOf };

/** What reading an element of C type `I` (an instance type) gives: a fundamental type's value, else the C data object. */
export type ElementValue<I> = I extends SimpleInstance<infer V, unknown> ? V : I;

/** Per C type: the TypedArray over the elements of an array of it (`.typed`). */
interface ElementViews {
  c_bool: Uint8Array;
  c_char: Uint8Array;
  c_byte: Int8Array;
  c_ubyte: Uint8Array;
  c_short: Int16Array;
  c_ushort: Uint16Array;
  c_int: Int32Array;
  c_uint: Uint32Array;
  c_long: BigInt64Array | Int32Array;
  c_ulong: BigUint64Array | Uint32Array;
  c_longlong: BigInt64Array;
  c_ulonglong: BigUint64Array;
  c_size_t: BigUint64Array;
  c_ssize_t: BigInt64Array;
  c_time_t: BigInt64Array;
  c_int64: BigInt64Array;
  c_uint64: BigUint64Array;
  c_float: Float32Array;
  c_double: Float64Array;
}

type CTypeName<I> = I extends { readonly [CTYPE]: infer C } ? C : never;
/** The TypedArray `.typed` gives for an array of C type `I` (never: none, as for structures). */
export type ElementArray<I> = CTypeName<I> extends infer C extends keyof ElementViews ? ElementViews[C] : never;
/**
 * The TypedArray a pointer to C type `I` accepts: the one whose elements are that C type on every platform
 * (none for `long`, 4 or 8 bytes by platform); `char *` also takes an Int8Array.
 */
type ElementArrayArg<I> = CTypeName<I> extends "c_long" | "c_ulong" ? never : CTypeName<I> extends "c_char" ? Uint8Array | Int8Array : ElementArray<I>;
/** The TypedArray `.typed` gives for arrays of type object `T`. */
export type TypedArrayOf<T> = ElementArray<InstanceOf<T>>;

/** What an element of C type `I` accepts when written: the type's JS input, or an instance. */
type ElementIn<I> = I extends SimpleInstance<unknown, unknown> ? SimpleIn<I> | I : I;

type IsCharacter<I> = [I] extends [c_char | c_wchar] ? true : false;

/** An array of C type `I` (instances of `T.array(n)`, for which `ArrayInstance<T>` is the same type). */
export interface ArrayOf<I> extends CDataImpl, Iterable<ElementValue<I>> {
  [index: number]: ElementValue<I>;
  readonly length: number;
  /** zero-copy TypedArray over the elements (numeric element types) */
  readonly typed: ElementArray<I>;
  toArray(): ElementValue<I>[];
  /** ctypes' `a[start:end]`: the element values (negative counts from the end, like Array.prototype.slice) */
  slice(start?: number, end?: number): ElementValue<I>[];
  /** ctypes' `a[offset:offset + n] = values`: write elements from an iterable or TypedArray; they must fit */
  set(values: Iterable<ElementIn<I>> | ArrayLike<ElementIn<I>>, offset?: number): void;
  /** c_char / c_wchar arrays: the string up to the first NUL */
  value: IsCharacter<I> extends true ? string : never;
  /** the bytes (a copy) */
  raw: Uint8Array;
  /** the element type; for TypeScript only (no such property at run time) */
  readonly [ELEMENT]: I;
}
/** Instances of `T.array(n)`. */
export type ArrayInstance<T> = ArrayOf<InstanceOf<T>>;

/** What an array field or element accepts: an array of its type, the elements (a JS array, TypedArray or iterable), a string for character arrays. */
export type ArrayIn<T> = ArrayOf<InstanceOf<T>> | Iterable<JsIn<T>> | ArrayLike<JsIn<T>> | (IsCharacter<InstanceOf<T>> extends true ? string : never);

/** `T.array(n)`: callable with or without `new`, elements as arguments. */
export interface ArrayType<T> extends CTypeLike<ArrayIn<T>, ArrayOf<InstanceOf<T>>>, TypeStatics<ArrayOf<InstanceOf<T>>> {
  (...values: JsIn<T>[]): ArrayOf<InstanceOf<T>>;
  new (...values: JsIn<T>[]): ArrayOf<InstanceOf<T>>;
  /** fill from an iterable or TypedArray (the bulk path) */
  from(values: Iterable<JsIn<T>> | ArrayLike<JsIn<T>>): ArrayOf<InstanceOf<T>>;
  readonly length: number;
}

/** A pointer to C type `I` (instances of `POINTER(T)`, for which `PointerInstance<T>` is the same type). */
export interface PointerTo<I> extends CDataImpl {
  [index: number]: ElementValue<I>;
  /** the pointed-to object (a view); NULL throws NullPointerError */
  contents: I;
  /** the address held (0 = NULL) */
  readonly value: number;
  isNull(): boolean;
  /** ctypes' `p[start:end]`: the values of elements start..end-1 */
  slice(start: number, end: number): ElementValue<I>[];
}
/** Instances of POINTER(T). */
export type PointerInstance<T> = PointerTo<InstanceOf<T>>;

/**
 * What a parameter or field of type pointer to `I` accepts (an array parameter decays to one): a pointer to
 * `I`, an `I` (by reference), an array of `I`, `byref()` of either, the TypedArray of `I`'s elements,
 * untyped memory, NULL. `char *` also takes a `c_char_p`.
 */
export type PointerArg<I> =
  | PointerTo<I>
  | I
  | ArrayOf<I>
  | ByRef<Extract<I | ArrayOf<I>, CDataImpl>>
  | ElementArrayArg<I>
  | UntypedMemory
  | ([I] extends [c_char] ? c_char_p : never)
  | null;

export interface PointerType<T> extends CTypeLike<PointerArg<InstanceOf<T>>, PointerTo<InstanceOf<T>>>, TypeStatics<PointerTo<InstanceOf<T>>> {
  (target?: InstanceOf<T> | null): PointerTo<InstanceOf<T>>;
  new (target?: InstanceOf<T> | null): PointerTo<InstanceOf<T>>;
}

// ---------------------------------------------------------------- fundamental types

// Each fundamental type is a value (the type object) and, like a class, a type (its instances): `c_int(5)` is a
// `c_int`. The brand is the C type: c_int32 is c_int (int32_t is int on every supported platform), c_int64 and
// c_longlong are not (int64_t is long on Linux).

/** `_Bool` */
export interface c_bool extends SimpleInstance<boolean, unknown> {
  readonly [CTYPE]: "c_bool";
}
/** `char`, as a one-character string */
export interface c_char extends SimpleInstance<string, string | number> {
  readonly [CTYPE]: "c_char";
}
/** `wchar_t`, as a one-character string */
export interface c_wchar extends SimpleInstance<string, string | number> {
  readonly [CTYPE]: "c_wchar";
}
/** `signed char` (also `int8_t`: c_int8) */
export interface c_byte extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_byte";
}
/** `unsigned char` (also `uint8_t`: c_uint8) */
export interface c_ubyte extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_ubyte";
}
/** `short` (also `int16_t`: c_int16) */
export interface c_short extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_short";
}
/** `unsigned short` (also `uint16_t`: c_uint16) */
export interface c_ushort extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_ushort";
}
/** `int` (also `int32_t`: c_int32) */
export interface c_int extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_int";
}
/** `unsigned int` (also `uint32_t`: c_uint32) */
export interface c_uint extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_uint";
}
/** `long` */
export interface c_long extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_long";
}
/** `unsigned long` */
export interface c_ulong extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_ulong";
}
/** `long long` */
export interface c_longlong extends SimpleInstance<bigint, Int> {
  readonly [CTYPE]: "c_longlong";
}
/** `unsigned long long` */
export interface c_ulonglong extends SimpleInstance<bigint, Int> {
  readonly [CTYPE]: "c_ulonglong";
}
/** `size_t` */
export interface c_size_t extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_size_t";
}
/** `ssize_t` */
export interface c_ssize_t extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_ssize_t";
}
/** `time_t` */
export interface c_time_t extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_time_t";
}
/** `int64_t` */
export interface c_int64 extends SimpleInstance<bigint, Int> {
  readonly [CTYPE]: "c_int64";
}
/** `uint64_t` */
export interface c_uint64 extends SimpleInstance<bigint, Int> {
  readonly [CTYPE]: "c_uint64";
}
/** `float` */
export interface c_float extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_float";
}
/** `double` */
export interface c_double extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_double";
}
/** `long double` */
export interface c_longdouble extends SimpleInstance<number, Int> {
  readonly [CTYPE]: "c_longdouble";
}
/** `char *` (NUL-terminated): a string (copied), bytes, a char array or pointer, NULL */
export interface c_char_p extends SimpleInstance<string | null, string | Uint8Array | ArrayOf<c_char> | PointerTo<c_char> | c_char_p | c_void_p | null> {
  readonly [CTYPE]: "c_char_p";
}
/** `wchar_t *` (NUL-terminated): a string (copied), a wchar array or pointer, NULL */
export interface c_wchar_p extends SimpleInstance<string | null, string | ArrayOf<c_wchar> | PointerTo<c_wchar> | c_wchar_p | c_void_p | null> {
  readonly [CTYPE]: "c_wchar_p";
}
/** `void *`: any address */
export interface c_void_p extends SimpleInstance<number | null, AddressLike> {
  readonly [CTYPE]: "c_void_p";
}
export type c_int8 = c_byte;
export type c_uint8 = c_ubyte;
export type c_int16 = c_short;
export type c_uint16 = c_ushort;
export type c_int32 = c_int;
export type c_uint32 = c_uint;

const t = simpleTypes;
export const c_bool = t.c_bool as SimpleType<c_bool>;
export const c_char = t.c_char as SimpleType<c_char>;
export const c_wchar = t.c_wchar as SimpleType<c_wchar>;
export const c_byte = t.c_byte as SimpleType<c_byte>;
export const c_ubyte = t.c_ubyte as SimpleType<c_ubyte>;
export const c_short = t.c_short as SimpleType<c_short>;
export const c_ushort = t.c_ushort as SimpleType<c_ushort>;
export const c_int = t.c_int as SimpleType<c_int>;
export const c_uint = t.c_uint as SimpleType<c_uint>;
export const c_long = t.c_long as SimpleType<c_long>;
export const c_ulong = t.c_ulong as SimpleType<c_ulong>;
export const c_longlong = t.c_longlong as SimpleType<c_longlong>;
export const c_ulonglong = t.c_ulonglong as SimpleType<c_ulonglong>;
export const c_size_t = t.c_size_t as SimpleType<c_size_t>;
export const c_ssize_t = t.c_ssize_t as SimpleType<c_ssize_t>;
export const c_time_t = t.c_time_t as SimpleType<c_time_t>;
export const c_int8 = t.c_int8 as SimpleType<c_int8>;
export const c_uint8 = t.c_uint8 as SimpleType<c_uint8>;
export const c_int16 = t.c_int16 as SimpleType<c_int16>;
export const c_uint16 = t.c_uint16 as SimpleType<c_uint16>;
export const c_int32 = t.c_int32 as SimpleType<c_int32>;
export const c_uint32 = t.c_uint32 as SimpleType<c_uint32>;
export const c_int64 = t.c_int64 as SimpleType<c_int64>;
export const c_uint64 = t.c_uint64 as SimpleType<c_uint64>;
export const c_float = t.c_float as SimpleType<c_float>;
export const c_double = t.c_double as SimpleType<c_double>;
export const c_longdouble = t.c_longdouble as SimpleType<c_longdouble>;
export const c_char_p = t.c_char_p as SimpleType<c_char_p>;
export const c_wchar_p = t.c_wchar_p as SimpleType<c_wchar_p>;
export const c_void_p = t.c_void_p as SimpleType<c_void_p>;

/** ctypes' abstract base of the fundamental types (for instanceof checks). */
export const SimpleCData = SimpleImpl;
export { ArrayCData, PointerCData };

// ---------------------------------------------------------------- pointers and arrays

/** The pointer type to `type` (cached). `POINTER(null)` is `c_void_p`. */
export function POINTER<T extends CTypeLike>(type: T): PointerType<T>;
export function POINTER(type: null): typeof c_void_p;
export function POINTER(type: CTypeLike | null): unknown {
  return pointerTypeImpl(type);
}

/** A new pointer to `obj` (keeps it alive). */
export function pointer<I extends CDataImpl>(obj: I): PointerTo<I> {
  return pointerImpl(obj) as never;
}

/** `ARRAY(T, n)` is `T.array(n)`. */
export function ARRAY<T extends CTypeLike>(type: T, length: number): ArrayType<T> {
  return arrayOf(type, length) as ArrayType<T>;
}

/** Reinterpret C data or an address as a pointer-like type. */
export function cast<T extends CTypeLike>(obj: AddressLike, type: T): InstanceOf<T> {
  return castImpl(obj, type) as InstanceOf<T>;
}

export const sizeof: (typeOrObject: CTypeLike | CDataImpl) => number = ops.sizeof;
export const alignment: (typeOrObject: CTypeLike | CDataImpl) => number = ops.alignment;
export const addressof: (obj: CDataImpl) => number = ops.addressof;
export const memmove: (dst: AddressLike, src: AddressLike, count: number) => number = ops.memmove;
export const memset: (dst: AddressLike, byte: number, count: number) => number = ops.memset;
export const string_at: (address: AddressLike, size?: number) => string = ops.string_at;
export const wstring_at: (address: AddressLike, size?: number) => string = ops.wstring_at;
export const buffer_at: (address: AddressLike, size: number) => Uint8Array = ops.buffer_at;
export const create_string_buffer = ops.create_string_buffer as (init: string | Uint8Array | number, size?: number) => ArrayOf<c_char>;
export const create_unicode_buffer = ops.create_unicode_buffer as (init: string | number, size?: number) => ArrayOf<c_wchar>;
export const resize: (obj: CDataImpl, size: number) => void = ops.resize;
export const malloc: (size: number) => ops.Allocation = ops.malloc;
export const free: (memory: ops.Allocation | CDataImpl | number | bigint) => void = ops.free;

/** ctypes' private errno copy for libraries loaded with `use_errno: true`. */
export function get_errno(): number {
  return getErrno();
}
/** Set the private errno copy; returns the old value. */
export function set_errno(value: number): number {
  if (!Number.isInteger(value)) throw new TypeError(`set_errno(): expected an integer, got ${String(value)}`);
  return setErrno(value);
}

// ---------------------------------------------------------------- structures and unions

/** Methods of every structure or union instance. */
export interface StructMethods {
  /** a plain JS copy of the fields (nested structures as objects, arrays as arrays) */
  toObject(): Record<string, unknown>;
  toJSON(): Record<string, unknown>;
}

/** The static side of a Structure / Union class: layout attributes and type methods. */
export interface StructStatics<I> extends TypeStatics<I> {
  /** `[name, type]` or `[name, type, bits]` entries (checked when the type is first used) */
  _fields_?: readonly (readonly unknown[])[];
  _pack_?: number;
  _align_?: number;
  _anonymous_?: readonly string[];
}

/** A structure type usable wherever a C type is expected (argtypes, fields, POINTER, arrays). */
export interface StructureClass<I extends CDataImpl = CDataImpl> extends CTypeLike<I | Record<string, unknown>, I>, StructStatics<I> {
  new (...args: never[]): I;
}

type StructBaseCtor = abstract new (...args: unknown[]) => CDataImpl & StructMethods;
/** `Self`: a subclass's fields and elements are its own instances (`POINTER(Point)[0]` is a `Point`). */
type StructBaseType = StructBaseCtor & StructStatics<CDataImpl & StructMethods> & CTypeLike<Self | Record<string, unknown>, Self>;

/** Base class of C structs: `class P extends Structure { static _fields_ = [["x", c_int]]; declare x: number }`. */
export const Structure = StructureImpl as unknown as StructBaseType;
/** Base class of C unions (every field at offset 0). */
export const Union = UnionImpl as unknown as StructBaseType;
/** Structs stored big-endian / little-endian whatever the platform. */
export const BigEndianStructure = BigEndianStructureImpl as unknown as StructBaseType;
export const LittleEndianStructure = LittleEndianStructureImpl as unknown as StructBaseType;
export const BigEndianUnion = BigEndianUnionImpl as unknown as StructBaseType;
export const LittleEndianUnion = LittleEndianUnionImpl as unknown as StructBaseType;
export type Structure = CDataImpl & StructMethods;
export type Union = CDataImpl & StructMethods;

/** A field spec of `struct({...})`: a type, or `[type, bits]` for a bit field. */
export type FieldSpec = CTypeLike | readonly [CTypeLike, number];
type FieldType<S> = S extends readonly [infer T, number] ? T : S;
/** What reading a field of type `T` gives: its JS value; a c_char or c_wchar array field reads as a string. */
type FieldOut<T> = T extends ArrayType<infer E> ? (IsCharacter<InstanceOf<E>> extends true ? string : ArrayOf<InstanceOf<E>>) : JsOut<T>;
/** The JS shape of a struct's fields: what reading each field gives. */
export type FieldValues<M> = { -readonly [K in keyof M]: FieldOut<FieldType<M[K]>> };
/** What each field accepts when constructing or assigning. */
export type FieldInits<M> = { [K in keyof M]?: JsIn<FieldType<M[K]>> } & PlainObject;
/** A plain object, not C data (a structure of another type is not an initializer, also at run time). */
type PlainObject = { readonly [CTYPE]?: never };
/** Instance of a `struct({...})` type; its C type is its field map, so structures of other field types don't mix. */
export type StructInstance<M> = CDataImpl & StructMethods & FieldValues<M> & { readonly [CTYPE]: M };

/** The class made by `struct({...})`: `new V({ x: 1 })`, `new V(1, 2)`, `new V()`; extendable with `class P extends struct({...}) {}`. */
export interface StructType<M> extends CTypeLike<Self | FieldInits<M>, Self>, StructStatics<StructInstance<M>> {
  new (init?: FieldInits<M>): StructInstance<M>;
  new (...values: JsIn<FieldType<M[keyof M]>>[]): StructInstance<M>;
}

/** A structure type from a field map; TypeScript infers the instance type: `struct({ x: c_double }).prototype.x` is a number. */
export function struct<const M extends Record<string, FieldSpec>>(fields: M, options: StructOptions = {}): StructType<M> {
  return makeStructClass(fields, options, false) as unknown as StructType<M>;
}

/** A union type from a field map. */
export function union<const M extends Record<string, FieldSpec>>(fields: M, options: StructOptions = {}): StructType<M> {
  return makeStructClass(fields, options, true) as unknown as StructType<M>;
}

/** Layout of one field: `{ offset, size, bit_offset?, bit_size? }`. */
export function fieldInfo(type: CTypeLike, name: string): { offset: number; size: number; bit_offset?: number; bit_size?: number } {
  return fieldInfoImpl(type, name);
}


// ---------------------------------------------------------------- function pointers and callbacks

/** ctypes' `_as_parameter_`: an object passed as the value of that property (which may nest). */
export interface AsParameter<T> {
  readonly _as_parameter_: T | AsParameter<T>;
}
/** ctypes' argument adapter: any class or object with a static `from_param` may stand in argtypes. */
export interface ParamAdapter<In = never> {
  from_param(value: In): unknown;
}
/**
 * What an argtypes entry accepts: a type's JS input (an array parameter decays to a pointer, as in C),
 * or an adapter's from_param input.
 */
type ArgIn<T> = T extends ArrayType<infer E>
  ? PointerArg<InstanceOf<E>>
  : T extends CTypeLike<infer I, unknown>
    ? unknown extends I ? AdapterIn<T> : JsIn<T>
    : AdapterIn<T>;
type AdapterIn<T> = T extends { from_param(value: infer V): unknown } ? V : never;
type ArgsIn<A extends readonly unknown[]> = { [K in keyof A]: ArgIn<A[K]> | AsParameter<ArgIn<A[K]>> };
type ArgsOut<A extends readonly unknown[]> = { [K in keyof A]: JsOut<A[K]> };

/** An instance of a CFUNCTYPE type: callable from JS, and a C function pointer for C. */
export type FunctionPointer<R, A extends readonly unknown[]> = ((...args: ArgsIn<A>) => JsOut<R>) &
  CDataImpl & {
    /** the C address of the function */
    readonly address: number;
    /** the signature calls through the pointer use: settable on pointers to C functions, fixed for callbacks */
    restype: CTypeLike | null;
    argtypes: readonly CTypeLike[];
    /** callbacks: release; later calls from C are reported and return zero */
    close(): void;
    readonly closed: boolean;
    [Symbol.dispose](): void;
  };

/** A JS function usable as a callback of this type. */
export type CallbackFunction<R, A extends readonly unknown[]> = (...args: ArgsOut<A>) => JsIn<R> | (R extends null ? void : never);

/** `CFUNCTYPE(restype, ...argtypes)`: `Proto(jsFunction)` is a C-callable callback, `Proto(address)` calls a C function pointer. */
/** A function pointer object as a value (not called): what a CFUNCTYPE parameter accepts besides a JS function. */
export type FunctionPointerValue = CDataImpl & { readonly address: number };

export interface FunctionPointerType<R, A extends readonly unknown[]>
  extends CTypeLike<FunctionPointerValue | CallbackFunction<R, A> | number | null, FunctionPointer<R, A>>,
    TypeStatics<FunctionPointer<R, A>> {
  (target: CallbackFunction<R, A> | number | bigint | null): FunctionPointer<R, A>;
  new (target: CallbackFunction<R, A> | number | bigint | null): FunctionPointer<R, A>;
  /** the function `name` exported by `library` */
  (symbol: readonly [name: string, library: CDLL]): FunctionPointer<R, A>;
  new (symbol: readonly [name: string, library: CDLL]): FunctionPointer<R, A>;
  /** with ctypes' paramflags: inputs by position, by name (a trailing object) or default; outputs are the result */
  (symbol: readonly [name: string, library: CDLL], paramflags: readonly ParamFlag[]): FunctionPointerValue & ((...args: unknown[]) => unknown);
  new (symbol: readonly [name: string, library: CDLL], paramflags: readonly ParamFlag[]): FunctionPointerValue & ((...args: unknown[]) => unknown);
}

/** One parameter of a paramflags declaration: `[flag]`, `[flag, name]` or `[flag, name, default]`; flag 1 input, 2 output, 4 input defaulting to 0. */
export type ParamFlag = readonly [flag: 0 | 1 | 2 | 4, name?: string | null, defaultValue?: unknown];

/** The function pointer type `restype (*)(argtypes...)`. */
export function CFUNCTYPE<R extends CTypeLike | null, const A extends readonly CTypeLike[]>(restype: R, ...argtypes: A): FunctionPointerType<R, A> {
  return CFUNCTYPEImpl(restype, ...argtypes) as FunctionPointerType<R, A>;
}
export { FunctionPointerCData };

// ---------------------------------------------------------------- libraries and functions

/** A foreign function with ctypes-style attributes; typed call signature `F`. */
export type ForeignFunction<F extends (...args: never[]) => unknown = (...args: unknown[]) => unknown> = F & {
  argtypes: readonly CTypeLike[] | null;
  restype: CTypeLike | null;
  errcheck: ErrCheck | null;
  /** run synchronous calls on a helper thread while this thread services callbacks from other threads */
  threads: boolean;
  /** true: the C function may call back into JS; false: never; null (default): inferred from its argtypes (docs/performance.md) */
  reentrant: boolean | null;
  readonly address: number;
  /** the same call on the libuv thread pool: the event loop keeps running */
  async(...args: Parameters<F>): Promise<ReturnType<F>>;
};

// ---------------------------------------------------------------- declaring from C text

/** The fundamental types by the names the type-level C reader (cdecl/types.ts) gives them. */
interface FundamentalTypes {
  c_bool: typeof c_bool; c_char: typeof c_char; c_wchar: typeof c_wchar; c_byte: typeof c_byte; c_ubyte: typeof c_ubyte;
  c_short: typeof c_short; c_ushort: typeof c_ushort; c_int: typeof c_int; c_uint: typeof c_uint; c_long: typeof c_long;
  c_ulong: typeof c_ulong; c_longlong: typeof c_longlong; c_ulonglong: typeof c_ulonglong; c_size_t: typeof c_size_t;
  c_ssize_t: typeof c_ssize_t; c_time_t: typeof c_time_t; c_int8: typeof c_int8; c_uint8: typeof c_uint8; c_int16: typeof c_int16;
  c_uint16: typeof c_uint16; c_int32: typeof c_int32; c_uint32: typeof c_uint32; c_int64: typeof c_int64; c_uint64: typeof c_uint64;
  c_float: typeof c_float; c_double: typeof c_double; c_longdouble: typeof c_longdouble; c_char_p: typeof c_char_p;
  c_wchar_p: typeof c_wchar_p; c_void_p: typeof c_void_p;
}
/** The type object a descriptor of the type-level C reader stands for (`PointerDescriptor<"c_int">` → `PointerType<typeof c_int>`). */
type TypeOfDescriptor<D> = D extends keyof FundamentalTypes ? FundamentalTypes[D] : D extends PointerDescriptor<infer T> ? PointerType<TypeOfDescriptor<T>> : D extends Mapped<infer T> ? T : never;
type TypesOfDescriptors<A extends readonly unknown[]> = { [K in keyof A]: TypeOfDescriptor<A[K]> };
/** What a variadic function takes after its declared parameters (typed per call from the value, as without argtypes). */
export type VariadicArg = number | bigint | string | boolean | null | CDataImpl | ByRef | AnyBinary | ops.Allocation;
/**
 * The function `lib.func(prototype)` makes: the type `lib.func(name, restype, argtypes)` gives for the same
 * types; a CDeclTypeError naming what the run time will refuse; a general ForeignFunction for syntax only the
 * run time reads (function-pointer parameters, attributes).
 */
export type PrototypeFunction<P> =
  P extends ParsedPrototype<string, infer R, infer A, infer V>
    ? ForeignFunction<(...args: V extends true ? [...ArgsIn<TypesOfDescriptors<A>>, ...VariadicArg[]] : ArgsIn<TypesOfDescriptors<A>>) => JsOut<R extends "void" ? null : TypeOfDescriptor<R>>>
    : P extends CDeclTypeError<string>
      ? P
      : ForeignFunction;

/** What `cdef(source)` returns, carrying the prototypes TypeScript read from a literal source (for `lib.bind`). */
export type Declarations<S extends string = string, M = {}> = string extends S ? CDeclarations : CDeclarations & { readonly [DECLARED_PROTOTYPES]?: PrototypesOfBlock<S, M> };
/** `lib.bind(declarations)`: a function per prototype, typed from cdef's literal source where TypeScript could read it. */
export type BoundFunctions<D> = D extends { readonly [DECLARED_PROTOTYPES]?: infer P } ? (unknown extends P ? Record<string, ForeignFunction> : { [K in keyof P]: PrototypeFunction<P[K]> }) : Record<string, ForeignFunction>;

/** Parse a block of C declarations into tsctypes types, enums, constants, prototypes and variables (docs/declarations.md). */
export const cdef = cdefImpl as <const S extends string, const M extends CTypeMap = {}>(source: S, types?: M) => Declarations<S, M>;

/** A loaded library: symbols are properties (`lib.add`), plus `func`, `close`, ... */
export interface CDLL {
  readonly name: string | null;
  readonly closed: boolean;
  /** A function from a C prototype: `lib.func("int add(int a, int b)")` is `(a: number, b: number) => number`; other type names come from `types`. */
  func<const S extends `${string}(${string}`, const M extends CTypeMap = {}>(prototype: S, types?: M, options?: FuncOptions): PrototypeFunction<ParsePrototype<S, M>>;
  /** A function with a fixed signature: `lib.func("add", c_int, [c_int, c_int])` is `(a: number, b: number) => number`. */
  func<R extends CTypeLike | null, const A extends readonly (CTypeLike | ParamAdapter)[]>(
    name: string,
    restype: R,
    argtypes: A,
    options?: FuncOptions,
  ): ForeignFunction<(...args: ArgsIn<A>) => JsOut<R>>;
  /** A prototype only known at run time (not a string literal): a general function. */
  func(prototype: string, types?: CTypeMap, options?: FuncOptions): ForeignFunction;
  /** The prototypes of `cdef(source)` as functions; symbols the library lacks are a SymbolNotFoundError, or left out with `skipMissing`. */
  bind<D extends CDeclarations>(declarations: D, options: BindOptions & { skipMissing: true }): Partial<BoundFunctions<D>>;
  bind<D extends CDeclarations>(declarations: D, options?: BindOptions): BoundFunctions<D>;
  /** The ctypes-style function object (same as `lib[name]`). */
  function(name: string): ForeignFunction;
  /** Address of an exported symbol. */
  symbolAddress(name: string): number;
  close(): void;
  [Symbol.dispose](): void;
  [symbol: string]: ForeignFunction | unknown;
}

export interface CDLLConstructor {
  new (name: string | URL | null, options?: CDLLOptions): CDLL & Record<string, ForeignFunction>;
  (name: string | URL | null, options?: CDLLOptions): CDLL & Record<string, ForeignFunction>;
}

/** Load a shared library by path or soname (`null` = the running program). */
export const CDLL = new Proxy(CDLLImpl, {
  apply: (target, _this, args: [string | URL | null, CDLLOptions?]) => new target(...args),
}) as unknown as CDLLConstructor;

/** ctypes' `cdll.LoadLibrary(name)`. */
export const cdll = {
  LoadLibrary(name: string | URL | null, options?: CDLLOptions): CDLL & Record<string, ForeignFunction> {
    return new CDLL(name, options);
  },
};
export { verifyLayout } from "./layout-verify";
export type { LayoutMismatch, VerifyLayoutOptions } from "./layout-verify";
