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
 * returns. A closed callback keeps its trampoline for a while (C may still hold
 * the pointer): a call is reported on stderr and returns zero. It is released
 * (the trampoline or closure reused, the memory freed) after CALLBACK_QUARANTINE
 * later closes in the environment, once no call of it is running. */
#include "callback.h"
#include "thrown.h"
#include "trampoline.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the core's CallbackOps: Node-API */

static void *napi_hold(napi_env env, napi_value fn) {
  napi_valuetype t;
  napi_ref ref;
  if (napi_typeof(env, fn, &t) != napi_ok || t != napi_function) return NULL;
  if (napi_create_reference(env, fn, 0, &ref) != napi_ok) return NULL; /* 0: weak */
  return ref;
}

static int napi_call_held(void *held, napi_env env, void (*on_throw)(napi_env, napi_value, void *), void *ctx) {
  napi_handle_scope scope;
  napi_value fn, recv, result;
  int outcome = 0;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return 0;
  if (napi_get_reference_value(env, held, &fn) != napi_ok || !fn) {
    outcome = -1;
  } else if (napi_get_undefined(env, &recv) == napi_ok) {
    napi_status s = napi_call_function(env, recv, fn, 0, NULL, &result);
    if (s == napi_ok) {
      outcome = 1;
    } else {
      bool pending = false;
      napi_value exc;
      /* (a terminating thread, e.g. a worker's exit, leaves nothing to rethrow) */
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending && napi_get_and_clear_last_exception(env, &exc) == napi_ok)
        on_throw(env, exc, ctx);
    }
  }
  napi_close_handle_scope(env, scope);
  return outcome;
}

static void napi_release(napi_env env, void *held) { napi_delete_reference(env, held); }

static const CallbackOps napi_ops = {napi_hold, napi_call_held, napi_release};

int callback_set_ops(State *st, const CallbackOps *ops) {
  if (st->callbacks->list) return 0;
  st->callbacks->ops = ops;
  return 1;
}

/* ---------------------------------------------------------------- running a callback */

void callback_zero_result(const Callback *cb, void *ret) {
  size_t n = cb->cif.rtype->size;
  if (n < sizeof(ffi_arg)) n = sizeof(ffi_arg);
  if (cb->cif.rtype->type != FFI_TYPE_VOID) memset(ret, 0, n);
}

/* Arguments into the callback area: scalars by value, aggregates and wide values by address. */
static inline __attribute__((always_inline)) void write_args(const Callback *cb, uint8_t *slab, const void *args) {
  uint8_t *area = slab + SLAB_CB_ARGS;
  if (!cb->closure) {
    /* a trampoline's registers, in the order the slots follow, word by word: the trampoline has
     * just stored them as words, and a wider load (what memcpy becomes) cannot take its data from
     * two pending stores: it waits for them to reach the cache (store forwarding fails), ~15 ns
     * per callback on x86-64 */
    for (unsigned i = 0; i < REG_COUNT; i++) {
      uint64_t word;
      memcpy(&word, (const uint8_t *)args + 8 * i, sizeof word);
      __asm__("" : "+r"(word)); /* (keeps the compiler from merging the copies into vector moves) */
      memcpy(area + 8 * i, &word, sizeof word);
    }
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

/* The unmarshaller's exception handler: keep what the callback threw (ctx: a napi_ref *). */
static void keep_thrown(napi_env env, napi_value exc, void *slot) { thrown_keep(env, exc, slot); }

static void report_closed(const Callback *cb) {
  fprintf(stderr, "tsctypes: C called a closed callback %s; it returns zero\n", cb->note);
}

/* callback_run_on_js_thread, inline for the calls made on the JS thread itself. */
static inline __attribute__((always_inline)) void run_on_js_thread(Callback *cb, void *ret, const void *args, napi_ref *error) {
  State *st = cb->st;
  if (cb->closed || !cb->unmarshal) {
    report_closed(cb);
    callback_zero_result(cb, ret);
    return;
  }
  write_args(cb, st->slab, args);
  /* while JS runs, a fatal signal is not the foreign call's (nor, say, a WebAssembly trap V8 handles) */
  const Plan *foreign = tsc_thread.running;
  tsc_thread.running = NULL;
  int outcome = cb->ops->call(cb->unmarshal, st->env, keep_thrown, error ? error : &st->pending_error);
  tsc_thread.running = foreign;
  switch (outcome) {
    case 1:
      read_result(cb, st->slab, ret);
      break;
    case -1: /* the JS callback object was garbage collected while C still held the pointer */
      report_closed(cb);
      /* fall through */
    default:
      callback_zero_result(cb, ret);
      break;
  }
}

void callback_run_on_js_thread(Callback *cb, void *ret, const void *args, napi_ref *error) {
  run_on_js_thread(cb, ret, args, error);
}

/* The plain call that reached a callback calls back: from now on fast entries decline it (its
 * calls take the plain entry, which runs callbacks). Early calls run plain (V8 runs a fast API
 * function's ordinary callback until the caller is optimized), so most are learned there. */
static inline void mark_called_back(State *st, const Plan *caller) {
  if (!caller || caller->called_back) return;
  ((Plan *)caller)->called_back = 1;
  plan_guard_update(&st->plans, (Plan *)caller);
}

/* C called a callback during a V8 fast call, where JS is not run (V8 11.3 and 12.4 abort on it:
 * docs/performance.md).
 * The call is not lost silently: C gets zero, stderr says so, the JS call throws
 * ERR_CALLBACK_IN_FAST_CALL when it returns, and the function is marked so that every later
 * call takes the plain entry and runs its callbacks. */
static void reached_in_fast_call(const Callback *cb, void *ret, int32_t fast) {
  State *st = cb->st;
  const Plan *p = plan_lookup(&st->plans, fast);
  mark_called_back(st, p);
  const char *name = p ? p->crash_note : "a foreign function";
  const char *what = "tsctypes: %s called callback %s during a V8 fast call, where JavaScript cannot run: the callback "
                     "did not run and returned zero to C. Later calls of %s run their callbacks (they take the plain "
                     "entry); declare it with { reentrant: true } so that the first one does too.";
  int size = snprintf(NULL, 0, what, name, cb->note, name) + 1;
  char *message = malloc(size);
  if (message) snprintf(message, size, what, name, cb->note, name);
  fprintf(stderr, what, name, cb->note, name);
  fputc('\n', stderr);
  thrown_defer(st, "ERR_CALLBACK_IN_FAST_CALL", message);
  slab_mark_pending(st);
  callback_zero_result(cb, ret);
}

/* Every call of a callback starts here: from its libffi closure or its register trampoline. */
static inline __attribute__((always_inline)) void callback_enter(Callback *cb, void *ret, const void *args) {
  int32_t fast;
  if (cb->closed || !cb->st) {
    if (!cb->st) fprintf(stderr, "tsctypes: C called callback %s after its environment (thread/worker) ended; it returns zero\n", cb->note);
    else report_closed(cb);
    callback_zero_result(cb, ret);
    return;
  }
  if (!pthread_equal(pthread_self(), cb->st->js_thread)) {
    __atomic_add_fetch(&cb->foreign_calls, 1, __ATOMIC_ACQ_REL);
    cb->st->off_thread(cb, ret, args); /* foreign.c */
    __atomic_sub_fetch(&cb->foreign_calls, 1, __ATOMIC_ACQ_REL);
  } else if ((fast = plan_fast_running(&cb->st->plans)) != 0) {
    reached_in_fast_call(cb, ret, fast);
  } else {
    mark_called_back(cb->st, tsc_thread.running);
    if (!cb->closure) cb->st->callbacks->trampoline_calls++;
    cb->js_calls++; /* (the JS function may close it, and others: it is not released meanwhile) */
    run_on_js_thread(cb, ret, args, NULL);
    cb->js_calls--;
  }
}

static void on_call(ffi_cif *cif, void *ret, void **args, void *data) {
  (void)cif;
  callback_enter(data, ret, args);
}

static void on_trampoline_call(void *cb, void *ret, const int64_t *regs) { callback_enter(cb, ret, regs); }

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

/* Frees `cb` and gives its address back for reuse. */
static void callback_free(Callback *cb) {
  if (cb->closure) ffi_closure_free(cb->closure);
  else if (cb->code) trampoline_release(cb->trampoline);
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
  ffi_type *rt = type_for_code(&st->plans, ret_code);
  int ok = cb->arg_types && cb->slots && cb->note && rt && read_slots(env, argv[4], layout_kind != napi_null, n, cb->slots);
  for (uint32_t i = 0; ok && i < n; i++) {
    napi_value el;
    int32_t code;
    ok = napi_get_element(env, argv[1], i, &el) == napi_ok && get_i32(env, el, &code);
    if (ok) cb->arg_types[i] = type_for_code(&st->plans, code);
    ok = ok && cb->arg_types[i] && cb->arg_types[i] != &ffi_type_void;
  }
  if (ok) ok = ffi_prep_cif(&cb->cif, FFI_DEFAULT_ABI, n, rt, cb->arg_types) == FFI_OK;
  if (ok && layout_kind != napi_null) cb->code = trampoline_claim(cb, on_trampoline_call, ret_code == TYPE_FLOAT || ret_code == TYPE_DOUBLE, &cb->trampoline);
  if (ok && !cb->code) {
    ok = (cb->closure = ffi_closure_alloc(sizeof(ffi_closure), &cb->code)) != NULL;
    if (ok) ok = ffi_prep_closure_loc(cb->closure, &cb->cif, on_call, cb, cb->code) == FFI_OK;
  }
  cb->ops = st->callbacks->ops;
  if (ok) ok = (cb->unmarshal = cb->ops->hold(env, argv[2])) != NULL;
  if (!ok) {
    callback_free(cb); /* (its address was never handed out) */
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    return pending ? NULL : throw_error(env, "ERR_CALLBACK", "cannot create a callback with this signature");
  }
  Callbacks *all = st->callbacks;
  cb->next = all->list;
  if (cb->next) cb->next->prev = cb;
  all->list = cb;
  if (all->open++ == 0) plan_gate_close(&st->plans, 1);
  napi_value out, v;
  CHECK(env, napi_create_array_with_length(env, 2, &out));
  CHECK(env, napi_set_element(env, out, 0, make_address(env, cb->code)));
  CHECK(env, napi_create_double(env, (double)(uintptr_t)cb, &v));
  CHECK(env, napi_set_element(env, out, 1, v));
  return out;
}

/* Releases the oldest closed callbacks beyond the quarantine's length that no call is running. */
static void release_quarantined(Callbacks *all) {
  while (all->nclosed > CALLBACK_QUARANTINE) {
    Callback *cb = all->oldest_closed;
    if (cb->js_calls || __atomic_load_n(&cb->foreign_calls, __ATOMIC_ACQUIRE)) return; /* (a later close tries again) */
    all->oldest_closed = cb->later;
    if (!all->oldest_closed) all->newest_closed = NULL;
    all->nclosed--;
    if (cb->prev) cb->prev->next = cb->next;
    else all->list = cb->next;
    if (cb->next) cb->next->prev = cb->prev;
    callback_free(cb);
  }
}

/* callbackClose(handle): release the JS function; the trampoline stays valid and reports calls
 * until the callback leaves the quarantine. */
static napi_value CallbackClose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h) || !h) return NULL;
  Callback *cb = h;
  if (cb->closed) return NULL;
  cb->closed = 1;
  if (--cb->st->callbacks->open == 0) plan_gate_close(&cb->st->plans, 0);
  if (cb->unmarshal) {
    cb->ops->release(cb->st->env, cb->unmarshal);
    cb->unmarshal = NULL;
  }
  Callbacks *all = cb->st->callbacks;
  if (all->newest_closed) all->newest_closed->later = cb;
  else all->oldest_closed = cb;
  all->newest_closed = cb;
  all->nclosed++;
  release_quarantined(all);
  return NULL;
}

napi_status register_callback(napi_env env, napi_value exports, State *st) {
  st->callbacks = calloc(1, sizeof(Callbacks));
  if (!st->callbacks) return napi_generic_failure;
  st->callbacks->ops = &napi_ops;
  napi_property_descriptor props[] = {
    {"callbackCreate", NULL, CallbackCreate, NULL, NULL, NULL, napi_default, st},
    {"callbackClose", NULL, CallbackClose, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}


void callback_state_free(State *st) {
  if (!st->callbacks) return;
  /* C may still hold callback pointers: keep the trampolines (quarantined ones too), make them report instead */
  for (Callback *cb = st->callbacks->list; cb; cb = cb->next) {
    cb->closed = 1;
    if (cb->unmarshal) cb->ops->release(st->env, cb->unmarshal); /* (the isolate is still alive while Node finalizes instance data) */
    cb->unmarshal = NULL;
    cb->st = NULL;
  }
  free(st->callbacks);
  st->callbacks = NULL;
}
