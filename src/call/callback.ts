/**
 * Function pointer types (`CFUNCTYPE(restype, ...argtypes)`): instances made
 * from a JS function are C-callable callbacks (libffi closures in the native
 * core); instances made from an address call that C function. Both are callable
 * from JS and are C data (storable in struct fields and pointers).
 */
import { native } from "../native";
import { ArgumentError, describeValue } from "../errors";
import { INFO, TypeInfo, infoOf } from "../types/ctype";
import { FfiCode } from "../types/ffi-codes";
import { ffiCodeOf } from "../abi/libffi";
import { callbackRegisters } from "../abi/registers";
import { LITTLE_ENDIAN, LONG_DOUBLE_FORMAT, POINTER_SIZE } from "../types/platform";
import { loadLongDouble } from "../types/longdouble";
import { ADDRESS, CData, callable, initData, isAddressable, keepAlive, newData, setInfo } from "../data/cdata";
import { allocateData, allocatedView, foreignView, loadAddress, storeAddress, toAddress } from "../data/memory";
import { encodeCString, encodeWString } from "../data/strings";
import { callbackPointerMaker } from "../data/pointer";
import { argCode, keep, resultCode } from "./convert";
import { Marshaller, compile } from "./compile";
import { generate } from "./generate";
import * as slab from "./slab";
import { libffiOnly } from "./entries";

/** A JS function or C function behind a function pointer. */
export abstract class FunctionPointerCData extends CData {
  /** @internal native callback handle (0 when this points at a C function) */
  declare _callback: number;
  /** @internal the JS function of a callback */
  declare _js: ((...args: unknown[]) => unknown) | null;
  /** @internal the address as a number (the argument fast path reads it) */
  declare _fnaddr: number;

  /** The C address of the function. */
  get address(): number {
    return loadAddress(this._view, this._off, LITTLE_ENDIAN);
  }

  get [ADDRESS](): number {
    return this.address;
  }

  /** Whether close() was called (callbacks). */
  get closed(): boolean {
    return this._callback === -1;
  }

  /**
   * Release a callback: C calls into it afterwards are reported and return zero, until 512 more
   * callbacks have been closed; then its address may be given to a new callback (docs/callbacks.md).
   */
  close(): void {
    if (this._callback > 0) {
      registry.unregister(this);
      native.callbackClose(this._callback);
      this._callback = -1;
      this._js = null;
      this._fnaddr = -1;
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  override toString(): string {
    return `<${this._info.name} ${this._callback === -1 ? "closed" : "0x" + this.address.toString(16)}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

interface FunctionInfo extends TypeInfo {
  readonly restype: TypeInfo | null;
  readonly argtypes: readonly TypeInfo[];
  /** JS functions already wrapped for this type (auto-wrapping of plain functions passed as arguments) */
  readonly wrapped: WeakMap<Function, FunctionPointerCData>;
}

const registry = new FinalizationRegistry<number>((handle) => native.callbackClose(handle));

// Callbacks from other threads run in batches; the next batch waits for a later
// loop turn, so a flood of them cannot starve timers and I/O.
native.setCallbackScheduler(() => setImmediate(() => native.drainCallbacks()));

function signatureText(restype: TypeInfo | null, argtypes: readonly TypeInfo[]): string {
  return `${restype ? restype.name : "void"}(*)(${argtypes.map((t) => t.name).join(", ")})`;
}

/** Code reading callback argument `i` of type `t` from the slab's callback area. */
function readArgument(t: TypeInfo, offset: number, h: string): { read: string; helpers: Record<string, unknown> } {
  const addr = `(u32[${(offset >> 2) + slab.LO}] + u32[${(offset >> 2) + slab.HI}] * 4294967296)`;
  if (t.kind === "struct" || t.kind === "union") {
    // a copy: the C argument only lives for the duration of the call
    return {
      read: `copy${h}(${addr})`,
      helpers: {
        [`copy${h}`]: (a: number) => {
          const obj = newData(t);
          native.memmove(obj._address, a, t.size);
          return obj;
        },
      },
    };
  }
  if (t.kind === "pointer") return { read: `pointer${h}(${addr})`, helpers: { [`pointer${h}`]: callbackPointerMaker(t) } };
  if (t.kind === "longdouble")
    return { read: `ld${h}(${addr})`, helpers: { [`ld${h}`]: (a: number) => loadLongDouble(foreignView(a, 16, "callback argument"), 0, LONG_DOUBLE_FORMAT, LITTLE_ENDIAN) } };
  const r = resultCode(t, offset);
  return { read: r.read, helpers: r.helpers };
}

/** The generated JS side of a callback: read C's arguments (argument i from callback-area slot `slots[i]`), call `fn`, store its result. */
function unmarshaller(info: FunctionInfo, fn: (...args: unknown[]) => unknown, slots: readonly number[]): () => void {
  const helpers: Record<string, unknown> = { ...slab, fn, ArgumentError };
  const lines: string[] = [];
  const names: string[] = [];
  info.argtypes.forEach((t, i) => {
    const r = readArgument(t, slab.layout.callbackArgs + 8 * slots[i]!, String(i));
    Object.assign(helpers, r.helpers);
    lines.push(`const a${i} = ${r.read};`);
    names.push(`a${i}`);
  });
  lines.push(`const r = fn(${names.join(", ")});`);
  const rt = info.restype;
  let temporaries = false;
  if (rt !== null) {
    if (rt.kind === "charp" || rt.kind === "wcharp") {
      // the string must outlive this call: it stays valid until the callback returns again
      const held: { bytes: Uint8Array | null } = { bytes: null };
      helpers.strResult = (v: unknown) => {
        if (v === null || v === undefined) return 0;
        if (typeof v !== "string") throw new ArgumentError(`callback ${info.name}: result: expected a string or null, got ${describeValue(v)}`);
        held.bytes = rt.kind === "charp" ? encodeCString(v) : encodeWString(v);
        return native.addressOf(held.bytes);
      };
      const o = slab.layout.callbackResult;
      lines.push(`{ const p = strResult(r); u32[${(o >> 2) + slab.LO}] = p >>> 0; u32[${(o >> 2) + slab.HI}] = (p / 4294967296) >>> 0; }`);
    } else {
      const c = argCode(rt, `callback ${info.name}: result`, -1, "r");
      Object.assign(helpers, c.helpers);
      lines.push(c.code("r", slab.layout.callbackResult));
      temporaries = c.scratch;
    }
  }
  // temporaries of the result (a long double, a struct made from a plain object) are read by C
  // right after this returns, before any JS can run again: release them on the way out
  helpers.keep = keep;
  const body = lines.join("\n");
  const source = temporaries
    ? `return function callback_unmarshal() {\nconst top = scratch.top, kept = keep.length;\ntry {\n${body}\n} finally { scratch.top = top; if (keep.length !== kept) keep.length = kept; }\n};`
    : `return function callback_unmarshal() {\n${body}\n};`;
  return generate<() => void>(source, helpers);
}

/** A new function pointer object of type `info` holding `address`. */
function makeInstance(info: FunctionInfo, address: number, js: ((...args: unknown[]) => unknown) | null, handle: number): FunctionPointerCData {
  let compiled: Marshaller | null = null;
  const call = js
    ? (...args: unknown[]) => js(...args)
    : (...args: unknown[]) => {
        if (address === 0) throw new ArgumentError(`${info.name}: calling a NULL function pointer`);
        compiled ??= compile(
          {
            displayName: `${info.name}@0x${address.toString(16)}()`,
            crashNote: `${signatureText(info.restype, info.argtypes)} at 0x${address.toString(16)}`,
            address,
            argtypes: info.argtypes,
            restype: info.restype,
            variadicFixed: -1,
            useErrno: false,
            reentrant: true,
          },
          null,
          null,
        ).call;
        return compiled(...args);
      };
  Object.setPrototypeOf(call, info.proto!);
  const obj = call as unknown as FunctionPointerCData;
  const off = allocateData(POINTER_SIZE, POINTER_SIZE);
  initData(obj, allocatedView(), off, POINTER_SIZE, null);
  storeAddress(obj._view, obj._off, address, LITTLE_ENDIAN);
  obj._callback = handle;
  obj._js = js;
  obj._fnaddr = address;
  return obj;
}

function makeCallback(info: FunctionInfo, fn: (...args: unknown[]) => unknown): FunctionPointerCData {
  const ret = info.restype === null ? FfiCode.Void : ffiCodeOf(info.restype);
  const args = info.argtypes.map((t) => ffiCodeOf(t));
  const registers = libffiOnly ? null : callbackRegisters(info.argtypes, info.restype);
  const unmarshal = unmarshaller(info, fn, registers ?? info.argtypes.map((_, i) => i));
  const [address, handle] = native.callbackCreate(ret, args, unmarshal, signatureText(info.restype, info.argtypes), registers);
  const obj = makeInstance(info, address, fn, handle);
  // the native side holds the unmarshaller weakly: this object owns it (a collected callback is reported, not called)
  Object.defineProperty(obj, "_unmarshal", { value: unmarshal });
  registry.register(obj, handle, obj);
  return obj;
}

/** The address a value stands for as a function pointer argument or field; plain functions are wrapped (and kept). */
export function functionPointerAddress(info: TypeInfo, v: unknown, holder: object | null, key: PropertyKey, what: string): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number" || typeof v === "bigint") return toAddress(v, what);
  if (v instanceof FunctionPointerCData) {
    if (v._info !== info && v._info.name !== info.name) throw new TypeError(`${what}: expected ${info.name}, got ${v._info.name}`);
    if (v._callback === -1) throw new TypeError(`${what}: the callback was closed`);
    keepAlive(holder, key, v);
    return v.address;
  }
  if (typeof v === "function") {
    if (isAddressable(v)) return v[ADDRESS]; // a foreign function object
    const fi = info as FunctionInfo;
    let cb = fi.wrapped.get(v);
    if (!cb) fi.wrapped.set(v, (cb = makeCallback(fi, v as (...args: unknown[]) => unknown)));
    keepAlive(holder, key, cb);
    return cb.address;
  }
  if (isAddressable(v)) return v[ADDRESS];
  throw new TypeError(`${what}: expected ${info.name}, a JS function, an address or null, got ${describeValue(v)}`);
}

const functionTypes = new Map<string, unknown>();

/** The C function pointer type `restype (*)(argtypes...)` (cached per signature). */
export function CFUNCTYPE(restype: unknown, ...argtypes: unknown[]): unknown {
  const rt = restype === null || restype === undefined ? null : infoOf(restype, "CFUNCTYPE() restype");
  const ats = argtypes.map((t, i) => infoOf(t, `CFUNCTYPE() argument type ${i + 1}`));
  if (rt?.kind === "array") throw new TypeError("CFUNCTYPE(): a function cannot return an array");
  const key = `${rt ? rt.name : "void"}(${ats.map((t) => t.name).join(",")})`;
  const cached = functionTypes.get(key);
  if (cached && (cached as { [INFO]: FunctionInfo })[INFO].argtypes.every((t, i) => t === ats[i]) && (cached as { [INFO]: FunctionInfo })[INFO].restype === rt) return cached;
  const name = `CFUNCTYPE(${key})`;
  const cls = class extends FunctionPointerCData {
    constructor(target?: unknown) {
      super();
      const fi = (cls as unknown as { [INFO]: FunctionInfo })[INFO];
      if (typeof target === "function") return makeCallback(fi, target as (...args: unknown[]) => unknown) as never;
      if (target === undefined || target === null) return makeInstance(fi, 0, null, 0) as never;
      if (typeof target === "number" || typeof target === "bigint")
        return makeInstance(fi, toAddress(target, `${name}()`), null, 0) as never;
      if (isAddressable(target)) return makeInstance(fi, target[ADDRESS], null, 0) as never;
      throw new TypeError(`${name}(): expected a JS function or a C function address, got ${describeValue(target)}`);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  const info: FunctionInfo = {
    name,
    kind: "funcptr",
    size: POINTER_SIZE,
    align: POINTER_SIZE,
    ffi: FfiCode.Pointer,
    cls,
    restype: rt,
    argtypes: ats,
    wrapped: new WeakMap(),
    load: (view, offset) => makeInstance(info, loadAddress(view, offset, LITTLE_ENDIAN), null, 0),
    fromAddress: (address) => makeInstance(info, address, null, 0),
    argAddress: (value, what) => functionPointerAddress(info, value, null, 0, what),
    // arguments: an open function pointer of exactly this type passes its address inline
    argFastClass: cls,
    store: (view, offset, value, holder, what, le) => storeAddress(view, offset, functionPointerAddress(info, value, holder, offset, what), le),
  };
  setInfo(cls, info);
  const t = callable(cls);
  functionTypes.set(key, t);
  return t;
}
