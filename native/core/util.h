/* Small Node-API helpers: every status is checked, failures become JS exceptions. */
#ifndef TSCTYPES_UTIL_H
#define TSCTYPES_UTIL_H
#include <stdint.h>
#include <node_api.h>

napi_value throw_error(napi_env env, const char *code, const char *fmt, ...);
int get_address(napi_env env, napi_value v, void **out);
napi_value make_address(napi_env env, const void *p);
int get_i32(napi_env env, napi_value v, int32_t *out);
int get_u64(napi_env env, napi_value v, uint64_t *out);
char *get_string(napi_env env, napi_value v); /* malloc'd UTF-8, NULL on failure */
/* an int32 array's elements, calloc'd (at least one element), or 0 with an exception */
int get_i32_array(napi_env env, napi_value arr, int32_t **out, uint32_t *n);
#define CHECK(env, call) do { if ((call) != napi_ok) return NULL; } while (0)
/* the number of elements of a static array */
#define COUNT(a) (sizeof (a) / sizeof (a)[0])

#endif
