/**
 * Fundamental type objects (c_int, c_double, c_char_p, ...): their memory
 * codecs and the callable classes of their instances.
 */
import { describeValue } from "../errors";
import { INFO, TypeInfo, TypeKind } from "../types/ctype";
import { joinInt64, splitInt64, toBigInt64, toCharCode, toFloat, toInt32Bits, toWcharCode, wcharToString } from "../types/convert";
import { loadLongDouble, storeLongDouble } from "../types/longdouble";
import { LITTLE_ENDIAN, LONG_DOUBLE_FORMAT, WCHAR_SIZE } from "../types/platform";
import { SimpleSpec, SIMPLE_SPECS, cTypeOf } from "../types/simple";
import { ADDRESS, CData, callable, inspectSymbol, isAddressable, keepAlive, keptAt, setOwnInfo, viewAs } from "./cdata";
import { binaryAddress, checkAttached, isBinary, loadAddress, storeAddress, toAddress } from "./memory";
import { decodeUtf8, decodeWString, encodeCString, encodeWString, readCString, readWString } from "./strings";

type Load = TypeInfo["load"];
type Store = TypeInfo["store"];

/** Address a value stands for when stored into a pointer-sized slot: null, a number/bigint, C data or JS binary memory. */
export function addressOfValue(v: unknown, holder: object | null, key: PropertyKey, what: string): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number" || typeof v === "bigint") return toAddress(v, what);
  if (isAddressable(v)) return v[ADDRESS];
  if (v instanceof CData) {
    keepAlive(holder, key, v);
    return pointerValueOf(v);
  }
  if (isBinary(v)) {
    if (v.byteLength === 0) checkAttached(v, what);
    keepAlive(holder, key, v);
    return binaryAddress(v);
  }
  throw new TypeError(`${what}: expected an address, C data, a TypedArray/ArrayBuffer or null, got ${describeValue(v)}`);
}

/** The address a C data object contributes as a pointer value: pointers give their target, other data their own address. */
export function pointerValueOf(v: CData): number {
  return holdsAddress(v._info.kind) ? loadAddress(v._view, v._off, LITTLE_ENDIAN) : v._address;
}

/** Whether C data of this kind is itself a pointer (its value is an address). */
export function holdsAddress(kind: TypeKind): boolean {
  return kind === "pointer" || kind === "voidp" || kind === "charp" || kind === "wcharp" || kind === "funcptr";
}

function codecs(spec: SimpleSpec): { load: Load; store: Store } {
  const { size, kind } = spec;
  const bits = spec.bits ?? 0;
  const signed = spec.signed ?? false;
  switch (kind) {
    case "int":
      return {
        load: size === 1 ? (v, o) => (signed ? v.getInt8(o) : v.getUint8(o))
          : size === 2 ? (v, o, _h, le) => (signed ? v.getInt16(o, le) : v.getUint16(o, le))
          : (v, o, _h, le) => (signed ? v.getInt32(o, le) : v.getUint32(o, le)),
        store: (v, o, x, _h, what, le) => {
          const n = toInt32Bits(x, bits, signed, what);
          if (size === 1) v.setUint8(o, n & 0xff);
          else if (size === 2) v.setUint16(o, n & 0xffff, le);
          else v.setUint32(o, n >>> 0, le);
        },
      };
    case "int64":
      return {
        load: (v, o, _h, le) => (signed ? v.getBigInt64(o, le) : v.getBigUint64(o, le)),
        store: (v, o, x, _h, what, le) => v.setBigUint64(o, BigInt.asUintN(64, toBigInt64(x, signed, what)), le),
      };
    case "intptr":
      return {
        load: (v, o, _h, le) =>
          size === 4 ? (signed ? v.getInt32(o, le) : v.getUint32(o, le))
            : joinInt64(v.getUint32(o + (le ? 0 : 4), le), v.getUint32(o + (le ? 4 : 0), le), signed, spec.name, spec.exactAlternative!),
        store: (v, o, x, _h, what, le) => {
          if (size === 4) v.setUint32(o, toInt32Bits(x, 32, false, what), le);
          else {
            const [lo, hi] = splitInt64(x, what);
            v.setUint32(o + (le ? 0 : 4), lo, le);
            v.setUint32(o + (le ? 4 : 0), hi, le);
          }
        },
      };
    case "bool":
      return { load: (v, o) => v.getUint8(o) !== 0, store: (v, o, x) => v.setUint8(o, x ? 1 : 0) };
    case "char":
      return { load: (v, o) => String.fromCharCode(v.getUint8(o)), store: (v, o, x, _h, what) => v.setUint8(o, toCharCode(x, what)) };
    case "wchar":
      return {
        load: (v, o, _h, le) => wcharToString(WCHAR_SIZE === 2 ? v.getUint16(o, le) : v.getUint32(o, le)),
        store: (v, o, x, _h, what, le) => {
          const c = toWcharCode(x, what, WCHAR_SIZE);
          if (WCHAR_SIZE === 2) v.setUint16(o, c, le);
          else v.setUint32(o, c, le);
        },
      };
    case "float":
      return { load: (v, o, _h, le) => v.getFloat32(o, le), store: (v, o, x, _h, what, le) => v.setFloat32(o, toFloat(x, what), le) };
    case "double":
      return { load: (v, o, _h, le) => v.getFloat64(o, le), store: (v, o, x, _h, what, le) => v.setFloat64(o, toFloat(x, what), le) };
    case "longdouble":
      return {
        load: (v, o, _h, le) => loadLongDouble(v, o, LONG_DOUBLE_FORMAT, le),
        store: (v, o, x, _h, what, le) => storeLongDouble(v, o, toFloat(x, what), LONG_DOUBLE_FORMAT, le),
      };
    case "voidp":
      return {
        load: (v, o, _h, le) => loadAddress(v, o, le) || null,
        store: (v, o, x, h, what, le) => storeAddress(v, o, addressOfValue(x, h, o, what), le),
      };
    case "charp":
    case "wcharp": {
      const wide = kind === "wcharp";
      return {
        load: (v, o, _h, le) => {
          const a = loadAddress(v, o, le);
          return a === 0 ? null : wide ? readWString(a) : readCString(a);
        },
        store: (v, o, x, h, what, le) => {
          if (typeof x === "string") {
            const bytes = wide ? encodeWString(x) : encodeCString(x);
            keepAlive(h, o, bytes);
            storeAddress(v, o, binaryAddress(bytes), le);
          } else if (x === null || x === undefined || typeof x === "number" || typeof x === "bigint" || x instanceof Uint8Array || x instanceof CData) {
            storeAddress(v, o, addressOfValue(x, h, o, what), le);
          } else {
            throw new TypeError(`${what}: expected a string, Uint8Array or null, got ${describeValue(x)}`);
          }
        },
      };
    }
    default:
      throw new Error(`internal: no codec for ${kind}`);
  }
}

/** Instances of the fundamental types: one value in its own bytes, read and written through `.value`. */
export abstract class SimpleCData<V = unknown, In = V> extends CData {
  constructor(value?: In) {
    super();
    if (value !== undefined) this.value = value as unknown as V;
  }

  get value(): V {
    const info = this._info;
    return (info.simpleBase ?? info).load(this._view, this._off, this, LITTLE_ENDIAN) as V;
  }

  set value(v: V | In) {
    const info = this._info;
    (info.simpleBase ?? info).store(this._view, this._off, v, this, `${info.name}.value`, LITTLE_ENDIAN);
  }

  toJSON(): unknown {
    const v = this.value;
    return typeof v === "bigint" ? v.toString() : v;
  }

  override toString(): string {
    const kind = this._info.kind;
    if (kind === "charp" || kind === "wcharp") return `${this._info.name}(${describeStringPointer(this, kind === "wcharp")})`;
    const v = this.value;
    return `${this._info.name}(${typeof v === "string" ? JSON.stringify(v) : typeof v === "bigint" ? `${v}n` : String(v)})`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * A c_char_p / c_wchar_p for messages and inspect, never reading C memory (the address may be
 * anything): the string when it lies, NUL-terminated, in JS memory the object keeps alive (made
 * from a string or a Uint8Array), else the address.
 */
function describeStringPointer(p: CData, wide: boolean): string {
  const address = loadAddress(p._view, p._off, LITTLE_ENDIAN);
  if (address === 0) return "null";
  const kept = keptAt(p, p._off);
  if (kept instanceof Uint8Array && kept.byteLength > 0 && binaryAddress(kept) === address) {
    const unit = wide ? WCHAR_SIZE : 1;
    const view = new DataView(kept.buffer, kept.byteOffset, kept.byteLength);
    for (let i = 0; i + unit <= kept.byteLength; i += unit) {
      const terminal = unit === 1 ? view.getUint8(i) : unit === 2 ? view.getUint16(i, LITTLE_ENDIAN) : view.getUint32(i, LITTLE_ENDIAN);
      if (terminal === 0) return JSON.stringify(wide ? decodeWString(view, i / unit) : decodeUtf8(kept.subarray(0, i)));
    }
  }
  return `0x${address.toString(16)}`;
}

/** A fundamental type object (callable class) with the given codecs; `swapped`: stored in the non-native byte order. */
function makeSimpleType(spec: SimpleSpec, name: string, load: Load, store: Store, swapped: boolean): unknown {
  // a named class per type, so stack traces and util.inspect show "c_int"
  const cls = { [name]: class extends SimpleCData {} }[name]!;
  // (the C type, for pointers and arrays: a byte-swapped twin is told apart by `swapped`)
  const info: TypeInfo = { ...spec, name, ctype: cTypeOf(spec.name), cls, load, store, ...(swapped ? { swapped } : {}) };
  // subclasses (`class P extends c_char_p {}`) get their own TypeInfo: results and fields are P instances
  setOwnInfo(cls, info, (sub) => subclassInfo(sub, info));
  return callable(cls);
}

/** The TypeInfo of a subclass of a fundamental type: the base's codec for `.value`, instances wherever C data is read. */
function subclassInfo(sub: Function, base: TypeInfo): TypeInfo {
  const info: TypeInfo = {
    ...base,
    name: sub.name,
    cls: sub,
    simpleBase: base,
    load: (view, offset, holder) => viewAs(info, view, offset, holder),
    store: (view, offset, value, holder, what, le) => {
      if (value instanceof CData && value._info === info) new Uint8Array(view.buffer, view.byteOffset + offset, info.size).set(value._bytes());
      else base.store(view, offset, value, holder, what, le);
    },
  };
  setOwnInfo(sub, info, (subsub) => subclassInfo(subsub, base));
  return info;
}

/** Kinds whose bytes have an order (ctypes gives them `__ctype_be__` / `__ctype_le__`). */
const ORDERED_KINDS = new Set(["int", "int64", "intptr", "float", "double", "wchar", "bool", "char"]);

/** The fundamental type of `spec`, with `__ctype_be__` / `__ctype_le__` (itself, or its byte-swapped twin, as in ctypes). */
function makeFundamentalType(spec: SimpleSpec): unknown {
  const { load, store } = codecs(spec);
  const native = makeSimpleType(spec, spec.name, load, store, false);
  if (!ORDERED_KINDS.has(spec.kind)) return native;
  let other = native;
  if (spec.size > 1) {
    const le = !LITTLE_ENDIAN;
    const swappedLoad: Load = (view, offset, holder) => load(view, offset, holder, le);
    const swappedStore: Store = (view, offset, value, holder, what) => store(view, offset, value, holder, what, le);
    other = makeSimpleType(spec, `${spec.name}${le ? "_le" : "_be"}`, swappedLoad, swappedStore, true);
  }
  const [be, le] = LITTLE_ENDIAN ? [other, native] : [native, other];
  for (const t of new Set([native, other]))
    Object.defineProperties(t, { __ctype_be__: { value: be, enumerable: false }, __ctype_le__: { value: le, enumerable: false } });
  return native;
}

/** The fundamental types by name, built once. */
export const simpleTypes: Readonly<Record<string, unknown>> = Object.fromEntries(SIMPLE_SPECS.map((s) => [s.name, makeFundamentalType(s)]));

export function simpleInfo(name: string): TypeInfo {
  return (simpleTypes[name] as { [INFO]: TypeInfo })[INFO];
}
