/**
 * tsctypes — Python's ctypes for Node.js. The public face (docs/api.md); the
 * implementation lives in types/ (C type model), abi/ (the platform's calling
 * convention), data/ (C data objects), call/ (marshallers) and library/ (loading).
 */
import type { CTypeLike, JsIn, JsOut } from "./types/ctype";
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
import { BindOptions, CDLL as CDLLImpl, CDLLOptions, DEFAULT_MODE, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW, RTLD_LAZY } from "./library/cdll";
import { find_library } from "./library/find_library";

export { ArgumentError, LibraryLoadError, SymbolNotFoundError, NullPointerError } from "./errors";
export { find_library, DEFAULT_MODE, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW, RTLD_LAZY, byref, ByRef };
export type { CTypeLike, JsIn, JsOut, CDLLOptions, ErrCheck, FuncOptions, FieldTuple, StructOptions };
export { Allocation } from "./data/ops";
export { runtimeInfo } from "./library/runtime";
export type { RuntimeInfo } from "./library/runtime";
export type { ActiveEntries, EntryName } from "./call/entries";
export type { RuntimeName } from "./native";
import { cdef as cdefImpl } from "./cdecl";
import type { CDeclarations, CTypeMap } from "./cdecl";
import type { CDeclTypeError, DECLARED_PROTOTYPES, Mapped, ParsedPrototype, ParsePrototype, PointerTo, PrototypesOfBlock } from "./cdecl/types";
export { parsePrototype, CDeclError } from "./cdecl";
export type { CDeclarations, CPrototype, CTypeMap, SourcePosition } from "./cdecl";
export type { BindOptions, CDeclTypeError, ParsePrototype, PrototypesOfBlock };

// ---------------------------------------------------------------- public types

/** Any C data object. */
export type CData = CDataImpl;
export const CData = CDataImpl;

/** Instance of a fundamental type: `.value` reads and writes the C value. */
export interface SimpleInstance<V, In = V> extends CDataImpl {
  value: V;
  /** @internal */ readonly __in?: In;
}

/** Methods every type object has. */
export interface TypeStatics<I> {
  readonly prototype: I;
  /** The array type of `length` elements (ctypes' `T * length`). */
  array(length: number): ArrayType<this>;
  from_address(address: number | bigint): I;
  from_buffer(source: ArrayBuffer | ArrayBufferView | CDataImpl, offset?: number): I;
  from_buffer_copy(source: ArrayBuffer | ArrayBufferView | CDataImpl, offset?: number): I;
  in_dll(library: CDLL, name: string): I;
  /** ctypes' `T.from_param(value)`: what passing `value` for a parameter of this type passes, or an ArgumentError */
  from_param(value: unknown): unknown;
}

/** A fundamental type like `c_int`: callable with or without `new`. */
export interface SimpleType<V, In = V> extends CTypeLike<In | SimpleInstance<V, In>, V>, TypeStatics<SimpleInstance<V, In>> {
  (value?: In): SimpleInstance<V, In>;
  new (value?: In): SimpleInstance<V, In>;
  /** the type stored big-endian / little-endian (itself where that is the native order; not on pointer types and c_longdouble) */
  readonly __ctype_be__: SimpleType<V, In>;
  readonly __ctype_le__: SimpleType<V, In>;
}

type Int = number | bigint;
type AnyBinary = ArrayBuffer | ArrayBufferView;
/** Values accepted where C expects an address. */
export type AddressLike = number | bigint | null | CDataImpl | AnyBinary | ByRef | ForeignFunctionImpl | ops.Allocation;

/** The type object of an instance type (for `pointer(obj)`). */
export type TypeOfInstance<I> = I extends SimpleInstance<infer V, infer In> ? SimpleType<V, In> : { prototype: I } & CTypeLike<I, I>;

/** The instance type of a type object. */
export type InstanceOf<T> = T extends { prototype: infer I } ? I : never;

/** Instances of `T.array(n)`. */
export interface ArrayInstance<T> extends CDataImpl, Iterable<JsOut<T>> {
  [index: number]: JsOut<T>;
  readonly length: number;
  /** zero-copy TypedArray over the elements (numeric element types) */
  readonly typed: TypedArrayOf<T>;
  toArray(): JsOut<T>[];
  /** ctypes' `a[start:end]`: the element values (negative counts from the end, like Array.prototype.slice) */
  slice(start?: number, end?: number): JsOut<T>[];
  /** ctypes' `a[offset:offset + n] = values`: write elements from an iterable or TypedArray; they must fit */
  set(values: Iterable<JsIn<T>> | ArrayLike<JsIn<T>>, offset?: number): void;
  /** c_char / c_wchar arrays: the string up to the first NUL */
  value: string;
  /** c_char arrays: all bytes */
  raw: Uint8Array;
}

export type TypedArrayOf<T> = T extends SimpleType<infer V, infer _I> ? (V extends bigint ? BigInt64Array | BigUint64Array : V extends number ? Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array : Uint8Array) : ArrayBufferView;

/** `T.array(n)`: callable with or without `new`, elements as arguments. */
export interface ArrayType<T> extends CTypeLike<ArrayInstance<T> | AnyBinary | null, ArrayInstance<T>>, TypeStatics<ArrayInstance<T>> {
  (...values: JsIn<T>[]): ArrayInstance<T>;
  new (...values: JsIn<T>[]): ArrayInstance<T>;
  /** fill from an iterable or TypedArray (the bulk path) */
  from(values: Iterable<JsIn<T>> | ArrayLike<JsIn<T>>): ArrayInstance<T>;
  readonly length: number;
}

/** Instances of POINTER(T). */
export interface PointerInstance<T> extends CDataImpl {
  [index: number]: JsOut<T>;
  /** the pointed-to object (a view); NULL throws NullPointerError */
  contents: InstanceOf<T>;
  /** the address held (0 = NULL) */
  readonly value: number;
  isNull(): boolean;
  /** ctypes' `p[start:end]`: the values of elements start..end-1 */
  slice(start: number, end: number): JsOut<T>[];
}

export interface PointerType<T> extends CTypeLike<PointerInstance<T> | InstanceOf<T> | ArrayInstance<T> | ByRef | AnyBinary | ops.Allocation | null, PointerInstance<T>>, TypeStatics<PointerInstance<T>> {
  (target?: InstanceOf<T> | null): PointerInstance<T>;
  new (target?: InstanceOf<T> | null): PointerInstance<T>;
}

// ---------------------------------------------------------------- fundamental types

const t = simpleTypes;
export const c_bool = t.c_bool as SimpleType<boolean, unknown>;
export const c_char = t.c_char as SimpleType<string, string | number>;
export const c_wchar = t.c_wchar as SimpleType<string, string | number>;
export const c_byte = t.c_byte as SimpleType<number, Int>;
export const c_ubyte = t.c_ubyte as SimpleType<number, Int>;
export const c_short = t.c_short as SimpleType<number, Int>;
export const c_ushort = t.c_ushort as SimpleType<number, Int>;
export const c_int = t.c_int as SimpleType<number, Int>;
export const c_uint = t.c_uint as SimpleType<number, Int>;
export const c_long = t.c_long as SimpleType<number, Int>;
export const c_ulong = t.c_ulong as SimpleType<number, Int>;
export const c_longlong = t.c_longlong as SimpleType<bigint, Int>;
export const c_ulonglong = t.c_ulonglong as SimpleType<bigint, Int>;
export const c_size_t = t.c_size_t as SimpleType<number, Int>;
export const c_ssize_t = t.c_ssize_t as SimpleType<number, Int>;
export const c_time_t = t.c_time_t as SimpleType<number, Int>;
export const c_int8 = t.c_int8 as SimpleType<number, Int>;
export const c_uint8 = t.c_uint8 as SimpleType<number, Int>;
export const c_int16 = t.c_int16 as SimpleType<number, Int>;
export const c_uint16 = t.c_uint16 as SimpleType<number, Int>;
export const c_int32 = t.c_int32 as SimpleType<number, Int>;
export const c_uint32 = t.c_uint32 as SimpleType<number, Int>;
export const c_int64 = t.c_int64 as SimpleType<bigint, Int>;
export const c_uint64 = t.c_uint64 as SimpleType<bigint, Int>;
export const c_float = t.c_float as SimpleType<number, Int>;
export const c_double = t.c_double as SimpleType<number, Int>;
export const c_longdouble = t.c_longdouble as SimpleType<number, Int>;
export const c_char_p = t.c_char_p as SimpleType<string | null, string | Uint8Array | null | CDataImpl>;
export const c_wchar_p = t.c_wchar_p as SimpleType<string | null, string | null | CDataImpl>;
export const c_void_p = t.c_void_p as SimpleType<number | null, AddressLike>;

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
export function pointer<I extends CDataImpl>(obj: I): PointerInstance<TypeOfInstance<I>> {
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
export const create_string_buffer = ops.create_string_buffer as (init: string | Uint8Array | number, size?: number) => ArrayInstance<typeof c_char>;
export const create_unicode_buffer = ops.create_unicode_buffer as (init: string | number, size?: number) => ArrayInstance<typeof c_wchar>;
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
type StructBaseType = StructBaseCtor & StructStatics<CDataImpl & StructMethods> & CTypeLike<CDataImpl, CDataImpl>;

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
/** The JS shape of a struct's fields: what reading each field gives. */
export type FieldValues<M> = { -readonly [K in keyof M]: JsOut<FieldType<M[K]>> };
/** What each field accepts when constructing or assigning. */
export type FieldInits<M> = { [K in keyof M]?: JsIn<FieldType<M[K]>> };
/** Instance of a `struct({...})` type. */
export type StructInstance<M> = CDataImpl & StructMethods & FieldValues<M>;

/** The class made by `struct({...})`: `new V({ x: 1 })`, `new V(1, 2)`, `new V()`; extendable with `class P extends struct({...}) {}`. */
export interface StructType<M> extends CTypeLike<StructInstance<M> | FieldInits<M>, StructInstance<M>>, StructStatics<StructInstance<M>> {
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
/** What an argtypes entry accepts: a type's JS input, or an adapter's from_param input. */
type ArgIn<T> = T extends CTypeLike<infer I, unknown> ? (unknown extends I ? AdapterIn<T> : I) : AdapterIn<T>;
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
  /** false: the C function never calls back into JS, so calls keep V8's fast entry while callbacks exist */
  reentrant: boolean;
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
/** The type object a descriptor of the type-level C reader stands for (`PointerTo<"c_int">` → `PointerType<typeof c_int>`). */
type TypeOfDescriptor<D> = D extends keyof FundamentalTypes ? FundamentalTypes[D] : D extends PointerTo<infer T> ? PointerType<TypeOfDescriptor<T>> : D extends Mapped<infer T> ? T : never;
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
