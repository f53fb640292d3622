/** POINTER(T) types, pointer(), byref(), cast(): typed addresses with keep-alive. */
import { describeValue, NullPointerError } from "../errors";
import { FfiCode } from "../types/ffi-codes";
import { INFO, TypeInfo, hasInfo, infoOf, sameCType } from "../types/ctype";
import { LITTLE_ENDIAN, POINTER_SIZE } from "../types/platform";
import { ADDRESS, CData, callable, derivedTypes, initData, isAddressable, keepAlive, keptAt, newData, setInfo, viewAs } from "./cdata";
import { ELEMENT_WINDOW_SPAN, allocateData, binaryAddress, allocatedView, allocatedViewAddress, elementWindow, elementWindowOffset, foreignAt, foreignOffset, loadAddress, storeAddress, viewAddress } from "./memory";
import { addressOfValue, pointerValueOf, simpleTypes } from "./simple";
import { encodeWString } from "./strings";

/** A light reference to C data (ctypes' byref), valid as a pointer argument. */
export class ByRef<T extends CData = CData> {
  /** @internal the C data itself: `obj`, or the target of its indexing Proxy (one trap here; calls read it with none) */
  readonly _data: CData;
  constructor(readonly obj: T, readonly offset: number) {
    this._data = obj._self;
  }
  /** @internal */
  get [ADDRESS](): number {
    return this.obj._address + this.offset;
  }
}

/** Instances of POINTER(T). */
export abstract class PointerCData extends CData {
  constructor(target?: CData | null) {
    super();
    if (target !== undefined && target !== null) this.contents = target;
    return this._info.wrap!(this) as this;
  }

  /** The address held, 0 for NULL. */
  get value(): number {
    return loadAddress(this._view, this._off, LITTLE_ENDIAN);
  }

  isNull(): boolean {
    return this.value === 0;
  }

  /** The pointed-to object (a view of the memory; reading through NULL throws NullPointerError). */
  get contents(): CData {
    const target = targetOf(this);
    const a = this.value;
    if (a === 0) throw new NullPointerError(`${this._info.name}.contents: NULL pointer dereference`);
    return viewAs(target, foreignAt(a, target.size, "pointer contents"), foreignOffset(), this, a);
  }

  set contents(obj: CData) {
    const target = targetOf(this);
    if (!(obj instanceof CData) || (!sameCType(obj._info, target) && obj._info.name !== target.name))
      throw new TypeError(`${this._info.name}.contents: expected a ${target.name} instance, got ${describeValue(obj)}`);
    keepAlive(this, "contents", obj);
    storeAddress(this._view, this._off, obj._address, LITTLE_ENDIAN);
  }

  /** @internal element i (p[i]) */
  _get(i: number): unknown {
    const target = targetOf(this);
    const a = this.value;
    if (a === 0) throw new NullPointerError(`${this._info.name}[${i}]: NULL pointer dereference`);
    const addr = a + i * target.size;
    return target.load(foreignAt(addr, target.size, "pointer index"), foreignOffset(), this, LITTLE_ENDIAN);
  }

  /** @internal */
  _set(i: number, v: unknown): void {
    const target = targetOf(this);
    const a = this.value;
    if (a === 0) throw new NullPointerError(`${this._info.name}[${i}]: NULL pointer dereference`);
    const addr = a + i * target.size;
    const view = foreignAt(addr, target.size, "pointer index");
    target.store(view, foreignOffset(), v, this, `${this._info.name}[${i}]`, LITTLE_ENDIAN);
  }

  /** ctypes' `p[start:end]`: a plain JS array of elements `start` to `end - 1` (both required: a pointer has no length). */
  slice(start: number, end: number): unknown[] {
    if (!Number.isInteger(start) || !Number.isInteger(end))
      throw new TypeError(`${this._info.name}.slice(): start and end must be integers, got ${describeValue(start)} and ${describeValue(end)}`);
    const self = this._self;
    const out: unknown[] = [];
    for (let i = start; i < end; i++) out.push(self._get(i));
    return out;
  }

  override toString(): string {
    return `<${this._info.name} ${this.isNull() ? "NULL" : "0x" + this.value.toString(16)}>`;
  }

  toJSON(): number | null {
    return this.value || null;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function targetOf(p: CData): TypeInfo {
  return (p._info as PointerInfo).pointee();
}

interface PointerInfo extends TypeInfo {
  pointee(): TypeInfo;
}

/** Indexing p[i] on pointers and arrays: a Proxy only for integer-like keys. */
export function indexable(
  get: (o: never, i: number) => unknown,
  set: (o: never, i: number, v: unknown) => void,
  has: (o: never, i: number) => boolean = () => true,
): (obj: object) => object {
  const handler: ProxyHandler<object> = {
    has(target, key) {
      if (typeof key === "string" && isIndexKey(key)) return has(target as never, Number(key));
      return Reflect.has(target, key);
    },
    get(target, key) {
      if (typeof key === "string" && isIndexKey(key)) return get(target as never, Number(key));
      return Reflect.get(target, key, target);
    },
    set(target, key, value) {
      if (typeof key === "string" && isIndexKey(key)) {
        set(target as never, Number(key), value);
        return true;
      }
      return Reflect.set(target, key, value, target);
    },
  };
  return (obj) => new Proxy(obj, handler);
}

function isIndexKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c === 45 && key.length > 1 && Number.isInteger(Number(key)));
}

const wrapPointer = indexable(
  (p: PointerCData, i) => p._get(i),
  (p: PointerCData, i, v) => p._set(i, v),
);

const pointerTypes = new Map<unknown, unknown>();

/** The pointer type to `target` (cached). `POINTER(null)` is c_void_p. Works for incomplete structure types. */
export function POINTER(target: unknown): unknown {
  if (target === null) return simpleTypes.c_void_p;
  if (!hasInfo(target)) infoOf(target, "POINTER()");
  let t = pointerTypes.get(target);
  if (t) return t;
  // a structure may not have its _fields_ yet (recursive types): name it without finalizing
  const own = Object.getOwnPropertyDescriptor(target, INFO);
  const ownInfo = own ? (target as { [INFO]: TypeInfo })[INFO] : undefined;
  const targetName = ownInfo ? ownInfo.name : typeof target === "function" ? target.name : (target as { [INFO]: TypeInfo })[INFO].name;
  const targetCType = ownInfo?.ctype;
  const name = `LP_${targetName}`;
  const cls = { [name]: class extends PointerCData {} }[name]!;
  const wrap = wrapPointer;
  let pointee: TypeInfo | undefined;
  const info: PointerInfo = {
    name,
    kind: "pointer",
    ctype: targetCType === undefined ? undefined : `LP_${targetCType}`,
    size: POINTER_SIZE,
    align: POINTER_SIZE,
    ffi: FfiCode.Pointer,
    cls,
    wrap,
    // resolved on first use (the target may be a structure whose _fields_ come later), then
    // cached: reading it through a callable type's Proxy on every p[i] would cost more than p[i]
    pointee: () => (pointee ??= (target as { [INFO]: TypeInfo })[INFO]),
    load(view, offset, holder, le) {
      const p = pointerAt(info, loadAddress(view, offset, le));
      // the new pointer keeps what the holder kept for this slot
      const kept = keptAt(holder, offset);
      if (kept !== undefined) keepAlive(p, "contents", kept);
      return p;
    },
    store(view, offset, value, holder, what, le) {
      storeAddress(view, offset, pointerArgumentAddress(info, value, holder, offset, what), le);
    },
  };
  // added afterwards: an accessor in the literal would leave `info` in V8's dictionary mode, every
  // read of it a generic lookup (~15 ns more per pointer argument)
  Object.defineProperty(info, "target", { get: () => (target as { [INFO]: TypeInfo })[INFO], enumerable: true, configurable: true });
  setInfo(cls, info);
  t = callable(cls);
  // give the real type name to TypeInfo.name readers
  pointerTypes.set(target, t);
  return t;
}

/** A parameter type as C receives it: an array parameter decays to a pointer to its element (C and ctypes). */
export function decayedParameter(info: TypeInfo): TypeInfo {
  return info.kind === "array" ? infoOf(POINTER(info.target!.cls), "POINTER()") : info;
}

/** `T.from_param(v)` by kind of T (see CData.from_param); TypeErrors become ArgumentErrors there. */
function fromParam(info: TypeInfo, v: unknown, what: string): unknown {
  const t = decayedParameter(info);
  switch (t.kind) {
    case "pointer":
      if (!(typeof v === "string" && t.target!.kind === "wchar")) pointerArgumentAddress(t, v, null, 0, what);
      return v;
    case "funcptr":
      if (typeof v === "function" && !(v instanceof CData) && !isAddressable(v)) return new (t.cls as new (f: unknown) => CData)(v);
      t.argAddress!(v, what);
      return v;
    case "struct":
    case "union":
      if (v instanceof CData && v._info === t) return v;
      if (v !== null && typeof v === "object" && !(v instanceof CData)) return new (t.cls as new (init: unknown) => CData)(v);
      throw new TypeError(`${what}: expected ${t.name}, got ${describeValue(v)}`);
    default: {
      // fundamental types (and their subclasses): an instance holding the converted value
      if (v instanceof CData && (v._info === t || (v._info.kind === t.kind && v._info.size === t.size && v._info.signed === t.signed))) return v;
      const codec = t.simpleBase ?? t;
      return newData(t, (o) => codec.store(o._view, o._off, v, o, what, LITTLE_ENDIAN));
    }
  }
}
derivedTypes.fromParam = fromParam;

/** A new instance of pointer type `info` holding `address`. */
export function pointerAt(info: TypeInfo, address: number): CData {
  return newData(info, (p) => storeAddress(p._view, p._off, address, LITTLE_ENDIAN));
}

// ---------------------------------------------------------------- element views: callback arguments

type ElementArray = Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

/** The TypedArray whose elements read and write exactly like `t`'s values, if any. */
function elementArrayOf(t: TypeInfo): ElementArray | null {
  if (t.swapped) return null;
  if (t.kind === "float") return Float32Array;
  if (t.kind === "double") return Float64Array;
  if (t.kind !== "int") return null;
  switch (t.size) {
    case 1: return t.signed ? Int8Array : Uint8Array;
    case 2: return t.signed ? Int16Array : Uint16Array;
    case 4: return t.signed ? Int32Array : Uint32Array;
    default: return null;
  }
}

type ElementView = CData & Int8Array;
const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Int8Array.prototype) as object;
/** CData's per-object fields; an element view makes its own 8 bytes of storage only when one is read */
const STORAGE_FIELDS = ["_view", "_off", "_size", "_base", "_objects", "_addr"] as const;

/**
 * The class of element views for pointer type `info`: TypedArrays over the pointee's memory
 * that are also POINTER(T) instances, so `p[i]` is a plain element access instead of a
 * Proxy trap (a trap runs through V8's runtime: ~100 times dearer). Their address is fixed.
 */
function elementViewClass(info: TypeInfo, Elements: ElementArray): new (buffer: ArrayBuffer, offset: number, length: number) => ElementView {
  const shared = Object.create(info.proto!) as object;
  for (const key of ["buffer", "byteOffset", "byteLength", "length"]) Object.defineProperty(shared, key, Object.getOwnPropertyDescriptor(TYPED_ARRAY_PROTOTYPE, key)!);
  const contents = Object.getOwnPropertyDescriptor(PointerCData.prototype, "contents")!;
  Object.defineProperties(shared, {
    value: {
      get(this: ElementView) {
        return viewAddress(this);
      },
    },
    contents: {
      get: contents.get,
      set(this: ElementView) {
        throw new TypeError(`${info.name}.contents: a callback's pointer argument cannot be re-pointed; make a new pointer (pointer(obj), cast(...))`);
      },
    },
  });
  for (const field of STORAGE_FIELDS) {
    Object.defineProperty(shared, field, {
      get(this: ElementView) {
        materializeStorage(this);
        return this[field];
      },
      configurable: true,
    });
  }
  const View = class extends (Elements as Int8ArrayConstructor) {} as unknown as new (buffer: ArrayBuffer, offset: number, length: number) => ElementView;
  Object.setPrototypeOf(View.prototype, shared);
  return View;
}

/** Give an element view the 8 bytes of storage other C data code expects, holding its address. */
function materializeStorage(p: ElementView): void {
  const off = allocateData(POINTER_SIZE, POINTER_SIZE);
  const view = allocatedView();
  const fields: Partial<Record<(typeof STORAGE_FIELDS)[number], unknown>> = {};
  initData(fields as unknown as CData, view, off, POINTER_SIZE, null, allocatedViewAddress() + off);
  for (const field of STORAGE_FIELDS) Object.defineProperty(p, field, { value: fields[field], writable: true, configurable: true });
  storeAddress(view, off, viewAddress(p), LITTLE_ENDIAN);
}

/**
 * How a callback makes its POINTER(T) arguments: element views where T has a TypedArray
 * twin (8-32-bit integers, float, double) and the address allows (not NULL, aligned),
 * ordinary pointer instances otherwise. An element view reaches at least 512 MiB past its
 * address; beyond that, and for negative indices, use `p.contents`/`cast` arithmetic.
 */
export function callbackPointerMaker(info: TypeInfo): (address: number) => CData {
  const Elements = elementArrayOf((info as PointerInfo).pointee());
  if (Elements === null) return (a) => pointerAt(info, a);
  const View = elementViewClass(info, Elements);
  const bytes = Elements.BYTES_PER_ELEMENT;
  return (a) => {
    const window = a % bytes === 0 ? elementWindow(a) : null;
    if (window === null) return pointerAt(info, a);
    const off = elementWindowOffset();
    return new View(window, off, ((ELEMENT_WINDOW_SPAN - off) / bytes) | 0);
  };
}

/**
 * The address a value stands for as a POINTER(T): a T instance (by reference),
 * an array of T, another POINTER(T), byref(), a TypedArray whose element kind
 * matches T (or raw bytes), an Addressable, or null.
 */
export function pointerArgumentAddress(info: TypeInfo, v: unknown, holder: object | null, key: PropertyKey, what: string): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof CData && v._info === info) {
    // a pointer of exactly this type: also one to an opaque structure (a handle like sqlite3 *), whose layout is never needed
    keepAlive(holder, key, v);
    return pointerValueOf(v);
  }
  const pointee = (info as PointerInfo).pointee();
  if (v instanceof Uint8Array && holder === null) return viewAddress(v);
  if (v instanceof CData) {
    const vi = v._info;
    const ok =
      vi === info || vi.name === info.name || sameCType(vi, info) || sameCType(vi, pointee) ||
      (vi.kind === "array" && sameCType(vi.target!, pointee)) ||
      vi.kind === "voidp" || (pointee.kind === "char" && vi.kind === "charp");
    if (!ok) throw new TypeError(`${what}: expected ${info.name} (or a ${pointee.name} instance, array or byref), got ${vi.name} instance`);
    keepAlive(holder, key, v);
    return vi.kind === "array" || sameCType(vi, pointee) ? v._address : pointerValueOf(v);
  }
  if (v instanceof ByRef) {
    const vi = v.obj._info;
    if (!sameCType(vi, pointee) && !(vi.kind === "array" && sameCType(vi.target!, pointee)) && pointee.kind !== "array")
      throw new TypeError(`${what}: expected byref() of a ${pointee.name}, got byref() of ${vi.name}`);
    keepAlive(holder, key, v.obj);
    return v[ADDRESS];
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof Uint8Array) && !(v instanceof Int8Array)) {
    const elementKind = typedArrayKind(v);
    if (elementKind && !typedArrayMatches(pointee, elementKind, (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT))
      throw new TypeError(`${what}: a ${v.constructor.name} does not match ${info.name}; pass a typed array of ${pointee.name} elements (or raw bytes)`);
  }
  if (isAddressable(v)) return v[ADDRESS];
  if (typeof v === "number" || typeof v === "bigint")
    throw new TypeError(`${what}: expected ${info.name}, got ${describeValue(v)}; to pass a raw address use c_void_p or cast(address, ${info.name})`);
  if (typeof v === "string" && pointee.kind === "wchar" && holder !== null) {
    // stored like a c_wchar_p: the encoded string lives as long as the holder's memory
    const bytes = encodeWString(v);
    keepAlive(holder, key, bytes);
    return binaryAddress(bytes);
  }
  return addressOfValue(v, holder, key, what);
}

type ElementKind = "int" | "uint" | "float";
function typedArrayKind(v: ArrayBufferView): ElementKind | null {
  if (v instanceof Float32Array || v instanceof Float64Array) return "float";
  if (v instanceof Int16Array || v instanceof Int32Array || v instanceof BigInt64Array) return "int";
  if (v instanceof Uint16Array || v instanceof Uint32Array || v instanceof BigUint64Array || v instanceof Uint8ClampedArray) return "uint";
  return null;
}

function typedArrayMatches(pointee: TypeInfo, kind: ElementKind, bytes: number): boolean {
  if (pointee.size !== bytes) return pointee.kind === "struct" || pointee.kind === "union" || pointee.kind === "voidp";
  switch (pointee.kind) {
    case "float":
    case "double":
      return kind === "float";
    case "int":
    case "int64":
    case "intptr":
    case "wchar":
      return kind !== "float";
    default:
      return true;
  }
}

/** A new pointer instance pointing at `obj` (keeps it alive). */
export function pointer(obj: CData): PointerCData {
  if (!(obj instanceof CData)) throw new TypeError(`pointer(): expected C data, got ${describeValue(obj)}`);
  const P = POINTER(obj.constructor) as new (t: CData) => PointerCData;
  return new P(obj);
}

/** A light reference to `obj` for passing to a pointer parameter. */
export function byref<T extends CData>(obj: T, offset = 0): ByRef<T> {
  // (the check on the object itself, which the ByRef keeps: instanceof on an array's Proxy would run through V8's runtime)
  const r = typeof obj === "object" && obj !== null ? new ByRef(obj, offset) : null;
  if (r === null || !(r._data instanceof CData)) throw new TypeError(`byref(): argument 1 must be C data (c_int(), a Structure, an array...), got ${describeValue(obj)}`);
  // (byref() is often made per call, in hot loops: offset 0 needs no check, nor the size read, a Proxy trap for arrays)
  if (offset !== 0) {
    if (!Number.isInteger(offset)) throw new TypeError(`byref(): offset must be an integer, got ${describeValue(offset)}`);
    // (the end of the object is allowed: C's one-past-the-end pointer)
    if (offset < 0 || offset > r._data._size)
      throw new RangeError(`byref(): offset ${offset} is outside the ${r._data._size} bytes of the ${r._data._info.name} (0..${r._data._size})`);
  }
  return r;
}

/** Reinterpret `obj` as an instance of a pointer-like type (POINTER(T), c_void_p, c_char_p, ...), keeping `obj` alive. */
export function cast(obj: unknown, type: unknown): CData {
  const info = infoOf(type, "cast() argument 2");
  if (!["pointer", "voidp", "charp", "wcharp", "funcptr"].includes(info.kind))
    throw new TypeError(`cast(): argument 2 must be a pointer type (POINTER(T), c_void_p, c_char_p, ...), got ${info.name}`);
  let address: number;
  if (typeof obj === "number" || typeof obj === "bigint" || obj === null) address = addressOfValue(obj, null, 0, "cast() argument 1");
  else if (obj instanceof CData) address = obj._info.kind === "array" || obj._info.kind === "struct" || obj._info.kind === "union" ? obj._address : pointerValueOf(obj);
  else if (isAddressable(obj)) address = obj[ADDRESS];
  else address = addressOfValue(obj, null, 0, "cast() argument 1");
  if (info.fromAddress) {
    const fn = info.fromAddress(address) as CData;
    keepAlive(fn, "contents", obj);
    return fn;
  }
  return newData(info, (result) => {
    storeAddress(result._view, result._off, address, LITTLE_ENDIAN);
    keepAlive(result, "contents", obj);
  });
}
