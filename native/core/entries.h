/* The core's Node-API entries for a call (entries.c). */
#ifndef TSCTYPES_ENTRIES_H
#define TSCTYPES_ENTRIES_H
#include "state.h"

napi_status register_entries(napi_env env, napi_value exports, State *st);

#endif
