/* Callbacks called from other threads (foreign.c). */
#ifndef TSCTYPES_FOREIGN_H
#define TSCTYPES_FOREIGN_H
#include "state.h"

/* Run queued callbacks until the queue is empty or, with a budget, `budget_ms` have passed.
 * Returns 1 if requests remain. JS thread only. */
int foreign_drain(State *st, double budget_ms);

/* A { threads: true } call (jobs.c): the JS thread serves the queue itself from
 * foreign_serve_begin (which returns what to restore) until *done is set by
 * foreign_mark_done (from any thread), then foreign_serve_end. */
int foreign_serve_begin(State *st);
void foreign_serve_until(State *st, const int *done);
void foreign_mark_done(State *st, int *done);
void foreign_serve_end(State *st, int outer);

napi_status register_foreign(napi_env env, napi_value exports, State *st);
void foreign_state_free(State *st);

#endif
