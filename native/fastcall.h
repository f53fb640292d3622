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

/* The generic call: register and stack values gathered in `v` (integer registers,
 * vector registers as doubles' bits, then stack words). */
#define V(v, i) (v)[i]
#define VD(v, i) as_double((v)[FAST_INT_REGS + (i)])
#if FAST_INT_REGS == 6
#define INT_ARGS(v) V(v, 0), V(v, 1), V(v, 2), V(v, 3), V(v, 4), V(v, 5)
#else
#define INT_ARGS(v) V(v, 0), V(v, 1), V(v, 2), V(v, 3), V(v, 4), V(v, 5), V(v, 6), V(v, 7)
#endif
#define FLOAT_ARGS(v) VD(v, 0), VD(v, 1), VD(v, 2), VD(v, 3), VD(v, 4), VD(v, 5), VD(v, 6), VD(v, 7)
#define CALL(type, p, v) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(v), FLOAT_ARGS(v))
#if FAST_STACK_WORDS
/* after 6 integer and 8 vector arguments, further int64 arguments go to the stack in order */
#define S(v, i) V(v, FAST_REGS + (i))
#define CALL_STACK(type, p, v) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(v), FLOAT_ARGS(v), \
  S(v, 0), S(v, 1), S(v, 2), S(v, 3), S(v, 4), S(v, 5), S(v, 6), S(v, 7))
#else
#define CALL_STACK CALL
#endif
#define INVOKE(type, p, v) ((p)->nstack ? CALL_STACK(type, p, v) : CALL(type, p, v))

static inline double as_double(int64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

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

/* Runs an eligible plan against `slab` (the live slab or an async job's copy): gathers the
 * register and stack values (struct arguments' eightbytes from their memory), then calls. */
static inline void fast_execute(const Plan *p, uint8_t *slab) {
  int64_t v[FAST_SOURCES];
  /* register r loads slot r (see fastcall.c): one block, stack words only when used */
  memcpy(v, slab + SLAB_ARGS, 8 * FAST_REGS);
  if (p->nstack) memcpy(v + FAST_REGS, slab + SLAB_ARGS + 8 * FAST_REGS, 8 * (FAST_SOURCES - FAST_REGS));
  if (p->reg_off[0] == SLAB_RESULT) memcpy(&v[0], slab + SLAB_RESULT, 8);
  for (int k = 0; k < p->nfixups; k++) {
    const FastFixup *f = &p->fixups[k];
    const uint8_t *base;
    memcpy(&base, slab + f->slot_off, sizeof base);
    if (f->len == 8) {
      memcpy(&v[f->reg], base + f->add, 8);
    } else {
      v[f->reg] = 0;
      memcpy(&v[f->reg], base + f->add, f->len);
    }
  }
  void *res = slab + SLAB_RESULT;
  if (p->fast >= FAST_RET_AGG_I) memcpy(&res, slab + SLAB_RESULT, sizeof res);
  switch (p->fast) {
    case FAST_RET_INT: case FAST_RET_AGG_I: { int64_t r = INVOKE(int64_t, p, v); memcpy(res, &r, 8); break; }
    case FAST_RET_DOUBLE: case FAST_RET_AGG_D: { double r = INVOKE(double, p, v); memcpy(res, &r, 8); break; }
    case FAST_RET_FLOAT: { float r = INVOKE(float, p, v); memcpy(res, &r, 4); break; }
    case FAST_RET_AGG_II: { agg_ii r = INVOKE(agg_ii, p, v); memcpy(res, &r, 16); break; }
    case FAST_RET_AGG_ID: { agg_id r = INVOKE(agg_id, p, v); memcpy(res, &r, 16); break; }
    case FAST_RET_AGG_DI: { agg_di r = INVOKE(agg_di, p, v); memcpy(res, &r, 16); break; }
    case FAST_RET_AGG_DD: { agg_dd r = INVOKE(agg_dd, p, v); memcpy(res, &r, 16); break; }
    default: (void)INVOKE(int64_t, p, v); break; /* FAST_RET_MEMORY: the callee filled the result buffer */
  }
}

#else
static inline void fast_execute(const Plan *p, uint8_t *slab) { (void)p; (void)slab; }
#endif

/* fast_execute out of line (fastcall.c), for plans on the register path that are not direct. */
void plan_execute_registers(const Plan *p, uint8_t *slab);

/* Runs plan `p` against `slab`: the commonest plans (scalars in registers, no errno)
 * inline in the calling entry, everything else through plan_execute. The caller names
 * the running plan for the crash report (plan_execute does too: it also runs elsewhere). */
static inline __attribute__((always_inline)) void plan_run_unmarked(const Plan *p, uint8_t *slab) {
#if FAST_INT_REGS
  if (__builtin_expect(p->direct != DIRECT_NONE, 1)) {
    fast_execute_direct(p, slab);
    return;
  }
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (p->fast != FAST_NONE && !(p->flags & PLAN_USE_ERRNO)) {
    plan_execute_registers(p, slab); /* what plan_execute would do, minus its checks */
    return;
  }
#endif
#endif
  plan_execute(p, slab);
}

/* Around a plain synchronous call on the JS thread: the plan is the running one (named by
 * the crash report) and the one the JS thread is blocked in (named by the stuck-callback
 * report). Calls nest through callbacks: leave restores what enter found. */
typedef struct BlockingCall {
  const Plan *running, *blocking;
} BlockingCall;

static inline __attribute__((always_inline)) BlockingCall blocking_call_enter(State *st, const Plan *p) {
  BlockingCall outer = {tsc_thread.running, st->blocking};
  __atomic_store_n(&st->blocking, p, __ATOMIC_RELAXED);
  tsc_thread.running = p;
  return outer;
}

static inline __attribute__((always_inline)) void blocking_call_leave(State *st, BlockingCall outer) {
  tsc_thread.running = outer.running;
  __atomic_store_n(&st->blocking, outer.blocking, __ATOMIC_RELAXED);
}

/* plan_run_unmarked for a plain synchronous call. */
static inline __attribute__((always_inline)) void plan_run_blocking(State *st, const Plan *p) {
  BlockingCall outer = blocking_call_enter(st, p);
  plan_run_unmarked(p, st->slab);
  blocking_call_leave(st, outer);
}
#endif
