/* The one native entry of a call: run the plan named in the slab.
 * JS has already written every argument into the slab; nothing is converted here. */
#include "tsctypes.h"
#include "fastcall.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* libffi widens small integral results to ffi_arg; store them at their own
 * width so JS reads them from the slot's start (on little-endian machines the
 * low bytes already are the value). */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static void narrow_result(int code, void *r) {
  ffi_arg v = *(ffi_arg *)r;
  switch (code) {
    case TYPE_UINT8:  *(uint8_t *)r = (uint8_t)v; break;
    case TYPE_SINT8:  *(int8_t *)r = (int8_t)v; break;
    case TYPE_UINT16: *(uint16_t *)r = (uint16_t)v; break;
    case TYPE_SINT16: *(int16_t *)r = (int16_t)v; break;
    case TYPE_UINT32: *(uint32_t *)r = (uint32_t)v; break;
    case TYPE_SINT32: *(int32_t *)r = (int32_t)v; break;
    default: break;
  }
}
#endif

/* Runs plan `p` with the arguments in `slab`: the live slab, or an async job's
 * copy of it (so nothing here may point into the live slab). */
void plan_execute(const Plan *p, uint8_t *slab) {
  void *rvalue = slab + SLAB_RESULT;
  void *avalue[p->nargs ? p->nargs : 1];
  if (p->fast == FAST_NONE) {
    for (uint32_t i = 0; i < p->nargs; i++) avalue[i] = slab + SLAB_ARGS + 8 * i;
    for (uint32_t k = 0; k < p->nindirect; k++) {
      uint16_t i = p->indirect[k];
      memcpy(&avalue[i], slab + SLAB_ARGS + 8 * i, sizeof(void *));
    }
    if (p->flags & PLAN_INDIRECT_RESULT) memcpy(&rvalue, slab + SLAB_RESULT, sizeof(void *));
  }
  const Plan *outer = tsc_thread.running;
  tsc_thread.running = p;
  int32_t e;
  if (p->flags & PLAN_USE_ERRNO) {
    memcpy(&e, slab + SLAB_ERRNO, sizeof e);
    errno = e;
  }
  if (p->fast != FAST_NONE) fast_execute(p, slab);
  else ffi_call((ffi_cif *)&p->cif, FFI_FN(p->fn), rvalue, avalue);
  if (p->flags & PLAN_USE_ERRNO) {
    e = errno;
    memcpy(slab + SLAB_ERRNO, &e, sizeof e);
  }
  tsc_thread.running = outer;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  if (p->fast == FAST_NONE || p->fast < FAST_RET_AGG_I) narrow_result(p->ret_code, rvalue);
#endif
}

const char *plan_refusal(State *st, int32_t id, char *message, size_t size) {
  Plan *p = plan_lookup(st, id);
  if (p) {
    snprintf(message, size, "%s: its library was closed", p->crash_note);
    return "ERR_LIBRARY_CLOSED";
  }
  snprintf(message, size, "tsctypes: no call plan %d", id);
  return "ERR_INVALID_PLAN";
}

__attribute__((noinline)) napi_value throw_refusal(napi_env env, State *st, int32_t id) {
  char message[600];
  const char *code = plan_refusal(st, id, message, sizeof message);
  return throw_error(env, code, "%s", message);
}

static napi_value Invoke(napi_env env, napi_callback_info info) {
  State *st;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  int32_t id;
  memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  Plan *p = plan_for_call(st, id);
  if (!p) return throw_refusal(env, st, id);
  plan_run_blocking(st, p);
  if (st->pending_error) rethrow_pending(env, st);
  return NULL;
}

/* init(slab: ArrayBuffer, thrownBox: unknown[]): share the argument slab with JS, and the
 * array where entries that must not throw (see v8entry.cc) leave an exception for JS to throw. */
static napi_value Init(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&st));
  void *data;
  size_t len;
  bool is_array = false;
  if (argc < 2 || napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array)
    return throw_error(env, "ERR_INVALID_ARG_TYPE", "init() needs an array for thrown exceptions");
  if (napi_get_arraybuffer_info(env, argv[0], &data, &len) != napi_ok || len < SLAB_MIN_SIZE)
    return throw_error(env, "ERR_INVALID_ARG_TYPE", "init() needs an ArrayBuffer of at least %d bytes", SLAB_MIN_SIZE);
  if (st->slab_ref) napi_delete_reference(env, st->slab_ref);
  CHECK(env, napi_create_reference(env, argv[0], 1, &st->slab_ref));
  if (st->thrown_box) napi_delete_reference(env, st->thrown_box);
  CHECK(env, napi_create_reference(env, argv[1], 1, &st->thrown_box));
  st->slab = data;
  st->slab_size = len;
  napi_value layout, v;
  CHECK(env, napi_create_object(env, &layout));
#define PUT(name, value) \
  CHECK(env, napi_create_int32(env, value, &v)); \
  CHECK(env, napi_set_named_property(env, layout, name, v));
  PUT("planId", SLAB_PLAN_ID);
  PUT("thrown", SLAB_THROWN);
  PUT("errno", SLAB_ERRNO);
  PUT("result", SLAB_RESULT);
  PUT("args", SLAB_ARGS);
  PUT("maxArgs", SLAB_MAX_ARGS);
  PUT("scratch", SLAB_SCRATCH);
  PUT("callbackResult", SLAB_CB_RESULT);
  PUT("callbackArgs", SLAB_CB_ARGS);
  PUT("callbackMaxArgs", SLAB_CB_MAX_ARGS);
  PUT("intRegisters", FAST_INT_REGS);
  PUT("floatRegisters", FAST_FLOAT_REGS);
#undef PUT
  return layout;
}

napi_status register_invoke(napi_env env, napi_value exports, State *st) {
  napi_property_descriptor props[] = {
    {"invoke", NULL, Invoke, NULL, NULL, NULL, napi_default, st},
    {"init", NULL, Init, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
