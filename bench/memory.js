'use strict';
// Memory growth of repeated work that should leave nothing behind (docs/memory.md
// "Memory that tsctypes holds"). Each scenario runs in a fresh child process with
// --expose-gc: two warm-up rounds of the same work (V8 sizes its heap, malloc its arenas,
// once), a collection, the measured round, a collection, and the growth of RSS and of
// the JS heap between the two collections. What leaks grows with the count; the rest
// is noise of a megabyte or two. The young generation is kept at 1 MB (CHILD_FLAGS):
// V8 otherwise grows it, by up to 32 MB of RSS, at a moment that depends on the work's
// allocation rate, leak or not. The async scenario also reports the memory of job
// buffers per call in flight (ArrayBuffers, right after a batch is started).
//
//   node bench/memory.js                 every scenario at its full count
//   node bench/memory.js --scale 0.1     a tenth of each count
//   node bench/memory.js callbacks_gc    some scenarios
//   node bench/memory.js --json          one JSON object per line instead of the table
//
// test/leaks.test.mjs runs the same scenarios at small counts through `--child`.

const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

// name -> [count, what one unit of work is]
const SCENARIOS = {
  callbacks_close: [100_000, 'CFUNCTYPE(c_int, c_int)((v) => v).close()'],
  callbacks_gc: [100_000, 'CFUNCTYPE(c_int, c_int)((v) => v), left to the GC'],
  libraries: [10_000, 'new CDLL(p), one lib.func call, one undeclared lib.name() call, close()'],
  async: [100_000, 'f.async(...), 1,000 in flight at a time'],
  struct_types: [10_000, 'a new struct type, a function passing and returning it by value, one call'],
};

const MB = 1024 * 1024;
const CHILD_FLAGS = ['--expose-gc', '--min-semi-space-size=1', '--max-semi-space-size=1'];

/** The scenario's work: `run(n, extra)` does n units (a promise), noting scenario-specific figures in `extra`. */
function workFor(name) {
  const t = require(ROOT);
  const calls = path.join(FIXTURES, 'build', 'libcalls.so');
  switch (name) {
    case 'callbacks_close': {
      const CB = t.CFUNCTYPE(t.c_int, t.c_int);
      return async (n) => {
        for (let i = 0; i < n; i++) CB((v) => v).close();
      };
    }
    case 'callbacks_gc': {
      const CB = t.CFUNCTYPE(t.c_int, t.c_int);
      return async (n) => {
        for (let i = 0; i < n; i++) {
          CB((v) => v);
          // A collection every 10k callbacks, so that as many are alive at once in every round: left
          // to itself, V8 collects at different points in each round, and the most alive at once (the
          // size of the native tables, and RSS with it) differs by tens of MB between rounds and lines.
          // (FinalizationRegistry callbacks run on later turns of the event loop.)
          if (i % 10_000 === 9_999) {
            global.gc();
            await turn();
          }
        }
      };
    }
    case 'libraries':
      return async (n) => {
        for (let i = 0; i < n; i++) {
          const lib = new t.CDLL(calls);
          if (lib.func('add_ints', t.c_int, [t.c_int, t.c_int])(i, 1) !== i + 1) throw new Error('add_ints');
          if (lib.echo_int(i) !== i) throw new Error('echo_int');
          lib.close();
        }
      };
    case 'struct_types': {
      // (marshaller code is copied per type, up to a bound: making types must not add code forever)
      const lib = new t.CDLL(path.join(FIXTURES, 'build', 'libstructs.so'));
      return async (n) => {
        for (let i = 0; i < n; i++) {
          const D2 = t.struct({ x: t.c_double, y: t.c_double });
          const r = lib.func('d2_add', D2, [D2, D2])(new D2({ x: i, y: 1 }), new D2({ x: 1, y: 1 }));
          if (r.x !== i + 1 || r.y !== 2) throw new Error('d2_add');
        }
      };
    }
    case 'async': {
      const lib = new t.CDLL(calls);
      const add = lib.func('add_ints', t.c_int, [t.c_int, t.c_int]);
      const inFlight = 1000;
      return async (n, extra) => {
        for (let done = 0; done < n; done += inFlight) {
          const batch = [];
          const buffers = process.memoryUsage().arrayBuffers;
          for (let i = 0; i < Math.min(inFlight, n - done); i++) batch.push(add.async(i, 1));
          extra.inFlightBytes = Math.max(extra.inFlightBytes ?? 0, (process.memoryUsage().arrayBuffers - buffers) / batch.length);
          const results = await Promise.all(batch);
          if (results[results.length - 1] !== results.length) throw new Error('add_ints.async');
        }
      };
    }
    default:
      throw new Error(`unknown scenario ${JSON.stringify(name)} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  }
}

function turn() {
  return new Promise((resolve) => setImmediate(resolve));
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await turn();
  }
}

/**
 * In the child: warm up, then measure the same work. Two rounds of warm-up: tables sized by how
 * many objects are alive at once (callbacks left to the GC) may still double in the second round,
 * once, when the GC collects late (Node 24: +22 MB for the second 60k, then flat).
 */
async function child(name, count) {
  const run = workFor(name);
  for (let round = 0; round < 2; round++) {
    await run(count, {});
    await settle();
  }
  const before = process.memoryUsage();
  const extra = {};
  await run(count, extra);
  await settle();
  const after = process.memoryUsage();
  const out = { scenario: name, count, rss: (after.rss - before.rss) / MB, heap: (after.heapUsed - before.heapUsed) / MB, ...extra };
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Runs one scenario in a fresh process; its result object. */
function measure(name, count) {
  const r = spawnSync(process.execPath, [...CHILD_FLAGS, __filename, '--child', name, String(count)], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`${name}: the child failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function main(argv) {
  if (argv[0] === '--child') return child(argv[1], Number(argv[2]));
  let scale = 1;
  let json = false;
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scale') scale = Number(argv[++i]);
    else if (argv[i] === '--json') json = true;
    else names.push(argv[i]);
  }
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  require(path.join(FIXTURES, 'build.js')); // the fixture libraries, compiled when out of date
  for (const name of names.length ? names : Object.keys(SCENARIOS)) {
    if (!SCENARIOS[name]) throw new Error(`unknown scenario ${JSON.stringify(name)} (known: ${Object.keys(SCENARIOS).join(', ')})`);
    const [full, what] = SCENARIOS[name];
    const r = measure(name, Math.max(1, Math.round(full * scale)));
    if (json) console.log(JSON.stringify(r));
    else {
      const inFlight = r.inFlightBytes === undefined ? '' : ` (job buffers: ${Math.round(r.inFlightBytes)} bytes per call in flight)`;
      console.log(`${name.padEnd(16)} ${String(r.count).padStart(7)} x  RSS ${r.rss.toFixed(1).padStart(6)} MB  heap ${r.heap.toFixed(1).padStart(6)} MB   ${what}${inFlight}`);
    }
  }
}

if (require.main === module) {
  Promise.resolve(main(process.argv.slice(2))).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}

module.exports = { SCENARIOS, measure };
