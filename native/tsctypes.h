/* tsctypes native core: shared declarations.
 * The core executes call plans compiled by the TypeScript layer; it holds no policy. */
#ifndef TSCTYPES_H
#define TSCTYPES_H

#include <stddef.h>
#include <stdint.h>
#include <ffi.h>
#include <node_api.h>
#include <pthread.h>

/* Argument slab layout (bytes). The slab is an ArrayBuffer created by JS and
 * shared with this core; JS writes a call's arguments into it and calls
 * invoke() with no JS arguments. Keep in sync with src/call/slab.ts. */
#define SLAB_PLAN_ID      0   /* int32: plan to run */
#define SLAB_THROWN       4   /* int32: 1 when the entry left an exception in the thrown box for JS to throw */
#define SLAB_ERRNO        8   /* int32: ctypes-private errno copy (use_errno plans) */
#define SLAB_RESULT       16  /* 16 bytes: scalar result, or a pointer to the result buffer */
#define SLAB_ARGS         32  /* 8-byte slots, one per argument */
#define SLAB_MAX_ARGS     256
#define SLAB_ZERO         (SLAB_ARGS + 8 * SLAB_MAX_ARGS)  /* 8 zero bytes: unused registers load these */
#define SLAB_CB_RESULT    (SLAB_ZERO + 8)   /* 16 bytes: a JS callback's result */
#define SLAB_CB_ARGS      (SLAB_CB_RESULT + 16) /* 8-byte slots: a JS callback's arguments */
#define SLAB_CB_MAX_ARGS  64
#define SLAB_SCRATCH      (SLAB_CB_ARGS + 8 * SLAB_CB_MAX_ARGS)
#define SLAB_MIN_SIZE     (SLAB_SCRATCH + 4096)

/* Type codes shared with src/types/ffi-codes.ts. Codes >= TYPE_STRUCT_BASE name
 * struct types registered with structType(). */
enum {
  TYPE_VOID = 0, TYPE_UINT8, TYPE_SINT8, TYPE_UINT16, TYPE_SINT16,
  TYPE_UINT32, TYPE_SINT32, TYPE_UINT64, TYPE_SINT64,
  TYPE_FLOAT, TYPE_DOUBLE, TYPE_LONGDOUBLE, TYPE_POINTER,
  TYPE_PRIMITIVE_COUNT,
  TYPE_STRUCT_BASE = 100
};

/* Plan flags. */
enum {
  PLAN_USE_ERRNO = 1,       /* swap errno with the slab's private copy around the call */
  PLAN_INDIRECT_RESULT = 2, /* the result slot holds a pointer to the result buffer */
  PLAN_NO_FAST = 4,         /* always use libffi (tests compare both paths) */
  PLAN_NO_CALLBACKS = 8     /* declared { reentrant: false }: never calls back into JS (V8 fast calls allowed) */
};

/* Register fast path. For signatures whose arguments all travel in registers,
 * the TypeScript side (src/call/registers.ts, which knows the platform ABI)
 * sends a register map with the plan: for each integer and vector argument
 * register, the slab slot it is loaded from (or, for a struct passed by value,
 * the struct memory the slot points to, plus an offset). The call then goes
 * through one register-shaped function pointer, no libffi. */
#if (defined(__x86_64__) && !defined(_WIN32)) || (defined(__aarch64__) && !defined(__APPLE__) && !defined(_WIN32))
#if defined(__x86_64__)
#define FAST_INT_REGS 6
#else
#define FAST_INT_REGS 8
#endif
#define FAST_FLOAT_REGS 8
#else
#define FAST_INT_REGS 0
#define FAST_FLOAT_REGS 0
#endif
#define FAST_REGS (FAST_INT_REGS + FAST_FLOAT_REGS)
/* 8-byte words passed on the stack after the registers (x86-64: arguments that did not fit) */
#if defined(__x86_64__)
#define FAST_STACK_WORDS 8
#else
#define FAST_STACK_WORDS 0
#endif
#define FAST_SOURCES (FAST_REGS + FAST_STACK_WORDS)

/* How a register-path call returns (codes shared with src/call/registers.ts). */
enum {
  FAST_NONE = 0,     /* not eligible: libffi */
  FAST_RET_INT,      /* integer register -> result slot */
  FAST_RET_DOUBLE,   /* vector register (8 bytes) -> result slot */
  FAST_RET_FLOAT,    /* vector register (4 bytes) -> result slot */
  FAST_RET_AGG_I,    /* small aggregate in one integer register -> result buffer */
  FAST_RET_AGG_D,    /* ... in one vector register */
  FAST_RET_AGG_II,   /* two eightbytes: integer, integer */
  FAST_RET_AGG_ID,
  FAST_RET_AGG_DI,
  FAST_RET_AGG_DD,
  FAST_RET_MEMORY    /* aggregate returned through the hidden pointer (passed as the first integer argument) */
};

/* Direct plans (see fastcall.c). */
enum { DIRECT_NONE = 0, DIRECT_INTS, DIRECT_ALL };

/* A register loaded from memory a slot points to (a struct argument's eightbyte). */
typedef struct FastFixup {
  uint8_t reg;        /* source index: integer registers, vector registers, then stack words */
  uint8_t len;        /* bytes to load (1..8); fewer than 8 are copied into a zeroed temporary */
  uint16_t slot_off;  /* slab offset of the slot holding the struct's address */
  uint16_t add;       /* offset of the eightbyte in the struct */
} FastFixup;

typedef struct Plan {
  void *fn;                 /* target; NULL once its library is closed */
  int fast;                 /* FAST_RET_* : how the register path returns, or FAST_NONE */
#if FAST_INT_REGS
  uint16_t reg_off[FAST_SOURCES];     /* slab offset each register / stack word loads from: its own slot, SLAB_RESULT (the hidden
                                         result pointer, register 0) or SLAB_ZERO (unused, or a struct eightbyte's) */
  FastFixup fixups[FAST_SOURCES];
  uint8_t nfixups;
  uint8_t nstack;                     /* stack words used */
  uint8_t direct;                     /* DIRECT_*: no struct eightbytes, scalar result, no errno: run inline */
#endif
  ffi_cif cif;
  ffi_type **arg_types;
  uint16_t *indirect;       /* argument indices whose slot holds a pointer to the value */
  uint32_t nargs;
  uint32_t nindirect;
  uint32_t flags;
  int ret_code;
  char *crash_note;         /* preformatted, written by the crash handler */
} Plan;

typedef struct State {
  uint8_t *slab;
  size_t slab_size;
  napi_ref slab_ref;
  napi_ref thrown_box;      /* a JS array: [0] is an exception the marshaller throws when SLAB_THROWN is set */
  Plan **plans;             /* by id; id 0 and freed ids hold &dead_plan */
  void **targets;           /* by id: each plan's fn (NULL: none, or its library is closed), for typed fast calls */
  uint32_t nplans;
  uint32_t cap_plans;
  uint32_t *free_next;      /* reuse list of freed plan ids: the next one after each (parallel to plans) */
  uint32_t free_head;       /* first freed id, 0 = none (ids start at 1) */
  uint32_t fast_limit;      /* ids below this may take a V8 fast call unchecked: nplans, or 0 while callbacks are open */
  ffi_type **struct_types;
  uint32_t nstruct_types;
  napi_env env;
  pthread_t js_thread;      /* the thread running this environment's JS */
  napi_ref pending_error;   /* thrown by a JS callback; rethrown when the call that led to it returns */
  struct Foreign *foreign;  /* callbacks from other threads (callback.c) */
  const Plan *blocking;     /* the plain synchronous call the JS thread is in (atomic; for the stuck-callback report) */
  struct Callback *callbacks; /* every callback made in this environment */
  struct AsyncJob *jobs;    /* async calls in flight, newest first */
  uint32_t open_callbacks;  /* callbacks not yet closed: while any is open, V8 fast calls decline (they must not re-enter JS) */
  const Plan *in_fast_call; /* the plan a V8 fast call is running (JS cannot be entered meanwhile) */
  uint64_t fast_calls;      /* calls taken by the V8 fast entry (the tests check it is really used) */
  uint64_t typed_calls;     /* ... by typed entries' fast functions (v8typed.cc) */
  uint64_t trampoline_calls; /* callbacks run on the JS thread through a register trampoline (trampoline.c) */
  uint64_t fast_strings;    /* strings written by writeString's fast version (likewise) */
} State;

/* helpers (util.c) */
napi_value throw_error(napi_env env, const char *code, const char *fmt, ...);
int get_address(napi_env env, napi_value v, void **out);
napi_value make_address(napi_env env, const void *p);
int get_i32(napi_env env, napi_value v, int32_t *out);
int get_u64(napi_env env, napi_value v, uint64_t *out);
char *get_string(napi_env env, napi_value v); /* malloc'd UTF-8, NULL on failure */
#define CHECK(env, call) do { if ((call) != napi_ok) return NULL; } while (0)

/* per-concern registration */
napi_status register_library(napi_env env, napi_value exports);
napi_status register_plan(napi_env env, napi_value exports, State *st);
napi_status register_invoke(napi_env env, napi_value exports, State *st);
napi_status register_memory(napi_env env, napi_value exports);
napi_status register_crash(napi_env env, napi_value exports);
napi_status register_callback(napi_env env, napi_value exports, State *st);
/* After a call returns to JS: rethrow what a JS callback threw during it, if anything. */
void rethrow_pending(napi_env env, State *st);
/* ... or take it (NULL: nothing was thrown), for an entry that delivers it another way. */
napi_value take_pending(napi_env env, State *st);
/* v8entry.cc: `invoke` as a plain V8 function (fast: with V8's fast API entry), or NULL where that is not available */
napi_value make_v8_invoke(napi_env env, State *st, int fast);
/* v8typed.cc: exports typedEntry(ints, floats, floatKind, ret) where V8's fast API is verified */
napi_status register_typed(napi_env env, napi_value exports, State *st);
/* v8entry.cc: writeString(text, offset, capacity) (UTF-8 into the slab), or NULL where V8's API is not available */
napi_value make_v8_write_string(napi_env env, State *st);
/* v8entry.cc: a JS function held weakly for C (NULL: not a function), released on the JS thread. */
typedef struct HeldFunction HeldFunction;
HeldFunction *v8_hold_weak(napi_value fn);
void v8_release(HeldFunction *held);
/* Call a held function with no arguments, inside a V8 handle scope (Node-API's scopes are
 * heap-allocated: too dear per callback). 1: returned; 0: threw (`on_throw` got the exception
 * while it was still reachable) or the thread is terminating; -1: the function was collected. */
int v8_call_held(HeldFunction *held, napi_env env, void (*on_throw)(napi_env, napi_value, void *), void *ctx);
void callback_state_free(State *st);
/* trampoline.c: the address of a free register trampoline, now running `cb` (its result in the
 * vector register if vector_result, else in the integer register), or NULL: none left / no such path here */
void *trampoline_claim(struct Callback *cb, int vector_result);
/* callback.c: a register trampoline's call of `cb`: `regs` holds the FAST_REGS argument registers
 * (integer, then vector), `ret` gets the result as libffi would leave it */
void callback_run_registers(struct Callback *cb, void *ret, const int64_t *regs);
napi_status register_threads(napi_env env, napi_value exports, State *st);


ffi_type *type_for_code(State *st, int code);
/* What id 0 and freed ids name: a plan with no target, so a fast call's one check (fn) covers them. */
extern Plan dead_plan;
static inline Plan *plan_lookup(State *st, int32_t id) {
  if ((uint32_t)id >= st->nplans || st->plans[id] == &dead_plan) return NULL;
  return st->plans[id];
}
/* After open_callbacks or nplans change: V8 fast calls take their unchecked path only while no callback is open. */
static inline void fast_gate_update(State *st) { st->fast_limit = st->open_callbacks ? 0 : st->nplans; }
void plan_execute(const Plan *p, uint8_t *slab);
/* The runnable plan named `id` by a call, or NULL: plan_refusal says why. */
static inline Plan *plan_for_call(State *st, int32_t id) {
  Plan *p = plan_lookup(st, id);
  return p && p->fn ? p : NULL;
}
/* Why plan_for_call said no: the error's code (ERR_INVALID_PLAN, ERR_LIBRARY_CLOSED), and its
 * message in `message`, for the entry to throw. */
const char *plan_refusal(State *st, int32_t id, char *message, size_t size);
/* plan_refusal thrown as a JS error (invoke.c), for the Node-API entries. */
napi_value throw_refusal(napi_env env, State *st, int32_t id);
void plan_free(Plan *p);
/* Install the register map `desc` (see fastcall.c); returns 0 if it is malformed. */
int plan_set_fast(Plan *p, const int32_t *desc, uint32_t n);

/* Per-thread slots, in one TLS block so that a fast call reaches them with one address load.
 * __thread (not thread_local): constant-initialized, so C++ callers need no TLS wrapper call;
 * initial-exec: a plain %fs-relative access instead of a __tls_get_addr call per use. */
typedef struct ThreadSlots {
  const Plan *running;      /* the innermost foreign call on this thread, for the crash report (crash.c) */
  int32_t fast_running;     /* the plan id of the foreign call a V8 fast call is running, 0: none (nothing nests inside one) */
  State *fast_state;        /* the environment whose JS runs on this thread: fast calls get no data */
  uint32_t trampoline_slot; /* the register trampoline just entered on this thread (trampoline.c) */
} ThreadSlots;
extern __thread ThreadSlots tsc_thread __attribute__((tls_model("initial-exec")));

#endif
