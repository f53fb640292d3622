/*
 * benchlib.c — the C functions measured by the tsctypes benchmark suite.
 *
 * Built by bench/run.js as bench/build/libbench.so:
 *   cc -O2 -shared -fPIC -o bench/build/libbench.so bench/lib/benchlib.c
 *
 * Every function is deliberately trivial: the benchmark measures the cost of
 * getting from JavaScript into C and back (argument conversion, the call
 * itself, result conversion), not the work done in C.
 *
 * To add a shape: add its C function here, describe it in bench/shapes.js,
 * and give each contender in bench/contenders/ a closure for it.
 */
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

/* Six mixed-type arguments (int, double, int64, float, uint8, double) —
 * exercises both integer and SSE argument registers. */
BENCH_API double mix6(int a, double b, int64_t c, float d, uint8_t e, double f) {
    return (double)a + b + (double)c + (double)d + (double)e + f;
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
