'use strict';
// Settings and paths shared by run.js (parent) and child.js (one per contender).

const path = require('node:path');

const benchDir = __dirname;
const rootDir = path.resolve(benchDir, '..');
const buildDir = path.join(benchDir, 'build');

const paths = {
  benchDir,
  rootDir,
  buildDir,
  // The C library every contender calls (built from bench/lib/benchlib.c).
  libPath: path.join(buildDir, 'libbench.so'),
};

// Timing settings (see timing.js). `full` is what RESULTS.md should come
// from: every measurement runs ~250 ms (>= 200 ms), is repeated 5 times in
// each child process, and each contender runs in 3 separate child processes
// (interleaved with the other contenders). On small VMs the speed of a whole
// process can differ by tens of percent from one process to the next, so
// the reported number is the median of the per-process medians.
const MODES = {
  full: { calibrateMs: 20, warmupMs: 300, targetMs: 250, repeats: 5, processes: 3, measureLoopOverhead: true },
  quick: { calibrateMs: 5, warmupMs: 30, targetMs: 30, repeats: 3, processes: 1, measureLoopOverhead: false },
};

// Contenders, in table column order. Each is bench/contenders/<name>.js.
// `js` is plain JavaScript (no C): only the shapes that need no C (struct_rw, arr_rw, conv_1m, primes_e2e).
const CONTENDERS = ['js', 'v8fast', 'napi', 'koffi', 'ffi-rs', 'ffi-napi', 'python', 'node-ffi', 'bun', 'deno', 'tsctypes'];

// Ratio columns: [numerator, denominator] contender names.
const RATIOS = [
  ['tsctypes', 'koffi'],
  ['tsctypes', 'napi'],
  ['tsctypes', 'v8fast'],
  ['tsctypes', 'python'],
  ['tsctypes', 'js'],
  ['tsctypes', 'node-ffi'],
];

const RESULT_MARKER = '@@BENCH_RESULT@@';

module.exports = { paths, MODES, CONTENDERS, RATIOS, RESULT_MARKER };
