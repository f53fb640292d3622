/* Exceptions that cross C: what a JS callback throws is kept, and handed back to JS
 * when the call that led into C returns. */
#ifndef TSCTYPES_THROWN_H
#define TSCTYPES_THROWN_H
#include <stdint.h>
#include <node_api.h>
#include "state.h"

/* st->pending_error while an error made on another thread waits (thrown_defer): its message
 * is st->pending_message, and the Error is made when the JS thread takes it. */
#define PENDING_MESSAGE ((napi_ref)(uintptr_t)1)

/* Keep `exc` in *slot (the first one wins). */
void thrown_keep(napi_env env, napi_value exc, napi_ref *slot);
/* The exception kept in *slot (clearing it), or NULL. */
napi_value thrown_take(napi_env env, napi_ref *slot);
/* From any thread: an Error with `code` and `message` (malloc'd, taken over) becomes the
 * pending error, unless one is pending (first wins; then `message` is freed). 1: it did. */
int thrown_defer(State *st, const char *code, char *message);
/* While the JS thread is in a V8 fast call (from it, or another thread): has the marshaller
 * throw the pending error, if any, when the call returns (SLAB_THROWN: THROWN_PENDING). A typed
 * fast call jumps to its C function and looks at nothing after it; a slab fast call marks it
 * itself when C returns. Inline: the accelerator uses it too. */
static inline void slab_mark_pending(State *st) {
  if (!st->slab || !__atomic_load_n(&st->pending_error, __ATOMIC_ACQUIRE)) return;
  __atomic_store_n((int32_t *)(st->slab + SLAB_THROWN), (int32_t)THROWN_PENDING, __ATOMIC_RELEASE);
}
/* After a call returns to JS: rethrow what a JS callback threw during it, if anything. */
void rethrow_pending(napi_env env, State *st);
/* ... or take it (NULL: nothing was thrown), for an entry that delivers it another way. */
napi_value take_pending(napi_env env, State *st);

#endif
