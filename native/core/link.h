/* The core's link for accelerators: what an engine-specific accelerator (native/v8/) may
 * use of one environment's core. The core hands its address to JS (`link()`), and JS hands
 * it to an accelerator it has loaded (after checking the engine's version). Both sides are
 * built from these headers; `version` and the sizes catch a core and an accelerator built
 * from different sources. */
#ifndef TSCTYPES_LINK_H
#define TSCTYPES_LINK_H
#include <stddef.h>
#include "callback.h"
#include "plan.h"
#include "state.h"
#include "thread.h"

#define CORE_LINK_VERSION 3

typedef struct CoreLink {
  uint32_t version;          /* CORE_LINK_VERSION */
  uint32_t size;             /* sizeof(CoreLink) */
  uint32_t state_size;       /* sizeof(State) */
  uint32_t plan_size;        /* sizeof(Plan) */
  State *st;
  ThreadSlots *js_slots;     /* the JS thread's slots (accelerator entries run on that thread only) */
  /* the out-of-line parts of call_run (regcall.h) */
  void (*regcall_execute)(const Plan *p, uint8_t *slab);
  void (*plan_execute_ffi)(const Plan *p, uint8_t *slab);
  const char *(*plan_refusal)(const PlanTable *t, int32_t id, char *message, size_t size);
  napi_value (*take_pending)(napi_env env, State *st);
  void (*plan_guard_update)(PlanTable *t, Plan *p);
  /* a thinner way to reach callbacks' JS unmarshallers: 0 (refused) once any callback exists */
  int (*set_callback_ops)(State *st, const CallbackOps *ops);
} CoreLink;

#endif
