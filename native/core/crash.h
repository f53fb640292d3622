/* Crash reporting (crash.c): a fatal signal during a foreign call names the call. */
#ifndef TSCTYPES_CRASH_H
#define TSCTYPES_CRASH_H
#include <node_api.h>

napi_status register_crash(napi_env env, napi_value exports);

#endif
