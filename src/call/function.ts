/**
 * Foreign function objects: `lib.name` with settable argtypes / restype /
 * errcheck (ctypes style) and `lib.func(...)` with a fixed signature. Both run
 * compiled marshallers; calls without argtypes infer a signature per call shape.
 */
import { ArgumentError, describeValue } from "../errors";
import { TypeInfo, hasInfo, infoOf } from "../types/ctype";
import { ADDRESS, CData, asParameter, isAddressable } from "../data/cdata";
import { isBinary } from "../data/memory";
import { ByRef, decayedParameter } from "../data/pointer";
import { simpleInfo } from "../data/simple";
import { CompiledCall, Marshaller, PlanHolder, Signature, compile } from "./compile";
import { generate } from "./generate";
import { JobOwner, runAsync, runThreaded } from "./jobs";

export type ErrCheck = (result: unknown, func: ForeignFunction, args: unknown[]) => unknown;

/** Where a function lives, for messages and closing. */
export interface FunctionOwner extends PlanHolder, JobOwner {
  readonly displayName: string;
  readonly useErrno: boolean;
  /** plans of this library, disabled when it closes */
  registerPlan(planId: number): void;
}

/** A callable foreign function with ctypes-style attributes. */
export interface ForeignFunction extends Marshaller {
  argtypes: readonly unknown[] | null;
  restype: unknown;
  errcheck: ErrCheck | null;
  /** `{ threads: true }`: C code may block while its own threads call back into JS */
  threads: boolean;
  /** true: the C function may call back into JS; false: it never does; null (default): inferred (docs/performance.md) */
  reentrant: boolean | null;
  readonly address: number;
  /** The same call on the libuv thread pool; the event loop keeps running. */
  async(...args: unknown[]): Promise<unknown>;
}

interface FunctionState {
  readonly name: string;
  readonly address: number;
  readonly owner: FunctionOwner;
  argtypes: readonly TypeInfo[] | null;
  argtypeObjects: readonly unknown[] | null;
  restype: TypeInfo | null;
  restypeObject: unknown;
  errcheck: ErrCheck | null;
  /** run synchronous calls on a helper thread, servicing callbacks from other threads meanwhile */
  threads: boolean;
  /** declared to call back into JS (true) or not (false), or null: inferred */
  reentrant: boolean | null;
  /** the compiled fixed-signature call, or null until first call */
  compiled: CompiledCall | null;
  /** compiled calls by inferred shape (no argtypes) or by variadic tail */
  byShape: Map<string, CompiledCall>;
  /** argtypes entries with a `from_param` of their own (adapters), or null when there are none */
  adapters: Adapters | null;
}

/**
 * Adapters in argtypes (ctypes' from_param protocol): argument i is first replaced by `fromParam[i](arg)`.
 * An adapter that is no tsctypes type leaves a hole in `types`: the C type of its result is inferred per call.
 */
interface Adapters {
  readonly fromParam: readonly (((v: unknown) => unknown) | null)[];
  readonly types: readonly (TypeInfo | null)[];
  readonly holes: boolean;
}

const C_INT = () => simpleInfo("c_int");

function signatureOf(st: FunctionState, argtypes: readonly TypeInfo[], variadicFixed: number): Signature {
  const fn = `${st.name}()`;
  const sigText = `${st.name}(${argtypes.map((t) => t.name).join(", ")}) -> ${st.restype ? st.restype.name : "void"}`;
  return {
    displayName: fn,
    crashNote: `${sigText} from ${st.owner.displayName}`,
    address: st.address,
    argtypes,
    restype: st.restype,
    variadicFixed,
    useErrno: st.owner.useErrno,
    reentrant: st.reentrant,
  };
}

/** The type a JS value is passed as when nothing is declared (docs/api.md "Calls without argtypes"). */
function inferType(v: unknown, fn: string, index: number, variadic: boolean): TypeInfo {
  const what = `${fn}: argument ${index + 1}`;
  switch (typeof v) {
    case "number":
      if (Number.isInteger(v)) {
        if (v >= -2147483648 && v <= 4294967295) return C_INT();
        throw new ArgumentError(`${what}: integer ${v} does not fit in a C int; declare the parameter (e.g. c_int64) in argtypes or pass c_int64(${v})`);
      }
      throw new ArgumentError(
        `${what}: don't know how to convert ${describeValue(v)}; declare argtypes (e.g. [c_double]) or pass c_double(${v}) / c_float(${v})`,
      );
    case "bigint":
      return simpleInfo("c_longlong");
    case "string":
      return simpleInfo("c_char_p");
    case "boolean":
      return C_INT();
    default:
      break;
  }
  if (v === null) return simpleInfo("c_void_p");
  if (v instanceof CData) {
    const info = v._info;
    if (info.kind === "array") return simpleInfo("c_void_p");
    if (variadic) {
      // C's default argument promotions for variadic arguments
      if (info.kind === "float") return simpleInfo("c_double");
      if ((info.kind === "int" && info.size < 4) || info.kind === "bool" || info.kind === "char") return C_INT();
    }
    return info;
  }
  if (v instanceof ByRef || isBinary(v) || isAddressable(v)) return simpleInfo("c_void_p");
  throw new ArgumentError(`${what}: don't know how to convert ${describeValue(v)}; declare argtypes for this function`);
}

/** Value passed for an inferred parameter of type `t`: scalar C data contributes its value, promoted to `t` when C's promotions changed the type. */
function inferredValue(v: unknown, t: TypeInfo): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof CData) {
    const k = v._info.kind;
    if (k === "array") return v._address;
    if (k === "struct" || k === "union" || k === "pointer" || k === "funcptr") return v;
    const value = (v as unknown as { value: unknown }).value;
    if (v._info === t) return value;
    if (typeof value === "boolean") return value ? 1 : 0;
    if (k === "char") return (((value as string).charCodeAt(0) << 24) >> 24);
    return value;
  }
  if (v instanceof ByRef) return v[ADDRESS];
  return v;
}

/** The compiled call for this call's shape (no argtypes, or extra variadic arguments) and the values to pass. */
function inferredCall(st: FunctionState, fixed: readonly (TypeInfo | null)[], args: ArrayLike<unknown>): { c: CompiledCall; values: unknown[] } {
  const fn = `${st.name}()`;
  const variadic = st.argtypes !== null && args.length > fixed.length;
  const types: TypeInfo[] = [];
  const values: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const declared = i < fixed.length ? fixed[i]! : null;
    // what is not declared (extra arguments, adapter results) is inferred from the value it stands for
    const v = declared ? args[i] : asParameter(args[i], `${fn}: argument ${i + 1}`);
    const t = declared ?? inferType(v, fn, i, variadic);
    types.push(t);
    values.push(declared ? v : inferredValue(v, t));
  }
  const key = types.map((t) => t.name).join(",");
  let c = st.byShape.get(key);
  if (!c) {
    c = compile(signatureOf(st, types, variadic ? fixed.length : -1), null, st.owner);
    st.owner.registerPlan(c.planId);
    st.byShape.set(key, c);
  }
  return { c, values };
}

/** The arguments after the adapters' from_param (errors name the argument, like ctypes). */
function adapted(st: FunctionState, adapters: Adapters, args: readonly unknown[]): unknown[] {
  const out = [...args];
  adapters.fromParam.forEach((fromParam, i) => {
    if (fromParam === null || i >= args.length) return;
    try {
      out[i] = fromParam(args[i]);
    } catch (e) {
      if (e instanceof TypeError && !(e instanceof ArgumentError)) throw new ArgumentError(`${st.name}(): argument ${i + 1}: ${e.message}`, { cause: e });
      throw e;
    }
  });
  return out;
}

function callInferred(st: FunctionState, fixed: readonly TypeInfo[], args: ArrayLike<unknown>): unknown {
  return run(st, inferredCall(st, fixed, args));
}

/** Run a call here, or on a helper thread for `threads` functions. */
function run(st: FunctionState, job: { c: CompiledCall; values: unknown[] }): unknown {
  return st.threads ? runThreaded(job.c, job.values) : job.c.call(...job.values);
}

/** The compiled call and values for `args`, whatever the shape (adapters applied). */
function callFor(st: FunctionState, given: unknown[]): { c: CompiledCall; values: unknown[] } {
  const args = st.adapters === null ? given : adapted(st, st.adapters, given);
  if (st.adapters?.holes) {
    const n = st.adapters.types.length;
    if (args.length < n) throw new ArgumentError(`${st.name}(): expected ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`);
    return inferredCall(st, st.adapters.types, args);
  }
  if (st.argtypes === null || args.length > st.argtypes.length) return inferredCall(st, st.argtypes ?? [], args);
  return { c: compiledFor(st), values: args };
}

function asyncCall(st: FunctionState, f: ForeignFunction, args: unknown[]): Promise<unknown> {
  let job: { c: CompiledCall; values: unknown[] };
  try {
    job = callFor(st, args);
  } catch (e) {
    return Promise.reject(e);
  }
  const p = runAsync(job.c, job.values, st.owner);
  return st.errcheck === null ? p : p.then((r) => st.errcheck!(r, f, args));
}

/**
 * What a call runs for the function's current attributes: the compiled marshaller itself when
 * argtypes are plain types (no dispatch per call), else the inferring, adapting or threaded path;
 * wrapped by errcheck if set. `f` gives the function object errcheck receives.
 */
function callerOf(st: FunctionState, f: () => ForeignFunction): Marshaller {
  const inner: Marshaller =
    st.argtypes === null
      ? (...args: unknown[]) => callInferred(st, [], args)
      : st.threads || st.adapters !== null
        ? (...args: unknown[]) => run(st, callFor(st, args))
        : compiledFor(st).call;
  const check = st.errcheck;
  return check === null ? inner : (...args: unknown[]) => check(inner(...args), f(), args);
}

function compiledFor(st: FunctionState): CompiledCall {
  if (st.compiled) return st.compiled;
  const argtypes = st.argtypes!;
  const c = compile(signatureOf(st, argtypes, -1), (args) => callInferred(st, argtypes, args), st.owner);
  st.owner.registerPlan(c.planId);
  return (st.compiled = c);
}

function toTypeList(v: unknown, fn: string): { infos: TypeInfo[]; objects: unknown[]; adapters: Adapters | null } | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) throw new TypeError(`${fn}.argtypes must be an array of tsctypes types, got ${describeValue(v)}`);
  const fromParam = v.map((t) => adapterOf(t));
  const types = v.map((t, i) => (fromParam[i] !== null && !hasInfo(t) ? null : decayedParameter(infoOf(t, `${fn}.argtypes[${i}]`))));
  const holes = types.includes(null);
  const adapters = fromParam.some((a) => a !== null) ? { fromParam, types, holes } : null;
  // (with holes every call goes through inferredCall, which reads adapters.types; `infos` is then unused)
  const infos = types.map((t) => t ?? simpleInfo("c_void_p"));
  return { infos, objects: [...v], adapters };
}

/** An argtypes entry's own static from_param (an adapter), or null for a plain tsctypes type. */
function adapterOf(t: unknown): ((v: unknown) => unknown) | null {
  if (t === null || (typeof t !== "object" && typeof t !== "function")) return null;
  const fromParam = (t as { from_param?: unknown }).from_param;
  if (typeof fromParam !== "function" || fromParam === CData.from_param) return null;
  return (v) => fromParam.call(t, v);
}

function toRestype(v: unknown, fn: string): TypeInfo | null {
  if (v === null || v === undefined) return null;
  const info = infoOf(v, `${fn}.restype`);
  if (info.kind === "array") throw new TypeError(`${fn}.restype: C functions cannot return arrays; use POINTER(${info.target!.name})`);
  return info;
}

const FORWARDER_VARIANTS = 16;
let forwarders = 0;

/**
 * The function object of an attribute-declared function: it calls `target.invoke`. One forwarder
 * for all would see every function's marshaller at its call site, and V8 would inline none (Node 26,
 * 12 such functions called in turn: 13.8 ns per call, 7.6 with lib.func). Functions take one of
 * FORWARDER_VARIANTS copies in turn: a bounded number of sources (V8 14.6 keeps every one it compiled).
 */
function forwarder(target: { invoke: Marshaller }): () => unknown {
  const k = forwarders++ % FORWARDER_VARIANTS;
  return generate<() => unknown>(`/* forwarder ${k} */\nreturn function () { return target.invoke.apply(undefined, arguments); };`, { target });
}

/** Build the function object for symbol `name` at `address`. */
export function makeForeignFunction(name: string, address: number, owner: FunctionOwner): ForeignFunction {
  const st: FunctionState = {
    name,
    address,
    owner,
    argtypes: null,
    argtypeObjects: null,
    restype: C_INT(),
    restypeObject: undefined,
    errcheck: null,
    threads: false,
    reentrant: null,
    compiled: null,
    byShape: new Map(),
    adapters: null,
  };
  // What calls run: the first call after a change of attributes settles it (compiling the
  // marshaller once), later calls go straight to it. (apply forwards `arguments` without an array.)
  const target: { invoke: Marshaller } = { invoke: settle };
  function settle(): unknown {
    target.invoke = callerOf(st, () => f);
    return target.invoke.apply(undefined, arguments as unknown as unknown[]);
  }
  const changed = (): void => {
    st.compiled = null;
    st.byShape.clear();
    target.invoke = settle;
  };
  const f = forwarder(target) as unknown as ForeignFunction;
  Object.defineProperties(f, {
    name: { value: name },
    argtypes: {
      get: () => st.argtypeObjects,
      set: (v: unknown) => {
        const list = toTypeList(v, name);
        st.argtypes = list ? list.infos : null;
        st.argtypeObjects = list ? Object.freeze(list.objects) : null;
        st.adapters = list ? list.adapters : null;
        changed();
      },
      enumerable: true,
    },
    restype: {
      get: () => (st.restypeObject === undefined ? st.restype?.cls ?? null : st.restypeObject),
      set: (v: unknown) => {
        st.restype = toRestype(v, name);
        st.restypeObject = v ?? null;
        changed();
      },
      enumerable: true,
    },
    errcheck: {
      get: () => st.errcheck,
      set: (v: unknown) => {
        if (v !== null && v !== undefined && typeof v !== "function") throw new TypeError(`${name}.errcheck must be a function or null, got ${describeValue(v)}`);
        st.errcheck = (v as ErrCheck) ?? null;
        target.invoke = settle;
      },
      enumerable: true,
    },
    threads: {
      get: () => st.threads,
      set: (v: unknown) => {
        st.threads = v === true;
        target.invoke = settle;
      },
      enumerable: true,
    },
    reentrant: {
      get: () => st.reentrant,
      set: (v: unknown) => {
        st.reentrant = typeof v === "boolean" ? v : null;
        changed(); // the declaration is part of the plan
      },
      enumerable: true,
    },
    async: { value: (...args: unknown[]) => asyncCall(st, f, args) },
    address: { value: address, enumerable: true },
    [ADDRESS]: { value: address },
  });
  return f;
}

export interface FuncOptions {
  /** post-process each result, like ctypes' errcheck */
  errcheck?: ErrCheck;
  /**
   * The C function blocks while its own threads call back into JS: run it on a
   * helper thread while this thread services those callbacks (Python's GIL
   * release). Without it such callbacks would wait forever (and are reported).
   */
  threads?: boolean;
  /**
   * Whether the C function calls back into JS (runs a callback, directly or one C stored
   * earlier). `true`: its calls always take the plain entry, which runs callbacks. `false`:
   * it never does. Left out: it may if it takes a function pointer argument, else it is
   * assumed not to, which keeps V8's fast entry while callbacks are alive. A callback reached
   * during a fast call cannot run: it returns zero, the call throws ERR_CALLBACK_IN_FAST_CALL
   * and the function's later calls take the plain entry (docs/performance.md).
   */
  reentrant?: boolean;
}

/** A fixed-signature function: the compiled marshaller itself (no indirection), with read-only attributes. */
export function makeFixedFunction(name: string, address: number, owner: FunctionOwner, restype: unknown, argtypes: readonly unknown[], opts: FuncOptions = {}): ForeignFunction {
  const list = toTypeList(argtypes, name) ?? { infos: [], objects: [], adapters: null };
  const st: FunctionState = {
    name,
    address,
    owner,
    argtypes: list.infos,
    argtypeObjects: Object.freeze(list.objects),
    restype: toRestype(restype, name),
    restypeObject: restype ?? null,
    errcheck: opts.errcheck ?? null,
    threads: opts.threads === true,
    reentrant: opts.reentrant ?? null,
    compiled: null,
    byShape: new Map(),
    adapters: list.adapters,
  };
  const infos = list.infos;
  const c = compile(signatureOf(st, infos, -1), (args) => callInferred(st, infos, args), owner);
  owner.registerPlan(c.planId);
  st.compiled = c;
  // (the function object is what calls run: the compiled marshaller itself when nothing wraps it)
  const f = callerOf(st, () => f) as ForeignFunction;
  Object.defineProperties(f, {
    name: { value: name },
    argtypes: { value: st.argtypeObjects, enumerable: true },
    restype: { value: st.restypeObject, enumerable: true },
    errcheck: { value: st.errcheck, enumerable: true },
    threads: { value: st.threads, enumerable: true },
    reentrant: { value: st.reentrant, enumerable: true },
    async: { value: (...args: unknown[]) => asyncCall(st, f, args) },
    address: { value: address, enumerable: true },
    [ADDRESS]: { value: address },
  });
  return f;
}
