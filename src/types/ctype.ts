/**
 * The C type model. Every tsctypes type (c_int, POINTER(T), T.array(n), a
 * Structure subclass, ...) is a constructor carrying a TypeInfo: its layout,
 * libffi code, and how a JS value is stored to / loaded from its bytes.
 */

/** Phantom keys: the JS value a type accepts (`In`) and the one it produces (`Out`). */
export declare const JS_IN: unique symbol;
export declare const JS_OUT: unique symbol;
/** Phantom key: the C type a data object holds, so TypeScript tells a c_int from a c_double as C does. */
export declare const CTYPE: unique symbol;
/** Phantom key: the element type of an array, so arrays of different C types don't mix. */
export declare const ELEMENT: unique symbol;
/**
 * In a type's `In`/`Out`: "an instance of this very type object". Structure classes use it, so that
 * `POINTER(Point)[i]` is the subclass `Point` with whatever it declares, not the base's instance type.
 */
export declare const SELF: unique symbol;
export type Self = typeof SELF;

export type TypeKind =
  | "int" // integers up to 32 bits -> number
  | "int64" // 64-bit integers -> bigint
  | "intptr" // pointer-sized integers -> number, exact or RangeError
  | "bool"
  | "char"
  | "wchar"
  | "float"
  | "double"
  | "longdouble"
  | "voidp"
  | "charp"
  | "wcharp"
  | "pointer"
  | "array"
  | "struct"
  | "union"
  | "funcptr";

/** Memory access for one type at a byte offset of a DataView. `holder` is the C data object owning the view (for keep-alive and child views). */
export interface TypeInfo {
  readonly name: string;
  readonly kind: TypeKind;
  readonly size: number;
  readonly align: number;
  /** libffi type code (aggregates: registered lazily, see ffiCodeOf). */
  ffi: number;
  /** integers: bit width and signedness */
  readonly bits?: number;
  readonly signed?: boolean;
  /**
   * types made of fundamental types only: the name of the C type, the same for types that are one C type
   * (c_int32 is "c_int": int32_t is int on every supported platform; POINTER(c_int32) is "LP_c_int",
   * c_int32.array(2) "c_int_Array_2"); such types are interchangeable for pointers, arrays and contents
   */
  readonly ctype?: string;
  /** for "intptr": the exact 64-bit type to name in RangeErrors */
  readonly exactAlternative?: string;
  /** pointers, arrays: pointee / element type */
  readonly target?: TypeInfo;
  /** arrays: element count */
  readonly length?: number;
  /** the constructor of this type's C data objects */
  cls: unknown;
  /** the prototype of this type's C data objects (reading cls.prototype goes through cls's callable Proxy: too dear per object) */
  proto?: object;
  /**
   * makes this type's C data objects without running its constructor (`new make(view, off, size, base, address)`):
   * they share one hidden class with their fields in the object, where Object.create(proto) would start from
   * an empty one and add six properties, two of them out of the object
   */
  make?: new (view: DataView, off: number, size: number, base: object | null, address: number) => object;
  /** scalars stored in the non-native byte order (fields of Big/LittleEndianStructure): no TypedArray views */
  readonly swapped?: boolean;
  /**
   * subclasses of fundamental types (`class P extends c_char_p {}`): the fundamental type whose codec reads and
   * writes `.value`; loads (results, fields, elements) give instances of the subclass, as in ctypes
   */
  readonly simpleBase?: TypeInfo;
  /** function pointers: instances of this class with `_fnaddr >= 0` pass `_fnaddr` as the argument */
  argFastClass?: unknown;
  /** function pointers: a new instance for a C address (callable) */
  fromAddress?(address: number): unknown;
  /** function pointers: the address a value passed as an argument stands for */
  argAddress?(value: unknown, what: string): number;
  /** indexable types (arrays, pointers) wrap their instances for `obj[i]` */
  wrap?(obj: object): object;
  load(view: DataView, offset: number, holder: object | null, littleEndian: boolean): unknown;
  store(view: DataView, offset: number, value: unknown, holder: object | null, what: string, littleEndian: boolean): void;
}

/** Non-enumerable slot on every type constructor holding its TypeInfo. */
export const INFO: unique symbol = Symbol("tsctypes.typeinfo");

/** Anything that is a tsctypes type, for TypeScript. */
export interface CTypeLike<In = unknown, Out = unknown> {
  readonly [JS_IN]?: In;
  readonly [JS_OUT]?: Out;
}

/** The instance type of a type object (its `prototype`). */
export type InstanceOf<T> = T extends { prototype: infer I } ? I : never;
/** `X` with the `Self` marker replaced by the instance type of `T`. */
type WithSelf<X, T> = X extends Self ? InstanceOf<T> : X;

export type JsIn<T> = T extends CTypeLike<infer I, unknown> ? WithSelf<I, T> : never;
export type JsOut<T> = T extends null ? void : T extends CTypeLike<unknown, infer O> ? WithSelf<O, T> : never;

/** Whether two types are the same C type: the same type object, or fundamental types of one C type in the same byte order. */
export function sameCType(a: TypeInfo, b: TypeInfo): boolean {
  return a === b || (a.ctype !== undefined && a.ctype === b.ctype && a.swapped === b.swapped);
}

export function hasInfo(t: unknown): t is { [INFO]: TypeInfo } {
  return (typeof t === "function" || (typeof t === "object" && t !== null)) && INFO in (t as object);
}

/** The TypeInfo of a type object, or a TypeError naming `what`. */
export function infoOf(t: unknown, what: string): TypeInfo {
  if (hasInfo(t)) return (t as { [INFO]: TypeInfo })[INFO];
  throw new TypeError(`${what}: expected a tsctypes type (c_int, POINTER(...), a Structure, ...), got ${typeof t === "function" ? `function ${t.name}` : String(t)}`);
}
