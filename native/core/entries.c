/* The core's entries for a call: run the plan named in the slab. JS has already written
 * every argument into the slab; nothing is converted here. Node-API, so they work in every
 * runtime; accelerators (native/v8/) add thinner entries where the engine is verified. */
#include "entries.h"
#include "regcall.h"
#include "thrown.h"
#include "util.h"

static napi_value Invoke(napi_env env, napi_callback_info info) {
  State *st;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  int32_t id;
  memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  Plan *p = plan_for_call(&st->plans, id);
  if (!p) return throw_refusal(env, &st->plans, id);
  call_run_blocking(st, &tsc_thread, p);
  if (st->pending_error) rethrow_pending(env, st);
  return NULL;
}

/* init(slab: ArrayBuffer, thrownBox: unknown[]): share the argument slab with JS, and the
 * array where entries that must not throw (accelerators) leave an exception for JS to throw. */
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
  if (st->slab) return throw_error(env, "ERR_INVALID_STATE", "init() was already called in this environment");
  CHECK(env, napi_create_reference(env, argv[0], 1, &st->slab_ref));
  CHECK(env, napi_create_reference(env, argv[1], 1, &st->thrown_box));
  st->slab = data;
  st->slab_size = len;
  return NULL;
}

napi_status register_entries(napi_env env, napi_value exports, State *st) {
  napi_property_descriptor props[] = {
    {"invoke", NULL, Invoke, NULL, NULL, NULL, napi_default, st},
    {"init", NULL, Init, NULL, NULL, NULL, napi_default, st},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
