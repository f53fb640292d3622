/* Module entry: one State per Node environment (main thread or worker). */
#include "tsctypes.h"
#include <stdlib.h>
#include <wchar.h>

static void state_free(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  State *st = data;
  /* Plans and struct types are freed with the environment. */
  for (uint32_t i = 1; i < st->nplans; i++) {
    Plan *p = plan_lookup(st, (int32_t)i);
    plan_free(p);
  }
  free(st->plans);
  free(st->free_next);
  free(st->targets);
  for (uint32_t i = 0; i < st->nstruct_types; i++) {
    free(st->struct_types[i]->elements);
    free(st->struct_types[i]);
  }
  free(st->struct_types);
  callback_state_free(st);
  free(st);
}

/* fastCalls() -> [calls taken by the V8 fast API entry, strings written by the fast writeString,
 * calls taken by typed entries' fast functions, callbacks run through register trampolines]
 * (the tests check that the fast versions are really used) */
static napi_value FastCalls(napi_env env, napi_callback_info info) {
  State *st;
  napi_value out, v;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  CHECK(env, napi_create_array_with_length(env, 4, &out));
  CHECK(env, napi_create_double(env, (double)st->fast_calls, &v));
  CHECK(env, napi_set_element(env, out, 0, v));
  CHECK(env, napi_create_double(env, (double)st->fast_strings, &v));
  CHECK(env, napi_set_element(env, out, 1, v));
  CHECK(env, napi_create_double(env, (double)st->typed_calls, &v));
  CHECK(env, napi_set_element(env, out, 2, v));
  CHECK(env, napi_create_double(env, (double)st->trampoline_calls, &v));
  CHECK(env, napi_set_element(env, out, 3, v));
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  State *st = calloc(1, sizeof(State));
  if (!st) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  if (napi_set_instance_data(env, st, state_free, NULL) != napi_ok) { free(st); return NULL; }
  if (register_library(env, exports) != napi_ok || register_plan(env, exports, st) != napi_ok ||
      register_invoke(env, exports, st) != napi_ok || register_memory(env, exports) != napi_ok ||
      register_crash(env, exports) != napi_ok || register_callback(env, exports, st) != napi_ok ||
      register_threads(env, exports, st) != napi_ok || register_typed(env, exports, st) != napi_ok)
    return NULL;
  napi_value v;
  napi_value entry = make_v8_invoke(env, st, 0);
  if (entry) CHECK(env, napi_set_named_property(env, exports, "invokeV8", entry));
  entry = make_v8_invoke(env, st, 1);
  if (entry) CHECK(env, napi_set_named_property(env, exports, "invokeFast", entry));
  entry = make_v8_write_string(env, st);
  if (entry) CHECK(env, napi_set_named_property(env, exports, "writeString", entry));
  napi_property_descriptor fast_calls = {"fastCalls", NULL, FastCalls, NULL, NULL, NULL, napi_default, st};
  CHECK(env, napi_define_properties(env, exports, 1, &fast_calls));
  CHECK(env, napi_create_uint32(env, (uint32_t)sizeof(void *), &v));
  CHECK(env, napi_set_named_property(env, exports, "pointerSize", v));
  CHECK(env, napi_create_uint32(env, (uint32_t)sizeof(long), &v));
  CHECK(env, napi_set_named_property(env, exports, "longSize", v));
  CHECK(env, napi_create_uint32(env, (uint32_t)sizeof(wchar_t), &v));
  CHECK(env, napi_set_named_property(env, exports, "wcharSize", v));
  CHECK(env, napi_create_uint32(env, (uint32_t)sizeof(long double), &v));
  CHECK(env, napi_set_named_property(env, exports, "longDoubleSize", v));
  CHECK(env, napi_create_uint32(env, (uint32_t)_Alignof(long double), &v));
  CHECK(env, napi_set_named_property(env, exports, "longDoubleAlign", v));
  CHECK(env, napi_create_uint32(env, (uint32_t)__LDBL_MANT_DIG__, &v));
  CHECK(env, napi_set_named_property(env, exports, "longDoubleMantissaBits", v));
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
