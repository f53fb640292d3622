// Seed 002, "Ctypes in a Multi-threaded Python Environment": five Python threads
// each call the C functions square() and safe_add(); ctypes releases the GIL while
// C runs, so the calls proceed in parallel. In Node the JS thread never blocks
// on them: each "thread" below is an async function whose C calls run with
// .async() on the libuv thread pool, five of them at once. The lines come out in
// completion order, which varies from run to run, as in the article.
//
//     node examples/threads/main.mjs
//
// Builds build/libmath_ops.so from math_operations.c first when needed ($CC, or cc).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { CDLL, c_int } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));

// math_lib = ctypes.CDLL('./math_ops.so'), with argtypes and restype declared
const math_lib = new CDLL(buildLibrary(here, "math_ops", ["math_operations.c"]));
const square = math_lib.func("square", c_int, [c_int]);
const safe_add = math_lib.func("safe_add", c_int, [c_int, c_int]);

// def worker(number): ... the thread's body
async function worker(name, number) {
  try {
    const squared_value = await square.async(number);
    const final_result = await safe_add.async(squared_value, 10);
    console.log(`Thread ${name} (Input: ${number}): ${number}² + 10 = ${final_result}`);
  } catch (e) {
    console.log(`Error in thread ${name}: ${e}`);
  }
}

// Create and start 5 "threads", then wait for all of them (t.join())
const threads = [];
for (let i = 1; i < 6; i++) threads.push(worker(`CalculatorThread-${i}`, i));
await Promise.all(threads);
console.log("\nAll threads have completed their calculations.");
