/**
 * The C type model. Every tsctypes type (c_int, POINTER(T), T.array(n), a
 * Structure subclass, ...) is a constructor carrying a TypeInfo: its layout,
 * libffi code, and how a JS value is stored to / loaded from its bytes.
 */

/** Phantom keys: the JS value a type accepts (`In`) and the one it produces (`Out`). */
export declare const JS_IN: unique symbol;
export declare const JS_OUT: unique symbol;

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

export type JsIn<T> = T extends CTypeLike<infer I, unknown> ? I : never;
export type JsOut<T> = T extends null ? void : T extends CTypeLike<unknown, infer O> ? O : never;

export function hasInfo(t: unknown): t is { [INFO]: TypeInfo } {
  return (typeof t === "function" || (typeof t === "object" && t !== null)) && INFO in (t as object);
}

/** The TypeInfo of a type object, or a TypeError naming `what`. */
export function infoOf(t: unknown, what: string): TypeInfo {
  if (hasInfo(t)) return (t as { [INFO]: TypeInfo })[INFO];
  throw new TypeError(`${what}: expected a tsctypes type (c_int, POINTER(...), a Structure, ...), got ${typeof t === "function" ? `function ${t.name}` : String(t)}`);
}
