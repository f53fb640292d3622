/* Call plans: a prepared ffi_cif plus where each argument lives in the slab, built once
 * per signature by the TypeScript call compiler; the table of an environment's plans by
 * id; and running a plan through libffi. */
#ifndef TSCTYPES_PLAN_H
#define TSCTYPES_PLAN_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <ffi.h>
#include <node_api.h>
#include "abi.h"
#include "constants.h"

/* A register loaded from memory a slot points to (a struct argument's eightbyte). */
typedef struct RegFixup {
  uint8_t reg;        /* source index: integer registers, vector registers, then stack words */
  uint8_t len;        /* bytes to load (1..8); fewer than 8 are copied into a zeroed temporary */
  uint16_t slot_off;  /* slab offset of the slot holding the struct's address */
  uint16_t add;       /* offset of the eightbyte in the struct */
} RegFixup;

/* Direct register plans (see regcall.c): no struct eightbytes, scalar result, no errno. */
enum { DIRECT_NONE = 0, DIRECT_INTS, DIRECT_ALL };

/* How a plan runs on the register path (installed by regcall.c from a register map). */
typedef struct RegPlan {
  int ret;                            /* REG_RET_*: how the call returns, or REG_RET_NONE (libffi) */
#if REG_PATH
  uint16_t reg_off[REG_SOURCES];      /* slab offset each register / stack word loads from: its own slot, SLAB_RESULT
                                         (the hidden result pointer, register 0) or SLAB_ZERO (unused, or a struct eightbyte's) */
  RegFixup fixups[REG_SOURCES];
  uint8_t nfixups;
  uint8_t nstack;                     /* stack words used */
  uint8_t direct;                     /* DIRECT_*: run inline in the entry */
#endif
} RegPlan;

typedef struct Plan {
  void *fn;                 /* target; NULL once its library is closed */
  RegPlan reg;
  ffi_cif cif;
  ffi_type **arg_types;
  uint16_t *indirect;       /* argument indices whose slot holds a pointer to the value */
  uint32_t nargs;
  uint32_t nindirect;
  uint32_t flags;           /* PLAN_* */
  uint32_t id;              /* its id in the table */
  /* JS thread only: whether a fast call may run it while callbacks are open (plan_guardable): */
  int ran_plain;            /* a plain call has run it: its first call may reach a callback, so it is not a fast one */
  int called_back;          /* a callback was reached during a call of it: fast entries decline it from then on */
  int ret_code;
  char *crash_note;         /* preformatted, written by the crash handler */
} Plan;

/* More than the V8 accelerator has fast functions that run plans (one per typed shape, and the slab's). */
#define PLAN_FAST_FNS 320

/* An environment's plans and struct types. */
typedef struct PlanTable {
  Plan **plans;             /* by id; id 0 and freed ids hold &dead_plan */
  void **targets;           /* by id: each plan's fn (NULL: none, or its library is closed) */
  void **guarded;           /* by id: the fn of each plan a fast call may run while callbacks are open (plan_guardable), else NULL */
  void **fast;              /* what V8 fast calls look up by id: targets, or guarded while the gate is closed */
  uint32_t count;           /* ids in use or freed: 1 + the highest id */
  uint32_t capacity;
  uint32_t *free_next;      /* reuse list of freed ids: the next one after each (parallel to plans) */
  uint32_t free_head;       /* first freed id, 0 = none (ids start at 1) */
  int fast_closed;          /* the gate is closed: callbacks are open (a fast call must never run JS) */
  int32_t fast_running;     /* the id of the plan the last V8 fast call of the environment's JS thread ran, 0: none
                               (nothing nests inside one); read through plan_fast_running */
  const volatile uintptr_t *fast_call_target; /* V8's word naming the C function a fast API call is running (0:
                               none), set by the accelerator. NULL: fast_running is cleared when each fast call returns */
  uintptr_t fast_fns[PLAN_FAST_FNS]; /* the accelerator's fast functions that run plans (appended on the JS thread) */
  uint32_t nfast_fns;
  pthread_mutex_t lock;     /* held where plans are added or freed, and by other threads reading one (foreign.c) */
  ffi_type **struct_types;
  uint32_t nstruct_types;
} PlanTable;

/* The plan a V8 fast call of the environment's JS thread is running, 0: none. Typed fast calls
 * name their plan and jump to its C function, so nothing clears the name when it returns: V8's
 * own word says whether one of our fast functions is the one running (not another addon's). */
static inline int32_t plan_fast_running(const PlanTable *t) {
  int32_t id = __atomic_load_n(&t->fast_running, __ATOMIC_RELAXED);
  if (!id || !t->fast_call_target) return id;
  uintptr_t at = *t->fast_call_target;
  if (!at) return 0;
  uint32_t n = __atomic_load_n(&t->nfast_fns, __ATOMIC_ACQUIRE);
  for (uint32_t k = 0; k < n; k++)
    if (t->fast_fns[k] == at) return id;
  return 0;
}

/* Notes one of the accelerator's fast functions that run plans (see plan_fast_running). */
static inline void plan_note_fast_fn(PlanTable *t, const void *fn) {
  uint32_t n = t->nfast_fns;
  for (uint32_t k = 0; k < n; k++)
    if (t->fast_fns[k] == (uintptr_t)fn) return;
  if (n == PLAN_FAST_FNS) return; /* (cannot happen: there are fewer shapes) */
  t->fast_fns[n] = (uintptr_t)fn;
  __atomic_store_n(&t->nfast_fns, n + 1, __ATOMIC_RELEASE);
}

/* What id 0 and freed ids name: a plan with no target, so a fast call's one check (fn) covers them. */
extern Plan dead_plan;

static inline Plan *plan_lookup(const PlanTable *t, int32_t id) {
  if ((uint32_t)id >= t->count || t->plans[id] == &dead_plan) return NULL;
  return t->plans[id];
}

/* The runnable plan named `id` by a call, or NULL: plan_refusal says why. */
static inline Plan *plan_for_call(const PlanTable *t, int32_t id) {
  if ((uint32_t)id >= t->count) return NULL;
  Plan *p = t->plans[id];
  return p->fn ? p : NULL; /* (dead_plan has none) */
}

/* Why plan_for_call said no: the error's code (ERR_INVALID_PLAN, ERR_LIBRARY_CLOSED), and its
 * message in `message`, for the entry to throw. */
const char *plan_refusal(const PlanTable *t, int32_t id, char *message, size_t size);
/* plan_refusal thrown as a JS error, for the Node-API entries. */
napi_value throw_refusal(napi_env env, const PlanTable *t, int32_t id);

/* The fast-call gate: callback.c closes it while any callback is open. Open, a V8 fast call
 * may run any plan (nothing can call back into JS); closed, only those in `guarded`. */
static inline void plan_gate_close(PlanTable *t, int closed) {
  t->fast_closed = closed;
  t->fast = closed ? t->guarded : t->targets;
}

/* Whether a fast call may run `p` while callbacks are open: it is not expected to call back
 * (PLAN_NO_CALLBACKS, decided in src/call/compile.ts), a plain call ran it first, and no call
 * of it has reached a callback. The first call is plain because a new function's marshaller
 * may already be optimized (functions of one signature share its code): a function that calls
 * back on every call is learned there. A fast call that reaches a callback anyway does not run
 * it (callback.c), and the plan leaves `guarded`. */
static inline int plan_guardable(const Plan *p) {
  return (p->flags & PLAN_NO_CALLBACKS) && p->ran_plain && !p->called_back;
}
/* After ran_plain or called_back changed: `p`'s entry in `guarded`. */
void plan_guard_update(PlanTable *t, Plan *p);

ffi_type *type_for_code(const PlanTable *t, int code);
/* Runs `p` through libffi against `slab` (the live slab or an async job's copy), errno included. */
void plan_execute_ffi(const Plan *p, uint8_t *slab);
void plan_table_init(PlanTable *t);
void plan_table_free(PlanTable *t);
napi_status register_plan(napi_env env, napi_value exports, PlanTable *t);

#endif
