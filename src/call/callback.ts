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
import { ADDRESS, CData, SymbolSource, callable, initData, isAddressable, keepAlive, newData, setInfo } from "../data/cdata";
import { allocateData, allocatedView, foreignView, loadAddress, storeAddress, toAddress } from "../data/memory";
import { encodeCString, encodeWString } from "../data/strings";
import { callbackPointerMaker, decayedParameter } from "../data/pointer";
import { argCode, keep, resultCode } from "./convert";
import { Marshaller, compile } from "./compile";
import { generate } from "./generate";
import * as slab from "./slab";
import { libffiOnly } from "./entries";
import type { FunctionOwner } from "./function";

/** A JS function or C function behind a function pointer. */
export abstract class FunctionPointerCData extends CData {
  /** @internal native callback handle (0 when this points at a C function) */
  declare _callback: number;
  /** @internal the JS function of a callback */
  declare _js: ((...args: unknown[]) => unknown) | null;
  /** @internal the address as a number (the argument fast path reads it) */
  declare _fnaddr: number;
  /** @internal restype / argtypes set on this object (calls through a C address), or null: its type's */
  declare _signature: CallSignature | null;
  /** @internal the compiled call through the address, made on first call */
  declare _compiled: Marshaller | null;

  /** The result type calls through this pointer convert (ctypes: settable per object; callbacks keep their type's). */
  get restype(): unknown {
    return signatureOf(this).restypeObject;
  }

  set restype(type: unknown) {
    const sig = this._ownSignature("restype");
    const rt = type === null || type === undefined ? null : infoOf(type, `${this._info.name}.restype`);
    if (rt?.kind === "array") throw new TypeError(`${this._info.name}.restype: a function cannot return an array`);
    this._signature = { ...sig, restype: rt, restypeObject: type ?? null };
    this._compiled = null;
  }

  /** The argument types calls through this pointer convert (settable like restype). */
  get argtypes(): readonly unknown[] {
    return signatureOf(this).argtypeObjects;
  }

  set argtypes(types: readonly unknown[]) {
    const sig = this._ownSignature("argtypes");
    if (!Array.isArray(types)) throw new TypeError(`${this._info.name}.argtypes must be an array of tsctypes types, got ${describeValue(types)}`);
    const infos = types.map((t, i) => decayedParameter(infoOf(t, `${this._info.name}.argtypes[${i}]`)));
    this._signature = { ...sig, argtypes: infos, argtypeObjects: Object.freeze([...types]) };
    this._compiled = null;
  }

  /** @internal the signature to change: a callback's is fixed (C already calls it with its type's) */
  _ownSignature(attribute: string): CallSignature {
    if (this._js !== null || this._callback !== 0)
      throw new TypeError(`${this._info.name}.${attribute}: a callback's signature is fixed by its CFUNCTYPE; make a callback of another CFUNCTYPE`);
    return signatureOf(this);
  }

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

/** The C signature of calls through a function pointer, with the type objects it was declared with. */
interface CallSignature {
  readonly restype: TypeInfo | null;
  readonly argtypes: readonly TypeInfo[];
  readonly restypeObject: unknown;
  readonly argtypeObjects: readonly unknown[];
}

function signatureOf(fp: FunctionPointerCData): CallSignature {
  return fp._signature ?? (fp._info as FunctionInfo);
}

interface FunctionInfo extends TypeInfo, CallSignature {
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

/** The call through a C function pointer's address, compiled for its current signature. */
function compiledCall(obj: FunctionPointerCData, address: number, origin: SymbolOrigin | null): Marshaller {
  const sig = signatureOf(obj);
  const where = origin !== null ? `${origin.symbol} from ${origin.library.displayName}` : `0x${address.toString(16)}`;
  const c = compile(
    {
      displayName: origin !== null ? `${origin.symbol}()` : `${obj._info.name}@${where}()`,
      crashNote: `${signatureText(sig.restype, sig.argtypes)} at ${where}`,
      address,
      argtypes: sig.argtypes,
      restype: sig.restype,
      variadicFixed: -1,
      useErrno: origin?.library.useErrno ?? false,
      reentrant: null,
    },
    null,
    origin?.library ?? null,
  );
  // a function of a library: closing the library disables the call, like the library's own functions
  origin?.library.registerPlan(c.planId);
  return c.call;
}

/** Where a function pointer made by `Proto([name, lib])` comes from. */
interface SymbolOrigin {
  readonly symbol: string;
  readonly library: FunctionOwner;
}

/**
 * A new function pointer object of type `info` holding `address`. `origin`: the library and name it was looked
 * up by (`Proto([name, lib])`); `params`: its paramflags, mapping the JS call's arguments to C's.
 */
function makeInstance(
  info: FunctionInfo,
  address: number,
  js: ((...args: unknown[]) => unknown) | null,
  handle: number,
  origin: SymbolOrigin | null = null,
  params: readonly ParamSpec[] | null = null,
): FunctionPointerCData {
  const call = js
    ? (...args: unknown[]) => js(...args)
    : (...args: unknown[]) => {
        if (address === 0) throw new ArgumentError(`${info.name}: calling a NULL function pointer`);
        const compiled = (obj._compiled ??= compiledCall(obj, address, origin));
        return params === null ? compiled(...args) : callWithParamflags(origin?.symbol ?? info.name, signatureOf(obj), params, compiled, args);
      };
  Object.setPrototypeOf(call, info.proto!);
  const obj = call as unknown as FunctionPointerCData;
  const off = allocateData(POINTER_SIZE, POINTER_SIZE);
  initData(obj, allocatedView(), off, POINTER_SIZE, null);
  storeAddress(obj._view, obj._off, address, LITTLE_ENDIAN);
  obj._callback = handle;
  obj._js = js;
  obj._fnaddr = address;
  obj._signature = null;
  obj._compiled = null;
  return obj;
}

// ---------------------------------------------------------------- paramflags (ctypes' prototype((name, lib), paramflags))

/** One parameter of a paramflags declaration: `[flag, name?, default?]`. */
interface ParamSpec {
  /** 1 input, 2 output, 4 input defaulting to 0 (ctypes' flags; 0 counts as input) */
  readonly output: boolean;
  readonly name: string | null;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
}

function parseParamflags(flags: unknown, argtypes: readonly TypeInfo[], what: string): ParamSpec[] {
  if (!Array.isArray(flags) || flags.length !== argtypes.length)
    throw new TypeError(`${what}: paramflags must be an array with one entry per argument (${argtypes.length}), got ${describeValue(flags)}`);
  return flags.map((entry: unknown, i) => {
    const at = `${what}: paramflags[${i}]`;
    if (!Array.isArray(entry) || entry.length < 1 || entry.length > 3) throw new TypeError(`${at} must be [flag, name?, default?], got ${describeValue(entry)}`);
    const [flag, name] = entry as unknown[];
    if (flag !== 0 && flag !== 1 && flag !== 2 && flag !== 4) throw new TypeError(`${at}: flag must be 1 (input), 2 (output) or 4 (input, default 0), got ${describeValue(flag)}`);
    if (name !== undefined && name !== null && typeof name !== "string") throw new TypeError(`${at}: the name must be a string, got ${describeValue(name)}`);
    const output = flag === 2;
    if (output && argtypes[i]!.kind !== "pointer") throw new TypeError(`${at}: an output parameter must have a POINTER type, got ${argtypes[i]!.name}`);
    const hasDefault = entry.length === 3 || flag === 4;
    return { output, name: name ?? null, hasDefault, defaultValue: entry.length === 3 ? entry[2] : 0 };
  });
}

/**
 * A call through a paramflags declaration: input parameters from the positional arguments in order, then
 * from a trailing object of named arguments, then from their defaults; each output parameter gets a new
 * instance of its pointee, passed by reference. With outputs, they are the result (one: itself, several: an
 * array; simple values as their `.value`), as in ctypes; without, C's result.
 */
function callWithParamflags(fn: string, sig: CallSignature, params: readonly ParamSpec[], compiled: Marshaller, given: readonly unknown[]): unknown {
  const inputs = params.filter((p) => !p.output);
  let positional = given;
  let named: Record<string, unknown> = {};
  const last = given[given.length - 1];
  if (isNamedArguments(last, inputs)) {
    positional = given.slice(0, -1);
    named = last;
  }
  if (positional.length > inputs.length) throw new ArgumentError(`${fn}(): expected at most ${inputs.length} arguments, got ${positional.length}`);
  const args: unknown[] = [];
  const outs: CData[] = [];
  let next = 0;
  params.forEach((p, i) => {
    if (p.output) {
      const out = newData((sig.argtypes[i] as TypeInfo & { target: TypeInfo }).target);
      outs.push(out);
      args.push(out);
    } else if (next < positional.length) {
      args.push(positional[next++]);
    } else if (p.name !== null && Object.hasOwn(named, p.name)) {
      args.push(named[p.name]);
    } else if (p.hasDefault) {
      args.push(p.defaultValue);
    } else {
      throw new ArgumentError(`${fn}(): required argument ${p.name !== null ? JSON.stringify(p.name) : i + 1} missing`);
    }
  });
  const result = compiled(...args);
  if (outs.length === 0) return result;
  const values = outs.map((o) => (o._info.simpleBase === undefined && "value" in o && isScalar(o._info) ? (o as unknown as { value: unknown }).value : o));
  return values.length === 1 ? values[0] : values;
}

/** A trailing plain object whose keys all name input parameters: named arguments. */
function isNamedArguments(v: unknown, inputs: readonly ParamSpec[]): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => inputs.some((p) => p.name === k));
}

/** Fundamental types: an output parameter of one is returned as its value (ctypes' __ctypes_from_outparam__). */
function isScalar(t: TypeInfo): boolean {
  return t.kind !== "pointer" && t.kind !== "array" && t.kind !== "struct" && t.kind !== "union" && t.kind !== "funcptr";
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

/** `Proto([name, lib], paramflags?)`: the function `name` exported by a loaded library, which it keeps alive. */
function fromSymbol(info: FunctionInfo, spec: unknown[], paramflags: unknown): FunctionPointerCData {
  const [symbol, library] = spec;
  const what = `${info.name}()`;
  if (spec.length !== 2 || typeof symbol !== "string" || library === null || typeof library !== "object" || typeof (library as Partial<FunctionOwner>).registerPlan !== "function")
    throw new TypeError(`${what}: expected [name, library] (a symbol name and a loaded CDLL), got ${describeValue(spec)}`);
  const params = paramflags === undefined || paramflags === null ? null : parseParamflags(paramflags, info.argtypes, what);
  const lib = library as FunctionOwner & SymbolSource;
  const obj = makeInstance(info, lib.symbolAddress(symbol), null, 0, { symbol, library: lib }, params);
  keepAlive(obj, "library", library);
  return obj;
}

const functionTypes = new Map<string, unknown>();

/** The C function pointer type `restype (*)(argtypes...)` (cached per signature). */
export function CFUNCTYPE(restype: unknown, ...argtypes: unknown[]): unknown {
  const rt = restype === null || restype === undefined ? null : infoOf(restype, "CFUNCTYPE() restype");
  // array parameters decay to pointers, as in C
  const ats = argtypes.map((t, i) => decayedParameter(infoOf(t, `CFUNCTYPE() argument type ${i + 1}`)));
  if (rt?.kind === "array") throw new TypeError("CFUNCTYPE(): a function cannot return an array");
  const key = `${rt ? rt.name : "void"}(${ats.map((t) => t.name).join(",")})`;
  const cached = functionTypes.get(key);
  // (the declared objects, not only their C types: `argtypes` gives them back, an array type as given)
  const hit = cached === undefined ? null : (cached as { [INFO]: FunctionInfo })[INFO];
  if (hit && hit.argtypeObjects.every((t, i) => t === argtypes[i]) && hit.restype === rt) return cached;
  const name = `CFUNCTYPE(${key})`;
  const cls = class extends FunctionPointerCData {
    constructor(target?: unknown, paramflags?: unknown) {
      super();
      const fi = (cls as unknown as { [INFO]: FunctionInfo })[INFO];
      if (Array.isArray(target)) return fromSymbol(fi, target, paramflags) as never;
      if (paramflags !== undefined) throw new TypeError(`${name}(): paramflags need a function named in a library: ${name}([name, lib], paramflags)`);
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
    restypeObject: restype ?? null,
    argtypeObjects: Object.freeze([...argtypes]),
    wrapped: new WeakMap(),
    load: (view, offset, holder) => {
      const fp = makeInstance(info, loadAddress(view, offset, LITTLE_ENDIAN), null, 0);
      // read from a struct field: the struct's memory keeps the callback it points at
      keepAlive(fp, "base", holder);
      return fp;
    },
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
