/**
 * Calls that run away from the JS thread's slab: `f.async(...)` on the libuv
 * pool and `{ threads: true }` calls on a helper thread. The arguments are
 * marshalled into the slab as usual, then the used part of the slab is copied
 * into a job buffer (addresses into scratch moved along), which the native core
 * runs; afterwards the job's result area is copied back and read as usual.
 */
import { native } from "../native";
import { CompiledCall } from "./compile";
import { keep } from "./convert";
import * as slab from "./slab";

interface Job {
  buffer: ArrayBuffer;
  /**
   * The call's arguments: their memory (typed arrays, C data) must live until the call ends.
   * Held here, by the job the completion reads, not by a variable a closure merely mentions:
   * an engine may drop a captured variable nothing reads (Bun's does).
   */
  args: readonly unknown[];
  state: unknown;
  /** temporaries the call's memory needs until it ends */
  kept: unknown[];
  used: number;
  /** where the job's own part of scratch starts (below it: an outer call's temporaries) */
  top: number;
}

function prepare(c: CompiledCall, args: readonly unknown[]): Job {
  const top = slab.scratch.top;
  const keptBefore = keep.length;
  try {
    const state = c.marshal(...args);
    const used = slab.scratch.top;
    const buffer = new ArrayBuffer(used);
    const bytes = new Uint8Array(buffer);
    bytes.set(slab.u8.subarray(0, used));
    relocate(buffer, c.scratchSlots, used);
    return { buffer, args, state, kept: keep.slice(keptBefore), used, top };
  } finally {
    slab.scratch.top = top;
    if (keep.length !== keptBefore) keep.length = keptBefore;
  }
}

/** Addresses into the live slab's scratch area now point into the job's copy. */
function relocate(buffer: ArrayBuffer, slots: readonly number[], used: number): void {
  if (slots.length === 0) return;
  const view = new DataView(buffer);
  const from = slab.slabAddress;
  const to = native.addressOf(buffer);
  const le = slab.LO === 0;
  for (const off of slots) {
    const a = view.getUint32(off + (le ? 0 : 4), le) + view.getUint32(off + (le ? 4 : 0), le) * 4294967296;
    if (a >= from + slab.layout.scratch && a < from + used) {
      const moved = a - from + to;
      view.setUint32(off + (le ? 0 : 4), moved >>> 0, le);
      view.setUint32(off + (le ? 4 : 0), Math.floor(moved / 4294967296) >>> 0, le);
    }
  }
}

/** Copy a finished job's errno, result and scratch (results may live there) back, then read the result. */
function finish(c: CompiledCall, job: Job): unknown {
  const src = new Uint8Array(job.buffer);
  slab.u8.set(src.subarray(slab.layout.errno, slab.layout.args), slab.layout.errno);
  slab.u8.set(src.subarray(job.top, job.used), job.top);
  return c.read(job.state);
}

/** Run a compiled call on the libuv thread pool. */
export function runAsync(c: CompiledCall, args: readonly unknown[]): Promise<unknown> {
  let job: Job;
  try {
    job = prepare(c, args);
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    native.invokeAsync(job.buffer, (error) => {
      // (job, and with it args and kept, stays referenced by this closure until the call ends)
      if (error !== null) reject(error);
      else {
        try {
          resolve(finish(c, job));
        } catch (e) {
          reject(e);
        }
      }
    });
  });
}

/** Run a compiled call on a helper thread while this thread runs callbacks from other threads (no deadlock). */
export function runThreaded(c: CompiledCall, args: readonly unknown[]): unknown {
  const job = prepare(c, args);
  native.invokeThreaded(job.buffer);
  void job.kept;
  return finish(c, job);
}
