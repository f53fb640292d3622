/**
 * The C data object: a view of bytes (JS-owned ArrayBuffer or C memory) plus
 * the references that keep other memory alive while this object points at it
 * (ctypes' `_objects`).
 */
import { INFO, TypeInfo } from "../types/ctype";
import { ArgumentError, describeValue } from "../errors";
import { allocateData, allocatedView, allocatedViewAddress, bufferAddress, foreignAt, foreignOffset, foreignView, isBinary, toAddress } from "./memory";

export const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");
const PROTO_INFO = Symbol("tsctypes.instanceTypeInfo");

/**
 * Base of every C data object (c_int(5), arrays, pointers, structures). An
 * object's bytes are `_size` bytes at `_off` in `_view`; views of nested fields,
 * elements and pooled objects share their parent's (or pool chunk's) DataView,
 * so making one allocates no DataView.
 */
export abstract class CData {
  /** @internal a DataView containing the object's bytes */
  declare _view: DataView;
  /** @internal where the object starts in `_view` */
  declare _off: number;
  /** @internal the object's size in bytes (its type's, or more after resize()) */
  declare _size: number;
  /** @internal the object whose memory this one views (kept alive), or null */
  declare _base: object | null;
  /** @internal memory this object refers to, kept alive with it */
  declare _objects: Map<PropertyKey, unknown> | null;
  /** @internal cached address, -1 until first asked */
  declare _addr: number;

  constructor() {
    const info = (new.target as unknown as { [INFO]: TypeInfo })[INFO];
    const off = allocateData(info.size, info.align);
    initData(this, allocatedView(), off, info.size, null, allocatedViewAddress() + off);
  }

  /** @internal address of the first byte */
  get _address(): number {
    const a = this._addr;
    if (a >= 0) return a;
    const address = bufferAddress(this._view.buffer) + this._view.byteOffset + this._off;
    // (not kept for memory of a JS buffer given to from_buffer(): it may be detached later, then this throws)
    if (!onJsBuffer(this)) this._addr = address;
    return address;
  }

  /** @internal the object's bytes as a Uint8Array (a view, no copy) */
  _bytes(): Uint8Array {
    return new Uint8Array(this._view.buffer, this._view.byteOffset + this._off, this._size);
  }

  /**
   * @internal the object itself: read through the indexing Proxy of an array or pointer it is the Proxy's
   * target, so a method that visits many elements calls them on it and no element pays a Proxy trap
   */
  get _self(): this {
    return this;
  }

  /** @internal the TypeInfo of this object's type (kept on the prototype: no constructor or Proxy lookup) */
  get _info(): TypeInfo {
    return (this as unknown as { [PROTO_INFO]: TypeInfo })[PROTO_INFO];
  }

  /** The array type of `length` elements of this type (ctypes' `T * length`), cached. */
  static array(length: number): unknown {
    return derivedTypes.array!(typeInfo(this, "array"), length);
  }

  /** An instance viewing the C memory at `address` (owns nothing). */
  static from_address(address: number | bigint): unknown {
    const info = typeInfo(this, "from_address");
    const a = toAddress(address, `${info.name}.from_address()`);
    const view = foreignAt(a, info.size, `${info.name}.from_address()`);
    return viewAs(info, view, foreignOffset(), null, a);
  }

  /** An instance sharing the memory of a writable buffer (kept alive by the instance). */
  static from_buffer(source: ArrayBuffer | ArrayBufferView | CData, offset = 0): unknown {
    const info = typeInfo(this, "from_buffer");
    const { view, start, base } = sourceRange(source, offset, info.size, `${info.name}.from_buffer()`);
    return viewAs(info, view, start, base);
  }

  /** A new instance holding a copy of bytes of `source`. */
  static from_buffer_copy(source: ArrayBuffer | ArrayBufferView | CData, offset = 0): unknown {
    const info = typeInfo(this, "from_buffer_copy");
    const { view, start } = sourceRange(source, offset, info.size, `${info.name}.from_buffer_copy()`);
    const copy = newData(info);
    copy._bytes().set(new Uint8Array(view.buffer, view.byteOffset + start, info.size));
    return copy;
  }

  /**
   * ctypes' `T.from_param(value)`: what passing `value` for a parameter of this type passes, or an
   * ArgumentError. Scalars give a `T` instance holding the converted value; other types give the value itself
   * once checked (a structure from a plain object and a callback from a JS function are made). A class with
   * its own static `from_param` may stand in `argtypes`: its result is then what gets converted.
   */
  static from_param(value: unknown): unknown {
    const info = typeInfo(this, "from_param");
    const what = `${info.name}.from_param()`;
    try {
      return derivedTypes.fromParam!(info, asParameter(value, what), what);
    } catch (e) {
      if (e instanceof TypeError && !(e instanceof ArgumentError))
        throw new ArgumentError(`${what}: expected ${info.name}, got ${describeValue(value)} (${e.message.replace(`${what}: `, "")})`, { cause: e });
      throw e;
    }
  }

  /** An instance viewing the variable `name` exported by a loaded library. */
  static in_dll(library: SymbolSource, name: string): unknown {
    const info = typeInfo(this, "in_dll");
    if (library === null || typeof library !== "object" || typeof (library as Partial<SymbolSource>).symbolAddress !== "function")
      throw new TypeError(`${info.name}.in_dll(): argument 1 must be a loaded library (CDLL), got ${describeValue(library)}`);
    if (typeof name !== "string") throw new TypeError(`${info.name}.in_dll(): argument 2 must be a symbol name, got ${describeValue(name)}`);
    const a = library.symbolAddress(name);
    return viewAs(info, foreignView(a, info.size, `${info.name}.in_dll()`), 0, library, a);
  }
}

function typeInfo(cls: unknown, method: string): TypeInfo {
  const info = (cls as { [INFO]?: TypeInfo })[INFO];
  if (!info) throw new TypeError(`${method}(): ${String((cls as { name?: string }).name)} is an abstract type; use a concrete type such as c_int`);
  return info;
}

/** Where `size` bytes at `offset` of a source are: a DataView and a start offset in it. */
function sourceRange(source: unknown, offset: number, size: number, what: string): { view: DataView; start: number; base: object } {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`${what}: offset must be a non-negative integer, got ${describeValue(offset)}`);
  let buffer: ArrayBufferLike, start: number, length: number;
  if (source instanceof CData) {
    if (offset + size > source._size)
      throw new RangeError(`${what}: buffer of ${source._size} bytes is too small for ${size} bytes at offset ${offset}`);
    return { view: source._view, start: source._off + offset, base: source };
  } else if (isBinary(source)) {
    buffer = ArrayBuffer.isView(source) ? source.buffer : source;
    start = ArrayBuffer.isView(source) ? source.byteOffset : 0;
    length = source.byteLength;
  } else {
    throw new TypeError(`${what}: expected an ArrayBuffer, a TypedArray/Buffer or C data, got ${describeValue(source)}`);
  }
  if (offset + size > length)
    throw new RangeError(`${what}: buffer of ${length} bytes is too small for ${size} bytes at offset ${offset}`);
  return { view: new DataView(buffer, start, length), start: offset, base: source as object };
}

/** Whether the memory of `obj` is a JS ArrayBuffer given to from_buffer() (directly or through the objects it views). */
function onJsBuffer(obj: CData): boolean {
  let base = obj._base;
  while (base instanceof CData) base = base._base;
  return base !== null && isBinary(base);
}

/**
 * The stores that set up a data object, one source for initData and every type's maker: the same
 * order everywhere, so objects take the same hidden-class transitions.
 */
const DATA_STORES = "o._view = view; o._off = off; o._size = size; o._base = base; o._objects = null; o._addr = address;";

export const initData = new Function("o", "view", "off", "size", "base", "address = -1", DATA_STORES) as (
  obj: CData,
  view: DataView,
  off: number,
  size: number,
  base: object | null,
  address?: number,
) => void;

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

/** After copying `size` bytes of `src` into `dst`: what src's memory kept alive, dst's memory now keeps too. */
export function copyKeptAlive(src: CData, size: number, dst: CData): void {
  const [owner] = slotOwner(src, 0);
  if (!owner._objects) return;
  const start = src._view.byteOffset + src._off;
  for (const [k, v] of owner._objects) {
    if (typeof k !== "string" || !k.startsWith("@")) continue;
    const pos = Number(k.slice(1));
    if (pos >= start && pos < start + size) keepAlive(dst, dst._off + (pos - start), v);
  }
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
  // codecs pass offsets within the holder's view; the key is the position in the buffer
  return [owner, `@${holder._view.byteOffset + key}`];
}

/** Type constructors are plain classes made callable without `new` (like ctypes' `c_int(5)`). */
export function callable<C extends abstract new (...args: never[]) => object>(cls: C): C {
  const construct = (args: unknown[], newTarget: Function) =>
    // `new c_int(5)` constructs the class itself (V8's fast path); subclasses keep their own new.target
    newTarget === proxy ? new (cls as unknown as new (...a: unknown[]) => object)(...args) : Reflect.construct(cls, args, newTarget);
  const proxy: C = new Proxy(cls, {
    apply: (_target, _this, args: unknown[]) => new (cls as unknown as new (...a: unknown[]) => object)(...args),
    construct: (_target, args: unknown[], newTarget: Function) => construct(args, newTarget),
  });
  Object.defineProperty(cls.prototype, "constructor", { value: proxy, writable: true, configurable: true });
  const info = (cls as unknown as { [INFO]?: TypeInfo })[INFO];
  if (info) info.cls = proxy;
  return proxy;
}

/** Attach a TypeInfo to a type constructor (and to its prototype, for instances). */
export function setInfo(cls: object, info: TypeInfo): void {
  Object.defineProperty(cls, INFO, { value: info, enumerable: false, configurable: true, writable: true });
  Object.defineProperty((cls as { prototype: object }).prototype, PROTO_INFO, { value: info, enumerable: false, configurable: true, writable: true });
  info.cls = cls;
  info.proto = (cls as { prototype: object }).prototype;
  info.make = dataObjectMaker(info.proto);
}

/**
 * `info` as `cls`'s own TypeInfo, not inherited: a subclass read through inheritance gets `derive(subclass)`
 * (which gives it its own), so `class Y extends X {}` is never taken for X.
 */
export function setOwnInfo(cls: object, info: TypeInfo, derive: (subclass: Function) => TypeInfo): void {
  setInfo(cls, info);
  const get = function (this: Function): TypeInfo {
    return this === cls || this === info.cls ? info : derive(this);
  };
  Object.defineProperty(cls, INFO, { get, enumerable: false, configurable: true });
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

function dataObjectMaker(proto: object): NonNullable<TypeInfo["make"]> {
  // Compiled from source per type: closures of one function literal share their feedback, and with
  // every type's objects met in one place the stores turned megamorphic (a StoreIC call each, ~35 ns
  // per struct result)
  const maker = new Function("view", "off", "size", "base", "address", `const o = this; ${DATA_STORES}`) as NonNullable<TypeInfo["make"]>;
  maker.prototype = proto;
  // One object kept for as long as the type: its hidden class (reached from the constructor's only
  // through weak transitions) then survives GCs that find no other instance alive, such as between
  // bursts of calls returning short-lived struct results; optimized code that embeds it would
  // otherwise be thrown away ("weak objects") by every such GC.
  const keeper = new maker(EMPTY_VIEW, 0, 0, null, -1);
  (maker as unknown as { keeper: object }).keeper = keeper;
  return maker;
}

/** A C data object of type `info` at `offset` of `view` (no constructor runs, like ctypes' from_address). */
export function viewAs(info: TypeInfo, view: DataView, offset: number, base: object | null, address = -1): CData {
  const o = new info.make!(view, offset, info.size, base, address) as CData;
  return (info.wrap ? info.wrap(o) : o) as CData;
}

/**
 * A new zeroed object of type `info` in fresh (pooled) memory, without running its constructor.
 * `init` runs on the object itself before an indexable type wraps it (no Proxy on that path).
 */
export function newData(info: TypeInfo, init?: (o: CData) => void): CData {
  const off = allocateData(info.size, info.align);
  const o = new info.make!(allocatedView(), off, info.size, null, allocatedViewAddress() + off) as CData;
  if (init) init(o);
  return (info.wrap ? info.wrap(o) : o) as CData;
}

/**
 * Constructors of derived types, filled in by their modules at load time so that
 * every type can offer `T.array(n)` (and `T.from_param(v)`) without an import cycle.
 */
export const derivedTypes: {
  array?: (element: TypeInfo, length: number) => unknown;
  fromParam?: (info: TypeInfo, value: unknown, what: string) => unknown;
} = {};

/** How deep `_as_parameter_` may nest (an object whose `_as_parameter_` is itself, ... is an error, not a hang). */
const AS_PARAMETER_DEPTH = 32;

/** ctypes' `_as_parameter_`: an object carrying that property is passed as its value (followed while it nests). */
export function asParameter(value: unknown, what: string): unknown {
  let v = value;
  for (let depth = 0; v !== null && (typeof v === "object" || typeof v === "function") && "_as_parameter_" in v; depth++) {
    if (depth === AS_PARAMETER_DEPTH) throw new ArgumentError(`${what}: _as_parameter_ nests more than ${AS_PARAMETER_DEPTH} levels deep`);
    v = (v as { _as_parameter_: unknown })._as_parameter_;
  }
  return v;
}

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

/**
 * C data met behind the indexing Proxy of an array or pointer, by Proxy: its target. A Proxy turns
 * every read into a trap (~40-100 ns each): after the first time, one lookup reaches the object itself.
 * (Plain objects are never keys here; looking them up finds nothing quickly.)
 */
const proxyTargets = new WeakMap<object, CData>();

/** The C data behind `v` if `v` is an indexing Proxy already met, else undefined (one lookup, no trap). */
export function proxyTarget(v: object): CData | undefined {
  return proxyTargets.get(v);
}

/** `v` itself, or the target of its indexing Proxy (recorded once: one trap). */
export function unproxied(v: object): object {
  const target = proxyTargets.get(v);
  if (target !== undefined) return target;
  return v instanceof CData ? selfOf(v) : v;
}

/** The C data object `v` is, or is the indexing Proxy of (recorded the first time). */
export function selfOf(v: CData): CData {
  const self = v._self;
  if (self !== v) proxyTargets.set(v, self);
  return self;
}
