'use strict';
// Memory growth of repeated work that should leave nothing behind (docs/memory.md
// "Memory that tsctypes holds"). Each scenario runs in a fresh child process with
// --expose-gc: a warm-up round, a collection, the measured rounds, a collection, and
// the growth of RSS and of the JS heap between the two collections. The young
// generation is given its full size from the start (CHILD_FLAGS): V8 otherwise grows
// it once, by up to 16 MB of RSS, under any allocation-heavy work, leak or not.
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
};

const MB = 1024 * 1024;
const CHILD_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];

/** The scenario's work: `run(n)` does n units (a promise). */
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
          // (FinalizationRegistry callbacks run on later turns of the event loop)
          if (i % 10_000 === 9_999) await turn();
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
    case 'async': {
      const lib = new t.CDLL(calls);
      const add = lib.func('add_ints', t.c_int, [t.c_int, t.c_int]);
      const inFlight = 1000;
      return async (n) => {
        for (let done = 0; done < n; done += inFlight) {
          const batch = [];
          for (let i = 0; i < Math.min(inFlight, n - done); i++) batch.push(add.async(i, 1));
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

/** In the child: warm up with a tenth of the count, then measure the whole count. */
async function child(name, count) {
  const run = workFor(name);
  await run(Math.max(1, Math.ceil(count / 10)));
  await settle();
  const before = process.memoryUsage();
  await run(count);
  await settle();
  const after = process.memoryUsage();
  const out = { scenario: name, count, rss: (after.rss - before.rss) / MB, heap: (after.heapUsed - before.heapUsed) / MB };
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
    else console.log(`${name.padEnd(16)} ${String(r.count).padStart(7)} x  RSS ${r.rss.toFixed(1).padStart(6)} MB  heap ${r.heap.toFixed(1).padStart(6)} MB   ${what}`);
  }
}

if (require.main === module) {
  Promise.resolve(main(process.argv.slice(2))).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}

module.exports = { SCENARIOS, measure };
