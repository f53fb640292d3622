/**
 * Signature -> call plan -> generated marshaller. Done once per signature: the
 * native plan (a prepared ffi_cif) is created here and the marshaller is a
 * specialised JS function that writes arguments straight into the slab.
 */
import { constants, native, TypedEntryPair } from "../native";
import { ArgumentError } from "../errors";
import { TypeInfo } from "../types/ctype";
import { FfiCode } from "../types/ffi-codes";
import { ffiCodeOf } from "../abi/libffi";
import { registerMap } from "../abi/registers";
import { typedShape } from "../abi/typed";
import { ArgCode, ResultCode, argCode, keep, resultCode } from "./convert";
import { generate } from "./generate";
import * as slab from "./slab";
import { fastEntry, libffiOnly, plainEntry, typedEntry } from "./entries";

export interface Signature {
  /** for messages: "add_numbers()" */
  readonly displayName: string;
  /** printed if the process crashes inside the call */
  readonly crashNote: string;
  readonly address: number;
  readonly argtypes: readonly TypeInfo[];
  readonly restype: TypeInfo | null;
  /** number of fixed arguments of a variadic call, or -1 */
  readonly variadicFixed: number;
  readonly useErrno: boolean;
  /** true: declared to call back into JS; false: declared never to; null: not declared (see mayCallBack) */
  readonly reentrant: boolean | null;
}

export type Marshaller = (...args: unknown[]) => unknown;

export interface CompiledCall {
  readonly planId: number;
  /** the whole synchronous call */
  readonly call: Marshaller;
  /** the two halves, for calls run elsewhere (async, threaded): write the arguments, later read the result */
  readonly marshal: (...args: unknown[]) => unknown;
  readonly read: (state: unknown) => unknown;
  /** slab offsets of slots that may hold addresses inside the scratch area (moved with a job's copy) */
  readonly scratchSlots: readonly number[];
  /** where the slab part a call uses ends: its header and argument slots (copied for a job) */
  readonly argsEnd: number;
}

/** Who must forget a plan id before it is freed (and may be reused by another plan). */
export interface PlanHolder {
  forgetPlan(planId: number): void;
}

// (the holder is held weakly: it may reach the marshaller, which would then never be collected)
const planRegistry = new FinalizationRegistry<{ planId: number; holder: WeakRef<PlanHolder> | null }>(({ planId, holder }) => {
  holder?.deref()?.forgetPlan(planId);
  native.planFree(planId);
});

const { useErrno: PLAN_USE_ERRNO, noCallbacks: PLAN_NO_CALLBACKS } = constants.planFlags;

/**
 * Whether a call may run JS callbacks (docs/performance.md "Fast calls and live callbacks"): when
 * declared `{ reentrant: true }`, or, undeclared, when it takes a function pointer. Those calls
 * take the plain entry. The others take the fast entry even while callbacks are open; the core
 * marks one that reaches a callback anyway (native/core/callback.c) and its fast calls decline
 * from then on. `{ reentrant: false }` promises no callbacks, even with function pointer arguments.
 */
function mayCallBack(sig: Signature): boolean {
  return sig.reentrant ?? sig.argtypes.some((t) => t.kind === "funcptr");
}

/** A call that may run JS callbacks: a fast entry would only decline it. */
function entryFor(sig: Signature): () => void {
  return (!mayCallBack(sig) && fastEntry) || plainEntry;
}

/**
 * Typed entries (native/v8/typed.cc): V8 fast API functions that take the C arguments
 * themselves, for signatures of int32-class and floating-point scalars with a void or
 * scalar result, where the ABI allows (src/abi/typed.ts) and the accelerator has one for
 * the shape (up to 6 arguments, at most 4 floating-point). The marshaller passes the plan
 * id, then the arguments in the shape's order: no slab writes, no register map. They
 * count as the `fast` entry. Not for errno capture or variadic calls, which the slab serves.
 */
interface TypedCall {
  readonly entry: TypedEntryPair;
  /** argument indices in the order the entry takes them */
  readonly order: readonly number[];
}

function typedCallFor(sig: Signature, args: readonly ArgCode[], result: ResultCode): TypedCall | null {
  if (libffiOnly || sig.useErrno || sig.variadicFixed >= 0) return null;
  const shape = typedShape(args.map((a) => a.typed?.cls), result.typed?.cls);
  if (!shape) return null;
  const entry = typedEntry(shape);
  return entry ? { entry, order: shape.order } : null;
}

/** Create the native plan for a signature; `argSlots[i]` is the slab offset argument i is written to. */
export function createPlan(sig: Signature): { planId: number; argSlots: number[] } {
  const argCodes = sig.argtypes.map((t) => ffiCodeOf(t));
  const ret = sig.restype === null ? FfiCode.Void : ffiCodeOf(sig.restype);
  const flags = (sig.useErrno ? PLAN_USE_ERRNO : 0) | (mayCallBack(sig) ? 0 : PLAN_NO_CALLBACKS);
  const plan = libffiOnly ? null : registerMap(sig.argtypes, sig.restype, sig.variadicFixed >= 0);
  const planId = native.planCreate(sig.address, ret, argCodes, sig.variadicFixed, flags, sig.crashNote);
  const registers = plan !== null && native.planSetRegisters(planId, plan.map);
  const argSlots = registers ? plan.argSlots : sig.argtypes.map((_, i) => i);
  return { planId, argSlots: argSlots.map((k) => slab.layout.args + 8 * k) };
}

/**
 * Compile a signature. `onExtra`, when given, handles calls with more arguments
 * than declared (variadic calls); otherwise extra arguments are an error.
 */
export function compile(sig: Signature, onExtra: ((args: ArrayLike<unknown>) => unknown) | null, holder: PlanHolder | null): CompiledCall {
  const n = sig.argtypes.length;
  if (n > slab.layout.maxArgs) throw new ArgumentError(`${sig.displayName}: at most ${slab.layout.maxArgs} arguments are supported`);
  const { planId, argSlots } = createPlan(sig);
  const helpers: Record<string, unknown> = { ...slab, keep, onExtra, ArgumentError };
  const params = sig.argtypes.map((_, i) => `a${i}`);
  const codes = sig.argtypes.map((t, i) => argCode(t, sig.displayName, i, String(i)));
  const body = codes.map((c, i) => c.code(params[i]!, argSlots[i]!));
  let usesScratch = false;
  for (const c of codes) {
    Object.assign(helpers, c.helpers);
    usesScratch ||= c.scratch;
  }
  const r = resultCode(sig.restype, slab.layout.result);
  Object.assign(helpers, r.helpers);
  usesScratch ||= r.scratch;
  const scratchSlots = sig.argtypes.flatMap((t, i) => (SCRATCH_KINDS.has(t.kind) ? [argSlots[i]!] : []));
  if (sig.restype?.kind === "longdouble") scratchSlots.push(slab.layout.result);

  // other argument counts: a variadic call, or an error (kept out of line: short marshallers get inlined)
  const expected = `${sig.displayName}: expected ${n} argument${n === 1 ? "" : "s"}, got `;
  helpers.expected = expected;
  helpers.otherCount = (args: ArrayLike<unknown>) => {
    if (args.length > n && onExtra !== null) return onExtra(args);
    throw new ArgumentError(expected + args.length);
  };
  const lines: string[] = [];
  lines.push(`if (arguments.length !== ${n}) return otherCount(arguments);`);
  const typed = typedCallFor(sig, codes, r);
  const entry = typed ? typed.entry[mayCallBack(sig) ? 1 : 0] : entryFor(sig);
  // Fast API functions leave a declined call or an exception in the slab (see slab.ts settle):
  // a declined call runs again through the plain entry.
  const thrown = `i32[${slab.layout.thrown >> 2}] !== 0 && settle()`;
  const settleSlab = entry === fastEntry ? `if (${thrown}) plain();` : "";
  const slabThrown = `i32[${slab.layout.thrown >> 2}] !== 0`;
  helpers.settleKeeping = settleKeeping;
  // after the arguments are in the slab: name the plan, call, read the result
  // (the plan id is a helper, not a literal: the generated code depends on the signature only, so
  // functions of the same signature share it, see generate.ts)
  helpers.planId = planId;
  const setPlan = `i32[${slab.layout.planId >> 2}] = planId;`;
  const slabCall = [r.before, setPlan, `invoke();`, settleSlab, `return ${r.read};`];
  // (typed: the values are converted in declared order, so errors name the first bad argument)
  const typedArgs = typed ? ["planId", ...typed.order.map((i) => `v${i}`)].join(", ") : "";
  const call = typed
    ? [
        ...codes.map((c, i) => `const v${i} = ${c.typed!.value(params[i]!)};`),
        `let r = invoke(${typedArgs});`,
        `if (${thrown}) r = plain(${typedArgs});`,
        `return ${r.typed!.read("r")};`,
      ]
    : [...body, ...slabCall];
  helpers.invoke = entry;
  helpers.plain = typed ? typed.entry[1] : plainEntry;
  // Functions of the same code share V8's feedback: code that calls another entry is other code
  // (V8 lowers a call to a fast API function only where the call site has seen that one function).
  // Likewise code whose speculation rests on a type's identity (`instanceof` a structure type, the
  // hidden class of a result object, a callback type's class, a pointer type's maker): with two
  // types in one code, V8 sees both and speculates on neither (a struct by value: ~50 vs ~130 ns).
  // The types pick one of TYPE_VARIANTS copies of the code: distinct for the first types a program
  // makes, and a bounded number of sources however many types it makes (V8 14.6 keeps every
  // distinct source it compiled, ~1.3 KB each).
  const variant = typeVariant(sig);
  const entryNote = `/* entry ${entryNumber(entry)}${variant === null ? "" : ` variant ${variant}`} */\n`;
  if (usesScratch) {
    // V8 12.4 (Node 22) makes no fast API call from inside a try block: arguments whose code
    // cannot throw for the value given (a string for char *, written by the fast string writer)
    // are written before the try, the others in it.
    const early = codes.flatMap((c, i) => (c.noThrow ? [`if (${c.noThrow(params[i]!)}) { ${body[i]} }`] : []));
    const late = codes.map((c, i) => (c.noThrow ? `if (!(${c.noThrow(params[i]!)})) { ${body[i]} }` : body[i]!));
    const general = [`const top = scratch.top, kept = keep.length;`, ...early];
    // (setting an array length is a runtime call: only when something was kept)
    const restore = `scratch.top = top; if (keep.length !== kept) keep.length = kept;`;
    if (entry === fastEntry && !typed) {
      // the call itself stays outside too, between a try around the arguments and one around the result
      general.push(`try {`, ...late, `} catch (e) { ${restore} throw e; }`);
      // a settled call restores scratch out of line, the usual one without a try: the result
      // does not read scratch, so scratch is restored before it is read
      if (r.scratch) general.push(r.before, setPlan, `invoke();`, `try {`, settleSlab, `return ${r.read};`, `} finally { ${restore} }`);
      else general.push(r.before, setPlan, `invoke();`, `if (${slabThrown}) settleKeeping(top, kept);`, restore, `return ${r.read};`);
    } else {
      general.push(`try {`, ...(typed ? call : [...late, ...slabCall]), `} finally { ${restore} }`);
    }
    const exact = codes.filter((c) => c.scratch);
    if (!r.scratch && exact.every((c) => c.exact)) {
      // Arguments that need no scratch (struct instances of the declared type): no try/finally,
      // which V8 handles at a cost on every call. Anything else takes the general marshaller.
      helpers.general = generate<Marshaller>(`${entryNote}return function call_general(${params.join(", ")}) {\n${general.join("\n")}\n};`, helpers);
      const tests = codes.flatMap((c, i) => (c.scratch ? [c.exact!.test(params[i]!)] : []));
      const exactBody = codes.map((c, i) => (c.scratch ? c.exact!.code(params[i]!, argSlots[i]!) : body[i]!));
      lines.push(`if (!(${tests.join(" && ")})) return general(${params.join(", ")});`);
      lines.push(...exactBody, ...slabCall);
    } else {
      lines.push(...general);
    }
  } else {
    lines.push(...call);
  }
  const marshaller = generate<Marshaller>(`${entryNote}return function call(${params.join(", ")}) {\n${lines.join("\n")}\n};`, helpers);
  planRegistry.register(marshaller, { planId, holder: holder && new WeakRef(holder) });
  // the halves: the result state is what `before` made (a result object, a scratch offset)
  const stateVar = r.before.includes("const res") ? "res" : r.before.includes("const ro") ? "ro" : null;
  const marshalSource =
    `return function marshal(${params.join(", ")}) {\n` +
    `if (arguments.length !== ${n}) throw new ArgumentError(expected + arguments.length);\n` +
    `${body.join("\n")}\n${r.before}\n${setPlan}\nreturn ${stateVar ?? "undefined"};\n};`;
  const readSource = `return function read(state) {\n${stateVar ? `const ${stateVar} = state;` : ""}\nreturn ${r.read};\n};`;
  const marshal = generate<(...args: unknown[]) => unknown>(marshalSource, helpers);
  const read = generate<(state: unknown) => unknown>(readSource, helpers);
  const argsEnd = argSlots.reduce((end, off) => Math.max(end, off + 8), slab.layout.args);
  return { planId, call: marshaller, marshal, read, scratchSlots, argsEnd };
}

/** A fast call that left something in the slab (see settle), its scratch then restored whatever happens. */
function settleKeeping(top: number, kept: number): void {
  try {
    if (slab.settle()) plainEntry();
  } finally {
    slab.scratch.top = top;
    if (keep.length !== kept) keep.length = kept;
  }
}

const TYPE_VARIANTS = 16;

/**
 * Which copy of the code a signature takes, from the types whose identity the code speculates on
 * (aggregates, callback types, a pointer result); null when it has none.
 */
function typeVariant(sig: Signature): number | null {
  const r = sig.restype;
  const types = sig.argtypes.filter((t) => t.kind === "struct" || t.kind === "union" || t.kind === "funcptr");
  if (r && (r.kind === "struct" || r.kind === "union" || r.kind === "funcptr" || r.kind === "pointer")) types.push(r);
  if (!types.length) return null;
  return types.reduce((h, t) => (h * 31 + typeNumber(t)) % TYPE_VARIANTS, 0);
}

const typeNumbers = new WeakMap<TypeInfo, number>();
let typesNumbered = 0;

function typeNumber(t: TypeInfo): number {
  let n = typeNumbers.get(t);
  if (n === undefined) typeNumbers.set(t, (n = ++typesNumbered));
  return n;
}

const entryNumbers = new Map<unknown, number>();

/** A number for each native entry a marshaller calls (a handful: the slab's entries and the typed shapes'). */
function entryNumber(entry: unknown): number {
  let n = entryNumbers.get(entry);
  if (n === undefined) entryNumbers.set(entry, (n = entryNumbers.size));
  return n;
}

/** Argument kinds whose slot may point into the scratch area. */
const SCRATCH_KINDS = new Set(["charp", "wcharp", "longdouble"]);
