/* One environment's state (the main thread's or a worker's): its slab, its plans, and
 * the parts each concern keeps (callbacks, foreign-thread queue, jobs), as the Node-API
 * instance data. Each concern's file owns its part; this header only holds them together. */
#ifndef TSCTYPES_STATE_H
#define TSCTYPES_STATE_H
#include <pthread.h>
#include <stdint.h>
#include <node_api.h>
#include "plan.h"
#include "thread.h"

struct Callback;

typedef struct State {
  uint8_t *slab;
  size_t slab_size;
  napi_ref slab_ref;
  napi_ref thrown_box;      /* a JS array: [0] is an exception the marshaller throws when SLAB_THROWN is THROWN_BOX */
  PlanTable plans;
  napi_env env;
  pthread_t js_thread;      /* the thread running this environment's JS */
  ThreadSlots *js_slots;    /* that thread's slots */
  napi_ref pending_error;   /* thrown by a JS callback; rethrown when the call that led to it returns (thrown.c) */
  const char *pending_code; /* ... or, when it is PENDING_MESSAGE, the code and message of an Error to make (thrown_defer) */
  char *pending_message;
  const Plan *blocking;     /* the plain synchronous call the JS thread is in (atomic; for the stuck-callback report) */
  struct Callbacks *callbacks;  /* callback.c */
  struct Foreign *foreign;      /* foreign.c: callbacks called from other threads */
  struct Jobs *jobs;            /* jobs.c: async calls in flight */
  /* Where foreign.c sends a callback called on a thread other than the JS thread (set by foreign.c). */
  void (*off_thread)(struct Callback *cb, void *ret, const void *args);
  napi_ref *newest_job_error;   /* jobs.c: where a callback's exception goes when its thread cannot be traced */
} State;

#endif
