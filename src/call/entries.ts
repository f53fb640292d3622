/**
 * The native entries a call can go through, thinnest first:
 * - `fast`: V8 functions with a fast API entry (the accelerator's slab entry and typed
 *   entries), which optimized code calls with no transition at all. One declines a call it
 *   must not run (while callbacks are open: it must never re-enter JS; or to report an
 *   error) by setting THROWN_DECLINED in the slab, and the marshaller runs the call again
 *   through the plain entry. Only on V8 versions verified for it.
 * - `v8`: the accelerator's plain V8 FunctionCallback.
 * - `napi`: the core's Node-API entry: every runtime (Bun, Deno, Electron, unverified V8).
 * TSCTYPES_ENTRY=v8 caps the choice at `v8`; TSCTYPES_ENTRY=napi loads no accelerator at
 * all (src/native.ts), as in a runtime without one. The tests run each.
 */
import { accelerator, native, TypedEntryPair } from "../native";
import { abi } from "../abi";
import { TypedShape } from "../abi/typed";

export type EntryName = "fast" | "v8" | "napi";

const fastAllowed = process.env.TSCTYPES_ENTRY !== "v8";

/**
 * TSCTYPES_LIBFFI_ONLY=1 sends every call and callback through libffi: no register
 * maps, register trampolines or typed entries (the tests compare both paths).
 */
export const libffiOnly = process.env.TSCTYPES_LIBFFI_ONLY === "1";

/** The entry of every call that may not take a fast one. */
export const plainEntry: () => void = accelerator ? accelerator.invokeV8 : native.invoke;
/** The slab's fast entry, or null where there is none. */
export const fastEntry: (() => void) | null = (fastAllowed && accelerator?.invokeFast) || null;
/** The fast string writer (Latin-1 strings into the slab), or null. */
export const writeString = (fastAllowed && accelerator?.writeString) || null;

const typedEntries = new Map<string, TypedEntryPair | undefined>();
const makeTyped = fastAllowed ? accelerator?.typedEntry : undefined;

/** The typed entry pair for a shape (src/abi/typed.ts decides the shape), or undefined where the accelerator has none. */
export function typedEntry({ ints, floats, floatKind, ret }: TypedShape): TypedEntryPair | undefined {
  if (!makeTyped) return undefined;
  const key = `${ints},${floats},${floatKind},${ret}`;
  if (!typedEntries.has(key)) typedEntries.set(key, makeTyped(ints, floats, floatKind, ret));
  return typedEntries.get(key);
}

/** Which entries calls use in this process. */
export interface ActiveEntries {
  /** calls that pass no callback */
  readonly call: EntryName;
  /** calls that pass a callback (they run JS, so never a fast entry) */
  readonly callbackCall: Exclude<EntryName, "fast">;
  /** typed entries for scalar signatures */
  readonly typed: boolean;
  /** how C reaches a JS callback */
  readonly callbacks: "v8" | "napi";
  /** how strings are written into the slab */
  readonly strings: "fast" | "js";
}

export const activeEntries: ActiveEntries = {
  call: fastEntry ? "fast" : accelerator ? "v8" : "napi",
  callbackCall: accelerator ? "v8" : "napi",
  typed: makeTyped !== undefined && abi.typedEntries,
  callbacks: accelerator?.v8Callbacks ? "v8" : "napi",
  strings: writeString ? "fast" : "js",
};
