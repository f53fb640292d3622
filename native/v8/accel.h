// The V8 accelerator: entries that use V8's own API where the engine is a V8 version we
// have verified (see v8-fast-api.h). It is a separate binary from the Node-API core and
// attaches to one environment's core through the core's link (native/core/link.h); JS
// loads it only after checking the engine (src/native.ts).
#ifndef TSCTYPES_ACCEL_H
#define TSCTYPES_ACCEL_H
#include <cstdlib>
#include <cstring>
#include <new>
#include <v8.h>
#include "v8-fast-api.h"

extern "C" {
#include "link.h"
#include "regcall.h"
#include "thrown.h"
}

// For the fast functions that optimized code calls on every FFI call: Node builds addons
// with -fno-omit-frame-pointer, and the frame's push/mov/leave is a sixth of a typed call's
// native instructions (about 1 ns). Profilers still see the V8 frames around them.
#if defined(__GNUC__) && !defined(__clang__)
#define TSC_NO_FRAME __attribute__((optimize("omit-frame-pointer")))
#else
#define TSC_NO_FRAME
#endif

namespace tsctypes {

// One environment's accelerator: its core, and what it counts (the tests check that the
// fast versions are really used).
struct AccelEnv {
  const CoreLink *link;
  State *st;
  ThreadSlots *slots;         // the JS thread's slots, in the core
  uint64_t fast_calls = 0;    // calls taken by the slab's fast entry
  uint64_t fast_strings = 0;  // strings written by writeString's fast version
};

// The environment whose JS runs on this thread: entries get no data (fast calls cannot).
// initial-exec: one %fs-relative load per call.
extern __thread AccelEnv *accel_env __attribute__((tls_model("initial-exec")));
// Its core state, and the calls typed entries' fast functions took: a typed fast call reaches
// its plan with one load fewer, and counts without one.
extern __thread State *accel_state __attribute__((tls_model("initial-exec")));
extern __thread uint64_t accel_typed_calls __attribute__((tls_model("initial-exec")));

// How an entry hands an exception to JS. A fast API function's ordinary callback must not
// throw: V8 11.3 does not deliver an exception thrown by a fast call's fallback to a
// try/catch in the optimized function the call was inlined into. Such entries leave it in
// the thrown box and set SLAB_THROWN to THROWN_BOX; the marshaller throws it.
enum class Delivery { kThrow, kDefer };

// Hands an Error with `code` (ERR_*) and `message` to JS.
void Throw(v8::Isolate *isolate, AccelEnv *env, Delivery how, const char *code, const char *message);
// Hands JS the reason plan `id` cannot run (plan_refusal).
void ThrowRefusal(v8::Isolate *isolate, AccelEnv *env, Delivery how, int32_t id);
// After a call returns: hands JS what a JS callback threw during it. 1 if it did.
int RethrowPending(v8::Isolate *isolate, AccelEnv *env, Delivery how);

// A V8 function (as a napi_value) running `slow`, with the fast API function `fast` where
// it is not NULL.
napi_value NewFunction(v8::FunctionCallback slow, const v8::CFunction *fast, int length);

// A fast call that cannot run: the marshaller runs it again through its plain entry.
static inline void Decline(const State *st) {
  int32_t declined = THROWN_DECLINED;
  std::memcpy(st->slab + SLAB_THROWN, &declined, sizeof declined);
}
static inline void Decline(const AccelEnv *env) { Decline(env->st); }

// blocking_call_enter/leave around a scope, for entries that call the target themselves.
struct BlockingScope {
  AccelEnv *env;
  BlockingCall outer;
  BlockingScope(AccelEnv *e, const Plan *p) : env(e), outer(blocking_call_enter(e->st, e->slots, p)) {}
  ~BlockingScope() { blocking_call_leave(env->st, env->slots, outer); }
};

// Around a slab fast call: it names the running plan (fast_running) for the crash report, for a
// callback C reaches during it (callback.c: the callback does not run JS, C gets zero and the
// plan stops taking fast calls) and for the stuck-callback report of another thread waiting for
// this one (foreign.c). Afterwards an error those left is handed to the marshaller. (Typed fast
// calls name the plan and jump to it: see plan_fast_running in the core's plan.h.)
struct FastScope {
  AccelEnv *env;
  FastScope(AccelEnv *e, int32_t id) : env(e) { __atomic_store_n(&e->st->plans.fast_running, id, __ATOMIC_RELAXED); }
  ~FastScope() {
    __atomic_store_n(&env->st->plans.fast_running, 0, __ATOMIC_RELAXED);
    slab_mark_pending(env->st);  // the marshaller throws it
  }
};

// The gate: the target of a plan a fast call may run, or NULL: the fast call declines and the
// marshaller runs it again through the plain entry, which reports errors and runs callbacks.
// While no callback is open that is every plan whose library is open; while callbacks are
// open, only those not expected to call back (plan_guardable in the core's plan.h).
static inline __attribute__((always_inline)) void *FastTarget(const PlanTable *t, int32_t id) {
  if (__builtin_expect((uint32_t)id >= t->count, 0)) return nullptr;
  return t->fast[(uint32_t)id];
}

// new/delete through malloc/free: the accelerator needs no C++ runtime library (libstdc++),
// so it loads wherever the core does.
template <typename T>
T *Create() {
  void *memory = std::malloc(sizeof(T));
  return memory ? new (memory) T() : nullptr;
}
template <typename T>
void Destroy(T *object) {
  if (!object) return;
  object->~T();
  std::free(object);
}

// Held while function-local statics (the fast functions' signatures) may be made: they are
// built without thread-safe guards (no C++ runtime), and workers attach on their own threads.
struct StaticsLock {
  StaticsLock();
  ~StaticsLock();
};

napi_status RegisterEntries(napi_env env, napi_value entries);
napi_status RegisterTyped(napi_env env, napi_value entries);
// The CallbackOps that reach JS unmarshallers through V8's API (held.cc).
extern const CallbackOps kV8CallbackOps;

}  // namespace tsctypes
#endif
