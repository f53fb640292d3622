/* Exceptions that cross C (thrown.h). */
#include "thrown.h"
#include <stdlib.h>

/* Kept inside an array: Node-API cannot reference primitives (`throw "x"`) directly. */
/* Slots are set with compare-and-swap: another thread may defer an error into the pending one. */
void thrown_keep(napi_env env, napi_value exc, napi_ref *slot) {
  napi_value box;
  napi_ref ref, none = NULL;
  if (__atomic_load_n(slot, __ATOMIC_ACQUIRE)) return;
  if (napi_create_array_with_length(env, 1, &box) != napi_ok || napi_set_element(env, box, 0, exc) != napi_ok) return;
  if (napi_create_reference(env, box, 1, &ref) != napi_ok) return;
  if (!__atomic_compare_exchange_n(slot, &none, ref, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) napi_delete_reference(env, ref);
}

napi_value thrown_take(napi_env env, napi_ref *slot) {
  napi_value box, exc = NULL;
  napi_ref ref = __atomic_exchange_n(slot, NULL, __ATOMIC_ACQ_REL);
  if (!ref) return NULL;
  if (napi_get_reference_value(env, ref, &box) == napi_ok) napi_get_element(env, box, 0, &exc);
  napi_delete_reference(env, ref);
  return exc;
}

int thrown_defer(State *st, const char *code, char *message) {
  napi_ref no_error = NULL;
  char *no_message = NULL;
  if (!message) return 0;
  /* the message slot first: one deferring thread at a time owns it */
  if (!__atomic_compare_exchange_n(&st->pending_message, &no_message, message, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    free(message);
    return 0;
  }
  st->pending_code = code;
  if (__atomic_compare_exchange_n(&st->pending_error, &no_error, PENDING_MESSAGE, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return 1;
  __atomic_store_n(&st->pending_message, NULL, __ATOMIC_RELEASE); /* a JS exception came first */
  free(message);
  return 0;
}

napi_value take_pending(napi_env env, State *st) {
  if (__atomic_load_n(&st->pending_error, __ATOMIC_ACQUIRE) != PENDING_MESSAGE) return thrown_take(env, &st->pending_error);
  char *message = st->pending_message;
  napi_value text, code, error = NULL;
  if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text) == napi_ok &&
      napi_create_string_utf8(env, st->pending_code, NAPI_AUTO_LENGTH, &code) == napi_ok)
    napi_create_error(env, code, text, &error);
  __atomic_store_n(&st->pending_error, NULL, __ATOMIC_RELEASE);
  __atomic_store_n(&st->pending_message, NULL, __ATOMIC_RELEASE);
  free(message);
  return error;
}

void rethrow_pending(napi_env env, State *st) {
  napi_value exc = take_pending(env, st);
  if (exc) napi_throw(env, exc);
}
