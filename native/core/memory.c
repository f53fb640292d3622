/* Raw memory: addresses of JS buffers, views over C memory, C strings, allocation. */
#include "memory.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* addressOf(ArrayBuffer | ArrayBufferView) -> address of its first byte (view offset included) */
static napi_value AddressOf(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool is;
  void *data = NULL;
  size_t len;
  CHECK(env, napi_is_arraybuffer(env, argv[0], &is));
  if (is) {
    CHECK(env, napi_get_arraybuffer_info(env, argv[0], &data, &len));
    return make_address(env, data);
  }
  CHECK(env, napi_is_typedarray(env, argv[0], &is));
  if (is) {
    napi_typedarray_type type;
    CHECK(env, napi_get_typedarray_info(env, argv[0], &type, &len, &data, NULL, NULL));
    return make_address(env, data);
  }
  CHECK(env, napi_is_dataview(env, argv[0], &is));
  if (is) {
    CHECK(env, napi_get_dataview_info(env, argv[0], &len, &data, NULL, NULL));
    return make_address(env, data);
  }
  return throw_error(env, "ERR_INVALID_ARG_TYPE", "addressOf() needs an ArrayBuffer or a view of one");
}

/* view(address, length) -> ArrayBuffer over C memory. It owns nothing: the memory
 * stays the C side's, and the JS object that made the view keeps what it needs alive. */
static napi_value View(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *p;
  uint64_t len;
  if (!get_address(env, argv[0], &p) || !get_u64(env, argv[1], &len)) return NULL;
  if (!p && len) return throw_error(env, "ERR_NULL_POINTER", "cannot view memory at NULL");
  CHECK(env, napi_create_external_arraybuffer(env, p, (size_t)len, NULL, NULL, &out));
  return out;
}

/* cstring(address, length = -1) -> string, UTF-8 decoded; length -1 reads to the NUL */
static napi_value CString(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *p;
  double len = -1;
  if (!get_address(env, argv[0], &p)) return NULL;
  if (argc > 1) CHECK(env, napi_get_value_double(env, argv[1], &len));
  if (!p) return throw_error(env, "ERR_NULL_POINTER", "cannot read a string at NULL");
  CHECK(env, napi_create_string_utf8(env, p, len < 0 ? NAPI_AUTO_LENGTH : (size_t)len, &out));
  return out;
}

/* strlen(address) / wcslen(address) -> number of units before the NUL */
static napi_value Strlen(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  void *wide;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, &wide));
  void *p;
  if (!get_address(env, argv[0], &p)) return NULL;
  if (!p) return throw_error(env, "ERR_NULL_POINTER", "cannot read a string at NULL");
  size_t n = wide ? wcslen((const wchar_t *)p) : strlen((const char *)p);
  CHECK(env, napi_create_double(env, (double)n, &out));
  return out;
}

/* malloc(size) -> address (zero-filled) | throws */
static napi_value Malloc(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint64_t n;
  if (!get_u64(env, argv[0], &n)) return NULL;
  void *p = calloc(1, n ? (size_t)n : 1);
  if (!p) return throw_error(env, "ERR_OUT_OF_MEMORY", "malloc(%llu) failed", (unsigned long long)n);
  return make_address(env, p);
}

static napi_value Free(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *p;
  if (!get_address(env, argv[0], &p)) return NULL;
  free(p);
  return NULL;
}

/* memmove(dst, src, n) / memset(dst, byte, n) on raw addresses */
static napi_value Memmove(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *dst, *src;
  uint64_t n;
  if (!get_address(env, argv[0], &dst) || !get_address(env, argv[1], &src) || !get_u64(env, argv[2], &n))
    return NULL;
  if (n && (!dst || !src)) return throw_error(env, "ERR_NULL_POINTER", "memmove() with a NULL address");
  memmove(dst, src, (size_t)n);
  return NULL;
}

static napi_value Memset(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *dst;
  int32_t c;
  uint64_t n;
  if (!get_address(env, argv[0], &dst) || !get_i32(env, argv[1], &c) || !get_u64(env, argv[2], &n)) return NULL;
  if (n && !dst) return throw_error(env, "ERR_NULL_POINTER", "memset() with a NULL address");
  memset(dst, c, (size_t)n);
  return NULL;
}

napi_status register_memory(napi_env env, napi_value exports) {
  static int wide = 1;
  napi_property_descriptor props[] = {
    {"addressOf", NULL, AddressOf, NULL, NULL, NULL, napi_default, NULL},
    {"view", NULL, View, NULL, NULL, NULL, napi_default, NULL},
    {"cstring", NULL, CString, NULL, NULL, NULL, napi_default, NULL},
    {"strlen", NULL, Strlen, NULL, NULL, NULL, napi_default, NULL},
    {"wcslen", NULL, Strlen, NULL, NULL, NULL, napi_default, &wide},
    {"malloc", NULL, Malloc, NULL, NULL, NULL, napi_default, NULL},
    {"free", NULL, Free, NULL, NULL, NULL, napi_default, NULL},
    {"memmove", NULL, Memmove, NULL, NULL, NULL, napi_default, NULL},
    {"memset", NULL, Memset, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
