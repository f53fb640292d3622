/* Small Node-API helpers: every status is checked, failures become JS exceptions. */
#include "util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

napi_value throw_error(napi_env env, const char *code, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  napi_throw_error(env, code, msg);
  return NULL;
}

/* Addresses travel as JS numbers (exact below 2^53, which covers user space on
 * every 64-bit platform we target) or bigints. */
int get_address(napi_env env, napi_value v, void **out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  if (t == napi_number) {
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
    if (!(d >= 0 && d <= 9007199254740991.0) || d != (double)(uint64_t)d) {
      throw_error(env, "ERR_INVALID_ADDRESS", "invalid address %g", d);
      return 0;
    }
    *out = (void *)(uintptr_t)(uint64_t)d;
    return 1;
  }
  if (t == napi_bigint) {
    uint64_t u;
    bool lossless;
    if (napi_get_value_bigint_uint64(env, v, &u, &lossless) != napi_ok) return 0;
    if (!lossless) {
      throw_error(env, "ERR_INVALID_ADDRESS", "address bigint out of range");
      return 0;
    }
    *out = (void *)(uintptr_t)u;
    return 1;
  }
  if (t == napi_null || t == napi_undefined) {
    *out = NULL;
    return 1;
  }
  throw_error(env, "ERR_INVALID_ADDRESS", "an address must be a number or bigint");
  return 0;
}

napi_value make_address(napi_env env, const void *p) {
  napi_value v;
  if (napi_create_double(env, (double)(uintptr_t)p, &v) != napi_ok) return NULL;
  return v;
}

int get_i32(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected an integer");
    return 0;
  }
  return 1;
}

int get_u64(napi_env env, napi_value v, uint64_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0)) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected a non-negative number");
    return 0;
  }
  *out = (uint64_t)d;
  return 1;
}

char *get_string(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected a string");
    return NULL;
  }
  char *s = malloc(len + 1);
  if (!s) {
    throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    return NULL;
  }
  return s;
}

int get_i32_array(napi_env env, napi_value arr, int32_t **out, uint32_t *n) {
  if (napi_get_array_length(env, arr, n) != napi_ok) {
    throw_error(env, "ERR_INVALID_ARG_TYPE", "expected an array of integers");
    return 0;
  }
  *out = calloc(*n ? *n : 1, sizeof(int32_t));
  if (!*out) {
    throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
    return 0;
  }
  for (uint32_t i = 0; i < *n; i++) {
    napi_value el;
    if (napi_get_element(env, arr, i, &el) != napi_ok || !get_i32(env, el, &(*out)[i])) {
      free(*out);
      return 0;
    }
  }
  return 1;
}
