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
//
// measureAsync(tag, calls, opts) is the same for closures that return a
// Promise (async shapes): its loop awaits each call before making the next
// (`acc += await call(i)`), and a measurement is the whole batch's time / N.
// It takes several closures ({ part: closure }) and measures them side by
// side, interleaved (part a, part b, part a, ... with GC before each), so a
// drift of the machine's speed hits every part alike; primes_parallel uses
// that for one call vs two parallel halves.
//
// opts.startN / opts.minN (per shape, see shapes.js `timing`) let slow
// operations (a sort of milliseconds) start calibrating at 1 and measure
// fewer than 1000 operations.

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

// The async loop: the same three kinds, awaiting every call's promise.
function makeAsyncLoop(tag, kind) {
  let body;
  if (kind === 'void') {
    body = 'for (let i = 0; i < n; i++) await call(i);\n    return n;';
  } else if (kind === 'number') {
    body = 'let acc = 0;\n    for (let i = 0; i < n; i++) acc += await call(i);\n    return acc;';
  } else {
    body = 'let last;\n    for (let i = 0; i < n; i++) last = await call(i);\n    return last;';
  }
  const id = ++loopSerial;
  const label = String(tag).replace(/[^A-Za-z0-9_]/g, '_');
  const src = `// bench async loop #${id} for ${label} (${kind})\n  return async function loop(call, n) {\n    ${body}\n  };`;
  // eslint-disable-next-line no-new-func
  return new Function(src)();
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

async function timeRunAsync(loop, call, n) {
  const t0 = hrtime();
  const result = await loop(call, n);
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

// N for one measurement of ~opts.targetMs, at least opts.minN (default 1000).
function pickN(nsPerCall, opts) {
  const minN = opts.minN || 1000;
  return Math.max(minN, Math.min(MAX_N, Math.ceil((opts.targetMs * 1e6) / Math.max(nsPerCall, 0.05))));
}

// opts.probe: call(0)'s result when the caller already has it (the probe
// call is skipped: for a sort or a prime count it costs a tenth of a second),
// and opts.probeNs: how long that call took. A single call that took at
// least calibrateMs is its own calibration.
function measure(tag, call, opts) {
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  const kind = kindOf('probe' in opts ? opts.probe : call(0));
  const loop = makeLoop(tag, kind);

  // Calibrate.
  let N;
  let run;
  if (opts.probeNs >= opts.calibrateMs * 1e6) {
    N = pickN(opts.probeNs, opts);
  } else {
    let n = opts.startN || 256;
    run = timeRun(loop, call, n);
    while (run.ns < opts.calibrateMs * 1e6 && n < MAX_N) {
      n = Math.min(MAX_N, n * 2);
      run = timeRun(loop, call, n);
    }
    fold(run.result);
    N = pickN(run.ns / n, opts);
  }

  // Warm up, then re-pick N from the last (optimised) warm-up run: the
  // calibration above mostly ran unoptimised code and overestimates.
  const warmupEnd = hrtime() + BigInt(Math.round(opts.warmupMs * 1e6));
  do {
    run = timeRun(loop, call, N);
    fold(run.result);
  } while (hrtime() < warmupEnd);
  N = pickN(run.ns / N, opts);

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

// The async counterpart of measure(): calls = { part: closure returning a
// Promise (or a plain value) }. Every part is calibrated and warmed up on
// its own, then the parts' measurements are interleaved. Returns
// { part: { nsPerCall, min, max, samples, callsPerRun, resultKind } }.
// opts.probes / opts.probeNs: { part: call(0)'s result / its time in ns }
// when the caller already has them (as in measure()).
async function measureAsync(tag, calls, opts) {
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
  const parts = Object.keys(calls);
  const state = {};
  for (const part of parts) {
    const call = calls[part];
    const kind = kindOf(opts.probes && part in opts.probes ? opts.probes[part] : await call(0));
    const loop = makeAsyncLoop(`${tag}_${part}`, kind);

    let N;
    let run;
    const probeNs = opts.probeNs && opts.probeNs[part];
    if (probeNs >= opts.calibrateMs * 1e6) {
      N = pickN(probeNs, opts);
    } else {
      let n = opts.startN || 256;
      run = await timeRunAsync(loop, call, n);
      while (run.ns < opts.calibrateMs * 1e6 && n < MAX_N) {
        n = Math.min(MAX_N, n * 2);
        run = await timeRunAsync(loop, call, n);
      }
      fold(run.result);
      N = pickN(run.ns / n, opts);
    }

    const warmupEnd = hrtime() + BigInt(Math.round(opts.warmupMs * 1e6));
    do {
      run = await timeRunAsync(loop, call, N);
      fold(run.result);
    } while (hrtime() < warmupEnd);
    N = pickN(run.ns / N, opts);
    state[part] = { call, kind, loop, N, samples: [] };
  }

  for (let r = 0; r < opts.repeats; r++) {
    for (const part of parts) {
      const p = state[part];
      if (gc) gc();
      const { ns, result } = await timeRunAsync(p.loop, p.call, p.N);
      fold(result);
      p.samples.push(ns / p.N);
    }
  }
  const out = {};
  for (const part of parts) {
    const { samples, N, kind } = state[part];
    out[part] = {
      nsPerCall: median(samples),
      min: Math.min(...samples),
      max: Math.max(...samples),
      samples,
      callsPerRun: N,
      resultKind: kind,
    };
  }
  return out;
}

module.exports = { measure, measureAsync, median, getChecksum: () => checksum };
