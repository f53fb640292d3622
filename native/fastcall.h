/* The register fast path's call (see fastcall.c and src/call/registers.ts).
 * Inline in the one native entry, so a call costs no extra function hops. */
#ifndef TSCTYPES_FASTCALL_H
#define TSCTYPES_FASTCALL_H
#include "tsctypes.h"
#include <string.h>

#if FAST_INT_REGS

/* Declared variadic after the first parameter: on x86-64 the caller then sets AL
 * (vector registers used, an upper bound) as a variadic callee needs, which
 * matters when a variadic C function is called without declared argtypes;
 * register assignment is the same as for named parameters on x86-64 SysV and
 * AArch64 Linux. Non-variadic callees ignore AL. A callee ignores registers it
 * has no parameter for, so one prototype serves every register-only signature. */
typedef struct { int64_t a, b; } agg_ii;
typedef struct { int64_t a; double b; } agg_id;
typedef struct { double a; int64_t b; } agg_di;
typedef struct { double a, b; } agg_dd;

#if FAST_INT_REGS == 6
#define INT_ARGS(r) *(const int64_t *)r[0], *(const int64_t *)r[1], *(const int64_t *)r[2], \
  *(const int64_t *)r[3], *(const int64_t *)r[4], *(const int64_t *)r[5]
#else
#define INT_ARGS(r) *(const int64_t *)r[0], *(const int64_t *)r[1], *(const int64_t *)r[2], \
  *(const int64_t *)r[3], *(const int64_t *)r[4], *(const int64_t *)r[5], *(const int64_t *)r[6], *(const int64_t *)r[7]
#endif
#define F(r, i) *(const double *)r[FAST_INT_REGS + i]
#define FLOAT_ARGS(r) F(r, 0), F(r, 1), F(r, 2), F(r, 3), F(r, 4), F(r, 5), F(r, 6), F(r, 7)
#define CALL(type, p, r) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(r), FLOAT_ARGS(r))
#if FAST_STACK_WORDS
/* after 6 integer and 8 vector arguments, further int64 arguments go to the stack in order */
#define S(r, i) *(const int64_t *)r[FAST_REGS + i]
#define CALL_STACK(type, p, r) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(r), FLOAT_ARGS(r), \
  S(r, 0), S(r, 1), S(r, 2), S(r, 3), S(r, 4), S(r, 5), S(r, 6), S(r, 7))
#else
#define CALL_STACK CALL
#endif
#define INVOKE(type, p, r) ((p)->nstack ? CALL_STACK(type, p, r) : CALL(type, p, r))

/* A direct plan: register r is argument slot r, loaded from fixed offsets. */
#define SLOT_I(s, i) (*(const int64_t *)((s) + SLAB_ARGS + 8 * (i)))
#define SLOT_D(s, i) (*(const double *)((s) + SLAB_ARGS + 8 * (FAST_INT_REGS + (i))))
#if FAST_INT_REGS == 6
#define DIRECT_INT_ARGS(s) SLOT_I(s, 0), SLOT_I(s, 1), SLOT_I(s, 2), SLOT_I(s, 3), SLOT_I(s, 4), SLOT_I(s, 5)
#else
#define DIRECT_INT_ARGS(s) SLOT_I(s, 0), SLOT_I(s, 1), SLOT_I(s, 2), SLOT_I(s, 3), SLOT_I(s, 4), SLOT_I(s, 5), SLOT_I(s, 6), SLOT_I(s, 7)
#endif
#define DIRECT_FLOAT_ARGS(s) SLOT_D(s, 0), SLOT_D(s, 1), SLOT_D(s, 2), SLOT_D(s, 3), SLOT_D(s, 4), SLOT_D(s, 5), SLOT_D(s, 6), SLOT_D(s, 7)
#if FAST_STACK_WORDS
#define DIRECT_STACK_ARGS(s) , SLOT_I(s, FAST_REGS + 0), SLOT_I(s, FAST_REGS + 1), SLOT_I(s, FAST_REGS + 2), SLOT_I(s, FAST_REGS + 3), \
  SLOT_I(s, FAST_REGS + 4), SLOT_I(s, FAST_REGS + 5), SLOT_I(s, FAST_REGS + 6), SLOT_I(s, FAST_REGS + 7)
#else
#define DIRECT_STACK_ARGS(s)
#endif
#define DIRECT(type, p, s) ((p)->nstack \
  ? ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s), DIRECT_FLOAT_ARGS(s) DIRECT_STACK_ARGS(s)) \
  : ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s), DIRECT_FLOAT_ARGS(s)))

#define DIRECT_INTS_ONLY(type, p, s) ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s))

static inline __attribute__((always_inline)) void fast_execute_direct(const Plan *p, uint8_t *slab) {
  uint8_t *res = slab + SLAB_RESULT;
  if (p->direct == DIRECT_INTS) {
    switch (p->fast) {
      case FAST_RET_DOUBLE: { double v = DIRECT_INTS_ONLY(double, p, slab); memcpy(res, &v, 8); return; }
      case FAST_RET_FLOAT: { float v = DIRECT_INTS_ONLY(float, p, slab); memcpy(res, &v, 4); return; }
      default: { int64_t v = DIRECT_INTS_ONLY(int64_t, p, slab); memcpy(res, &v, 8); return; }
    }
  }
  switch (p->fast) {
    case FAST_RET_DOUBLE: { double v = DIRECT(double, p, slab); memcpy(res, &v, 8); break; }
    case FAST_RET_FLOAT: { float v = DIRECT(float, p, slab); memcpy(res, &v, 4); break; }
    default: { int64_t v = DIRECT(int64_t, p, slab); memcpy(res, &v, 8); break; }
  }
}

/* Runs an eligible plan against `slab` (the live slab or an async job's copy). */
static inline void fast_execute(const Plan *p, uint8_t *slab) {
  const void *r[FAST_SOURCES];
  int64_t tmp[FAST_SOURCES];
  const int nsources = p->nstack ? FAST_SOURCES : FAST_REGS; /* stack words only when used */
  for (int i = 0; i < nsources; i++) r[i] = slab + p->reg_off[i];
  for (int k = 0; k < p->nfixups; k++) {
    const FastFixup *f = &p->fixups[k];
    const uint8_t *base;
    memcpy(&base, slab + f->slot_off, sizeof base);
    if (f->len == 8) {
      r[f->reg] = base + f->add;
    } else {
      tmp[f->reg] = 0;
      memcpy(&tmp[f->reg], base + f->add, f->len);
      r[f->reg] = &tmp[f->reg];
    }
  }
  void *res = slab + SLAB_RESULT;
  if (p->fast >= FAST_RET_AGG_I) memcpy(&res, slab + SLAB_RESULT, sizeof res);
  switch (p->fast) {
    case FAST_RET_INT: case FAST_RET_AGG_I: { int64_t v = INVOKE(int64_t, p, r); memcpy(res, &v, 8); break; }
    case FAST_RET_DOUBLE: case FAST_RET_AGG_D: { double v = INVOKE(double, p, r); memcpy(res, &v, 8); break; }
    case FAST_RET_FLOAT: { float v = INVOKE(float, p, r); memcpy(res, &v, 4); break; }
    case FAST_RET_AGG_II: { agg_ii v = INVOKE(agg_ii, p, r); memcpy(res, &v, 16); break; }
    case FAST_RET_AGG_ID: { agg_id v = INVOKE(agg_id, p, r); memcpy(res, &v, 16); break; }
    case FAST_RET_AGG_DI: { agg_di v = INVOKE(agg_di, p, r); memcpy(res, &v, 16); break; }
    case FAST_RET_AGG_DD: { agg_dd v = INVOKE(agg_dd, p, r); memcpy(res, &v, 16); break; }
    default: (void)INVOKE(int64_t, p, r); break; /* FAST_RET_MEMORY: the callee filled the result buffer */
  }
}

#else
static inline void fast_execute(const Plan *p, uint8_t *slab) { (void)p; (void)slab; }
#endif

/* Runs plan `p` against `slab`: the commonest plans (scalars in registers, no errno)
 * inline in the calling entry, everything else through plan_execute. The caller names
 * the running plan for the crash report (plan_execute does too: it also runs elsewhere). */
static inline __attribute__((always_inline)) void plan_run_unmarked(const Plan *p, uint8_t *slab) {
#if FAST_INT_REGS
  if (__builtin_expect(p->direct != DIRECT_NONE, 1)) {
    fast_execute_direct(p, slab);
    return;
  }
#endif
  plan_execute(p, slab);
}

/* plan_run_unmarked, naming the running plan. */
static inline __attribute__((always_inline)) void plan_run(const Plan *p, uint8_t *slab) {
  const Plan *outer = tsc_thread.running;
  tsc_thread.running = p;
  plan_run_unmarked(p, slab);
  tsc_thread.running = outer;
}

/* plan_run for a plain synchronous call: while it runs, the plan is the one the JS thread
 * is blocked in (named by the stuck-callback report). Calls nest through callbacks. */
static inline __attribute__((always_inline)) void plan_run_blocking(State *st, const Plan *p) {
  const Plan *outer = st->blocking;
  __atomic_store_n(&st->blocking, p, __ATOMIC_RELAXED);
  plan_run(p, st->slab);
  __atomic_store_n(&st->blocking, outer, __ATOMIC_RELAXED);
}
#endif
