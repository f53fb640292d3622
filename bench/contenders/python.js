'use strict';
// Python 3's ctypes on the same libbench.so: the child is not Node but
// python_ctypes.py (next to this file), which times the same shapes with the
// same method (bench/timing.js, rewritten in Python) and prints the same
// JSON line. This shim only starts it: the timing modes, the result marker,
// the shared input values and each shape's timing fields and expected
// results go to it as JSON (--settings=...), so shapes.js stays the one
// definition of the shapes. PYTHON=<binary> picks another interpreter
// (default python3).

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { shapes, makeInputs, QSORT_N, PRIMES_N, PRIMES_BLOCK } = require('../shapes');
const { MODES, RESULT_MARKER } = require('../config');

const script = path.join(__dirname, 'python_ctypes.py');
const python = () => process.env.PYTHON || 'python3';

// JSON has no bigints: the int64 inputs go as numbers (exact: they are small)
// and are Python ints on the other side.
const plain = (value) => JSON.parse(JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? Number(v) : v)));

function settings(ctx) {
  const { str, mix, mixBufSize, arr, vec, mixed } = makeInputs();
  return {
    marker: RESULT_MARKER,
    libPath: ctx.libPath,
    modes: MODES,
    inputs: plain({ str, mix, mixBufSize, arr, vec, mixed, qsortN: QSORT_N, n1m: PRIMES_N, primesBlock: PRIMES_BLOCK }),
    shapes: shapes.map((s) => {
      const checkAt = s.checkAt || [0, 1, 2, 12345];
      return {
        name: s.name,
        unit: s.unit,
        timing: s.timing,
        parts: s.parts,
        main: s.main,
        speedup: s.speedup,
        checkAt,
        expected: checkAt.map((i) => {
          const want = s.expect(i);
          return want === undefined ? null : want;
        }),
      };
    }),
  };
}

module.exports = {
  name: 'python',
  // One line for RESULTS.md's list of contenders.
  summary:
    'Python 3 `ctypes` (`bench/contenders/python_ctypes.py`): `argtypes`/`restype`, `Structure`, `CFUNCTYPE`, `(c_int32 * N)(*list)`, a thread pool for the async shapes; the same timing method in a Python loop',

  // Python calls cost hundreds of ns: in full runs two processes and
  // measurements of ~100 ms are enough (and keep the run short).
  full: { processes: 2, time: 100 },

  // Parent process: is there a Python with ctypes?
  prepare() {
    const r = spawnSync(python(), ['-c', 'import ctypes, sys; print(sys.version.split()[0])'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error(`${python()} with ctypes is not available (${r.error ? r.error.message : (r.stderr || '').trim()})`);
    }
  },

  // The child is Python, not child.js.
  command(ctx, childArgs) {
    return { file: python(), args: [script, ...childArgs, `--settings=${JSON.stringify(settings(ctx))}`] };
  },

  setup() {
    throw new Error('the python contender runs as bench/contenders/python_ctypes.py (see command())');
  },
};
