/* Per-thread slots, in one TLS block so that a call reaches them with one address load.
 * __thread (not thread_local): constant-initialized, so C++ callers need no TLS wrapper;
 * initial-exec: a plain %fs-relative access instead of a __tls_get_addr call per use.
 * Accelerators reach the JS thread's block through the core link (link.h). */
#ifndef TSCTYPES_THREAD_H
#define TSCTYPES_THREAD_H
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <node_api.h>
#include "plan.h"

/* What kind of call runs on a thread other than the JS thread (ThreadSlots.job): the crash
 * report says so, since that thread has no JS stack to show. */
enum { JOB_NONE = 0, JOB_ASYNC = 1, JOB_THREADED = 2 };

typedef struct ThreadSlots {
  const Plan *running;          /* the innermost foreign call on this thread, for the crash report (crash.c) */
  PlanTable *fast_plans;        /* on a JS thread with V8 fast calls: its environment's table (fast_running, for the crash report) */
  uint32_t trampoline_slot;     /* the register trampoline just entered on this thread (trampoline.c) */
  napi_ref *job_error;          /* on a pool thread running an async job: where a callback's exception goes (jobs.c) */
  /* on a JS thread, for the crash report (crash.c): its environment, and the JS function that
   * says where JS made the running call (src/call/crash.ts) */
  napi_env js_env;
  napi_ref js_location;
  int32_t job;                  /* JOB_*: `running` is an async or { threads: true } call, off the JS thread (jobs.c) */
} ThreadSlots;
extern __thread ThreadSlots tsc_thread __attribute__((tls_model("initial-exec")));

/* Around a foreign call run out of line (libffi, or the register path's general case), on any
 * thread: `p` is the thread's running call for the crash report, and a use_errno plan swaps
 * errno with the slab's private copy. Returns what foreign_call_leave restores. */
static inline const Plan *foreign_call_enter(const Plan *p, const uint8_t *slab) {
  const Plan *outer = tsc_thread.running;
  tsc_thread.running = p;
  if (p->flags & PLAN_USE_ERRNO) {
    int32_t e;
    memcpy(&e, slab + SLAB_ERRNO, sizeof e);
    errno = e;
  }
  return outer;
}

static inline void foreign_call_leave(const Plan *p, uint8_t *slab, const Plan *outer) {
  if (p->flags & PLAN_USE_ERRNO) {
    int32_t e = errno;
    memcpy(slab + SLAB_ERRNO, &e, sizeof e);
  }
  tsc_thread.running = outer;
}

#endif
