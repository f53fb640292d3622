/* Module entry of the core: one State per environment (main thread or worker), each
 * concern's functions registered in dependency order, the constants both sides need, and
 * the link an accelerator attaches to. */
#define _GNU_SOURCE
#include "callback.h"
#include "crash.h"
#include "entries.h"
#include "foreign.h"
#include "jobs.h"
#include "library.h"
#include "link.h"
#include "memory.h"
#include "regcall.h"
#include "thrown.h"
#include "util.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <wchar.h>

typedef struct Module {
  State st;
  CoreLink link;
} Module;

static void module_free(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  Module *m = data;
  crash_state_free(&m->st);
  foreign_state_free(&m->st); /* first: callbacks of calls still running return zero instead of waiting for JS */
  jobs_state_free(&m->st);
  callback_state_free(&m->st);
  plan_table_free(&m->st.plans);
  free(m);
}

/* counters() -> [callbacks run through register trampolines] (the tests check the path is used) */
static napi_value Counters(napi_env env, napi_callback_info info) {
  State *st;
  napi_value out, v;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&st));
  CHECK(env, napi_create_array_with_length(env, 1, &out));
  CHECK(env, napi_create_double(env, (double)st->callbacks->trampoline_calls, &v));
  CHECK(env, napi_set_element(env, out, 0, v));
  return out;
}

/* link() -> the address of this environment's CoreLink (link.h), for an accelerator's attach() */
static napi_value Link(napi_env env, napi_callback_info info) {
  Module *m;
  CHECK(env, napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&m));
  return make_address(env, &m->link);
}

typedef struct Constant {
  const char *name;
  int32_t value;
} Constant;

static napi_status put_group(napi_env env, napi_value into, const char *name, const Constant *cs, size_t n) {
  napi_value group, v;
  napi_status s = napi_create_object(env, &group);
  for (size_t i = 0; s == napi_ok && i < n; i++) {
    s = napi_create_int32(env, cs[i].value, &v);
    if (s == napi_ok) s = napi_set_named_property(env, group, cs[i].name, v);
  }
  if (s == napi_ok) s = napi_object_freeze(env, group);
  return s == napi_ok ? napi_set_named_property(env, into, name, group) : s;
}

/* constants: every number TypeScript and C agree on (constants.h, abi.h), and the platform's C sizes */
static napi_status put_constants(napi_env env, napi_value exports) {
  static const Constant slab[] = {
    {"planId", SLAB_PLAN_ID}, {"thrown", SLAB_THROWN}, {"errno", SLAB_ERRNO}, {"result", SLAB_RESULT},
    {"args", SLAB_ARGS}, {"maxArgs", SLAB_MAX_ARGS}, {"scratch", SLAB_SCRATCH}, {"minSize", SLAB_MIN_SIZE},
    {"callbackResult", SLAB_CB_RESULT}, {"callbackArgs", SLAB_CB_ARGS}, {"callbackMaxArgs", SLAB_CB_MAX_ARGS},
  };
  static const Constant thrown[] = {{"none", THROWN_NONE}, {"box", THROWN_BOX}, {"declined", THROWN_DECLINED}, {"pending", THROWN_PENDING}};
  static const Constant types[] = {
    {"Void", TYPE_VOID}, {"Uint8", TYPE_UINT8}, {"Sint8", TYPE_SINT8}, {"Uint16", TYPE_UINT16},
    {"Sint16", TYPE_SINT16}, {"Uint32", TYPE_UINT32}, {"Sint32", TYPE_SINT32}, {"Uint64", TYPE_UINT64},
    {"Sint64", TYPE_SINT64}, {"Float", TYPE_FLOAT}, {"Double", TYPE_DOUBLE}, {"LongDouble", TYPE_LONGDOUBLE},
    {"Pointer", TYPE_POINTER}, {"StructBase", TYPE_STRUCT_BASE},
  };
  static const Constant plan_flags[] = {{"useErrno", PLAN_USE_ERRNO}, {"noCallbacks", PLAN_NO_CALLBACKS}};
  static const Constant registers[] = {
    {"int", REG_INT}, {"float", REG_FLOAT}, {"stackWords", REG_STACK_WORDS}, {"path", REG_PATH},
    {"resultSlot", REG_SLOT_RESULT},
    {"retInt", REG_RET_INT}, {"retDouble", REG_RET_DOUBLE}, {"retFloat", REG_RET_FLOAT},
    {"retAggI", REG_RET_AGG_I}, {"retAggD", REG_RET_AGG_D}, {"retAggII", REG_RET_AGG_II},
    {"retAggID", REG_RET_AGG_ID}, {"retAggDI", REG_RET_AGG_DI}, {"retAggDD", REG_RET_AGG_DD},
    {"retMemory", REG_RET_MEMORY},
  };
  static const Constant typed[] = {
    {"floatDouble", TYPED_FLOAT_DOUBLE}, {"floatFloat", TYPED_FLOAT_FLOAT},
    {"retVoid", TYPED_RET_VOID}, {"retInt32", TYPED_RET_INT32}, {"retFloat", TYPED_RET_FLOAT}, {"retDouble", TYPED_RET_DOUBLE},
  };
  static const Constant dl[] = {{"RTLD_LAZY", RTLD_LAZY}, {"RTLD_NOW", RTLD_NOW}, {"RTLD_LOCAL", RTLD_LOCAL}, {"RTLD_GLOBAL", RTLD_GLOBAL},
#ifdef RTLD_NOLOAD
    {"RTLD_NOLOAD", RTLD_NOLOAD},
#endif
#ifdef RTLD_DEEPBIND
    {"RTLD_DEEPBIND", RTLD_DEEPBIND},
#endif
  };
  static const Constant c_sizes[] = {
    {"pointer", (int32_t)sizeof(void *)}, {"long", (int32_t)sizeof(long)}, {"wchar", (int32_t)sizeof(wchar_t)},
    {"longDouble", (int32_t)sizeof(long double)}, {"longDoubleAlign", (int32_t)_Alignof(long double)},
    {"longDoubleMantissaBits", __LDBL_MANT_DIG__},
  };
  napi_value all;
  napi_status s = napi_create_object(env, &all);
  if (s == napi_ok) s = put_group(env, all, "slab", slab, COUNT(slab));
  if (s == napi_ok) s = put_group(env, all, "thrown", thrown, COUNT(thrown));
  if (s == napi_ok) s = put_group(env, all, "types", types, COUNT(types));
  if (s == napi_ok) s = put_group(env, all, "planFlags", plan_flags, COUNT(plan_flags));
  if (s == napi_ok) s = put_group(env, all, "registers", registers, COUNT(registers));
  if (s == napi_ok) s = put_group(env, all, "typed", typed, COUNT(typed));
  if (s == napi_ok) s = put_group(env, all, "dlopen", dl, COUNT(dl));
  if (s == napi_ok) s = put_group(env, all, "sizes", c_sizes, COUNT(c_sizes));
  if (s == napi_ok) s = napi_object_freeze(env, all);
  return s == napi_ok ? napi_set_named_property(env, exports, "constants", all) : s;
}

static napi_value Init(napi_env env, napi_value exports) {
  Module *m = calloc(1, sizeof(Module));
  if (!m) return throw_error(env, "ERR_OUT_OF_MEMORY", "out of memory");
  if (napi_set_instance_data(env, m, module_free, NULL) != napi_ok) { free(m); return NULL; }
  State *st = &m->st;
  st->env = env;
  st->js_thread = pthread_self();
  st->js_slots = &tsc_thread;
  plan_table_init(&st->plans);
  m->link = (CoreLink){
    .version = CORE_LINK_VERSION, .size = sizeof(CoreLink), .state_size = sizeof(State), .plan_size = sizeof(Plan),
    .st = st, .js_slots = &tsc_thread,
    .regcall_execute = regcall_execute, .plan_execute_ffi = plan_execute_ffi, .plan_refusal = plan_refusal,
    .take_pending = take_pending, .plan_guard_update = plan_guard_update, .set_callback_ops = callback_set_ops,
  };
  if (register_library(env, exports) != napi_ok || register_plan(env, exports, &st->plans) != napi_ok ||
      register_regcall(env, exports, &st->plans) != napi_ok || register_entries(env, exports, st) != napi_ok ||
      register_callback(env, exports, st) != napi_ok || register_foreign(env, exports, st) != napi_ok ||
      register_jobs(env, exports, st) != napi_ok || register_crash(env, exports, st) != napi_ok ||
      register_memory(env, exports) != napi_ok || put_constants(env, exports) != napi_ok)
    return NULL;
  napi_property_descriptor props[] = {
    {"counters", NULL, Counters, NULL, NULL, NULL, napi_default, st},
    {"link", NULL, Link, NULL, NULL, NULL, napi_default, m},
  };
  CHECK(env, napi_define_properties(env, exports, COUNT(props), props));
  return exports;
}

NAPI_MODULE_INIT() { return Init(env, exports); }
