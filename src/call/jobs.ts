/**
 * Calls that run away from the JS thread's slab: `f.async(...)` on the libuv
 * pool and `{ threads: true }` calls on a helper thread. The arguments are
 * marshalled into the slab as usual, then the part of the slab the call uses is
 * copied into a job buffer: the header and the call's argument slots, followed by
 * the scratch the call took (addresses into it moved along). The native core runs
 * the job; afterwards its errno, result and scratch are copied back and read as usual.
 */
import { native } from "../native";
import { CompiledCall } from "./compile";
import { keep } from "./convert";
import * as slab from "./slab";

/** Who is told while an async call is in flight (a library: it is not unloaded meanwhile). */
export interface JobOwner {
  jobStarted(): void;
  jobEnded(): void;
}

interface Job {
  buffer: ArrayBuffer;
  /**
   * The call's arguments: their memory (typed arrays, C data) must live until the call ends.
   * Held here, by the job the completion reads, not by a variable a closure merely mentions:
   * an engine may drop a captured variable nothing reads (Bun's does).
   */
  args: readonly unknown[];
  state: unknown;
  /** temporaries the call's memory needs until it ends (null: none) */
  kept: unknown[] | null;
  /** where the call's scratch starts in the slab (below it: an outer call's temporaries) and ends */
  top: number;
  used: number;
}

function prepare(c: CompiledCall, args: readonly unknown[]): Job {
  const top = slab.scratch.top;
  const keptBefore = keep.length;
  try {
    const state = c.marshal(...args);
    const used = slab.scratch.top;
    const buffer = new ArrayBuffer(c.argsEnd + used - top);
    const bytes = new Uint8Array(buffer);
    bytes.set(slab.u8.subarray(0, c.argsEnd));
    if (used > top) {
      bytes.set(slab.u8.subarray(top, used), c.argsEnd);
      relocate(buffer, c, top, used);
    }
    return { buffer, args, state, kept: keep.length === keptBefore ? null : keep.slice(keptBefore), top, used };
  } finally {
    slab.scratch.top = top;
    if (keep.length !== keptBefore) keep.length = keptBefore;
  }
}

/** Addresses into the call's scratch in the live slab now point into the job's copy of it. */
function relocate(buffer: ArrayBuffer, c: CompiledCall, top: number, used: number): void {
  const view = new DataView(buffer);
  const from = slab.slabAddress + top;
  const to = native.addressOf(buffer) + c.argsEnd;
  const le = slab.LO === 0;
  for (const off of c.scratchSlots) {
    const a = view.getUint32(off + (le ? 0 : 4), le) + view.getUint32(off + (le ? 4 : 0), le) * 4294967296;
    if (a >= from && a < slab.slabAddress + used) {
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
  if (job.used > job.top) slab.u8.set(src.subarray(c.argsEnd), job.top);
  return c.read(job.state);
}

/** Run a compiled call on the libuv thread pool; `owner` knows it is in flight until it ends. */
export function runAsync(c: CompiledCall, args: readonly unknown[], owner: JobOwner | null): Promise<unknown> {
  let job: Job;
  try {
    job = prepare(c, args);
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    owner?.jobStarted();
    try {
      native.invokeAsync(job.buffer, (error) => {
        // (job, and with it args and kept, stays referenced by this closure until the call ends)
        try {
          if (error !== null) reject(error);
          else resolve(finish(c, job));
        } catch (e) {
          reject(e);
        } finally {
          owner?.jobEnded(); // (after the result is read: it may point into the library)
        }
      });
    } catch (e) {
      owner?.jobEnded();
      throw e;
    }
  });
}

/** Run a compiled call on a helper thread while this thread runs callbacks from other threads (no deadlock). */
export function runThreaded(c: CompiledCall, args: readonly unknown[]): unknown {
  const job = prepare(c, args);
  native.invokeThreaded(job.buffer);
  void job.kept;
  return finish(c, job);
}
