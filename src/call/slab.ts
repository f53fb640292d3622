/**
 * The argument slab: one ArrayBuffer shared with the native core. A call's
 * marshaller writes arguments into 8-byte slots, names its plan in the header
 * and calls `native.invoke()` with no JS arguments; the result comes back in the
 * result slot. Strings and other temporaries live in the scratch area, a stack
 * whose top is restored after each call (calls can nest through callbacks).
 */
import { accelerator, constants, native } from "../native";
import { LITTLE_ENDIAN } from "../types/platform";
import "./crash"; // the crash report's JS location: set up in each environment that calls

const SLAB_SIZE = 1 << 17;

/** Where things are in the slab (native/core/constants.h). */
export const layout = constants.slab;

export const slabBuffer = new ArrayBuffer(SLAB_SIZE);
/**
 * Where accelerator entries that must not throw leave an exception for the marshaller to
 * throw (V8 11.3 does not deliver an exception thrown by a fast call's fallback to a
 * try/catch in the optimized function the call was inlined into): see `settle`.
 */
const thrownBox: unknown[] = [undefined];
native.init(slabBuffer, thrownBox);
export const slabAddress = native.addressOf(slabBuffer);

export const i8 = new Int8Array(slabBuffer);
export const u8 = new Uint8Array(slabBuffer);
export const i16 = new Int16Array(slabBuffer);
export const u16 = new Uint16Array(slabBuffer);
export const i32 = new Int32Array(slabBuffer);
export const u32 = new Uint32Array(slabBuffer);
export const f32 = new Float32Array(slabBuffer);
export const f64 = new Float64Array(slabBuffer);
export const i64 = new BigInt64Array(slabBuffer);
export const u64 = new BigUint64Array(slabBuffer);
export const dataView = new DataView(slabBuffer);

/** uint32 index of the low / high half of the 8-byte slot at byte offset `off` */
export const LO = LITTLE_ENDIAN ? 0 : 1;
export const HI = LITTLE_ENDIAN ? 1 : 0;

const { declined: DECLINED, pending: PENDING } = constants.thrown;

/**
 * After a call through a fast API function, when `thrown` is set: true if the fast entry
 * declined the call (the marshaller then runs it again through its plain entry), else
 * throws what the entry left in the thrown box, or the core's pending error. False: the
 * call ran and its result stands (the pending error it was marked for was thrown already:
 * another thread may mark a fast call that has just returned, see foreign.c).
 */
export function settle(): boolean {
  const t = i32[layout.thrown >> 2];
  i32[layout.thrown >> 2] = 0;
  if (t === DECLINED) return true;
  if (t === PENDING) {
    accelerator!.rethrowPending();
    return false;
  }
  const e = thrownBox[0];
  thrownBox[0] = undefined;
  throw e;
}

/** Scratch stack for per-call temporaries (encoded strings, long doubles, struct results). */
export const scratch = { top: layout.scratch, end: SLAB_SIZE };

/** Reserve `size` bytes (8-aligned) of scratch, or -1 when it does not fit. */
export function scratchAlloc(size: number): number {
  const off = scratch.top;
  const next = off + ((size + 7) & ~7);
  if (next > scratch.end) return -1;
  scratch.top = next;
  return off;
}

/** The ctypes-private errno copy (swapped in and out around calls of `use_errno` libraries). */
export function getErrno(): number {
  return i32[layout.errno >> 2]!;
}

export function setErrno(value: number): number {
  const old = i32[layout.errno >> 2]!;
  i32[layout.errno >> 2] = value;
  return old;
}
