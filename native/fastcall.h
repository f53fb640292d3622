/* The register fast path's call (see fastcall.c for eligibility). Inline in the
 * one native entry, so a call costs no extra function hops. */
#ifndef TSCTYPES_FASTCALL_H
#define TSCTYPES_FASTCALL_H
#include "tsctypes.h"
#include <string.h>

#if FAST_INT_REGS
#if FAST_INT_REGS == 6
#define INT_ARGS(s) *s[0], *s[1], *s[2], *s[3], *s[4], *s[5]
#else
#define INT_ARGS(s) *s[0], *s[1], *s[2], *s[3], *s[4], *s[5], *s[6], *s[7]
#endif
#define FLOAT_ARGS(s) *s[0], *s[1], *s[2], *s[3], *s[4], *s[5], *s[6], *s[7]

/* Declared variadic after the first parameter: on x86-64 the caller then sets AL
 * (vector registers used, an upper bound) as a variadic callee needs, which
 * matters when a variadic C function is called without declared argtypes;
 * register assignment is the same as for named parameters on x86-64 SysV and
 * AArch64 Linux. Non-variadic callees ignore AL. */
typedef int64_t (*ret_int_fn)(int64_t, ...);
typedef double (*ret_double_fn)(int64_t, ...);
typedef float (*ret_float_fn)(int64_t, ...);

/* Runs an eligible plan; the result is stored at the start of `result` (8 bytes). */
static inline void fast_execute(const Plan *p, void *result) {
  switch (p->fast) {
    case FAST_RET_INT: {
      int64_t r = ((ret_int_fn)p->fn)(INT_ARGS(p->int_src), FLOAT_ARGS(p->float_src));
      memcpy(result, &r, 8);
      break;
    }
    case FAST_RET_DOUBLE: {
      double r = ((ret_double_fn)p->fn)(INT_ARGS(p->int_src), FLOAT_ARGS(p->float_src));
      memcpy(result, &r, 8);
      break;
    }
    default: {
      float r = ((ret_float_fn)p->fn)(INT_ARGS(p->int_src), FLOAT_ARGS(p->float_src));
      memcpy(result, &r, 4);
      break;
    }
  }
}

#else
static inline void fast_execute(const Plan *p, void *result) { (void)p; (void)result; }
#endif
#endif
