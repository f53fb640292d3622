/**
 * Per-type code snippets for the generated marshallers: how an argument of a
 * C type is written into its slab slot, and how a result is read back.
 * Fast paths are inline JS; everything else goes through a checked converter.
 */
import { ArgumentError, describeValue } from "../errors";
import { TypeInfo } from "../types/ctype";
import { joinInt64, toCharCode, toFloat, toInt32Bits, toWcharCode, wcharToString } from "../types/convert";
import { loadLongDouble, storeLongDouble } from "../types/longdouble";
import { LITTLE_ENDIAN, LONG_DOUBLE_FORMAT, WCHAR_SIZE } from "../types/platform";
import { CData, isAddressable, ADDRESS, asParameter, newData, proxyTarget, selfOf } from "../data/cdata";
import { binaryAddress, isBinary, storeAddress, viewAddress } from "../data/memory";
import { ByRef, pointerArgumentAddress, pointerAt } from "../data/pointer";
import { addressOfValue, holdsAddress, pointerValueOf } from "../data/simple";
import { encodeCString, encodeWString, readCString, readWString } from "../data/strings";
import { native } from "../native";
import { TypedClass } from "../abi/typed";
import { HI, LO, dataView, i64, scratch, scratchAlloc, slabAddress, u32, u8 } from "./slab";
import { writeString } from "./entries";

const encoder = new TextEncoder();

/** Temporaries that must outlive the current call (strings too big for scratch). A stack, like scratch. */
export const keep: unknown[] = [];

// module-local aliases: closure constants are cheaper on the hot path than module-object loads
const U8 = u8;
const U32 = u32;
const I64 = i64;
const SCRATCH = scratch;
const SLAB_ADDRESS = slabAddress;

/**
 * The native string writer (a V8 fast API call where verified): beyond a few
 * characters it beats reading them one by one with charCodeAt (~30 instructions each).
 * It takes Latin-1 strings only (-1: not written).
 */
const WRITE_NATIVELY_FROM = 9;

/** UTF-8 + NUL of `s` in scratch (or a kept buffer); returns its address. */
export function putCString(s: string): number {
  const n = s.length;
  const off = SCRATCH.top;
  if (off + n * 3 + 1 <= SCRATCH.end) {
    let end: number;
    const written = n >= WRITE_NATIVELY_FROM && writeString !== null ? writeString(s, off, n * 3) : -1;
    if (written >= 0) {
      end = off + written;
    } else {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        U8[off + i] = c;
      }
      end = off + n;
      if (i < n) end = off + encoder.encodeInto(s, U8.subarray(off, off + n * 3)).written;
    }
    U8[end] = 0;
    SCRATCH.top = (end + 8) & ~7;
    return SLAB_ADDRESS + off;
  }
  const bytes = encodeCString(s);
  keep.push(bytes);
  return binaryAddress(bytes);
}

/** The wchar_t string of `s` in a buffer kept for the call; returns its address. */
function keepWString(s: string): number {
  const bytes = encodeWString(s);
  keep.push(bytes);
  return binaryAddress(bytes);
}

export function putWString(s: string): number {
  const bytes = encodeWString(s);
  const off = scratchAlloc(bytes.length);
  if (off < 0) {
    keep.push(bytes);
    return binaryAddress(bytes);
  }
  u8.set(bytes, off);
  return slabAddress + off;
}


/** Wrap a conversion so that a TypeError becomes an ArgumentError naming the function, argument and type. */
function checked<T>(fn: string, index: number, info: TypeInfo, convert: (v: unknown, what: string) => T): (v: unknown) => T {
  const what = index < 0 ? fn : `${fn}: argument ${index + 1}`;
  return (v) => {
    try {
      return convert(asParameter(v, what), what);
    } catch (e) {
      if (e instanceof TypeError && !(e instanceof ArgumentError))
        throw new ArgumentError(`${what}: expected ${info.name}, got ${describeValue(v)}${detail(e, v)}`, { cause: e });
      throw e;
    }
  };
}

function detail(e: TypeError, v: unknown): string {
  // keep the specific reason or hint when it adds something beyond "expected X, got Y"
  const m = e.message.split(": ").slice(-1)[0] ?? "";
  if (!(m.startsWith("expected") && m.includes(describeValue(v)))) return ` (${m})`;
  const hint = m.indexOf("; ");
  return hint >= 0 ? `; ${m.slice(hint + 2)}` : "";
}

/** A same-typed C data instance passed for a scalar parameter contributes its value. */
function unwrap(v: unknown, info: TypeInfo): unknown {
  if (v instanceof CData) {
    if (v._info === info || (v._info.kind === info.kind && v._info.size === info.size && v._info.signed === info.signed))
      return (v as unknown as { value: unknown }).value;
    throw new TypeError(`expected ${info.name}, got ${v._info.name} instance`);
  }
  return v;
}

export interface ArgCode {
  /** JS statements writing argument `a` (the parameter name) into slot byte offset `off` */
  code(a: string, off: number): string;
  /** a test on `a` under which `code` cannot throw (the marshaller may then run it outside its try) */
  noThrow?(a: string): string;
  /** for scratch-using kinds: a test on `a` under which `code` of `exact` writes it using no scratch (and keeps nothing) */
  exact?: { test(a: string): string; code(a: string, off: number): string };
  /** scalars: an expression for argument `a` converted as a typed entry takes it, and its class */
  typed?: { value(a: string): string; cls: TypedClass };
  /** helpers the code refers to, by name */
  helpers: Record<string, unknown>;
  /** whether it may use scratch space (the marshaller then restores scratch after the call) */
  scratch: boolean;
}

/** A 64-bit integer argument given as a number (or anything else: `convert` makes it a bigint) into the slot at `off`. */
function storeInt64(v: unknown, off: number, convert: (v: unknown) => bigint): void {
  if (typeof v === "number" && Number.isInteger(v)) {
    U32[(off >> 2) + LO] = v >>> 0;
    U32[(off >> 2) + HI] = Math.floor(v / 4294967296) >>> 0;
  } else {
    I64[off >> 3] = convert(v);
  }
}

const ptr = (off: number, expr: string) =>
  `{ const p = ${expr}; u32[${(off >> 2) + LO}] = p >>> 0; u32[${(off >> 2) + HI}] = (p / 4294967296) >>> 0; }`;

/** How to write an argument of type `info` (argument `index` of function `fn`). */
export function argCode(info: TypeInfo, fn: string, index: number, h: string): ArgCode {
  const cv = `cv${h}`;
  switch (info.kind) {
    case "int": {
      // Little-endian: narrow integers are written sign/zero-extended to 32 bits,
      // which both libffi (reads the low bytes) and the register path (the ABI
      // expects extended registers) accept. Big-endian: at their own width.
      const view = LITTLE_ENDIAN ? "i32" : info.size === 1 ? "i8" : info.size === 2 ? "i16" : "i32";
      const shift = LITTLE_ENDIAN ? 2 : info.size === 1 ? 0 : info.size === 2 ? 1 : 2;
      const bits = info.bits!;
      const signed = info.signed!;
      const wrap = (a: string) =>
        info.size === 4 ? a : info.size === 2 ? (signed ? `((${a} << 16) >> 16)` : `(${a} & 0xffff)`) : signed ? `((${a} << 24) >> 24)` : `(${a} & 0xff)`;
      // (expressions rather than if/else: short marshallers are inlined by V8 into their callers)
      const value = (a: string) => `typeof ${a} === "number" && (${a} | 0) === ${a} ? ${wrap(a)} : ${cv}(${a})`;
      return {
        code: (a, off) => `${view}[${off >> shift}] = ${value(a)};`,
        typed: { value, cls: "int32" },
        helpers: { [cv]: checked(fn, index, info, (v, what) => toInt32Bits(unwrap(v, info), bits, signed, what)) },
        scratch: false,
      };
    }
    case "int64":
    case "intptr": {
      if (info.size === 4) return argCode({ ...info, kind: "int" }, fn, index, h);
      return {
        code: (a, off) => `if (typeof ${a} === "bigint") i64[${off >> 3}] = ${a}; else storeInt64(${a}, ${off}, ${cv});`,
        helpers: {
          storeInt64,
          [cv]: checked(fn, index, info, (v, what) => {
            const x = unwrap(v, info);
            if (typeof x === "bigint") return x;
            if (typeof x === "number" && Number.isInteger(x)) return BigInt(x);
            throw new TypeError(`${what}: expected an integer (number or bigint), got ${describeValue(x)}`);
          }),
        },
        scratch: false,
      };
    }
    case "float":
    case "double": {
      const view = info.kind === "float" ? "f32" : "f64";
      const shift = info.kind === "float" ? 2 : 3;
      const value = (a: string) => `typeof ${a} === "number" ? ${a} : ${cv}(${a})`;
      return {
        code: (a, off) => `${view}[${off >> shift}] = ${value(a)};`,
        typed: { value, cls: info.kind },
        helpers: { [cv]: checked(fn, index, info, (v, what) => toFloat(unwrap(v, info), what)) },
        scratch: false,
      };
    }
    case "bool": {
      const value = (a: string) => `typeof ${a} === "object" && ${a} !== null ? ${cv}(${a}) : ${a} ? 1 : 0`;
      return {
        code: (a, off) => `${LITTLE_ENDIAN ? `i32[${off >> 2}]` : `u8[${off}]`} = ${value(a)};`,
        typed: { value, cls: "int32" },
        helpers: { [cv]: checked(fn, index, info, (v) => (unwrap(v, info) ? 1 : 0)) },
        scratch: false,
      };
    }
    case "char":
      return {
        code: (a, off) => `${LITTLE_ENDIAN ? `i32[${off >> 2}]` : `u8[${off}]`} = ${cv}(${a});`,
        typed: { value: (a) => `${cv}(${a})`, cls: "int32" },
        // C's char is signed here (ffi sint8): extend like one
        helpers: { [cv]: checked(fn, index, info, (v, what) => (toCharCode(unwrap(v, info), what) << 24) >> 24) },
        scratch: false,
      };
    case "wchar": {
      const view = WCHAR_SIZE === 2 ? "u16" : "u32";
      const shift = WCHAR_SIZE === 2 ? 1 : 2;
      return {
        code: (a, off) => `${view}[${off >> shift}] = ${cv}(${a});`,
        typed: { value: (a) => `${cv}(${a})`, cls: "int32" },
        helpers: { [cv]: checked(fn, index, info, (v, what) => toWcharCode(unwrap(v, info), what, WCHAR_SIZE)) },
        scratch: false,
      };
    }
    case "longdouble":
      return {
        code: (a, off) => ptr(off, `${cv}(${a})`),
        helpers: {
          [cv]: checked(fn, index, info, (v, what) => {
            const x = toFloat(unwrap(v, info), what);
            const o = scratchAlloc(16);
            if (o < 0) throw new RangeError(`${what}: out of scratch space`);
            storeLongDouble(dataView, o, x, LONG_DOUBLE_FORMAT, LITTLE_ENDIAN);
            return slabAddress + o;
          }),
        },
        scratch: true,
      };
    case "charp":
      return {
        code: (a, off) => ptr(off, `typeof ${a} === "string" ? putCString(${a}) : ${a} instanceof Uint8Array ? viewAddress(${a}, ${cv}) : ${cv}(${a})`),
        noThrow: (a) => `typeof ${a} === "string"`,
        helpers: {
          putCString,
          viewAddress,
          [cv]: checked(fn, index, info, (v, what) => {
            if (typeof v === "string") return putCString(v);
            checkStringPointer(v, "char", what);
            if (v instanceof CData && v._info.kind === "array") return v._address;
            if (isBinary(v) && !(v instanceof Uint8Array) && !(v instanceof Int8Array) && ArrayBuffer.isView(v))
              throw new TypeError(`${what}: expected a string, Uint8Array or null, got ${describeValue(v)}`);
            return addressOfValue(v, null, 0, what);
          }),
        },
        scratch: true,
      };
    case "wcharp":
      return {
        code: (a, off) => ptr(off, `typeof ${a} === "string" ? putWString(${a}) : ${cv}(${a})`),
        helpers: {
          putWString,
          [cv]: checked(fn, index, info, (v, what) => {
            if (typeof v === "string") return putWString(v);
            checkStringPointer(v, "wchar", what);
            if (v instanceof CData && v._info.kind === "array") return v._address;
            if (isBinary(v) && !isWcharArray(v))
              throw new TypeError(`${what}: expected a string or null, got ${describeValue(v)}; wchar_t memory is a ${WCHAR_SIZE === 2 ? "Uint16Array" : "Uint32Array"} or c_wchar array`);
            return addressOfValue(v, null, 0, what);
          }),
        },
        scratch: true,
      };
    case "voidp":
      return {
        code: (a, off) =>
          ptr(off, `typeof ${a} === "number" && ${a} >= 0 && ${a} <= 9007199254740991 && Number.isInteger(${a}) ? ${a} : ArrayBuffer.isView(${a}) ? viewAddress(${a}, ${cv}) : typeof ${a} === "object" && ${a} !== null ? dataAddress(${a}, null, ${cv}) : ${cv}(${a})`),
        helpers: {
          viewAddress,
          CData,
          ByRef,
          dataAddress,
          [cv]: checked(fn, index, info, (v, what) => {
            if (isAddressable(v)) return v[ADDRESS];
            if (v instanceof CData && (v._info.kind === "array" || v._info.kind === "struct" || v._info.kind === "union")) return v._address;
            if (typeof v === "string") throw new TypeError(`${what}: a string is not a c_void_p; declare the parameter c_char_p`);
            return addressOfValue(v, null, 0, what);
          }),
        },
        scratch: false,
      };
    case "pointer":
    case "funcptr": {
      // the TypedArray class that matches the pointee passes without further checks
      const pointee = info.kind === "pointer" ? layoutOrNull(info) : null;
      const Typed = pointee ? matchingTypedArray(pointee) : null;
      // POINTER(c_wchar) takes a JS string like c_wchar_p (kept, not in scratch: the slot is no scratch slot)
      const wide = pointee?.kind === "wchar";
      const convert = info.argAddress
        ? (v: unknown, what: string) => info.argAddress!(v, what)
        : (v: unknown, what: string) => (wide && typeof v === "string" ? keepWString(v) : pointerArgumentAddress(info, v, null, 0, what));
      const fast = info.argFastClass ? (a: string) => `${a} instanceof FP${h} && ${a}._fnaddr >= 0 ? ${a}._fnaddr : ` : () => "";
      const text = wide ? (a: string) => `typeof ${a} === "string" ? keepWString(${a}) : ` : () => "";
      // C data of the pointee type (or an array of it), or byref() of it, passes its memory without further checks
      const data = info.kind === "pointer" ? (a: string) => `typeof ${a} === "object" ? dataAddress(${a}, T${h}, ${cv}) : ` : () => "";
      return {
        code: (a, off) => ptr(off, `${a} === null ? 0 : ${Typed ? `ArrayBuffer.isView(${a}) && ${a} instanceof Typed${h} ? viewAddress(${a}, ${cv}) : ` : ""}${fast(a)}${data(a)}${text(a)}${cv}(${a})`),
        helpers: {
          [cv]: checked(fn, index, info, convert),
          [`Typed${h}`]: Typed,
          [`FP${h}`]: info.argFastClass,
          // (resolved per call, as the converter does: the target may be a structure whose _fields_ come later)
          [`T${h}`]: info.kind === "pointer" ? (info as TypeInfo & { pointee(): TypeInfo }).pointee : null,
          viewAddress,
          keepWString,
          CData,
          ByRef,
          dataAddress,
        },
        scratch: wide,
      };
    }
    case "struct":
    case "union":
      // by value: libffi copies the aggregate from the instance's own memory
      return {
        code: (a, off) => ptr(off, `${a} instanceof S${h} ? ${a}._address : ${cv}(${a})`),
        exact: { test: (a) => `${a} instanceof S${h}`, code: (a, off) => ptr(off, `${a}._address`) },
        helpers: {
          [`S${h}`]: info.cls,
          [cv]: checked(fn, index, info, (v, what) => {
            if (v instanceof CData && v._info === info) return v._address;
            const cls = info.cls as new (init: unknown) => CData;
            if (v !== null && typeof v === "object" && !(v instanceof CData)) {
              const tmp = new cls(v);
              keep.push(tmp);
              return tmp._address;
            }
            throw new TypeError(`${what}: expected ${info.name}, got ${describeValue(v)}`);
          }),
        },
        scratch: true,
      };
    default:
      throw new TypeError(`${fn}: argument ${index + 1}: type ${info.name} cannot be passed by value`);
  }
}

/**
 * The address an object passes for a pointer parameter where that needs no check (the C data's own
 * address, kept in `_addr`): for c_void_p (`pointee` null) C arrays, structures, unions and anything
 * by reference, for POINTER(T) (`pointee` gives T) an instance of T or an array of T, or byref() of
 * one. Anything else, and objects carrying an `_as_parameter_`, is for `orElse`, the parameter's
 * checked converter.
 */
function dataAddress(v: object, pointee: (() => TypeInfo) | null, orElse: (v: unknown) => number): number {
  // (the target of an indexing Proxy already met is C data: no instanceof, which on a Proxy runs
  // through V8's runtime; a ByRef holds its data unwrapped)
  let data = proxyTarget(v);
  let byRef: ByRef | null = null;
  if (data === undefined) {
    if (v instanceof ByRef) data = (byRef = v)._data;
    else if (v instanceof CData) data = selfOf(v);
    else return orElse(v);
  }
  const address = data._addr;
  if (address < 0 || "_as_parameter_" in data || (byRef !== null && "_as_parameter_" in byRef)) return orElse(v);
  const info = data._info;
  const kind = info.kind;
  if (byRef === null && holdsAddress(kind)) {
    // a pointer passes the address it holds: any pointer as c_void_p, one of the parameter's own
    // type as POINTER(T) (the same pointee function: POINTER(T) is one type); the converter checks the rest
    return pointee === null || (info as { pointee?: unknown }).pointee === pointee ? pointerValueOf(data) : orElse(v);
  }
  let own: boolean;
  if (pointee === null) own = true; // (any C data that is no pointer passes its own address as c_void_p)
  else {
    const t = pointee();
    own = info === t || (kind === "array" && info.target === t);
  }
  return !own ? orElse(v) : byRef !== null ? address + byRef.offset : address;
}

/**
 * What c_char_p / c_wchar_p parameters refuse (ctypes does too): numbers and bigints, which
 * would be taken as addresses (pass those as c_void_p or cast(address, c_char_p)), and C data
 * other than strings, c_void_p and memory of the right character type.
 */
function checkStringPointer(v: unknown, char: "char" | "wchar", what: string): void {
  const name = char === "char" ? "c_char_p" : "c_wchar_p";
  if (typeof v === "number" || typeof v === "bigint")
    throw new TypeError(`${what}: expected ${name}, got ${describeValue(v)}; to pass an address declare the parameter c_void_p or pass cast(address, ${name})`);
  const target = v instanceof CData ? v._info : v instanceof ByRef ? v.obj._info : null;
  if (target === null) return;
  const kind = target.kind;
  const ok = v instanceof ByRef
    ? kind === char || (kind === "array" && target.target!.kind === char)
    : kind === `${char}p` || kind === "voidp" || ((kind === "array" || kind === "pointer") && target.target!.kind === char);
  if (!ok) throw new TypeError(`${what}: expected ${name}, got ${describeValue(v)}${v instanceof ByRef ? `; it refers to a ${target.name}` : ""}`);
}

/** Whether JS memory holds wchar_t units: an integer typed array of wchar_t's size. */
function isWcharArray(v: unknown): boolean {
  return WCHAR_SIZE === 2 ? v instanceof Uint16Array || v instanceof Int16Array : v instanceof Uint32Array || v instanceof Int32Array;
}

/**
 * A result of a subclass of a fundamental type: an instance holding C's value, as in ctypes. Pointers
 * keep C's address (a c_char_p subclass result can be freed), other values go through the base's codec.
 */
function instanceResultCode(info: TypeInfo, base: TypeInfo, r: number): ResultCode {
  const make = (store: (o: CData, v: unknown) => void) => (v: unknown) => newData(info, (o) => store(o, v));
  if (base.kind === "charp" || base.kind === "wcharp" || base.kind === "voidp") {
    const helpers = { asInstance: make((o, a) => storeAddress(o._view, o._off, a as number, LITTLE_ENDIAN)) };
    return { before: "", read: `asInstance(u32[${(r >> 2) + LO}] + u32[${(r >> 2) + HI}] * 4294967296)`, helpers, scratch: false };
  }
  const value = resultCode(base, r);
  const typed = value.typed;
  return {
    ...value,
    read: `asInstance(${value.read})`,
    typed: typed && typed.cls !== "void" ? { cls: typed.cls, read: (x) => `asInstance(${typed.read(x)})` } : undefined,
    helpers: { ...value.helpers, asInstance: make((o, v) => base.store(o._view, o._off, v, o, info.name, LITTLE_ENDIAN)) },
  };
}

/** The TypedArray class whose elements are exactly `t` (Uint8Array for bytes). */
/** A pointer's target type, or null while it is a structure without `_fields_` (an opaque handle, `POINTER(sqlite3)`: no TypedArray or string to match). */
function layoutOrNull(pointer: TypeInfo): TypeInfo | null {
  try {
    return pointer.target!;
  } catch {
    return null;
  }
}

function matchingTypedArray(t: TypeInfo): (new (n: number) => ArrayBufferView) | null {
  const s = t.signed;
  switch (t.kind) {
    case "int":
      return t.size === 1 ? (s ? Int8Array : Uint8Array) : t.size === 2 ? (s ? Int16Array : Uint16Array) : s ? Int32Array : Uint32Array;
    case "int64":
    case "intptr":
      return t.size === 8 ? (s ? BigInt64Array : BigUint64Array) : null;
    case "float":
      return Float32Array;
    case "double":
      return Float64Array;
    case "char":
    case "bool":
      return Uint8Array;
    default:
      return null;
  }
}

export interface ResultCode {
  /** statements before the call (e.g. pointing the result slot at scratch) */
  before: string;
  /** an expression reading the result */
  read: string;
  /** void and scalar results of typed entries: how C returns it, and an expression making it the JS result from `r`, what the entry returned */
  typed?: { cls: TypedClass | "void"; read(r: string): string };
  helpers: Record<string, unknown>;
  scratch: boolean;
}

/** How to read a result of type `info` from the result slot at byte offset `r`. */
export function resultCode(info: TypeInfo | null, r: number): ResultCode {
  const none = { before: "", helpers: {}, scratch: false };
  const addr = `(u32[${(r >> 2) + LO}] + u32[${(r >> 2) + HI}] * 4294967296)`;
  if (info === null) return { ...none, read: "undefined", typed: { cls: "void", read: (x) => `void ${x}` } };
  if (info.simpleBase) return instanceResultCode(info, info.simpleBase, r);
  switch (info.kind) {
    case "int": {
      const s = info.signed;
      const view = info.size === 1 ? (s ? "i8" : "u8") : info.size === 2 ? (s ? "i16" : "u16") : s ? "i32" : "u32";
      const shift = info.size === 1 ? 0 : info.size === 2 ? 1 : 2;
      // a typed entry returns the low 32 bits of the result register: narrow them as C's type is
      const narrow = (x: string) =>
        info.size === 1 ? (s ? `((${x} << 24) >> 24)` : `(${x} & 0xff)`) : info.size === 2 ? (s ? `((${x} << 16) >> 16)` : `(${x} & 0xffff)`) : s ? x : `(${x} >>> 0)`;
      return { ...none, read: `${view}[${r >> shift}]`, typed: info.size <= 4 ? { cls: "int32", read: narrow } : undefined };
    }
    case "int64":
      return { ...none, read: `${info.signed ? "i64" : "u64"}[${r >> 3}]` };
    case "intptr":
      if (info.size === 4) return { ...none, read: `${info.signed ? "i32" : "u32"}[${r >> 2}]` };
      return {
        ...none,
        read: `joinInt64(u32[${(r >> 2) + LO}], u32[${(r >> 2) + HI}], ${info.signed}, ${JSON.stringify(info.name)}, ${JSON.stringify(info.exactAlternative)})`,
        helpers: { joinInt64 },
      };
    case "float":
      return { ...none, read: `f32[${r >> 2}]`, typed: { cls: "float", read: (x) => x } };
    case "double":
      return { ...none, read: `f64[${r >> 3}]`, typed: { cls: "double", read: (x) => x } };
    case "bool":
      return { ...none, read: `u8[${r}] !== 0`, typed: { cls: "int32", read: (x) => `(${x} & 0xff) !== 0` } };
    case "char":
      return { ...none, read: `String.fromCharCode(u8[${r}])`, typed: { cls: "int32", read: (x) => `String.fromCharCode(${x} & 0xff)` } };
    case "wchar":
      return {
        ...none,
        read: `wcharToString(${WCHAR_SIZE === 2 ? `u16[${r >> 1}]` : `u32[${r >> 2}]`})`,
        typed: { cls: "int32", read: (x) => `wcharToString(${WCHAR_SIZE === 2 ? `${x} & 0xffff` : `${x} >>> 0`})` },
        helpers: { wcharToString },
      };
    case "voidp":
      return { ...none, read: `(${addr} || null)` };
    case "charp":
      return { ...none, read: `readCharp(${addr})`, helpers: { readCharp: (a: number) => (a === 0 ? null : readCString(a)) } };
    case "wcharp":
      return { ...none, read: `readWcharp(${addr})`, helpers: { readWcharp: (a: number) => (a === 0 ? null : readWString(a)) } };
    case "pointer":
    case "funcptr":
      return { ...none, read: `makePointer(${addr})`, helpers: { makePointer: info.fromAddress ?? ((a: number) => pointerAt(info, a)) } };
    case "longdouble":
      return {
        before: `const ro = scratchAlloc(16); if (ro < 0) throw new RangeError("out of scratch space"); ${ptr(r, "slabAddress + ro")}`,
        read: `loadLongDouble(dataView, ro, ${JSON.stringify(LONG_DOUBLE_FORMAT)}, ${LITTLE_ENDIAN})`,
        helpers: { loadLongDouble },
        scratch: true,
      };
    case "struct":
    case "union":
      // the result object is made first and C's result is written straight into its memory
      return {
        before: `const res = newResult(); ${ptr(r, "res._address")}`,
        read: `res`,
        helpers: { newResult: () => newData(info) },
        scratch: false,
      };
    default:
      throw new TypeError(`restype ${info.name} cannot be returned by value`);
  }
}


