/** The native core (native/, built by node-gyp). It executes plans; it decides nothing. */
import * as path from "node:path";

export interface SlabLayout {
  readonly planId: number;
  /** int32: set by entries that leave an exception in the thrown box instead of throwing */
  readonly thrown: number;
  readonly errno: number;
  readonly result: number;
  readonly args: number;
  readonly maxArgs: number;
  readonly scratch: number;
  /** argument registers the register fast path can load (0: no fast path on this platform) */
  readonly intRegisters: number;
  readonly callbackResult: number;
  readonly callbackArgs: number;
  readonly callbackMaxArgs: number;
  readonly floatRegisters: number;
}

export interface NativeBinding {
  init(slab: ArrayBuffer, thrownBox: unknown[]): SlabLayout;
  invoke(): void;
  /** the same entry as a plain V8 function (absent where V8's API is not available) */
  invokeV8?: () => void;
  /** the same entry with V8's fast API call (absent where this V8 version is not verified for it) */
  invokeFast?: () => void;
  /**
   * `text` as UTF-8 into the slab at `offset` (at most `capacity` bytes, no NUL): the bytes
   * written, or -1 when they do not fit. A V8 fast API call where verified; absent without V8.
   */
  writeString?: (text: string, offset: number, capacity: number) => number;
  /**
   * The typed entry for a shape (see src/call/compile.ts): a V8 fast API function taking
   * (planId, ...int32 arguments, ...floating-point arguments) and returning the C result.
   * floatKind 0: double, 1: float; ret 0: void, 1: int32-class, 2: float, 3: double.
   * undefined for shapes without one; absent where V8's fast API is not verified.
   */
  typedEntry?: (ints: number, floats: number, floatKind: number, ret: number) => ((...args: number[]) => number) | undefined;
  /** [calls taken by the V8 fast API entry, strings written by the fast writeString, calls taken by typed entries' fast functions, callbacks run through register trampolines] so far (tests) */
  fastCalls(): [calls: number, strings: number, typedCalls: number, trampolineCalls: number];
  dlopen(name: string | null, mode: number): number | string;
  dlsym(handle: number, name: string): number | null;
  dlclose(handle: number): void;
  dladdrName(address: number): string | null;
  structType(elementCodes: number[]): [code: number, size: number, align: number];
  planCreate(fn: number, ret: number, args: number[], nfixed: number, flags: number, crashNote: string, registerMap: number[] | null): number;
  planFree(id: number): void;
  /** registers: the callback-area slot of each argument when all travel in registers (src/call/registers.ts), else null */
  callbackCreate(ret: number, args: number[], unmarshal: () => void, note: string, registers: number[] | null): [address: number, handle: number];
  callbackClose(handle: number): void;
  invokeAsync(job: ArrayBuffer, done: (error: unknown) => void): void;
  invokeThreaded(job: ArrayBuffer): void;
  drainCallbacks(): void;
  setCallbackScheduler(schedule: () => void): void;
  planDisable(id: number): void;
  addressOf(memory: ArrayBuffer | ArrayBufferView): number;
  view(address: number, length: number): ArrayBuffer;
  cstring(address: number, length?: number): string;
  strlen(address: number): number;
  wcslen(address: number): number;
  malloc(size: number): number;
  free(address: number): void;
  memmove(dst: number, src: number, n: number): void;
  memset(dst: number, byte: number, n: number): void;
  readonly pointerSize: number;
  readonly longSize: number;
  readonly wcharSize: number;
  readonly longDoubleSize: number;
  readonly longDoubleAlign: number;
  readonly longDoubleMantissaBits: number;
}

function load(): NativeBinding {
  const file = path.join(__dirname, "..", "..", "build", "Release", "tsctypes.node");
  try {
    return require(file) as NativeBinding;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(`tsctypes: the native core is not built (${file}): run \`npm install\` (or \`npm run build\`). ${reason}`);
  }
}

export const native: NativeBinding = load();
