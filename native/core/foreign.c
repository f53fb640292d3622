/* Callbacks called from other threads (a C thread, an async job's pool thread): each is
 * queued for the JS thread and the calling thread waits for its result. The JS thread runs
 * the queue either from the event loop (a threadsafe function wakes it) or, while it waits
 * in a { threads: true } call (jobs.c), directly. A JS thread blocked in a plain synchronous
 * call cannot do either: the waiting thread reports that on stderr after a second, and after
 * CALLBACK_GIVE_UP_MS gives up: C gets the zero result, and the synchronous call throws when
 * it returns. */
#include "foreign.h"
#include "callback.h"
#include "thrown.h"
#include "util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct Request {
  Callback *cb;
  void *ret;
  const void *args;          /* as callback_run_on_js_thread takes them */
  napi_ref *job_error;       /* the async job of the calling pool thread, if any: where an exception goes */
  int done;
  struct Request *next;
} Request;

typedef struct Foreign {
  pthread_mutex_t lock;
  pthread_cond_t changed;        /* a request was queued, a request was done, or a threaded call ended */
  Request *head, *tail;
  napi_threadsafe_function wake; /* runs the queue from the event loop */
  int wake_pending;              /* a wake-up is posted or scheduled: later requests need not post another */
  napi_ref later;                /* JS function scheduling drainCallbacks() for a later loop turn (setImmediate) */
  int threaded;                  /* the JS thread is servicing the queue in a { threads: true } call */
  int closing;                   /* the environment is ending: waiting threads get zero results */
} Foreign;

static void run_on_js_thread_queued(const Request *r, State *st) {
  callback_run_on_js_thread(r->cb, r->ret, r->args, r->job_error ? r->job_error : st->newest_job_error);
}

#define STUCK_REPORT_MS 250        /* how often a waiting thread checks on the JS thread */
#define STUCK_REPORTED_MS 1000     /* blocked this long: the stderr report */
#define CALLBACK_GIVE_UP_MS 5000   /* blocked this long: the callback returns zero to C (docs/callbacks.md) */

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Run queued callbacks until the queue is empty or, with a budget, `budget_ms` have passed.
 * Returns 1 if requests remain. */
int foreign_drain(State *st, double budget_ms) {
  Foreign *f = st->foreign;
  double deadline = budget_ms > 0 ? now_ms() + budget_ms : 0;
  for (;;) {
    if (deadline && now_ms() > deadline) break;
    pthread_mutex_lock(&f->lock);
    Request *r = f->head;
    if (r) {
      f->head = r->next;
      if (!f->head) f->tail = NULL;
    }
    pthread_mutex_unlock(&f->lock);
    if (!r) return 0;
    /* a callback's exception goes to its job; for threads we cannot trace (a C thread started
     * by the call), to the newest job in flight; else to the pending error (NULL) */
    run_on_js_thread_queued(r, st);
    pthread_mutex_lock(&f->lock);
    r->done = 1;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->lock);
  }
  pthread_mutex_lock(&f->lock);
  int more = f->head != NULL;
  pthread_mutex_unlock(&f->lock);
  return more;
}

/* A few milliseconds of callbacks; if more are queued, the next batch waits for a
 * later loop turn (setImmediate, from JS), so timers and I/O keep running. */
static void drain_batch(napi_env env, State *st) {
  Foreign *f = st->foreign;
  foreign_drain(st, 4);
  pthread_mutex_lock(&f->lock);
  int more = f->head != NULL;
  if (!more) f->wake_pending = 0;
  pthread_mutex_unlock(&f->lock);
  napi_value later, recv, result;
  if (more && f->later && napi_get_reference_value(env, f->later, &later) == napi_ok && later && napi_get_undefined(env, &recv) == napi_ok)
    napi_call_function(env, recv, later, 0, NULL, &result);
}

static void wake_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)js_cb; (void)data;
  State *st = context;
  if (env && st->foreign) drain_batch(env, st);
}

/* drainCallbacks(): the next batch (scheduled by the function given to setCallbackScheduler). */
static napi_value DrainCallbacks(napi_env env, napi_callback_info info) {
  State *st;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  if (st->foreign) drain_batch(env, st);
  return NULL;
}

/* setCallbackScheduler(fn): fn() must arrange for drainCallbacks() on a later loop turn. */
static napi_value SetCallbackScheduler(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  Foreign *f = st->foreign;
  if (f->later) napi_delete_reference(env, f->later);
  CHECK(env, napi_create_reference(env, argv[0], 1, &f->later));
  return NULL;
}

/* Take a request off the queue (under the lock). */
static void unqueue(Foreign *f, Request *req) {
  Request **link = &f->head;
  while (*link && *link != req) link = &(*link)->next;
  if (*link) *link = req->next;
  f->tail = NULL;
  for (Request *r = f->head; r; r = r->next) f->tail = r;
}

/* A callback waited CALLBACK_GIVE_UP_MS for a JS thread blocked in `blocking`: it returns zero
 * to C, and `blocking` throws when it returns to JS (unless something else is thrown first: a
 * callback's exception, or another thread's giving up); a V8 fast call hands it to the
 * marshaller (THROWN_PENDING). Without memory for the message, only stderr says it. */
static void give_up(State *st, const Request *req, const char *blocking) {
  const char *what = "tsctypes: callback %s was called from another thread while the JS thread was blocked in the "
                     "synchronous call %s, so it could not run: it returned zero to C after waiting %d s. Declare that "
                     "function with { threads: true } (lib.func(name, restype, argtypes, { threads: true })) or call "
                     "it with .async(...).";
  int seconds = CALLBACK_GIVE_UP_MS / 1000;
  int size = snprintf(NULL, 0, what, req->cb->note, blocking, seconds) + 1;
  char *message = malloc(size);
  if (message) {
    snprintf(message, size, what, req->cb->note, blocking, seconds);
    thrown_defer(st, "ERR_CALLBACK_THREAD", message);
    /* (a fast call that returns meanwhile leaves the mark to the next one, which then throws it) */
    if (plan_fast_running(&st->plans)) slab_mark_pending(st);
  } else {
    fprintf(stderr, what, req->cb->note, blocking, seconds);
    fputc('\n', stderr);
  }
}

/* The synchronous call the JS thread is blocked in (a plain one, or a V8 fast call), as a copy
 * of its crash note (the caller frees it), or NULL: JS may be running. Under the plan table's
 * lock, since the JS thread may return meanwhile and free the plan or grow the table; called
 * under f->lock while the environment is not closing. */
static char *blocked_in(State *st) {
  pthread_mutex_lock(&st->plans.lock);
  const Plan *p = __atomic_load_n(&st->blocking, __ATOMIC_RELAXED);
  int32_t fast = plan_fast_running(&st->plans);
  if (!p && fast) p = plan_lookup(&st->plans, fast);
  char *note = p ? strdup(p->crash_note) : NULL;
  pthread_mutex_unlock(&st->plans.lock);
  return note;
}

static void foreign_callback(Callback *cb, void *ret, const void *args) {
  State *st = cb->st;
  if (!st) { callback_zero_result(cb, ret); return; }
  Foreign *f = st->foreign;
  if (!f || !f->wake) {
    fprintf(stderr, "tsctypes: callback %s called from another thread after its environment ended; it returns zero\n", cb->note);
    callback_zero_result(cb, ret);
    return;
  }
  Request req = {cb, ret, args, tsc_thread.job_error, 0, NULL};
  pthread_mutex_lock(&f->lock);
  if (f->tail) f->tail->next = &req;
  else f->head = &req;
  f->tail = &req;
  int post = !f->threaded && !f->wake_pending;
  if (post) f->wake_pending = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
  if (post) napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
  int reported = 0;
  int blocked_ms = 0; /* how long the JS thread has been blocked in a plain synchronous call */
  pthread_mutex_lock(&f->lock);
  while (!req.done && !f->closing) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += (long)STUCK_REPORT_MS * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec += deadline.tv_nsec / 1000000000L;
      deadline.tv_nsec %= 1000000000L;
    }
    int rc = pthread_cond_timedwait(&f->changed, &f->lock, &deadline);
    if (rc != ETIMEDOUT || req.done) continue;
    /* still waiting: is the environment still there to run it? (a terminated worker's is not) */
    pthread_mutex_unlock(&f->lock);
    napi_status alive = napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
    pthread_mutex_lock(&f->lock);
    if (alive == napi_closing) f->closing = 1;
    /* (st and its JS thread live until foreign_state_free has set closing under this lock) */
    char *blocking = f->closing ? NULL : blocked_in(st);
    blocked_ms = blocking && !f->threaded ? blocked_ms + STUCK_REPORT_MS : 0;
    if (blocked_ms >= STUCK_REPORTED_MS && !reported) {
      reported = 1;
      fprintf(stderr,
              "tsctypes: callback %s, called from another thread, is waiting for the JS thread, which is blocked in "
              "the synchronous call %s. Declare that function with { threads: true } (lib.func(name, restype, "
              "argtypes, { threads: true })) or call it with .async(...).\n",
              cb->note, blocking);
    }
    if (blocked_ms >= CALLBACK_GIVE_UP_MS && !req.done) {
      give_up(st, &req, blocking);
      free(blocking);
      break;
    }
    free(blocking);
  }
  if (!req.done) {
    /* the environment ended (worker terminated) before the JS thread could run it, or the thread gave up */
    unqueue(f, &req);
    callback_zero_result(cb, ret);
  }
  pthread_mutex_unlock(&f->lock);
}

/* The threadsafe function is finalized when the environment ends (for a worker, before Node
 * waits for in-flight async work): release every thread waiting for the JS thread. */
static void foreign_closing(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  Foreign *f = data;
  pthread_mutex_lock(&f->lock);
  f->closing = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
}


/* ---------------------------------------------------------------- serving the queue during a threaded call */

int foreign_serve_begin(State *st) {
  Foreign *f = st->foreign;
  pthread_mutex_lock(&f->lock);
  int outer = f->threaded;
  f->threaded = 1;
  pthread_mutex_unlock(&f->lock);
  foreign_drain(st, 0); /* requests queued before this call took over */
  return outer;
}

void foreign_serve_until(State *st, const int *done) {
  Foreign *f = st->foreign;
  pthread_mutex_lock(&f->lock);
  while (!*done) {
    if (f->head) {
      pthread_mutex_unlock(&f->lock);
      foreign_drain(st, 0);
      pthread_mutex_lock(&f->lock);
      continue;
    }
    pthread_cond_wait(&f->changed, &f->lock);
  }
  pthread_mutex_unlock(&f->lock);
}

void foreign_mark_done(State *st, int *done) {
  Foreign *f = st->foreign;
  pthread_mutex_lock(&f->lock);
  *done = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
}

void foreign_serve_end(State *st, int outer) {
  Foreign *f = st->foreign;
  pthread_mutex_lock(&f->lock);
  f->threaded = outer;
  /* requests queued while threaded saw no need to post a wake-up */
  int post = f->head != NULL && !f->wake_pending;
  if (post) f->wake_pending = 1;
  pthread_mutex_unlock(&f->lock);
  if (post) napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
}

/* ---------------------------------------------------------------- set-up */

napi_status register_foreign(napi_env env, napi_value exports, State *st) {
  Foreign *f = calloc(1, sizeof(Foreign));
  if (!f) return napi_generic_failure;
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->changed, NULL);
  st->foreign = f;
  st->off_thread = foreign_callback;
  napi_value name;
  napi_status s = napi_create_string_utf8(env, "tsctypes.callbacks", NAPI_AUTO_LENGTH, &name);
  if (s == napi_ok) s = napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, f, foreign_closing, st, wake_js, &f->wake);
  if (s == napi_ok) s = napi_unref_threadsafe_function(env, f->wake);
  if (s != napi_ok) return s;
  napi_property_descriptor props[] = {
    {"drainCallbacks", NULL, DrainCallbacks, NULL, NULL, NULL, napi_default, st},
    {"setCallbackScheduler", NULL, SetCallbackScheduler, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}

void foreign_state_free(State *st) {
  Foreign *f = st->foreign;
  if (!f) return;
  /* the threadsafe function and references are finalized by Node with the environment. The
   * Foreign block itself is not freed: C threads released by foreign_closing may still be
   * leaving foreign_callback. */
  st->foreign = NULL;
  pthread_mutex_lock(&f->lock);
  f->closing = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
}
