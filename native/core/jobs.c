/* Calls run on another thread: async calls on the libuv pool (a promise), and
 * { threads: true } calls on a helper thread while the JS thread serves the callbacks
 * other threads queue (foreign.c). Each runs the plan against its own copy of the part
 * of the slab the call uses (a job buffer made by src/call/jobs.ts: the header and the
 * call's argument slots, then its scratch), and against its own copy of the plan, which
 * keeps the target while the library is closed (its unloading waits for the job). */
#include "jobs.h"
#include "foreign.h"
#include "regcall.h"
#include "thrown.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

typedef struct AsyncJob AsyncJob;

/* The environment's async calls in flight (State.jobs). Node waits for async work before it
 * ends an environment; Deno does not (a worker terminated during an async call), so the end
 * waits for the calls running on pool threads, and calls not started by then do not run:
 * their job buffers belong to a heap that is going away. */
typedef struct Jobs {
  AsyncJob *newest;
  uint32_t threaded;      /* { threads: true } calls in progress on the JS thread */
  pthread_mutex_t lock;   /* guards running and ending (pool threads and the JS thread) */
  pthread_cond_t idle;    /* running went to 0 */
  uint32_t running;       /* async calls running on pool threads */
  int ending;             /* the environment is ending */
} Jobs;

/* The plan named in a job buffer; NULL with a JS exception. */
static Plan *job_plan(napi_env env, State *st, napi_value buffer, void **data, size_t *len) {
  if (napi_get_arraybuffer_info(env, buffer, data, len) != napi_ok || *len < SLAB_ARGS) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected a job buffer");
    return NULL;
  }
  int32_t id;
  memcpy(&id, (uint8_t *)*data + SLAB_PLAN_ID, sizeof id);
  Plan *p = plan_for_call(&st->plans, id);
  if (!p) throw_refusal(env, &st->plans, id);
  return p;
}

/* Runs `p` for a job buffer of `len` bytes. The plan reads its slots at slab offsets and
 * loads unused registers from SLAB_ZERO: the buffer's header and slots are copied into a
 * frame of that layout on this thread's stack (bytes past the call's slots are unused
 * slots to it), and errno and the result are copied back. Addresses in the slots point
 * into the job buffer's scratch part, where results in memory go. The call runs on this (not
 * the JS) thread, named for the crash report as a call of that `kind`. */
static void job_run(const Plan *p, uint8_t *job, size_t len, int32_t kind) {
  _Alignas(16) uint8_t frame[SLAB_ZERO + 8];
  size_t n = len < SLAB_ZERO ? len : SLAB_ZERO;
  memcpy(frame, job, n);
  memset(frame + n, 0, sizeof frame - n);
  tsc_thread.running = p;
  tsc_thread.job = kind;
  call_run(p, frame);
  tsc_thread.job = JOB_NONE;
  tsc_thread.running = NULL;
  memcpy(job + SLAB_ERRNO, frame + SLAB_ERRNO, SLAB_ARGS - SLAB_ERRNO);
}

/* ---------------------------------------------------------------- { threads: true } calls */

typedef struct Threaded {
  Plan plan;                /* a copy: see the top */
  uint8_t *slab;
  size_t len;
  State *st;
  int finished;
} Threaded;

static void *threaded_main(void *arg) {
  Threaded *t = arg;
  job_run(&t->plan, t->slab, t->len, JOB_THREADED);
  foreign_mark_done(t->st, &t->finished);
  return NULL;
}

/* invokeThreaded(job: ArrayBuffer): run the job's plan on a helper thread while this (JS)
 * thread runs the callbacks other threads queue, until the call returns. */
static napi_value InvokeThreaded(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  void *data;
  size_t len;
  Plan *p = job_plan(env, st, argv[0], &data, &len);
  if (!p) return NULL;
  Threaded t = {*p, data, len, st, 0};
  pthread_t thread;
  int outer = foreign_serve_begin(st);
  if (pthread_create(&thread, NULL, threaded_main, &t) != 0) {
    foreign_serve_end(st, outer);
    return throw_error(env, "ERR_THREAD", "cannot start a thread for %s", p->crash_note);
  }
  st->jobs->threaded++;
  foreign_serve_until(st, &t.finished);
  st->jobs->threaded--;
  foreign_serve_end(st, outer);
  pthread_join(thread, NULL);
  foreign_drain(st, 0); /* requests that raced with the end of the call */
  if (st->pending_error) rethrow_pending(env, st);
  return NULL;
}

/* ---------------------------------------------------------------- async calls */

typedef struct AsyncJob {
  State *st;                /* NULL once the environment has ended */
  Jobs *jobs;
  Plan plan;                /* a copy: see the top */
  uint8_t *slab;            /* the job buffer (an ArrayBuffer kept alive by a reference) */
  size_t len;
  napi_ref buffer;
  napi_ref done;            /* JS function(error | null) */
  napi_ref error;           /* what a callback threw during this job */
  napi_async_work work;
  struct AsyncJob *prev, *next; /* in-flight jobs of the environment */
} AsyncJob;

/* Where a callback's exception goes when its thread cannot be traced (a C thread started by
 * the call): the newest job in flight (NULL: the pending error of the call in progress). */
static void jobs_changed(State *st) {
  Jobs *jobs = st->jobs;
  st->newest_job_error = jobs->newest ? &jobs->newest->error : NULL;
}

static void async_execute(napi_env env, void *data) {
  (void)env;
  AsyncJob *job = data;
  Jobs *jobs = job->jobs;
  pthread_mutex_lock(&jobs->lock);
  int run = !jobs->ending;
  if (run) jobs->running++;
  pthread_mutex_unlock(&jobs->lock);
  if (!run) return;
  tsc_thread.job_error = &job->error;
  job_run(&job->plan, job->slab, job->len, JOB_ASYNC);
  tsc_thread.job_error = NULL;
  pthread_mutex_lock(&jobs->lock);
  if (--jobs->running == 0) pthread_cond_broadcast(&jobs->idle);
  pthread_mutex_unlock(&jobs->lock);
}

static void async_complete(napi_env env, napi_status status, void *data) {
  AsyncJob *job = data;
  State *st = job->st;
  if (!st) { /* completed after its environment ended (not on Node): nothing of it is left to settle */
    free(job);
    return;
  }
  /* unlink from the in-flight list */
  if (job->prev) job->prev->next = job->next;
  else st->jobs->newest = job->next;
  if (job->next) job->next->prev = job->prev;
  jobs_changed(st);
  napi_value done, recv, arg, result;
  if (napi_get_reference_value(env, job->done, &done) == napi_ok && napi_get_undefined(env, &recv) == napi_ok) {
    napi_value thrown = thrown_take(env, &job->error);
    if (thrown) {
      arg = thrown;
    } else if (status != napi_ok) {
      napi_value msg;
      napi_create_string_utf8(env, "tsctypes: the async call was cancelled", NAPI_AUTO_LENGTH, &msg);
      napi_create_error(env, NULL, msg, &arg);
    } else {
      napi_get_null(env, &arg);
    }
    napi_call_function(env, recv, done, 1, &arg, &result);
  }
  napi_delete_reference(env, job->done);
  napi_delete_reference(env, job->buffer);
  napi_delete_async_work(env, job->work);
  free(job);
}

/* invokeAsync(job: ArrayBuffer, done: (error) => void): run the job's plan on the libuv pool. */
static napi_value InvokeAsync(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 2;
  napi_value argv[2], name;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  void *data;
  size_t len;
  Plan *p = job_plan(env, st, argv[0], &data, &len);
  if (!p) return NULL;
  AsyncJob *job = calloc(1, sizeof(AsyncJob));
  if (!job) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  job->st = st;
  job->jobs = st->jobs;
  job->plan = *p;
  job->slab = data;
  job->len = len;
  job->next = st->jobs->newest;
  if (job->next) job->next->prev = job;
  st->jobs->newest = job;
  jobs_changed(st);
  CHECK(env, napi_create_reference(env, argv[0], 1, &job->buffer));
  CHECK(env, napi_create_reference(env, argv[1], 1, &job->done));
  CHECK(env, napi_create_string_utf8(env, "tsctypes.async", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_async_work(env, NULL, name, async_execute, async_complete, job, &job->work));
  CHECK(env, napi_queue_async_work(env, job->work));
  return NULL;
}

/* inForeignCall() -> boolean: the JS thread is inside a synchronous call into C (JS runs
 * in one of its callbacks), whose code must stay loaded until it returns. */
static napi_value InForeignCall(napi_env env, napi_callback_info info) {
  State *st;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  napi_value out;
  CHECK(env, napi_get_boolean(env, __atomic_load_n(&st->blocking, __ATOMIC_RELAXED) != NULL || st->jobs->threaded > 0, &out));
  return out;
}

napi_status register_jobs(napi_env env, napi_value exports, State *st) {
  st->jobs = calloc(1, sizeof(Jobs));
  if (!st->jobs) return napi_generic_failure;
  pthread_mutex_init(&st->jobs->lock, NULL);
  pthread_cond_init(&st->jobs->idle, NULL);
  napi_property_descriptor props[] = {
    {"invokeAsync", NULL, InvokeAsync, NULL, NULL, NULL, napi_default, st},
    {"invokeThreaded", NULL, InvokeThreaded, NULL, NULL, NULL, napi_default, st},
    {"inForeignCall", NULL, InForeignCall, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}

void jobs_state_free(State *st) {
  Jobs *jobs = st->jobs;
  if (!jobs) return;
  pthread_mutex_lock(&jobs->lock);
  jobs->ending = 1;
  while (jobs->running) pthread_cond_wait(&jobs->idle, &jobs->lock);
  pthread_mutex_unlock(&jobs->lock);
  for (AsyncJob *job = jobs->newest; job; job = job->next) job->st = NULL;
  if (!jobs->newest) { /* (else jobs not started may still reach async_execute: the block stays) */
    pthread_cond_destroy(&jobs->idle);
    pthread_mutex_destroy(&jobs->lock);
    free(jobs);
  }
  st->jobs = NULL;
  st->newest_job_error = NULL;
}
