/* Prototypes of the functions in benchlib.c (used by the hand-written Node-API addon). */
#ifndef TSCTYPES_BENCHLIB_H
#define TSCTYPES_BENCHLIB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void noop(void);
int add_i32(int a, int b);
double add_f64(double a, double b);
float add_f32(float a, float b);
int64_t add_i64(int64_t a, int64_t b);
double mix6(int a, double b, int64_t c, float d, uint8_t e, double f);
int64_t sum_buf(const uint8_t *p, size_t n);
size_t str_len(const char *s);

/* Structs by value (shapes vec2_byval and mixed_byval). The struct_rw shape
 * uses the Vec2 layout too, but in memory only: no C call. */
typedef struct Vec2 {
    double x, y;
} Vec2;

typedef struct Mixed {
    int32_t a, b;
    int64_t c;
} Mixed;

Vec2 vec2_add(Vec2 a, Vec2 b);
Mixed mixed_add(Mixed p, Mixed q);

/* Shape callback: returns cb(x). */
int call_cb(int (*cb)(int), int x);

/* Shape conv_1m: the sum of n int32s. */
int64_t sum_i32(const int32_t *p, size_t n);

/* Shapes primes_parallel and primes_e2e: seed 003's prime counter (see benchlib.c). */
int is_prime(int num);
int num_primes(int n, int *a);

#ifdef __cplusplus
}
#endif

#endif
