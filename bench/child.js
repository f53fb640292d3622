'use strict';
// Child process: measures ONE contender, so that its JIT state and loaded
// addons can't affect the others. Started by run.js as
//
//   node --expose-gc bench/child.js --contender=<name> --shapes=<a,b,...> --mode=<full|quick>
//          [--repeats=N] [--time=ms]
//
// Progress goes to stderr; the result is one JSON line on stdout, prefixed
// with RESULT_MARKER (so stray output from a library can't corrupt it):
//
//   { contender, available, version?, error?, checksum, loopOverheadNs?,
//     shapes: { <shape>: { status: 'ok', nsPerCall, min, max, samples, callsPerRun, resultKind }
//                      | { status: 'n/a' } | { status: 'error', error } } }
//
// A contender written in another language (Python ctypes, ...) can replace
// this file with its own program that takes the same flags and prints the
// same line; see "Adding a contender" in bench/README.md.

const path = require('node:path');
const { shapes: allShapes, byName, makeInputs } = require('./shapes');
const { measure, getChecksum } = require('./timing');
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

function verify(shape, call) {
  for (const i of [0, 1, 2, 12345]) {
    const got = call(i);
    const want = shape.expect(i);
    if (!sameResult(got, want)) {
      const shown = typeof got === 'bigint' ? `${got}n` : JSON.stringify(got);
      throw new Error(`wrong result for i=${i}: got ${shown}, expected ${want}`);
    }
  }
}

function emit(result) {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const name = args.contender;
  const mode = { ...MODES[args.mode === 'quick' ? 'quick' : 'full'] };
  if (args.repeats) mode.repeats = Math.max(1, Number(args.repeats));
  if (args.time) mode.targetMs = Math.max(1, Number(args.time));
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
  const factories = setup.shapes || {};

  // Cost of the timing loop itself around a trivial JS closure (for reference).
  if (mode.measureLoopOverhead) {
    result.loopOverheadNs = measure(`${name}_overhead`, (i) => i, { ...mode, warmupMs: mode.warmupMs / 2 }).nsPerCall;
  }

  for (const shapeName of wanted) {
    const shape = byName.get(shapeName);
    if (!shape) {
      result.shapes[shapeName] = { status: 'error', error: `unknown shape "${shapeName}"` };
      continue;
    }
    const factory = factories[shapeName];
    if (typeof factory !== 'function') {
      result.shapes[shapeName] = { status: 'n/a' };
      continue;
    }
    try {
      const call = factory();
      verify(shape, call);
      const m = measure(`${name}_${shapeName}`, call, mode);
      result.shapes[shapeName] = { status: 'ok', ...m };
      process.stderr.write(
        `  ${name.padEnd(10)} ${shapeName.padEnd(10)} ${m.nsPerCall.toFixed(1).padStart(8)} ns/call` +
          `  (min ${m.min.toFixed(1)}, max ${m.max.toFixed(1)}, ${m.samples.length} x ${m.callsPerRun} calls)\n`,
      );
    } catch (err) {
      result.shapes[shapeName] = { status: 'error', error: errorText(err) };
      process.stderr.write(`  ${name.padEnd(10)} ${shapeName.padEnd(10)} error: ${errorText(err)}\n`);
    }
  }
  result.checksum = getChecksum();
  emit(result);
}

main().catch((err) => {
  process.stderr.write(`child.js: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
