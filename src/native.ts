/**
 * The native binaries (native/): the Node-API core, which every runtime loads, and where
 * the engine is a V8 version we verified, its accelerator. They execute plans; they decide
 * nothing. Everything above this file reaches them through `native` and `accelerator`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Numbers the native core and TypeScript agree on, exported by the core (native/core/constants.h). */
export interface NativeConstants {
  readonly slab: {
    readonly planId: number;
    /** int32: THROWN_* set by accelerator entries, checked by the marshaller */
    readonly thrown: number;
    readonly errno: number;
    readonly result: number;
    readonly args: number;
    readonly maxArgs: number;
    readonly scratch: number;
    readonly minSize: number;
    readonly callbackResult: number;
    readonly callbackArgs: number;
    readonly callbackMaxArgs: number;
  };
  readonly thrown: { readonly none: number; readonly box: number; readonly declined: number; readonly pending: number };
  readonly types: {
    readonly Void: number; readonly Uint8: number; readonly Sint8: number; readonly Uint16: number;
    readonly Sint16: number; readonly Uint32: number; readonly Sint32: number; readonly Uint64: number;
    readonly Sint64: number; readonly Float: number; readonly Double: number; readonly LongDouble: number;
    readonly Pointer: number; readonly StructBase: number;
  };
  readonly planFlags: { readonly useErrno: number; readonly noCallbacks: number };
  readonly registers: {
    /** argument registers the register path loads (0: no register path on this platform) */
    readonly int: number;
    readonly float: number;
    readonly stackWords: number;
    /** 1 where the register path exists */
    readonly path: number;
    /** a register map's slot index for the result slot */
    readonly resultSlot: number;
    readonly retInt: number; readonly retDouble: number; readonly retFloat: number;
    readonly retAggI: number; readonly retAggD: number; readonly retAggII: number;
    readonly retAggID: number; readonly retAggDI: number; readonly retAggDD: number;
    readonly retMemory: number;
  };
  readonly typed: {
    readonly floatDouble: number; readonly floatFloat: number;
    readonly retVoid: number; readonly retInt32: number; readonly retFloat: number; readonly retDouble: number;
  };
  readonly dlopen: { readonly RTLD_LAZY: number; readonly RTLD_NOW: number; readonly RTLD_LOCAL: number; readonly RTLD_GLOBAL: number; readonly RTLD_NOLOAD?: number; readonly RTLD_DEEPBIND?: number };
  readonly sizes: {
    readonly pointer: number; readonly long: number; readonly wchar: number;
    readonly longDouble: number; readonly longDoubleAlign: number; readonly longDoubleMantissaBits: number;
  };
}

/** The Node-API core (native/core/). */
export interface NativeBinding {
  readonly constants: NativeConstants;
  init(slab: ArrayBuffer, thrownBox: unknown[]): void;
  invoke(): void;
  /** [callbacks run through register trampolines] so far (tests) */
  counters(): [trampolineCalls: number];
  /** the address of this environment's link for an accelerator (native/core/link.h) */
  link(): number;
  dlopen(name: string | null, mode: number): number | string;
  dlsym(handle: number, name: string): number | null;
  dlclose(handle: number): void;
  /** exported functions of the loaded object that the process's global scope defines elsewhere (at most `max`) */
  shadowedExports(handle: number, max: number): string[];
  structType(elementCodes: number[]): [code: number, size: number, align: number];
  planCreate(fn: number, ret: number, args: number[], nfixed: number, flags: number, crashNote: string): number;
  /** the register path for a plan (src/abi/): false where the platform has none */
  planSetRegisters(id: number, registerMap: number[]): boolean;
  planFree(id: number): void;
  planDisable(id: number): void;
  /** registers: the callback-area slot of each argument when all travel in registers, else null */
  callbackCreate(ret: number, args: number[], unmarshal: () => void, note: string, registers: number[] | null): [address: number, handle: number];
  callbackClose(handle: number): void;
  invokeAsync(job: ArrayBuffer, done: (error: unknown) => void): void;
  invokeThreaded(job: ArrayBuffer): void;
  /** the JS thread is inside a synchronous call into C (running one of its callbacks) */
  inForeignCall(): boolean;
  drainCallbacks(): void;
  setCallbackScheduler(schedule: () => void): void;
  /** where JS made the running call, asked by the crash report (src/call/crash.ts) */
  setCrashLocation(callSite: () => string): void;
  addressOf(memory: ArrayBuffer | ArrayBufferView): number;
  view(address: number, length: number): ArrayBuffer;
  cstring(address: number, length?: number): string;
  strlen(address: number): number;
  wcslen(address: number): number;
  malloc(size: number): number;
  free(address: number): void;
  memmove(dst: number, src: number, n: number): void;
  memset(dst: number, byte: number, n: number): void;
}

/** A typed entry's two functions: the fast API one, and the plain one a declined call runs again through. */
export type TypedEntryPair = [fast: (...args: number[]) => number, plain: (...args: number[]) => number];

/** What the V8 accelerator (native/v8/) adds, attached to this environment's core. */
export interface AcceleratorEntries {
  /** the slab entry as a plain V8 FunctionCallback */
  readonly invokeV8: () => void;
  /** throws the core's pending error, which a fast call left for the marshaller (THROWN_PENDING) */
  readonly rethrowPending: () => void;
  /** ... with V8's fast API entry (absent where this V8 version is not verified for it) */
  readonly invokeFast?: () => void;
  /** `text` (Latin-1) as UTF-8 into the slab at `offset`: the bytes written, or -1 (not written) */
  readonly writeString?: (text: string, offset: number, capacity: number) => number;
  /** the typed entry for a shape (src/abi/typed.ts), or undefined where there is none */
  readonly typedEntry?: (ints: number, floats: number, floatKind: number, ret: number) => TypedEntryPair | undefined;
  /** [calls taken by the slab's fast entry, by typed entries' fast functions, strings written by the fast writer] */
  counters(): [fastCalls: number, typedCalls: number, fastStrings: number];
  /** callbacks reach JS through V8's API (the accelerator attached before any callback existed) */
  readonly v8Callbacks: boolean;
}

/** Which runtime this is, for choosing what to load. */
export type RuntimeName = "node" | "bun" | "deno" | "electron" | "unknown";

export function runtimeName(): RuntimeName {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return "bun";
  if (versions.deno || "Deno" in globalThis) return "deno";
  if (versions.electron) return "electron";
  return process.release?.name === "node" ? "node" : "unknown";
}

const ROOT = path.join(__dirname, "..", "..");

/**
 * Where the binaries may be, in order: a build from source (build/, made by `npm install`
 * where no prebuilt binary fits, or on request), then the prebuilt ones the package ships
 * for this platform (prebuilds/<platform>-<arch>/ for glibc, then a -musl set). A set for
 * the other C library fails to load and is passed over, so no C library is detected here.
 */
const PREBUILDS = path.join(ROOT, "prebuilds", `${process.platform}-${process.arch}`);
const BINARY_DIRS: readonly { readonly core: string; readonly accelerators: string }[] = [
  { core: path.join(ROOT, "build", "Release"), accelerators: path.join(ROOT, "build", "accelerators") },
  { core: PREBUILDS, accelerators: PREBUILDS },
  { core: `${PREBUILDS}-musl`, accelerators: `${PREBUILDS}-musl` },
];

function loadCore(): { binding: NativeBinding; file: string; dir: (typeof BINARY_DIRS)[number] } {
  const tried: string[] = [];
  for (const dir of BINARY_DIRS) {
    const file = path.join(dir.core, "tsctypes.node");
    if (!fs.existsSync(file)) {
      tried.push(`${file}: not found`);
      continue;
    }
    try {
      return { binding: require(file) as NativeBinding, file, dir };
    } catch (e) {
      // a corrupt or foreign binary: say which and why, and try the next one
      tried.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(
    `tsctypes: no native core loads on ${process.platform}-${process.arch}. Tried: ${tried.join("; ")}. ` +
      "Build it from source: `npm rebuild tsctypes --build-from-source` (needs a C compiler, make, python3 and the libffi headers).",
  );
}

const core = loadCore();
export const native: NativeBinding = core.binding;
export const constants: NativeConstants = native.constants;

/** The V8 version "MAJOR.MINOR" whose accelerator this engine could use, or why none. */
function acceleratorEngine(): { v8: string } | { none: string } {
  if (process.env.TSCTYPES_ENTRY === "napi") return { none: "TSCTYPES_ENTRY=napi: the Node-API core only" };
  const runtime = runtimeName();
  // Bun and Deno report a V8 version, but are not V8 with Node's C++ ABI (Bun is JSC); Electron's
  // V8 is built with other options than Node's headers describe.
  if (runtime !== "node") return { none: `${runtime}: the Node-API core serves it` };
  const m = /^(\d+)\.(\d+)\./.exec(process.versions.v8 ?? "");
  return m ? { v8: `${m[1]}.${m[2]}` } : { none: `unknown V8 version '${process.versions.v8}'` };
}

interface LoadedAccelerator {
  readonly entries: AcceleratorEntries | null;
  readonly file: string | null;
  readonly note: string;
}

function loadAccelerator(): LoadedAccelerator {
  const engine = acceleratorEngine();
  if ("none" in engine) return { entries: null, file: null, note: engine.none };
  // the accelerator beside the core first: both must come from the same build
  const dirs = [core.dir, ...BINARY_DIRS.filter((d) => d !== core.dir)];
  const file = dirs.map((d) => path.join(d.accelerators, `v8-${engine.v8}`, "tsctypes_v8.node")).find((f) => fs.existsSync(f));
  if (!file) return { entries: null, file: null, note: `no accelerator for V8 ${engine.v8}` };
  const mod = { exports: {} as { attach?: (link: number, engineVersion: string) => AcceleratorEntries | string } };
  try {
    // RTLD_NOW: a symbol this engine lacks is a load error here, not a dead process at the first call
    process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW);
  } catch (e) {
    return { entries: null, file: null, note: `${file} did not load: ${e instanceof Error ? e.message : String(e)}` };
  }
  const attached = typeof mod.exports.attach === "function" ? mod.exports.attach(native.link(), process.versions.v8) : "no attach()";
  if (typeof attached === "string") return { entries: null, file: null, note: `${file} refused to attach: ${attached}` };
  return { entries: attached, file, note: `V8 ${engine.v8} accelerator` };
}

const loaded = loadAccelerator();
export const accelerator: AcceleratorEntries | null = loaded.entries;

/** The binaries in use, for runtimeInfo(). */
export const binaries: { readonly core: string; readonly accelerator: string | null; readonly acceleratorNote: string } = {
  core: core.file,
  accelerator: loaded.file,
  acceleratorNote: loaded.note,
};
