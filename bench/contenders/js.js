'use strict';
// Plain JavaScript, no C at all: the reference point where the same work can
// be done without C — struct_rw (fields of a plain object {x, y} instead of
// a C struct), conv_1m (the JS array copied into an Int32Array and summed in
// JS) and primes_e2e (seed 003's is_prime loop written in JavaScript, on the
// JS array itself). Every other shape calls C and is not applicable.

// Seed 003's is_prime, as in bench/lib/benchlib.c (quirks kept: 1 when a
// divisor below (int)sqrt(num) exists).
function isPrime(num) {
  const limit = Math.trunc(Math.sqrt(num));
  for (let i = 2; i < limit; i++) if (num % i === 0) return 1;
  return 0;
}

function numPrimes(a) {
  let count = 0;
  for (let k = 0; k < a.length; k++) count += isPrime(a[k]);
  return count;
}

module.exports = {
  name: 'js',
  // One line for RESULTS.md's list of contenders.
  summary:
    'plain JavaScript, no C: `struct_rw` on a plain object, `arr_rw` on an `Int32Array`, `conv_1m` as `new Int32Array(array)` and a JS sum, `primes_e2e` as seed 003\'s loop written in JS',

  // Child process.
  setup(ctx) {
    const { vec, arr } = ctx.inputs;
    return {
      version: `plain JavaScript objects (${process.version})`,
      notApplicable: { keepCallback: 'plain JavaScript calls no C' },
      shapes: {
        struct_rw: () => {
          const p = { ...vec.p };
          return (i) => (p.x = p.y + i);
        },
        arr_rw: () => {
          // The floor of element access: a typed array (no C memory involved).
          const a = new Int32Array(arr.length);
          a[arr.fixed] = arr.value;
          return (i) => (a[i & 31] = a[arr.fixed] + i);
        },
        conv_1m: () => {
          const { ints1m } = ctx.inputs;
          return () => {
            const a = new Int32Array(ints1m);
            let s = 0;
            for (let k = 0; k < a.length; k++) s += a[k];
            return s;
          };
        },
        primes_e2e: () => {
          const { ints1m } = ctx.inputs;
          return () => numPrimes(ints1m);
        },
      },
    };
  },
};
