/* Exceptions that cross C: what a JS callback throws is kept, and handed back to JS
 * when the call that led into C returns. */
#ifndef TSCTYPES_THROWN_H
#define TSCTYPES_THROWN_H
#include <node_api.h>
#include "state.h"

/* Keep `exc` in *slot (the first one wins). */
void thrown_keep(napi_env env, napi_value exc, napi_ref *slot);
/* The exception kept in *slot (clearing it), or NULL. */
napi_value thrown_take(napi_env env, napi_ref *slot);
/* After a call returns to JS: rethrow what a JS callback threw during it, if anything. */
void rethrow_pending(napi_env env, State *st);
/* ... or take it (NULL: nothing was thrown), for an entry that delivers it another way. */
napi_value take_pending(napi_env env, State *st);

#endif
