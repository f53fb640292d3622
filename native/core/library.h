/* Loading shared libraries and looking up symbols (dlfcn). */
#ifndef TSCTYPES_LIBRARY_H
#define TSCTYPES_LIBRARY_H
#include <node_api.h>

napi_status register_library(napi_env env, napi_value exports);

#endif
