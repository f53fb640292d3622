'use strict';
// The call shapes measured by the benchmark, in table order.
//
// A shape is one kind of call from JavaScript into C. Each contender
// (bench/contenders/<name>.js) supplies, for every shape it supports, a
// closure `(i) => result` that makes exactly one call of the C function with
// the inputs described here. The timing loop (bench/timing.js) calls it with
// the loop counter `i`; shapes whose inputs don't depend on it ignore it.
//
// Fields:
//   name       key used by --shapes=, by the contenders and in the tables
//   signature  the C prototype (in bench/lib/benchlib.c)
//   call       the JS call every contender makes, written out for the table
//   expect(i)  the result the closure must return for counter i, checked
//              before timing (bigint results are compared as numbers)
// Optional fields:
//   unit       what one timed operation is, when it is not one call: the
//              table row then reads e.g. "qsort_10k (ns/sort)"
//   async      the closure returns a Promise; the async timing loop awaits
//              each one before the next call (timing.js measureAsync)
//   parts      several closures timed side by side in one process,
//              interleaved: the factory returns { <part>: closure, ... }
//              instead of one closure, and the table shows the part named
//              by `main`; `speedup: [a, b]` reports time(a) / time(b) in a
//              table of its own (primes_parallel: one call vs two halves)
//   checkAt    loop counters to verify the result at (default [0, 1, 2, 12345];
//              slow shapes check fewer)
//   timing     { startN, minN, targetMs, warmupMs } for slow operations: the
//              first calibration count and the least N per measurement
//              (defaults 256 and 1000, right for calls of nanoseconds, not
//              for sorts of milliseconds), a shorter measurement than the
//              mode's (not when --time= is given) and a shorter warm-up, to
//              keep the whole run short. SLOW below: one operation of a
//              tenth of a second is its own warm-up (a sort makes ~120,000
//              callback calls), so these shapes run it once in the
//              verification (timed: that is the calibration), once more to
//              warm up, then measure ~100 ms at a time
//
// To add a shape: add its C code to
// bench/lib/benchlib.c, an entry here (and any shared input to makeInputs),
// and a closure under the same name in each contender that supports it.
// Contenders without it show "n/a" in that row.

// Timing settings of the shapes whose one operation takes milliseconds.
const SLOW = { startN: 1, minN: 1, targetMs: 100, warmupMs: 0 };

const shapes = [
  {
    name: 'noop',
    signature: 'void noop(void)',
    call: 'noop()',
    expect: () => undefined,
  },
  {
    name: 'add_i32',
    signature: 'int add_i32(int, int)',
    call: 'add_i32(i, 7)',
    expect: (i) => i + 7,
  },
  {
    // Python ctypes' own style: the function is an attribute of the library,
    // declared by setting its argtypes/restype once, and every call looks it
    // up again (`lib.add_i32(...)`). Contenders whose functions are not
    // attributes of a library object keep them in a plain object, the
    // nearest idiom (`api.add_i32(...)`).
    name: 'attr_i32',
    signature: 'int add_i32(int, int)',
    call: 'lib.add_i32(i, 7)   (lib.add_i32.argtypes = [c_int, c_int]; .restype = c_int, once)',
    expect: (i) => i + 7,
  },
  {
    name: 'add_f64',
    signature: 'double add_f64(double, double)',
    call: 'add_f64(i, 0.5)',
    expect: (i) => i + 0.5,
  },
  {
    // float is not promoted: the FFI converts a JS number to a C float and back.
    name: 'add_f32',
    signature: 'float add_f32(float, float)',
    call: 'add_f32(i, 0.5)',
    expect: (i) => i + 0.5, // exact in a float for the checked counters
  },
  {
    // Bigints in and out (for every contender that takes them; koffi returns
    // a number when the result fits in 53 bits, ctypes a Python int).
    name: 'add_i64',
    signature: 'int64_t add_i64(int64_t, int64_t)',
    call: 'add_i64(2n ** 40n, 7n)',
    expect: () => 2 ** 40 + 7,
  },
  {
    name: 'mix6',
    signature: 'double mix6(int, double, int64_t, float, uint8_t, double)',
    call: 'mix6(1, 2.5, 3n, 4.5, 5, 6.25)',
    expect: () => 22.25,
  },
  {
    // mix6 with its byte behind a void *: the fifth argument is C data made
    // once by the program (tsctypes/ctypes: create_string_buffer; koffi:
    // koffi.alloc memory) whose first byte is 5, passed as an opaque pointer.
    name: 'mix6p',
    signature: 'double mix6p(int, double, int64_t, float, const void *, double)  /* 5th: *(uint8_t *)p */',
    call: 'mix6p(1, 2.5, 3n, 4.5, cbuf, 6.25)   (cbuf = create_string_buffer(16), cbuf[0] = 5)',
    expect: () => 22.25,
  },
  {
    name: 'sum_buf',
    signature: 'int64_t sum_buf(const uint8_t *, size_t)',
    call: 'sum_buf(buf64, 64)',
    expect: () => 2016, // buf64[k] = k for k in 0..63
  },
  {
    name: 'str_len',
    signature: 'size_t str_len(const char *)',
    call: "str_len('hello, world')",
    expect: () => 12,
  },
  {
    // No C call: one read and one write of double fields of a struct
    // {double x, y} per operation. tsctypes: a struct({x: c_double, y: c_double})
    // instance (fields live in its C memory); js: a plain object {x, y};
    // koffi: the struct in memory from koffi.alloc, fields through
    // koffi.decode/encode at koffi.offsetof offsets. (`p.x = p.y + i` rather
    // than `p.x = p.x + 1` so that the result is a function of i alone.)
    name: 'struct_rw',
    signature: 'struct Vec2 { double x, y; } (memory only)',
    call: 'p.x = p.y + i   (p.y = 0.5)',
    expect: (i) => i + 0.5,
  },
  {
    // No C call: one element read and one element write of a C int array per
    // operation. tsctypes/ctypes: c_int.array(64) (c_int * 64) indexing; js:
    // an Int32Array (the floor); koffi and node:ffi have no array objects,
    // the nearest is reading and writing the memory at byte offsets.
    name: 'arr_rw',
    signature: 'int a[64] (memory only)',
    call: 'a[i & 31] = a[32] + i   (a[32] = 7)',
    expect: (i) => i + 7,
  },
  {
    // Two 16-byte structs of doubles in, one out, and both result fields read.
    name: 'vec2_byval',
    signature: 'Vec2 vec2_add(Vec2 a, Vec2 b)  /* Vec2 = {double x, y} */',
    call: 'r = vec2_add(va, vb); r.x + r.y',
    expect: () => 3, // (1.5 + 0.25) + (2.25 - 1)
  },
  {
    // Two 16-byte structs of integers (one int64) in, one out, every result field read.
    name: 'mixed_byval',
    signature: 'Mixed mixed_add(Mixed p, Mixed q)  /* Mixed = {int32_t a, b; int64_t c} */',
    call: 'r = mixed_add(ma, mb); r.a + r.b + Number(r.c)',
    expect: () => 10 - 4 + 7000000000 + 11, // a: 3 + 7, b: -5 + 1, c: 7e9 + 11n
  },
  {
    // One call into C that calls a JS callback once: JS -> C -> JS -> C -> JS.
    // The callback is created once, outside the timed closure (tsctypes:
    // CFUNCTYPE(c_int, c_int)(x => x + 1); koffi: koffi.register of a
    // koffi.proto; napi: the addon's static C trampoline calling a stored JS
    // function with napi_call_function).
    name: 'callback',
    signature: 'int call_cb(int (*cb)(int), int x)  /* return cb(x) */',
    call: 'call_cb(cb, i)   (cb: x => x + 1, made once)',
    expect: (i) => i + 1,
  },
  {
    // libc qsort of 10,000 ints with a JS comparator (about 120,000 calls of
    // it per sort). Every sort starts from the same pseudo-random data,
    // copied into the work array inside the timed closure (for everyone; the
    // copy costs microseconds, the sort milliseconds), and the closure
    // returns a checksum of the sorted array (sortedChecksum: one pass).
    // tsctypes: CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int)) and
    // (a, b) => a[0] - b[0]; koffi: a koffi.proto with const int * parameters
    // (they arrive as opaque pointers) and koffi.decode(a, int) - koffi.decode(b, int);
    // napi: the addon's trampoline reads both ints and calls (x, y) => x - y.
    name: 'qsort_10k',
    unit: 'sort',
    signature: 'void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))  /* libc */',
    call: 'work.set(data); qsort(work, 10000, 4, cmp); sortedChecksum(work)',
    expect: () => qsortExpected(),
    checkAt: [0],
    timing: SLOW,
  },
  {
    // 1,000,000 JS numbers in a plain JS Array (the same packed array of
    // 0..999999 for everyone) converted into a C int32_t array, then one C
    // call that sums it, proving the data arrived. tsctypes:
    // c_int32.array(N).from(jsArray); koffi: the JS array passed to a
    // `const int32_t *` parameter (koffi copies it into C memory for the
    // call); napi: a hand-written napi_get_element loop into a malloc'd
    // buffer; Python: (c_int32 * N)(*pyList); js: new Int32Array(jsArray)
    // and a JS sum (no C).
    name: 'conv_1m',
    unit: 'conversion',
    signature: 'int64_t sum_i32(const int32_t *, size_t)  /* after converting the JS array */',
    call: 'sum_i32(convert(ints1m), 1e6)',
    expect: () => SUM_1M,
    checkAt: [0],
    timing: SLOW,
  },
  {
    // Seed 003 end to end: the plain JS Array 0..999999 converted to a C int
    // array (as in conv_1m) and counted by num_primes in one synchronous
    // call. js: the same is_prime loop written in JavaScript on the JS array.
    name: 'primes_e2e',
    unit: 'count',
    signature: 'int num_primes(int n, int *a)  /* after converting the JS array */',
    call: 'num_primes(1e6, convert(ints1m))',
    expect: () => PRIMES_COUNT,
    checkAt: [0],
    timing: SLOW,
  },
  {
    // The overhead of one async call: `await add_i32.async(i, 7)`, one after
    // the other (the call runs on the libuv thread pool, the result comes
    // back through a promise). koffi: f.async(i, 7, callback) wrapped in a
    // Promise; napi: napi_create_async_work + napi_create_promise.
    name: 'async_call',
    async: true,
    timing: { targetMs: 100 }, // ~5,000 calls per measurement is plenty
    signature: 'int add_i32(int, int)',
    call: 'await add_i32.async(i, 7)',
    expect: (i) => i + 7,
  },
  {
    // Seed 003's prime counter on the 1,000,000 ints 0..999999 (count 921295):
    // part `one` is one synchronous call on the whole Int32Array, part `two`
    // is two parallel async calls on its two halves, which are dealt out in
    // blocks of 64 ints (half 0 gets blocks 0, 2, 4, ..., half 1 blocks 1, 3,
    // 5, ...) so both get the same mix of cheap and costly numbers. The table
    // shows `two`; the speed-up table shows one / two.
    name: 'primes_parallel',
    unit: 'count',
    async: true,
    parts: ['one', 'two'],
    main: 'two',
    speedup: ['one', 'two'],
    signature: 'int num_primes(int n, int *a)  /* seed 003: count += is_prime(a[i]) */',
    call: 'one: num_primes(1e6, all); two: await Promise.all([num_primes.async(h0), num_primes.async(h1)]), summed',
    expect: () => PRIMES_COUNT,
    checkAt: [0],
    timing: SLOW,
  },
];

// --- inputs of the callback shapes ------------------------------------------

const QSORT_N = 10000;
const PRIMES_N = 1000000;
const PRIMES_COUNT = 921295; // seed 003's count for range(1_000_000)
const PRIMES_BLOCK = 64;
const SUM_1M = (PRIMES_N * (PRIMES_N - 1)) / 2; // 0 + 1 + ... + 999999

// The qsort data: QSORT_N pseudo-random ints from a fixed LCG, in [0, 2^20),
// so the comparator's a[0] - b[0] cannot overflow a C int.
function qsortData() {
  const data = new Int32Array(QSORT_N);
  let seed = 12345;
  for (let k = 0; k < QSORT_N; k++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[k] = seed >>> 12;
  }
  return data;
}

// A checksum of a whole int array that depends on the order of its elements
// (so an unsorted or partly sorted array fails verification).
function sortedChecksum(a) {
  let h = 0;
  for (let k = 0; k < a.length; k++) h = (Math.imul(h, 31) + a[k]) | 0;
  return h;
}

let qsortExpectedValue;
function qsortExpected() {
  if (qsortExpectedValue === undefined) qsortExpectedValue = sortedChecksum(qsortData().sort());
  return qsortExpectedValue;
}

// The prime counter's input, 0..PRIMES_N-1, and its two halves dealt out in
// blocks of PRIMES_BLOCK ints (like cards: block k goes to half k % 2).
function primesData() {
  const all = new Int32Array(PRIMES_N);
  for (let k = 0; k < PRIMES_N; k++) all[k] = k;
  const halves = [0, 1].map((h) => {
    const parts = [];
    for (let start = h * PRIMES_BLOCK; start < PRIMES_N; start += 2 * PRIMES_BLOCK) {
      parts.push(all.subarray(start, Math.min(start + PRIMES_BLOCK, PRIMES_N)));
    }
    const half = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      half.set(p, at);
      at += p.length;
    }
    return half;
  });
  return { all, halves };
}

// Inputs shared by all contenders, so every one converts the same JS values.
// Called once per child process.
function makeInputs() {
  const buf64 = new Uint8Array(64);
  for (let k = 0; k < buf64.length; k++) buf64[k] = k;
  return {
    buf64,
    str: 'hello, world',
    // mix6's arguments; `c` is an int64_t, passed as a bigint to everyone.
    mix: { a: 1, b: 2.5, c: 3n, d: 4.5, e: 5, f: 6.25 },
    // mix6p's void * argument: C data of this many bytes, the first one mix.e.
    mixBufSize: 16,
    // arr_rw: a C int array of `length` ints, a[fixed] = value, the others 0.
    arr: { length: 64, fixed: 32, value: 7 },
    // Struct shapes: the field values every contender starts from, as plain
    // objects. Contenders whose structs are C data (tsctypes) build their
    // struct objects from these once, outside the timed closure, the way a
    // program keeps its structs; koffi and the Node-API addon take the plain
    // objects themselves.
    vec: { p: { x: 0, y: 0.5 }, a: { x: 1.5, y: 2.25 }, b: { x: 0.25, y: -1 } },
    mixed: { p: { a: 3, b: -5, c: 7000000000n }, q: { a: 7, b: 1, c: 11n } },
    // Callback shapes (built on first use: a child that doesn't run these
    // shapes doesn't pay for the 4 MB of primes data).
    // qsort_10k: `data` is the unsorted source, copied into `work` before each sort.
    get qsort() {
      const data = qsortData();
      return lazy(this, 'qsort', { data, work: new Int32Array(data.length), n: QSORT_N, checksum: sortedChecksum });
    },
    // primes_parallel: `all` = Int32Array 0..999999, `halves` = its two halves.
    get primes() {
      return lazy(this, 'primes', primesData());
    },
    // conv_1m, primes_e2e: a plain JS Array of the numbers 0..999999 (packed
    // small integers, built by push so V8 keeps it packed).
    get ints1m() {
      const a = [];
      for (let k = 0; k < PRIMES_N; k++) a.push(k);
      return lazy(this, 'ints1m', a);
    },
  };
}

// Replace a getter by its value on first use.
function lazy(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true });
  return value;
}

const byName = new Map(shapes.map((s) => [s.name, s]));

module.exports = { shapes, byName, makeInputs, sortedChecksum, QSORT_N, PRIMES_N, PRIMES_BLOCK };
