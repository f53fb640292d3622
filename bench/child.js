'use strict';
// Child process: measures ONE contender, so that its JIT state and loaded
// addons can't affect the others. Started by run.js as
//
//   node --expose-gc bench/child.js --contender=<name> --shapes=<a,b,...> --mode=<full|quick>
//          [--repeats=N] [--time=ms] [--app]
//
// Two ways to run the shapes (README "How it measures"):
// - isolated (default): each shape's factory runs just before that shape is
//   timed, so while a shape is measured only the functions of the shapes
//   before it exist;
// - --app, the realistic mode: the process first does what an application
//   does at start-up: every shape's factory runs (all functions declared,
//   all C data made; every shape the contender has, not only those in
//   --shapes), and a callback is handed to C, which keeps it
//   (contender.keepCallback: benchlib's keep_cb); then every shape is timed
//   with those closures, the stored callback being called before and after
//   to prove it stayed alive (result.live).
//
// Progress goes to stderr; the result is one JSON line on stdout, prefixed
// with RESULT_MARKER (so stray output from a library can't corrupt it):
//
//   { contender, available, app?, live?, version?, info?, error?, checksum, loopOverheadNs?,
//     shapes: { <shape>: { status: 'ok', nsPerCall, min, max, samples, callsPerRun, resultKind,
//                          parts?, speedup?, check? }
//                      | { status: 'n/a', reason? } | { status: 'error', error } } }
//
// Shapes with `parts` (shapes.js) also carry parts: { <part>: { nsPerCall,
// min, max, samples, callsPerRun, resultKind } } (the top-level numbers are
// those of the shape's `main` part) and, with `speedup: [a, b]`, speedup:
// the median over the measurements of time(a) / time(b), each pair measured
// back to back.
//
// A contender written in another language (Python ctypes, ...) can replace
// this file with its own program that takes the same flags and prints the
// same line; see "Adding a contender" in bench/README.md.

const path = require('node:path');
const { shapes: allShapes, byName, makeInputs } = require('./shapes');
const { measure, measureAsync, median, getChecksum } = require('./timing');
const { MODES, RESULT_MARKER, paths } = require('./config');

function parseArgs(argv) {
  const out = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]] = m[2] === undefined ? true : m[2];
  }
  return out;
}

function errorText(err) {
  if (err && err.message) return `${err.name || 'Error'}: ${err.message}`;
  return String(err);
}

function sameResult(got, want) {
  if (want === undefined) return got === undefined || got === null;
  const g = typeof got === 'bigint' ? Number(got) : got;
  return typeof g === 'number' && (g === want || Math.abs(g - want) <= 1e-9 * Math.abs(want));
}

// Checks the closure's results; returns call(0)'s result and how long that
// call took (the timing loop's probe and, for slow shapes, its calibration).
async function verify(shape, call, part) {
  let first;
  let firstNs;
  const at = shape.checkAt || [0, 1, 2, 12345];
  for (const i of at) {
    const t0 = process.hrtime.bigint();
    let got = call(i);
    if (shape.async) got = await got;
    if (i === at[0]) firstNs = Number(process.hrtime.bigint() - t0);
    else if (got && typeof got.then === 'function') throw new Error('the closure returned a Promise, but the shape is not async');
    const want = shape.expect(i);
    if (!sameResult(got, want)) {
      const shown = typeof got === 'bigint' ? `${got}n` : JSON.stringify(got);
      throw new Error(`wrong result${part ? ` of part ${part}` : ''} for i=${i}: got ${shown}, expected ${want}`);
    }
    if (i === at[0]) first = got;
  }
  if (at[0] !== 0) return { value: shape.async ? await call(0) : call(0) };
  return { value: first, ns: firstNs };
}

// Times one shape: a single closure with the synchronous loop, or (async
// shapes, shapes with parts) one or several closures with the async loop.
// `made` is what the shape's factory returned: a closure, or for shapes with
// parts { <part>: closure }.
async function measureShape(name, shape, made, mode) {
  // A shape's own timing settings; its targetMs and warmupMs only shorten
  // the mode's (quick mode stays quick), and --time=ms, when given, wins.
  const timing = shape.timing || {};
  const opts = { ...mode, ...timing };
  for (const key of ['targetMs', 'warmupMs']) {
    if (key in timing) opts[key] = Math.min(mode[key], timing[key]);
  }
  if (mode.timeGiven) opts.targetMs = mode.targetMs;
  const tag = `${name}_${shape.name}`;
  if (!shape.async && !shape.parts) {
    const call = made;
    if (typeof call !== 'function') throw new Error('the factory gave no closure');
    const probe = await verify(shape, call);
    opts.probe = probe.value;
    opts.probeNs = probe.ns;
    return measure(tag, call, opts);
  }
  const calls = shape.parts ? made : { main: made };
  opts.probes = {};
  opts.probeNs = {};
  for (const part of shape.parts || ['main']) {
    if (typeof calls[part] !== 'function') throw new Error(`the factory gave no closure for part "${part}"`);
    const probe = await verify(shape, calls[part], shape.parts ? part : undefined);
    opts.probes[part] = probe.value;
    opts.probeNs[part] = probe.ns;
  }
  const parts = await measureAsync(tag, calls, opts);
  if (!shape.parts) return parts.main;
  const result = { ...parts[shape.main || shape.parts[0]], parts };
  if (shape.speedup) {
    const [a, b] = shape.speedup.map((p) => parts[p].samples);
    result.speedup = median(a.map((v, k) => v / b[k]));
  }
  return result;
}

// The realistic mode's live callback: the contender hands C a callback
// (x => x + 1) that C keeps (benchlib's keep_cb) and returns a closure calling
// it through C (call_kept). It must answer before and after the shapes;
// result.live says whether it did, or why the contender has none.
const LIVE_ARG = 41;

function keepCallback(setup, result) {
  if (typeof setup.keepCallback !== 'function') {
    result.live = { status: 'n/a', reason: (setup.notApplicable && setup.notApplicable.keepCallback) || 'no keepCallback' };
    return null;
  }
  try {
    const live = setup.keepCallback();
    result.live = { status: 'ok' };
    checkLive(live, result, 'at start-up');
    return result.live.status === 'ok' ? live : null;
  } catch (err) {
    result.live = { status: 'error', error: errorText(err) };
    return null;
  }
}

function checkLive(live, result, when) {
  let got;
  try {
    got = live(LIVE_ARG);
  } catch (err) {
    got = errorText(err);
  }
  if (got !== LIVE_ARG + 1) {
    result.live = { status: 'error', error: `the kept callback gave ${got} ${when}, expected ${LIVE_ARG + 1}` };
    process.stderr.write(`  ${result.contender.padEnd(10)} live callback: ${result.live.error}\n`);
  }
}

function fmt(ns) {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${ns.toFixed(1)} ns`;
}

function emit(result) {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const name = args.contender;
  const mode = { ...MODES[args.mode === 'quick' ? 'quick' : 'full'] };
  if (args.repeats) mode.repeats = Math.max(1, Number(args.repeats));
  if (args.time) {
    mode.targetMs = Math.max(1, Number(args.time));
    mode.timeGiven = true;
  }
  const app = Boolean(args.app);
  const wanted = args.shapes ? String(args.shapes).split(',').filter(Boolean) : allShapes.map((s) => s.name);

  const result = { contender: name, available: false, shapes: {} };
  let contender;
  let setup;
  try {
    contender = require(path.join(__dirname, 'contenders', `${name}.js`));
    const ctx = { ...paths, inputs: makeInputs(), shapes: allShapes, mode };
    setup = await contender.setup(ctx);
  } catch (err) {
    result.error = errorText(err);
    emit(result);
    return;
  }
  result.available = true;
  if (setup.version) result.version = setup.version;
  // Optional: what the contender found about itself (tsctypes: runtimeInfo()).
  if (setup.info) result.info = setup.info;
  const factories = setup.shapes || {};

  // Cost of the timing loop itself around a trivial JS closure (for reference).
  if (mode.measureLoopOverhead) {
    result.loopOverheadNs = measure(`${name}_overhead`, (i) => i, { ...mode, warmupMs: mode.warmupMs / 2 }).nsPerCall;
  }

  // Each shape's closure: made up front in the realistic mode (every factory
  // before any timing), else just before the shape is timed. A factory that
  // throws makes its shape an error.
  const make = (shapeName) => {
    try {
      return { made: factories[shapeName]() };
    } catch (err) {
      return { error: errorText(err) };
    }
  };
  const todo = [];
  for (const shapeName of wanted) {
    const shape = byName.get(shapeName);
    if (!shape) {
      result.shapes[shapeName] = { status: 'error', error: `unknown shape "${shapeName}"` };
      continue;
    }
    if (typeof factories[shapeName] !== 'function') {
      const reason = setup.notApplicable && setup.notApplicable[shapeName];
      result.shapes[shapeName] = reason ? { status: 'n/a', reason } : { status: 'n/a' };
      continue;
    }
    todo.push({ shapeName, shape });
  }
  let live = null;
  if (app) {
    // Every shape the contender has is declared, also those not timed in this run.
    result.app = true;
    const declared = new Map(allShapes.filter((s) => typeof factories[s.name] === 'function').map((s) => [s.name, make(s.name)]));
    for (const job of todo) Object.assign(job, declared.get(job.shapeName));
    live = keepCallback(setup, result);
  }

  for (const job of todo) {
    const { shapeName, shape } = job;
    const { made, error } = app ? job : make(shapeName);
    try {
      if (error) throw new Error(`declaration failed: ${error}`);
      // Optional: the contender starts counting for its check (tsctypes: its fast-entry counters).
      if (typeof setup.start === 'function') setup.start(shapeName);
      const m = await measureShape(name, shape, made, mode);
      // A contender may check, after the measurement, that it measured what it
      // claims (v8fast: that V8 took the fast path); a throw makes the shape an error.
      if (typeof setup.check === 'function') m.check = setup.check(shapeName, m);
      result.shapes[shapeName] = { status: 'ok', ...m };
      if (m.check) process.stderr.write(`  ${name.padEnd(10)} ${shapeName.padEnd(10)} check: ${m.check}\n`);
      const unit = shape.unit || 'call';
      const lines = m.parts
        ? Object.entries(m.parts).map(([part, pm]) => [`${shapeName}.${part}`, pm])
        : [[shapeName, m]];
      for (const [label, pm] of lines) {
        process.stderr.write(
          `  ${name.padEnd(10)} ${label.padEnd(10)} ${fmt(pm.nsPerCall).padStart(11)}/${unit}` +
            `  (min ${fmt(pm.min)}, max ${fmt(pm.max)}, ${pm.samples.length} x ${pm.callsPerRun})\n`,
        );
      }
      if (m.speedup !== undefined) {
        process.stderr.write(`  ${name.padEnd(10)} ${shapeName} speed-up ${shape.speedup.join('/')}: ${m.speedup.toFixed(2)}x\n`);
      }
    } catch (err) {
      result.shapes[shapeName] = { status: 'error', error: errorText(err) };
      process.stderr.write(`  ${name.padEnd(10)} ${shapeName.padEnd(10)} error: ${errorText(err)}\n`);
    }
  }
  if (live) checkLive(live, result, 'after the shapes');
  result.checksum = getChecksum();
  emit(result);
}

main().catch((err) => {
  process.stderr.write(`child.js: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
