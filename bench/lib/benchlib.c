/*
 * benchlib.c — the C functions measured by the tsctypes benchmark suite.
 *
 * Built by bench/run.js as bench/build/libbench.so:
 *   cc -O2 -shared -fPIC -o bench/build/libbench.so bench/lib/benchlib.c -lm
 *
 * Most functions are deliberately trivial: the benchmark measures the cost of
 * getting from JavaScript into C and back (argument conversion, the call
 * itself, result conversion), not the work done in C. The exceptions are
 * is_prime/num_primes (primes_parallel, primes_e2e: real work, to measure the
 * speed-up of parallel async calls and a whole program end to end) and
 * sum_i32 (conv_1m: one pass proving that 1,000,000 converted ints arrived);
 * qsort_10k uses libc's own qsort.
 *
 * To add a shape: add its C function here, describe it in bench/shapes.js,
 * and give each contender in bench/contenders/ a closure for it.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "benchlib.h"

#if defined(__GNUC__)
#define BENCH_API __attribute__((visibility("default")))
#else
#define BENCH_API
#endif

/* Pure call overhead: nothing in, nothing out. */
BENCH_API void noop(void) {}

/* Two 32-bit integers in, one out. */
BENCH_API int add_i32(int a, int b) { return a + b; }

/* Two doubles in, one out. */
BENCH_API double add_f64(double a, double b) { return a + b; }

/* Two floats in, one out (float travels in an SSE register as a float, not
 * promoted to double: the FFI has to convert in both directions). */
BENCH_API float add_f32(float a, float b) { return a + b; }

/* Two 64-bit integers in, one out (bigints in JS). */
BENCH_API int64_t add_i64(int64_t a, int64_t b) { return a + b; }

/* Six mixed-type arguments (int, double, int64, float, uint8, double) —
 * exercises both integer and SSE argument registers. */
BENCH_API double mix6(int a, double b, int64_t c, float d, uint8_t e, double f) {
    return (double)a + b + (double)c + (double)d + (double)e + f;
}

/* mix6 with its uint8_t behind a void * (shape mix6p): the fifth argument is
 * C data made by the caller (a string buffer, allocated memory) passed as an
 * opaque pointer, as applications pass their buffers; its first byte is read. */
BENCH_API double mix6p(int a, double b, int64_t c, float d, const void *p, double f) {
    return (double)a + b + (double)c + (double)d + (double)((const uint8_t *)p)[0] + f;
}

/* Pointer-to-buffer argument: sums n bytes (the benchmark passes 64). */
BENCH_API int64_t sum_buf(const uint8_t *p, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += p[i];
    return s;
}

/* String argument (NUL-terminated): its length in bytes. */
BENCH_API size_t str_len(const char *s) {
    const char *q = s;
    while (*q) q++;
    return (size_t)(q - s);
}

/* A 16-byte struct of two doubles by value, in and out (x86-64 SysV: each
 * Vec2 travels in two SSE registers, the result comes back in xmm0:xmm1). */
BENCH_API Vec2 vec2_add(Vec2 a, Vec2 b) {
    Vec2 r = {a.x + b.x, a.y + b.y};
    return r;
}

/* A 16-byte struct of mixed integers by value, in and out (x86-64 SysV: two
 * integer registers per argument, the result in rax:rdx). */
BENCH_API Mixed mixed_add(Mixed p, Mixed q) {
    Mixed r = {p.a + q.a, p.b + q.b, p.c + q.c};
    return r;
}

/* Shape callback: one call into C that calls one function pointer once. */
BENCH_API int call_cb(int (*cb)(int), int x) { return cb(x); }

/* The realistic mode's live callback: keep_cb stores a function pointer the
 * way a C library keeps a handler it was given, and call_kept calls it later,
 * so the callback must stay alive (and callable) for the whole run. */
static int (*kept_cb)(int);

BENCH_API void keep_cb(int (*cb)(int)) { kept_cb = cb; }

BENCH_API int call_kept(int x) { return kept_cb ? kept_cb(x) : -1; }

/* Shape conv_1m: proves that an int array converted from 1,000,000 JS numbers
 * arrived intact (the sum of 0..999999 is 499999500000). */
BENCH_API int64_t sum_i32(const int32_t *p, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += p[i];
    return s;
}

/* Shapes primes_parallel and primes_e2e: the prime counter of seed 003
 * ("Speed up Python applications With Ctypes Library"), its logic kept exactly, quirks
 * included: is_prime() returns 1 when it finds a divisor below (int)sqrt(num),
 * so for 0..999999 the "count" is 921295. num_primes() keeps no state outside
 * its stack, so parallel calls on different arrays are safe. */
BENCH_API int is_prime(int num) {
    for (int i = 2; i < (int)sqrt(num); i++) {
        if (num % i == 0)
            return 1;
    }
    return 0;
}

BENCH_API int num_primes(int n, int *a) {
    int count = 0;
    for (int i = 0; i < n; i++)
        count += is_prime(a[i]);
    return count;
}
