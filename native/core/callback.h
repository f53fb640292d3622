/* C-callable function pointers for JS functions (callback.c). */
#ifndef TSCTYPES_CALLBACK_H
#define TSCTYPES_CALLBACK_H
#include <ffi.h>
#include <node_api.h>
#include "state.h"

/* How a callback reaches its JS unmarshaller, held weakly (the JS callback object owns it).
 * The core's way is Node-API; an accelerator may install a thinner one before any callback
 * exists (callback_set_ops). */
typedef struct CallbackOps {
  /* A weak hold on `fn`, or NULL (not a function, out of memory). */
  void *(*hold)(napi_env env, napi_value fn);
  /* Calls the held function with no arguments, on the JS thread. 1: returned; 0: threw
   * (`on_throw` got the exception while it was still reachable) or the thread is
   * terminating; -1: the function was collected. */
  int (*call)(void *held, napi_env env, void (*on_throw)(napi_env, napi_value, void *), void *ctx);
  void (*release)(napi_env env, void *held);
} CallbackOps;

typedef struct Callback {
  State *st;                /* NULL once its environment ended */
  ffi_closure *closure;     /* NULL for a register trampoline */
  void *code;               /* the C-callable address */
  uint32_t trampoline;      /* its slot, for a register trampoline */
  uint8_t *slots;           /* the callback-area slot of each argument (libffi closures) */
  ffi_cif cif;
  ffi_type **arg_types;
  int ret_code;
  const CallbackOps *ops;   /* how `unmarshal` is held and called */
  void *unmarshal;          /* the generated JS unmarshaller, held; NULL once closed */
  volatile int closed;
  uint32_t js_calls;        /* calls running on the JS thread (JS thread only) */
  uint32_t foreign_calls;   /* calls from other threads in progress (atomic) */
  char *note;               /* signature, for reports */
  struct Callback *prev, *next; /* all unreleased callbacks of the environment, closed when it ends */
  struct Callback *later;   /* the next closed callback in the quarantine */
} Callback;

/* Closed callbacks are released (their trampoline or closure reused, their memory freed)
 * only after this many later closes: a call through a stale address until then is still
 * reported (docs/callbacks.md). */
#define CALLBACK_QUARANTINE 512

/* The environment's callbacks (State.callbacks). */
typedef struct Callbacks {
  Callback *list;
  Callback *oldest_closed, *newest_closed; /* the quarantine, a queue */
  uint32_t nclosed;
  uint32_t open;              /* not yet closed: while any is open, V8 fast calls decline (they must not re-enter JS) */
  const CallbackOps *ops;     /* for callbacks made from now on */
  uint64_t trampoline_calls;  /* calls run on the JS thread through a register trampoline */
} Callbacks;

/* Runs the JS side of `cb` on the JS thread. An exception goes to *error (NULL: the
 * environment's pending error, rethrown by the call that led into C). `args`: libffi's
 * argument pointers (void **), or for a register trampoline its block of registers. */
void callback_run_on_js_thread(Callback *cb, void *ret, const void *args, napi_ref *error);
void callback_zero_result(const Callback *cb, void *ret);
/* Installs `ops` for the callbacks made from now on: 0 (refused) once any callback exists. */
int callback_set_ops(State *st, const CallbackOps *ops);
napi_status register_callback(napi_env env, napi_value exports, State *st);
void callback_state_free(State *st);

#endif
