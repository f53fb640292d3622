/* Exceptions that cross C (thrown.h). */
#include "thrown.h"

/* Kept inside an array: Node-API cannot reference primitives (`throw "x"`) directly. */
void thrown_keep(napi_env env, napi_value exc, napi_ref *slot) {
  napi_value box;
  if (*slot) return;
  if (napi_create_array_with_length(env, 1, &box) != napi_ok || napi_set_element(env, box, 0, exc) != napi_ok) return;
  napi_create_reference(env, box, 1, slot);
}

napi_value thrown_take(napi_env env, napi_ref *slot) {
  napi_value box, exc = NULL;
  napi_ref ref = *slot;
  if (!ref) return NULL;
  *slot = NULL;
  if (napi_get_reference_value(env, ref, &box) == napi_ok) napi_get_element(env, box, 0, &exc);
  napi_delete_reference(env, ref);
  return exc;
}

napi_value take_pending(napi_env env, State *st) { return thrown_take(env, &st->pending_error); }

void rethrow_pending(napi_env env, State *st) {
  napi_value exc = take_pending(env, st);
  if (exc) napi_throw(env, exc);
}
