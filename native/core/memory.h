/* Raw memory: addresses of JS buffers, views over C memory, C strings, allocation. */
#ifndef TSCTYPES_MEMORY_H
#define TSCTYPES_MEMORY_H
#include <node_api.h>

napi_status register_memory(napi_env env, napi_value exports);

#endif
