/* The register path (regcall.c): a plan whose arguments all travel in registers is called
 * through one register-shaped function pointer, with no libffi. Inline here so that the
 * entries (and accelerators) run the commonest plans with no extra function hops. */
#ifndef TSCTYPES_REGCALL_H
#define TSCTYPES_REGCALL_H
#include <string.h>
#include "plan.h"
#include "state.h"
#include "thread.h"

#if REG_PATH

/* Declared variadic after the first parameter: on x86-64 the caller then sets AL
 * (vector registers used, an upper bound) as a variadic callee needs, which matters
 * when a variadic C function is called without declared argtypes; register assignment
 * is the same as for named parameters on x86-64 SysV and AArch64 Linux. Non-variadic
 * callees ignore AL. A callee ignores registers it has no parameter for, so one
 * prototype serves every register-only signature. */
typedef struct { int64_t a, b; } agg_ii;
typedef struct { int64_t a; double b; } agg_id;
typedef struct { double a; int64_t b; } agg_di;
typedef struct { double a, b; } agg_dd;

/* The generic call: register and stack values gathered in `v` (integer registers,
 * vector registers as doubles' bits, then stack words). */
#define V(v, i) (v)[i]
#define VD(v, i) reg_as_double((v)[REG_INT + (i)])
#if REG_INT == 6
#define INT_ARGS(v) V(v, 0), V(v, 1), V(v, 2), V(v, 3), V(v, 4), V(v, 5)
#else
#define INT_ARGS(v) V(v, 0), V(v, 1), V(v, 2), V(v, 3), V(v, 4), V(v, 5), V(v, 6), V(v, 7)
#endif
#define FLOAT_ARGS(v) VD(v, 0), VD(v, 1), VD(v, 2), VD(v, 3), VD(v, 4), VD(v, 5), VD(v, 6), VD(v, 7)
#define CALL(type, p, v) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(v), FLOAT_ARGS(v))
#if REG_STACK_WORDS
/* after the registers, further int64 arguments go to the stack in order */
#define S(v, i) V(v, REG_COUNT + (i))
#define CALL_STACK(type, p, v) ((type (*)(int64_t, ...))(p)->fn)(INT_ARGS(v), FLOAT_ARGS(v), \
  S(v, 0), S(v, 1), S(v, 2), S(v, 3), S(v, 4), S(v, 5), S(v, 6), S(v, 7))
#else
#define CALL_STACK CALL
#endif
#define INVOKE(type, p, v) ((p)->reg.nstack ? CALL_STACK(type, p, v) : CALL(type, p, v))

static inline double reg_as_double(int64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* A direct plan: register r is argument slot r, loaded from fixed offsets. */
#define SLOT_I(s, i) (*(const int64_t *)((s) + SLAB_ARGS + 8 * (i)))
#define SLOT_D(s, i) (*(const double *)((s) + SLAB_ARGS + 8 * (REG_INT + (i))))
#if REG_INT == 6
#define DIRECT_INT_ARGS(s) SLOT_I(s, 0), SLOT_I(s, 1), SLOT_I(s, 2), SLOT_I(s, 3), SLOT_I(s, 4), SLOT_I(s, 5)
#else
#define DIRECT_INT_ARGS(s) SLOT_I(s, 0), SLOT_I(s, 1), SLOT_I(s, 2), SLOT_I(s, 3), SLOT_I(s, 4), SLOT_I(s, 5), SLOT_I(s, 6), SLOT_I(s, 7)
#endif
#define DIRECT_FLOAT_ARGS(s) SLOT_D(s, 0), SLOT_D(s, 1), SLOT_D(s, 2), SLOT_D(s, 3), SLOT_D(s, 4), SLOT_D(s, 5), SLOT_D(s, 6), SLOT_D(s, 7)
#if REG_STACK_WORDS
#define DIRECT_STACK_ARGS(s) , SLOT_I(s, REG_COUNT + 0), SLOT_I(s, REG_COUNT + 1), SLOT_I(s, REG_COUNT + 2), SLOT_I(s, REG_COUNT + 3), \
  SLOT_I(s, REG_COUNT + 4), SLOT_I(s, REG_COUNT + 5), SLOT_I(s, REG_COUNT + 6), SLOT_I(s, REG_COUNT + 7)
#else
#define DIRECT_STACK_ARGS(s)
#endif
#define DIRECT(type, p, s) ((p)->reg.nstack \
  ? ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s), DIRECT_FLOAT_ARGS(s) DIRECT_STACK_ARGS(s)) \
  : ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s), DIRECT_FLOAT_ARGS(s)))

#define DIRECT_INTS_ONLY(type, p, s) ((type (*)(int64_t, ...))(p)->fn)(DIRECT_INT_ARGS(s))

static inline __attribute__((always_inline)) void regcall_direct(const Plan *p, uint8_t *slab) {
  uint8_t *res = slab + SLAB_RESULT;
  if (p->reg.direct == DIRECT_INTS) {
    switch (p->reg.ret) {
      case REG_RET_DOUBLE: { double v = DIRECT_INTS_ONLY(double, p, slab); memcpy(res, &v, 8); return; }
      case REG_RET_FLOAT: { float v = DIRECT_INTS_ONLY(float, p, slab); memcpy(res, &v, 4); return; }
      default: { int64_t v = DIRECT_INTS_ONLY(int64_t, p, slab); memcpy(res, &v, 8); return; }
    }
  }
  switch (p->reg.ret) {
    case REG_RET_DOUBLE: { double v = DIRECT(double, p, slab); memcpy(res, &v, 8); break; }
    case REG_RET_FLOAT: { float v = DIRECT(float, p, slab); memcpy(res, &v, 4); break; }
    default: { int64_t v = DIRECT(int64_t, p, slab); memcpy(res, &v, 8); break; }
  }
}
#endif

/* Runs a plan that is on the register path but not direct (struct eightbytes, aggregate
 * results, errno), against `slab` (the live slab or an async job's copy). */
void regcall_execute(const Plan *p, uint8_t *slab);

/* Runs plan `p` against `slab`: direct plans inline, other register plans through
 * regcall_execute, the rest through libffi. The callers that run it on the JS thread name
 * the running plan for the crash report (blocking_call_enter); the out-of-line paths do too,
 * since they also run on other threads. */
static inline __attribute__((always_inline)) void call_run(const Plan *p, uint8_t *slab) {
#if REG_PATH
  if (__builtin_expect(p->reg.direct != DIRECT_NONE, 1)) {
    regcall_direct(p, slab);
    return;
  }
#endif
  if (p->reg.ret != REG_RET_NONE) regcall_execute(p, slab);
  else plan_execute_ffi(p, slab);
}

/* Around a plain synchronous call on the JS thread: the plan is the running one (named by
 * the crash report) and the one the JS thread is blocked in (named by the stuck-callback
 * report). Calls nest through callbacks: leave restores what enter found. */
typedef struct BlockingCall {
  const Plan *running, *blocking;
} BlockingCall;

static inline __attribute__((always_inline)) BlockingCall blocking_call_enter(State *st, ThreadSlots *slots, const Plan *p) {
  BlockingCall outer = {slots->running, st->blocking};
  if (__builtin_expect(!p->ran_plain, 0)) {
    ((Plan *)p)->ran_plain = 1;
    plan_guard_update(&st->plans, (Plan *)p);
  }
  __atomic_store_n(&st->blocking, p, __ATOMIC_RELAXED);
  slots->running = p;
  return outer;
}

static inline __attribute__((always_inline)) void blocking_call_leave(State *st, ThreadSlots *slots, BlockingCall outer) {
  slots->running = outer.running;
  __atomic_store_n(&st->blocking, outer.blocking, __ATOMIC_RELAXED);
}

/* call_run for a plain synchronous call on the JS thread. */
static inline __attribute__((always_inline)) void call_run_blocking(State *st, ThreadSlots *slots, const Plan *p) {
  BlockingCall outer = blocking_call_enter(st, slots, p);
  call_run(p, st->slab);
  blocking_call_leave(st, slots, outer);
}

napi_status register_regcall(napi_env env, napi_value exports, PlanTable *t);

#endif
