'use strict';
// The one generic timing loop, shared by every contender and shape.
//
// measure(tag, call, opts) times `call(i)` for i = 0..N-1:
//   1. probe:     call(0) once to learn the result kind (void/number/bigint/other)
//   2. calibrate: double the count until a run takes >= opts.calibrateMs,
//                 then pick N so one measurement takes ~opts.targetMs
//   3. warm up:   run the loop for >= opts.warmupMs (lets TurboFan optimise
//                 the loop, the closure and the contender's call path), then
//                 re-pick N from the last, optimised, warm-up run
//   4. measure:   opts.repeats runs of N calls; ns/call of each run
// and reports the median (plus min/max and the individual samples).
//
// Dead-code elimination: each loop returns something derived from every
// call's result (a running sum for numbers, the last value otherwise), and
// the caller folds it into a checksum that is printed, so the calls cannot be
// optimised away. (Calls into native code are opaque to V8 anyway.)
//
// Every measured (contender, shape) pair gets its own freshly compiled loop
// function (unique source text, so no compilation-cache sharing), so the
// call site inside the loop only ever sees one closure and stays monomorphic.

const hrtime = process.hrtime.bigint;

let loopSerial = 0;

function makeLoop(tag, kind) {
  let body;
  if (kind === 'void') {
    body = 'for (let i = 0; i < n; i++) call(i);\n  return n;';
  } else if (kind === 'number') {
    // A float add per call: cheap, and it consumes every result.
    body = 'let acc = 0;\n  for (let i = 0; i < n; i++) acc += call(i);\n  return acc;';
  } else {
    // bigint / object results: keep the last one. (Summing bigints would add
    // an allocation per call to the measurement itself.)
    body = 'let last;\n  for (let i = 0; i < n; i++) last = call(i);\n  return last;';
  }
  const id = ++loopSerial;
  const label = String(tag).replace(/[^A-Za-z0-9_]/g, '_');
  const src = `// bench loop #${id} for ${label} (${kind})\n  ${body}`;
  // eslint-disable-next-line no-new-func
  return new Function('call', 'n', src);
}

function kindOf(value) {
  if (value === undefined || value === null) return 'void';
  if (typeof value === 'number') return 'number';
  return 'other';
}

function timeRun(loop, call, n) {
  const t0 = hrtime();
  const result = loop(call, n);
  const t1 = hrtime();
  return { ns: Number(t1 - t0), result };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// Folded results of every timed loop; printed by the child so that nothing
// computed in the loops is dead.
let checksum = 0;
function fold(result) {
  if (typeof result === 'number') checksum = (checksum + (Number.isFinite(result) ? result : 0)) % 1e12;
  else if (typeof result === 'bigint') checksum = (checksum + Number(result % 1000003n)) % 1e12;
  else if (result !== undefined && result !== null) checksum = (checksum + 1) % 1e12;
}

const MAX_N = 2 ** 30; // keeps the loop counter an int32 (add_i32(i, 7) stays in range)

function measure(tag, call, opts) {
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  const kind = kindOf(call(0));
  const loop = makeLoop(tag, kind);

  // Calibrate.
  let n = 256;
  let run = timeRun(loop, call, n);
  while (run.ns < opts.calibrateMs * 1e6 && n < MAX_N) {
    n = Math.min(MAX_N, n * 2);
    run = timeRun(loop, call, n);
  }
  fold(run.result);
  const pickN = (nsPerCall) =>
    Math.max(1000, Math.min(MAX_N, Math.ceil((opts.targetMs * 1e6) / Math.max(nsPerCall, 0.05))));
  let N = pickN(run.ns / n);

  // Warm up, then re-pick N from the last (optimised) warm-up run: the
  // calibration above mostly ran unoptimised code and overestimates.
  const warmupEnd = hrtime() + BigInt(Math.round(opts.warmupMs * 1e6));
  do {
    run = timeRun(loop, call, N);
    fold(run.result);
  } while (hrtime() < warmupEnd);
  N = pickN(run.ns / N);

  // Measure.
  const samples = [];
  for (let r = 0; r < opts.repeats; r++) {
    if (gc) gc(); // same heap state at the start of every run; GC caused by the calls still counts
    const { ns, result } = timeRun(loop, call, N);
    fold(result);
    samples.push(ns / N);
  }
  return {
    nsPerCall: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    callsPerRun: N,
    resultKind: kind,
  };
}

module.exports = { measure, median, getChecksum: () => checksum };
