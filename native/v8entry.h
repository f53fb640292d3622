// Shared by the V8 entries (v8entry.cc: the slab entry; v8typed.cc: typed entries).
#ifndef TSCTYPES_V8ENTRY_H
#define TSCTYPES_V8ENTRY_H
#include <v8.h>
#include "v8-fast-api.h"

extern "C" {
#include "fastcall.h"
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

// How an entry hands an exception to JS. The ordinary callback of a fast API function
// must not throw: V8 11.3 does not deliver an exception thrown by a fast call's fallback
// to a try/catch in the optimized function the call was inlined into (it unwinds past
// it). Such entries leave the exception in the thrown box and set SLAB_THROWN; the
// marshaller checks that after the call and throws it (src/call/slab.ts raiseThrown).
enum class Delivery { kThrow, kDefer };

// Hands an Error with `code` (ERR_*) and `message` to JS.
void Throw(v8::Isolate *isolate, State *st, Delivery how, const char *code, const char *message);

// Hands JS the reason plan `id` cannot run (plan_refusal).
void ThrowRefusal(v8::Isolate *isolate, State *st, Delivery how, int32_t id);

// After a call returns: hands JS what a JS callback threw during it (callback.c keeps it). 1 if it did.
int RethrowPending(v8::Isolate *isolate, State *st, Delivery how);

// A V8 function (as a napi_value) running `slow`, with the fast API function `fast`
// where it is not NULL; its data is `st`.
napi_value NewFunction(State *st, v8::FunctionCallback slow, const v8::CFunction *fast, int length);

// blocking_call_enter/leave around a scope, for entries that call the target themselves.
struct BlockingScope {
  State *st;
  BlockingCall outer;
  BlockingScope(State *s, const Plan *p) : st(s), outer(blocking_call_enter(s, p)) {}
  ~BlockingScope() { blocking_call_leave(st, outer); }
};

// A fast call running a { reentrant: false } plan while callbacks are open: C threads may
// wait for this thread (the stuck-callback report names the call), and a callback it
// reaches must not run JS (callback.c checks in_fast_call). A fast call never runs JS, so
// none starts inside another: in_fast_call was NULL.
struct GuardedScope : BlockingScope {
  GuardedScope(State *s, const Plan *p) : BlockingScope(s, p) { s->in_fast_call = p; }
  ~GuardedScope() { st->in_fast_call = nullptr; }
};

#if TSCTYPES_V8_FAST_API
// The gate: the target of a plan a fast call may run without further checks (it exists,
// its library is open, and no callback is open: a fast call must never run JS), or NULL:
// see FastGuarded. (fast_limit is 0 while callbacks are open; targets[id] is NULL for a
// freed plan or a closed library.)
static inline __attribute__((always_inline)) void *FastTarget(State *st, int32_t id) {
  if (__builtin_expect((uint32_t)id >= st->fast_limit, 0)) return nullptr;
  return st->targets[(uint32_t)id];
}

// The gate, for entries that need the plan itself.
static inline __attribute__((always_inline)) const Plan *FastPlan(State *st, int32_t id) {
  return __builtin_expect(FastTarget(st, id) != nullptr, 1) ? st->plans[id] : nullptr;
}

// When FastPlan said no: the plan to run with callbacks open because it was declared
// { reentrant: false }, or NULL: the fast call must decline (V8 then runs the ordinary
// entry, which reports errors and may run JS).
static inline const Plan *FastGuarded(State *st, int32_t id) {
  const Plan *p = plan_for_call(st, id);
  return p && (p->flags & PLAN_NO_CALLBACKS) ? p : nullptr;
}
#endif

}  // namespace tsctypes
#endif
