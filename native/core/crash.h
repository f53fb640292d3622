/* Crash reporting (crash.c): a fatal signal during a foreign call names the call, and where
 * JS made it. */
#ifndef TSCTYPES_CRASH_H
#define TSCTYPES_CRASH_H
#include <node_api.h>
#include "state.h"

napi_status register_crash(napi_env env, napi_value exports, State *st);
/* The environment ends: its JS can no longer say where a call was made. */
void crash_state_free(State *st);

#endif
