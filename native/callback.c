/* C-callable function pointers for JS functions: register trampolines
 * (trampoline.c) for signatures whose arguments all travel in registers while
 * they last, libffi closures for the rest.
 *
 * When C calls one on the JS thread (inside a call from JS), the handler writes
 * the C arguments into the slab's callback area (each in the slot the JS side
 * chose: register order for register-shaped signatures) and calls the callback's
 * generated JS unmarshaller (src/call/callback.ts), which reads them, runs the
 * user's function and leaves the result in the slab. An exception thrown there
 * becomes a zero result for C and is rethrown when the JS call that led into C
 * returns. Closed callbacks keep their trampoline (C may still hold the
 * pointer): a call is reported on stderr and returns zero. */
#include "tsctypes.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Callback {
  State *st;
  ffi_closure *closure;     /* NULL for a register trampoline */
  void *code;               /* the C-callable address */
  uint8_t *slots;           /* the callback-area slot of each argument (libffi closures) */
  ffi_cif cif;
  ffi_type **arg_types;
  int ret_code;
  HeldFunction *unmarshal;  /* JS function, held weakly: the JS callback object owns it; NULL once closed */
  volatile int closed;
  char *note;               /* signature, for reports */
  struct Callback *next;    /* all callbacks of the environment, closed when it ends */
} Callback;

/* The async job running on this (pool) thread, so a callback's exception rejects that job's promise. */
static _Thread_local struct AsyncJob *current_job;

/* `args` below: libffi's argument pointers (void **), or for a register trampoline
 * (cb->closure NULL) its block of FAST_REGS register values (int64_t *). */
void foreign_callback(Callback *cb, void *ret, const void *args); /* below */

static void zero_result(const Callback *cb, void *ret) {
  size_t n = cb->cif.rtype->size;
  if (n < sizeof(ffi_arg)) n = sizeof(ffi_arg);
  if (cb->cif.rtype->type != FFI_TYPE_VOID) memset(ret, 0, n);
}

/* Arguments into the callback area: scalars by value, aggregates and wide values by address. */
static inline __attribute__((always_inline)) void write_args(const Callback *cb, uint8_t *slab, const void *args) {
  uint8_t *area = slab + SLAB_CB_ARGS;
  if (!cb->closure) {
    memcpy(area, args, 8 * FAST_REGS); /* a trampoline's registers, in the order the slots follow */
    return;
  }
  void *const *values = args;
  for (unsigned i = 0; i < cb->cif.nargs; i++) {
    ffi_type *t = cb->cif.arg_types[i];
    uint8_t *slot = area + 8 * cb->slots[i];
    if (t->type == FFI_TYPE_STRUCT || t->size > 8) memcpy(slot, &values[i], sizeof(void *));
    else memcpy(slot, values[i], t->size);
  }
}

/* The result from the callback area into libffi's return buffer (integers widened to ffi_arg). */
static void read_result(const Callback *cb, const uint8_t *slab, void *ret) {
  ffi_type *t = cb->cif.rtype;
  const uint8_t *src = slab + SLAB_CB_RESULT;
  switch (cb->ret_code) {
    case TYPE_VOID: return;
    case TYPE_SINT8: *(ffi_sarg *)ret = *(const int8_t *)src; return;
    case TYPE_UINT8: *(ffi_arg *)ret = *(const uint8_t *)src; return;
    case TYPE_SINT16: *(ffi_sarg *)ret = *(const int16_t *)src; return;
    case TYPE_UINT16: *(ffi_arg *)ret = *(const uint16_t *)src; return;
    case TYPE_SINT32: *(ffi_sarg *)ret = *(const int32_t *)src; return;
    case TYPE_UINT32: *(ffi_arg *)ret = *(const uint32_t *)src; return;
    default: break;
  }
  if (t->type == FFI_TYPE_STRUCT || t->size > 8) {
    const void *from;
    memcpy(&from, src, sizeof from);
    if (from) memcpy(ret, from, t->size);
    else memset(ret, 0, t->size);
  } else {
    memcpy(ret, src, t->size);
  }
}

/* Keep a thrown value in *slot (the first one wins). It is kept inside an array:
 * Node-API cannot reference primitives (`throw "x"`) directly. */
static void stash_value(napi_env env, napi_value exc, napi_ref *slot) {
  napi_value box;
  if (*slot) return;
  if (napi_create_array_with_length(env, 1, &box) != napi_ok || napi_set_element(env, box, 0, exc) != napi_ok) return;
  napi_create_reference(env, box, 1, slot);
}

/* v8_call_held's exception handler: keep what the callback threw (slot: a napi_ref *). */
static void stash_thrown(napi_env env, napi_value exc, void *slot) {
  stash_value(env, exc, slot);
}

/* The exception held in *slot (clearing it), or NULL. */
static napi_value take_error(napi_env env, napi_ref *slot) {
  napi_value box, exc = NULL;
  napi_ref ref = *slot;
  if (!ref) return NULL;
  *slot = NULL;
  if (napi_get_reference_value(env, ref, &box) == napi_ok) napi_get_element(env, box, 0, &exc);
  napi_delete_reference(env, ref);
  return exc;
}

napi_value take_pending(napi_env env, State *st) { return take_error(env, &st->pending_error); }

void rethrow_pending(napi_env env, State *st) {
  napi_value exc = take_pending(env, st);
  if (exc) napi_throw(env, exc);
}

static void report_closed(const Callback *cb) {
  fprintf(stderr, "tsctypes: C called a closed callback %s; it returns zero\n", cb->note);
}

/* Runs the JS side of a callback on the JS thread. An exception goes to *error
 * (NULL: the environment's pending error, rethrown by the call that led into C). */
static inline __attribute__((always_inline)) void run_callback_on_js_thread(Callback *cb, void *ret, const void *args, napi_ref *error) {
  State *st = cb->st;
  if (cb->closed || !cb->unmarshal) {
    report_closed(cb);
    zero_result(cb, ret);
    return;
  }
  write_args(cb, st->slab, args);
  switch (v8_call_held(cb->unmarshal, st->env, stash_thrown, error ? error : &st->pending_error)) {
    case 1:
      read_result(cb, st->slab, ret);
      break;
    case -1: /* the JS callback object was garbage collected while C still held the pointer */
      report_closed(cb);
      /* fall through */
    default:
      zero_result(cb, ret);
      break;
  }
}

/* Every call of a callback starts here: from its libffi closure or its register trampoline. */
static inline __attribute__((always_inline)) void callback_enter(Callback *cb, void *ret, const void *args) {
  if (cb->closed || !cb->st) {
    if (!cb->st) fprintf(stderr, "tsctypes: C called callback %s after its environment (thread/worker) ended; it returns zero\n", cb->note);
    else report_closed(cb);
    zero_result(cb, ret);
    return;
  }
  if (!pthread_equal(pthread_self(), cb->st->js_thread)) {
    foreign_callback(cb, ret, args);
  } else if (cb->st->in_fast_call) {
    /* a V8 fast call is running: JS cannot be entered (only a function declared reentrant: false gets here) */
    fprintf(stderr, "tsctypes: %s called callback %s but was declared { reentrant: false }; the callback returns zero\n",
            cb->st->in_fast_call->crash_note, cb->note);
    zero_result(cb, ret);
  } else {
    if (!cb->closure) cb->st->trampoline_calls++;
    run_callback_on_js_thread(cb, ret, args, NULL);
  }
}

static void on_call(ffi_cif *cif, void *ret, void **args, void *data) {
  (void)cif;
  callback_enter(data, ret, args);
}

void callback_run_registers(Callback *cb, void *ret, const int64_t *regs) {
  callback_enter(cb, ret, regs);
}

/* The callback-area slot of each argument: from `layout` (an array, register-shaped signatures), or i. */
static int read_slots(napi_env env, napi_value layout, int given, uint32_t n, uint8_t *slots) {
  for (uint32_t i = 0; i < n; i++) {
    int32_t slot = (int32_t)i;
    napi_value el;
    if (given && (napi_get_element(env, layout, i, &el) != napi_ok || !get_i32(env, el, &slot))) return 0;
    if (slot < 0 || slot >= SLAB_CB_MAX_ARGS) return 0;
    slots[i] = (uint8_t)slot;
  }
  return 1;
}

static void callback_free(Callback *cb) {
  if (cb->closure) ffi_closure_free(cb->closure);
  free(cb->arg_types);
  free(cb->slots);
  free(cb->note);
  free(cb);
}

/* callbackCreate(ret: code, args: code[], unmarshal: Function, note: string, registers: number[] | null)
 * -> [address, handle]. `registers`: the signature's arguments all travel in registers, and
 * argument i is read from that callback-area slot (register order: integer registers, then
 * vector registers); a register trampoline then runs it while any is left. null: slot i, libffi. */
static napi_value CallbackCreate(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  int32_t ret_code;
  uint32_t n;
  napi_valuetype layout_kind;
  if (!get_i32(env, argv[0], &ret_code)) return NULL;
  CHECK(env, napi_get_array_length(env, argv[1], &n));
  CHECK(env, napi_typeof(env, argv[4], &layout_kind));
  if (n > SLAB_CB_MAX_ARGS) return throw_error(env, "ERR_TOO_MANY_ARGS", "callbacks take at most %d arguments", SLAB_CB_MAX_ARGS);
  Callback *cb = calloc(1, sizeof(Callback));
  if (!cb) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  cb->st = st;
  cb->ret_code = ret_code;
  cb->arg_types = calloc(n ? n : 1, sizeof(ffi_type *));
  cb->slots = calloc(n ? n : 1, 1);
  cb->note = get_string(env, argv[3]);
  ffi_type *rt = type_for_code(st, ret_code);
  int ok = cb->arg_types && cb->slots && cb->note && rt && read_slots(env, argv[4], layout_kind != napi_null, n, cb->slots);
  for (uint32_t i = 0; ok && i < n; i++) {
    napi_value el;
    int32_t code;
    ok = napi_get_element(env, argv[1], i, &el) == napi_ok && get_i32(env, el, &code);
    if (ok) cb->arg_types[i] = type_for_code(st, code);
    ok = ok && cb->arg_types[i] && cb->arg_types[i] != &ffi_type_void;
  }
  if (ok) ok = ffi_prep_cif(&cb->cif, FFI_DEFAULT_ABI, n, rt, cb->arg_types) == FFI_OK;
  if (ok && layout_kind != napi_null) cb->code = trampoline_claim(cb, ret_code == TYPE_FLOAT || ret_code == TYPE_DOUBLE);
  if (ok && !cb->code) {
    ok = (cb->closure = ffi_closure_alloc(sizeof(ffi_closure), &cb->code)) != NULL;
    if (ok) ok = ffi_prep_closure_loc(cb->closure, &cb->cif, on_call, cb, cb->code) == FFI_OK;
  }
  if (ok) ok = (cb->unmarshal = v8_hold_weak(argv[2])) != NULL;
  if (!ok) {
    /* (a claimed trampoline is not given back: its slot keeps this Callback, closed) */
    if (cb->code && !cb->closure) {
      cb->closed = 1;
      cb->st = NULL;
    } else {
      callback_free(cb);
    }
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    return pending ? NULL : throw_error(env, "ERR_CALLBACK", "cannot create a callback with this signature");
  }
  cb->next = st->callbacks;
  st->callbacks = cb;
  st->open_callbacks++;
  fast_gate_update(st);
  napi_value out, v;
  CHECK(env, napi_create_array_with_length(env, 2, &out));
  CHECK(env, napi_set_element(env, out, 0, make_address(env, cb->code)));
  CHECK(env, napi_create_double(env, (double)(uintptr_t)cb, &v));
  CHECK(env, napi_set_element(env, out, 1, v));
  return out;
}

/* callbackClose(handle): release the JS function; the trampoline stays valid and reports calls. */
static napi_value CallbackClose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h) || !h) return NULL;
  Callback *cb = h;
  if (cb->closed) return NULL;
  cb->closed = 1;
  cb->st->open_callbacks--;
  fast_gate_update(cb->st);
  if (cb->unmarshal) {
    v8_release(cb->unmarshal);
    cb->unmarshal = NULL;
  }
  return NULL;
}

napi_status register_callback(napi_env env, napi_value exports, State *st) {
  st->env = env;
  st->js_thread = pthread_self();
  napi_property_descriptor props[] = {
    {"callbackCreate", NULL, CallbackCreate, NULL, NULL, NULL, napi_default, st},
    {"callbackClose", NULL, CallbackClose, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}

/* ---------------------------------------------------------------- other threads
 * A callback called from another thread (a C thread, an async job's pool
 * thread) is queued for the JS thread and the calling thread waits for its
 * result. The JS thread runs the queue either from the event loop (a
 * threadsafe function wakes it) or, while it waits in a { threads: true } call,
 * directly. A JS thread blocked in a plain synchronous call cannot do either:
 * the waiting thread reports that on stderr after a short delay. */
#include <errno.h>
#include <time.h>

typedef struct Request {
  Callback *cb;
  void *ret;
  const void *args;          /* see foreign_callback */
  struct AsyncJob *job;      /* the async job of the calling pool thread, if any */
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

#define STUCK_REPORT_MS 250

static napi_ref *job_error_slot(struct AsyncJob *job, State *st);

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Run queued callbacks until the queue is empty or, with a budget, `budget_ms` have passed.
 * Returns 1 if requests remain. */
static int drain(State *st, double budget_ms) {
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
    run_callback_on_js_thread(r->cb, r->ret, r->args, job_error_slot(r->job, st));
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
  drain(st, 4);
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

void foreign_callback(Callback *cb, void *ret, const void *args) {
  State *st = cb->st;
  if (!st) { zero_result(cb, ret); return; }
  Foreign *f = st ? st->foreign : NULL;
  if (!f || !f->wake) {
    fprintf(stderr, "tsctypes: callback %s called from another thread after its environment ended; it returns zero\n", cb->note);
    zero_result(cb, ret);
    return;
  }
  Request req = {cb, ret, args, current_job, 0, NULL};
  pthread_mutex_lock(&f->lock);
  if (f->tail) f->tail->next = &req;
  else f->head = &req;
  f->tail = &req;
  int post = !f->threaded && !f->wake_pending;
  if (post) f->wake_pending = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
  if (post) napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
  int reported = 0, waited = 0;
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
    if (rc == ETIMEDOUT && !req.done) {
      /* still waiting: is the environment still there to run it? (a terminated worker's is not) */
      pthread_mutex_unlock(&f->lock);
      napi_status alive = napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
      pthread_mutex_lock(&f->lock);
      if (alive == napi_closing) f->closing = 1;
    }
    const Plan *blocking = __atomic_load_n(&st->blocking, __ATOMIC_RELAXED);
    if (rc == ETIMEDOUT && !req.done && !reported && blocking && ++waited * STUCK_REPORT_MS >= 1000) {
      reported = 1;
      fprintf(stderr,
              "tsctypes: callback %s, called from another thread, is waiting for the JS thread, which is blocked in "
              "the synchronous call %s. Declare that function with { threads: true } (lib.func(name, restype, "
              "argtypes, { threads: true })) or call it with .async(...).\n",
              cb->note, blocking->crash_note);
    }
  }
  if (!req.done) {
    /* the environment ended (worker terminated) before the JS thread could run it: unqueue, zero */
    Request **link = &f->head;
    while (*link && *link != &req) link = &(*link)->next;
    if (*link) *link = req.next;
    f->tail = NULL;
    for (Request *r = f->head; r; r = r->next) f->tail = r;
    zero_result(cb, ret);
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

/* ---------------------------------------------------------------- jobs: calls run on another thread */

/* The plan named in a job buffer (a copy of the slab made by src/call/jobs.ts); NULL with a JS exception. */
static Plan *job_plan(napi_env env, State *st, napi_value buffer, void **data) {
  size_t len;
  if (napi_get_arraybuffer_info(env, buffer, data, &len) != napi_ok || len < SLAB_SCRATCH) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected a job buffer");
    return NULL;
  }
  int32_t id;
  memcpy(&id, (uint8_t *)*data + SLAB_PLAN_ID, sizeof id);
  Plan *p = plan_for_call(st, id);
  if (!p) throw_refusal(env, st, id);
  return p;
}

/* ---------------------------------------------------------------- { threads: true } calls */

typedef struct Threaded {
  const Plan *plan;
  uint8_t *slab;
  State *st;
  int finished;
} Threaded;

static void *threaded_main(void *arg) {
  Threaded *t = arg;
  plan_execute(t->plan, t->slab);
  Foreign *f = t->st->foreign;
  pthread_mutex_lock(&f->lock);
  t->finished = 1;
  pthread_cond_broadcast(&f->changed);
  pthread_mutex_unlock(&f->lock);
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
  Plan *p = job_plan(env, st, argv[0], &data);
  if (!p) return NULL;
  Foreign *f = st->foreign;
  Threaded t = {p, data, st, 0};
  pthread_t thread;
  pthread_mutex_lock(&f->lock);
  int outer = f->threaded;
  f->threaded = 1;
  pthread_mutex_unlock(&f->lock);
  drain(st, 0); /* requests queued before this call took over */
  if (pthread_create(&thread, NULL, threaded_main, &t) != 0) {
    f->threaded = outer;
    return throw_error(env, "ERR_THREAD", "cannot start a thread for %s", p->crash_note);
  }
  pthread_mutex_lock(&f->lock);
  while (!t.finished) {
    if (f->head) {
      pthread_mutex_unlock(&f->lock);
      drain(st, 0);
      pthread_mutex_lock(&f->lock);
      continue;
    }
    pthread_cond_wait(&f->changed, &f->lock);
  }
  f->threaded = outer;
  /* requests queued while threaded saw no need to post a wake-up */
  int post = f->head != NULL && !f->wake_pending;
  if (post) f->wake_pending = 1;
  pthread_mutex_unlock(&f->lock);
  if (post) napi_call_threadsafe_function(f->wake, NULL, napi_tsfn_nonblocking);
  pthread_join(thread, NULL);
  drain(st, 0); /* requests that raced with the end of the call */
  if (st->pending_error) rethrow_pending(env, st);
  return NULL;
}

/* ---------------------------------------------------------------- async calls */

typedef struct AsyncJob {
  State *st;
  const Plan *plan;
  uint8_t *slab;            /* the job buffer (an ArrayBuffer kept alive by a reference) */
  napi_ref buffer;
  napi_ref done;            /* JS function(error | null) */
  napi_ref error;           /* what a callback threw during this job */
  napi_async_work work;
  struct AsyncJob *prev, *next; /* in-flight jobs of the environment */
} AsyncJob;

/* Where a callback's exception goes: its job; for threads we cannot trace (a C
 * thread started by the call), the newest job in flight; else the environment's
 * pending error (rethrown by the synchronous or threaded call in progress). */
static napi_ref *job_error_slot(AsyncJob *job, State *st) {
  if (job) return &job->error;
  if (st->jobs) return &((AsyncJob *)st->jobs)->error;
  return NULL;
}

static void async_execute(napi_env env, void *data) {
  (void)env;
  AsyncJob *job = data;
  current_job = job;
  plan_execute(job->plan, job->slab);
  current_job = NULL;
}

static void async_complete(napi_env env, napi_status status, void *data) {
  AsyncJob *job = data;
  State *st = job->st;
  /* unlink from the in-flight list */
  if (job->prev) job->prev->next = job->next;
  else st->jobs = job->next;
  if (job->next) job->next->prev = job->prev;
  napi_value done, recv, arg, result;
  if (napi_get_reference_value(env, job->done, &done) == napi_ok && napi_get_undefined(env, &recv) == napi_ok) {
    napi_value thrown = take_error(env, &job->error);
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
  Plan *p = job_plan(env, st, argv[0], &data);
  if (!p) return NULL;
  AsyncJob *job = calloc(1, sizeof(AsyncJob));
  if (!job) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  job->st = st;
  job->plan = p;
  job->slab = data;
  job->next = st->jobs;
  if (job->next) job->next->prev = job;
  st->jobs = job;
  CHECK(env, napi_create_reference(env, argv[0], 1, &job->buffer));
  CHECK(env, napi_create_reference(env, argv[1], 1, &job->done));
  CHECK(env, napi_create_string_utf8(env, "tsctypes.async", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_async_work(env, NULL, name, async_execute, async_complete, job, &job->work));
  CHECK(env, napi_queue_async_work(env, job->work));
  return NULL;
}

napi_status register_threads(napi_env env, napi_value exports, State *st) {
  Foreign *f = calloc(1, sizeof(Foreign));
  if (!f) return napi_generic_failure;
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->changed, NULL);
  st->foreign = f;

  napi_value name;
  napi_status s = napi_create_string_utf8(env, "tsctypes.callbacks", NAPI_AUTO_LENGTH, &name);
  if (s == napi_ok) s = napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, f, foreign_closing, st, wake_js, &f->wake);
  if (s == napi_ok) s = napi_unref_threadsafe_function(env, f->wake);
  if (s != napi_ok) return s;
  napi_property_descriptor props[] = {
    {"invokeAsync", NULL, InvokeAsync, NULL, NULL, NULL, napi_default, st},
    {"invokeThreaded", NULL, InvokeThreaded, NULL, NULL, NULL, napi_default, st},
    {"drainCallbacks", NULL, DrainCallbacks, NULL, NULL, NULL, napi_default, st},
    {"setCallbackScheduler", NULL, SetCallbackScheduler, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}

void callback_state_free(State *st) {
  /* C may still hold callback pointers: keep the trampolines, make them report instead */
  for (Callback *cb = st->callbacks; cb; cb = cb->next) {
    cb->closed = 1;
    if (cb->unmarshal) v8_release(cb->unmarshal); /* (the isolate is still alive while Node finalizes instance data) */
    cb->unmarshal = NULL;
    cb->st = NULL;
  }
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
