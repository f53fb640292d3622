/* Loading shared libraries and looking up symbols (dlfcn). */
#define _GNU_SOURCE
#include "library.h"
#include "util.h"
#include <dlfcn.h>
#include <stdlib.h>

/* dlopen(name: string | null, mode: number) -> handle (number) | error message (string) */
static napi_value Dlopen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype t;
  CHECK(env, napi_typeof(env, argv[0], &t));
  int32_t mode;
  if (!get_i32(env, argv[1], &mode)) return NULL;
  char *name = NULL;
  if (t != napi_null) {
    name = get_string(env, argv[0]);
    if (!name) return NULL;
  }
  dlerror();
  void *h = dlopen(name, mode);
  free(name);
  if (!h) {
    const char *err = dlerror();
    napi_value msg;
    CHECK(env, napi_create_string_utf8(env, err ? err : "dlopen failed", NAPI_AUTO_LENGTH, &msg));
    return msg;
  }
  return make_address(env, h);
}

/* dlsym(handle, name) -> address (number) | null */
static napi_value Dlsym(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h)) return NULL;
  char *name = get_string(env, argv[1]);
  if (!name) return NULL;
  dlerror();
  void *sym = dlsym(h, name);
  const char *err = dlerror();
  free(name);
  if (err || !sym) {
    napi_value nul;
    CHECK(env, napi_get_null(env, &nul));
    return nul;
  }
  return make_address(env, sym);
}

/* dlclose(handle) -> undefined */
static napi_value Dlclose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *h;
  if (!get_address(env, argv[0], &h)) return NULL;
  if (h && dlclose(h) != 0) {
    const char *err = dlerror();
    return throw_error(env, "ERR_DLCLOSE", "%s", err ? err : "dlclose failed");
  }
  return NULL;
}

napi_status register_library(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"dlopen", NULL, Dlopen, NULL, NULL, NULL, napi_default, NULL},
    {"dlsym", NULL, Dlsym, NULL, NULL, NULL, napi_default, NULL},
    {"dlclose", NULL, Dlclose, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, COUNT(props), props);
}
