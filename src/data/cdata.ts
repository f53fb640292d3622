/**
 * The C data object: a view of bytes (JS-owned ArrayBuffer or C memory) plus
 * the references that keep other memory alive while this object points at it
 * (ctypes' `_objects`).
 */
import { INFO, TypeInfo } from "../types/ctype";
import { describeValue } from "../errors";
import { bufferAddress, foreignView, isBinary, toAddress } from "./memory";

export const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Base of every C data object (c_int(5), arrays, pointers, structures). */
export abstract class CData {
  /** @internal the object's bytes */
  declare _view: DataView;
  /** @internal the object whose memory this one views (kept alive), or null */
  declare _base: object | null;
  /** @internal memory this object refers to, kept alive with it */
  declare _objects: Map<PropertyKey, unknown> | null;
  /** @internal cached address, -1 until first asked */
  declare _addr: number;

  constructor() {
    const info = (new.target as unknown as { [INFO]: TypeInfo })[INFO];
    initData(this, new DataView(new ArrayBuffer(info.size)), null);
  }

  /** @internal address of the first byte */
  get _address(): number {
    const a = this._addr;
    if (a >= 0) return a;
    return (this._addr = bufferAddress(this._view.buffer) + this._view.byteOffset);
  }

  /** @internal the TypeInfo of this object's type */
  get _info(): TypeInfo {
    return (this.constructor as unknown as { [INFO]: TypeInfo })[INFO];
  }

  /** The array type of `length` elements of this type (ctypes' `T * length`), cached. */
  static array(length: number): unknown {
    return derivedTypes.array!(typeInfo(this, "array"), length);
  }

  /** An instance viewing the C memory at `address` (owns nothing). */
  static from_address(address: number | bigint): unknown {
    const info = typeInfo(this, "from_address");
    const a = toAddress(address, `${info.name}.from_address()`);
    return viewAs(info, foreignView(a, info.size, `${info.name}.from_address()`), null, a);
  }

  /** An instance sharing the memory of a writable buffer (kept alive by the instance). */
  static from_buffer(source: ArrayBuffer | ArrayBufferView | CData, offset = 0): unknown {
    const info = typeInfo(this, "from_buffer");
    const { view, base } = sourceRange(source, offset, info.size, `${info.name}.from_buffer()`);
    return viewAs(info, view, base);
  }

  /** A new instance holding a copy of bytes of `source`. */
  static from_buffer_copy(source: ArrayBuffer | ArrayBufferView | CData, offset = 0): unknown {
    const info = typeInfo(this, "from_buffer_copy");
    const { view } = sourceRange(source, offset, info.size, `${info.name}.from_buffer_copy()`);
    const copy = new Uint8Array(info.size);
    copy.set(new Uint8Array(view.buffer, view.byteOffset, info.size));
    return viewAs(info, new DataView(copy.buffer), null);
  }

  /** An instance viewing the variable `name` exported by a loaded library. */
  static in_dll(library: SymbolSource, name: string): unknown {
    const info = typeInfo(this, "in_dll");
    if (library === null || typeof library !== "object" || typeof (library as Partial<SymbolSource>).symbolAddress !== "function")
      throw new TypeError(`${info.name}.in_dll(): argument 1 must be a loaded library (CDLL), got ${describeValue(library)}`);
    if (typeof name !== "string") throw new TypeError(`${info.name}.in_dll(): argument 2 must be a symbol name, got ${describeValue(name)}`);
    const a = library.symbolAddress(name);
    return viewAs(info, foreignView(a, info.size, `${info.name}.in_dll()`), library, a);
  }
}

function typeInfo(cls: unknown, method: string): TypeInfo {
  const info = (cls as { [INFO]?: TypeInfo })[INFO];
  if (!info) throw new TypeError(`${method}(): ${String((cls as { name?: string }).name)} is an abstract type; use a concrete type such as c_int`);
  return info;
}

function sourceRange(source: unknown, offset: number, size: number, what: string): { view: DataView; base: object } {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`${what}: offset must be a non-negative integer, got ${describeValue(offset)}`);
  let buffer: ArrayBufferLike, start: number, length: number;
  if (source instanceof CData) {
    buffer = source._view.buffer;
    start = source._view.byteOffset;
    length = source._view.byteLength;
  } else if (isBinary(source)) {
    buffer = ArrayBuffer.isView(source) ? source.buffer : source;
    start = ArrayBuffer.isView(source) ? source.byteOffset : 0;
    length = source.byteLength;
  } else {
    throw new TypeError(`${what}: expected an ArrayBuffer, a TypedArray/Buffer or C data, got ${describeValue(source)}`);
  }
  if (offset + size > length)
    throw new RangeError(`${what}: buffer of ${length} bytes is too small for ${size} bytes at offset ${offset}`);
  return { view: new DataView(buffer, start + offset, size), base: source as object };
}

export function initData(obj: CData, view: DataView, base: object | null, address = -1): void {
  obj._view = view;
  obj._base = base;
  obj._objects = null;
  obj._addr = address;
}

/**
 * Record that the memory of `holder` refers to `value`, so `value` stays alive
 * as long as that memory's owner does (ctypes' _objects). Slots (numeric byte
 * offsets) are recorded on the outermost object owning the memory, keyed by
 * address, so a temporary view (an array element, a nested field) does not drop
 * the reference when it is collected. Named keys stay on the holder itself.
 */
export function keepAlive(holder: object | null, key: PropertyKey, value: unknown): void {
  if (!(holder instanceof CData)) return;
  const [owner, k] = slotOwner(holder, key);
  if (value === null || value === undefined || typeof value === "number" || typeof value === "bigint") {
    owner._objects?.delete(k);
    return;
  }
  (owner._objects ??= new Map()).set(k, value);
}

/** What keepAlive recorded for `holder`'s slot `key`. */
export function keptAt(holder: object | null, key: PropertyKey): unknown {
  if (!(holder instanceof CData)) return undefined;
  const [owner, k] = slotOwner(holder, key);
  return owner._objects?.get(k);
}

function slotOwner(holder: CData, key: PropertyKey): [CData, PropertyKey] {
  if (typeof key !== "number") return [holder, key];
  let owner = holder;
  // climb views that share their parent's bytes
  while (owner._base instanceof CData && owner._base._view.buffer === owner._view.buffer) owner = owner._base;
  return [owner, `@${holder._view.byteOffset - owner._view.byteOffset + key}`];
}

/** Type constructors are plain classes made callable without `new` (like ctypes' `c_int(5)`). */
export function callable<C extends abstract new (...args: never[]) => object>(cls: C): C {
  const proxy = new Proxy(cls, {
    apply(target, _this, args: unknown[]) {
      return Reflect.construct(target, args);
    },
  });
  Object.defineProperty(cls.prototype, "constructor", { value: proxy, writable: true, configurable: true });
  const info = (cls as unknown as { [INFO]?: TypeInfo })[INFO];
  if (info) info.cls = proxy;
  return proxy;
}

/** Attach a TypeInfo to a type constructor. */
export function setInfo(cls: object, info: TypeInfo): void {
  Object.defineProperty(cls, INFO, { value: info, enumerable: false, configurable: true, writable: true });
  info.cls = cls;
}

/** A C data object of type `info` viewing `view` (no constructor runs, like ctypes' from_address). */
export function viewAs(info: TypeInfo, view: DataView, base: object | null, address = -1): CData {
  const o = Object.create((info.cls as { prototype: object }).prototype) as CData;
  initData(o, view, base, address);
  return (info.wrap ? info.wrap(o) : o) as CData;
}

/**
 * Constructors of derived types, filled in by their modules at load time so that
 * every type can offer `T.array(n)` without an import cycle.
 */
export const derivedTypes: { array?: (element: TypeInfo, length: number) => unknown } = {};

/** Anything that can resolve an exported symbol to an address (a loaded library). */
export interface SymbolSource {
  symbolAddress(name: string): number;
}

/** Objects that stand for an address when passed as a pointer (functions, allocations). */
export const ADDRESS: unique symbol = Symbol("tsctypes.address");
export interface Addressable {
  readonly [ADDRESS]: number;
}
export function isAddressable(v: unknown): v is Addressable {
  return (typeof v === "object" || typeof v === "function") && v !== null && ADDRESS in v;
}
