// "Speed up Python applications With Ctypes Library" (seed 003): the prime counter,
// with tsctypes. The article counts the "primes" of range(1_000_000) with a C
// is_prime() (921295, its logic kept exactly in prime.c) in one call from a Python
// list, with pthreads inside C, and with Python threads calling C in parallel
// (ctypes releases the GIL). Here:
//   (a) one call from a JS array, converted first with c_int32.array(N).from()
//       (the conversion timed separately, like the article's (c_int32 * N)(*list));
//   (b) one call straight from an Int32Array (no conversion, no copy);
//   (c) num_primes_threaded(): our pthreads version inside C;
//   (d) N parallel num_primes.async() calls on the libuv pool, N = the number of
//       cores. The numbers are dealt out to the chunks in blocks of 64, like
//       cards (chunk k gets blocks k, k + N, ...), so all chunks get the same
//       mix of cheap and costly numbers. (The article deals single numbers:
//       with an even N one chunk then gets all the even numbers, which cost
//       nothing, and the others do all the work.) num_primes_threaded() in
//       prime.c splits the same way.
//
//     node examples/primes/main.mjs [count]        (count defaults to 1000000)
//
// Times are the best of 3 runs. Builds build/libprime.so from prime.c first when needed ($CC, or cc).
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { CDLL, POINTER, c_int32 } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_NUM = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(MAX_NUM) || MAX_NUM < 1 || MAX_NUM > 2 ** 31 - 1) {
  console.error(`usage: node main.mjs [count]: count must be an integer from 1 to 2147483647, got ${process.argv[2]}`);
  process.exit(2);
}
const NUM_CHUNKS = os.availableParallelism();

// lib = CDLL("./libprime.so"); lib.num_primes.restype = c_int32; lib.num_primes.argtypes = [c_int32, POINTER(c_int32)]
const lib = new CDLL(buildLibrary(here, "prime", ["prime.c"], ["-lm", "-lpthread"]));
const num_primes = lib.func("num_primes", c_int32, [c_int32, POINTER(c_int32)]);
const num_primes_threaded = lib.func("num_primes_threaded", c_int32, [c_int32, POINTER(c_int32), c_int32]);

const REPEAT = 3; // like the article's timeit: the best of a few runs
const ms = (t0) => performance.now() - t0;
/** Runs `count()` (sync or async) REPEAT times, prints its result and best time; returns that time in ms. */
async function timed(label, count) {
  let best = Infinity;
  let result;
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    result = await count();
    best = Math.min(best, ms(t0));
  }
  console.log(`${label}: ${result} primes in ${best.toFixed(1)} ms`);
  return best;
}

console.log(`Counting primes in range(${MAX_NUM}) with the article's is_prime() on ${NUM_CHUNKS} cores`);

// num_list = list(range(MAX_NUM))
const numList = Array.from({ length: MAX_NUM }, (_, i) => i);

// (a) lib.num_primes(MAX_NUM, (c_int32 * MAX_NUM)(*num_list))
const t0 = performance.now();
const cArray = c_int32.array(MAX_NUM).from(numList);
console.log(`JS array -> c_int32.array(${MAX_NUM}).from(): ${ms(t0).toFixed(1)} ms`);
await timed("(a) num_primes(c_int32 array)", () => num_primes(MAX_NUM, cArray));

// (b) an Int32Array is passed as the int* itself
const typed = Int32Array.from(numList);
const single = await timed("(b) num_primes(Int32Array, zero copy)", () => num_primes(MAX_NUM, typed));

// (c) pthreads inside C
const threaded = await timed(`(c) num_primes_threaded(..., ${NUM_CHUNKS} pthreads)`, () => num_primes_threaded(MAX_NUM, typed, NUM_CHUNKS));

// (d) the article's Python threads: parallel async calls, one chunk each
// (the chunks are prepared first, like the article's num_list_list)
const BLOCK = 64;
const chunks = Array.from({ length: NUM_CHUNKS }, (_, k) => {
  const parts = [];
  for (let start = k * BLOCK; start < MAX_NUM; start += NUM_CHUNKS * BLOCK) parts.push(typed.subarray(start, start + BLOCK));
  const chunk = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    chunk.set(p, at);
    at += p.length;
  }
  return chunk;
});
const parallel = await timed(`(d) ${NUM_CHUNKS} parallel .async() calls (dealt in blocks of 64)`, async () => {
  const counts = await Promise.all(chunks.map((chunk) => num_primes.async(chunk.length, chunk)));
  return counts.reduce((a, b) => a + b, 0);
});

console.log(`speed-up over (b): (c) ${(single / threaded).toFixed(2)}x, (d) ${(single / parallel).toFixed(2)}x`);
