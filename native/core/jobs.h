/* Calls run on another thread: async and { threads: true } calls (jobs.c). */
#ifndef TSCTYPES_JOBS_H
#define TSCTYPES_JOBS_H
#include "state.h"

napi_status register_jobs(napi_env env, napi_value exports, State *st);
void jobs_state_free(State *st);

#endif
