// The accelerator's module: attach(link, engineVersion) joins one environment's core (the
// address its `link()` returned) and returns the entries this V8 version has, or a string
// saying why it will not attach. JS loads this binary only after checking the engine
// (src/native.ts); the checks here catch a core and accelerator built apart.
#include "accel.h"

#include <pthread.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tsctypes {

namespace {
pthread_mutex_t statics_mutex = PTHREAD_MUTEX_INITIALIZER;
}
StaticsLock::StaticsLock() { pthread_mutex_lock(&statics_mutex); }
StaticsLock::~StaticsLock() { pthread_mutex_unlock(&statics_mutex); }

namespace {

// The core's out-of-line functions, the same for every environment (one core binary): a copy
// of the first link attached, since each link lives as long as its environment only.
CoreLink core_functions;
const CoreLink *core = nullptr;

napi_value Refuse(napi_env env, const char *why) {
  napi_value s;
  napi_create_string_utf8(env, why, NAPI_AUTO_LENGTH, &s);
  return s;
}

// The engine's version against the one this binary was built for: "major.minor." prefix.
bool SameEngine(const char *version) {
  char expected[32];
  std::snprintf(expected, sizeof expected, "%d.%d.", V8_MAJOR_VERSION, V8_MINOR_VERSION);
  return std::strncmp(version, expected, std::strlen(expected)) == 0;
}

napi_value Counters(napi_env env, napi_callback_info info) {
  void *data;
  napi_value out, v;
  if (napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data) != napi_ok) return nullptr;
  const AccelEnv *a = static_cast<const AccelEnv *>(data);
  const uint64_t counts[] = {a->fast_calls, accel_typed_calls, a->fast_strings};  // (on the environment's thread)
  if (napi_create_array_with_length(env, 3, &out) != napi_ok) return nullptr;
  for (uint32_t i = 0; i < 3; i++)
    if (napi_create_double(env, (double)counts[i], &v) != napi_ok || napi_set_element(env, out, i, v) != napi_ok) return nullptr;
  return out;
}

void FreeEnv(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  AccelEnv *a = static_cast<AccelEnv *>(data);
  if (accel_env == a) {
    accel_env = nullptr;
    accel_state = nullptr;
  }
  Destroy(a);
}

// attach(linkAddress: number, engineVersion: string) -> entries object | reason (string)
napi_value Attach(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  double address;
  char version[64];
  size_t len;
  if (argc < 2 || napi_get_value_double(env, argv[0], &address) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], version, sizeof version, &len) != napi_ok)
    return Refuse(env, "attach(link, engineVersion): bad arguments");
  // the engine's own word, not only what JS was told
  if (!SameEngine(version) || !SameEngine(v8::V8::GetVersion())) return Refuse(env, "built for another V8 version");
  const CoreLink *link = reinterpret_cast<const CoreLink *>(static_cast<uintptr_t>(address));
  if (!link || link->version != CORE_LINK_VERSION || link->size != sizeof(CoreLink) ||
      link->state_size != sizeof(State) || link->plan_size != sizeof(Plan))
    return Refuse(env, "built from other sources than the core");
  if (accel_env) return Refuse(env, "already attached in this environment");
  {
    StaticsLock statics;
    if (core && (core->regcall_execute != link->regcall_execute || core->plan_execute_ffi != link->plan_execute_ffi))
      return Refuse(env, "already attached to another core");
    if (!core) {
      core_functions = *link;
      core_functions.st = nullptr;  // (an environment's own: from its link only)
      core_functions.js_slots = nullptr;
      __atomic_store_n(&core, &core_functions, __ATOMIC_RELEASE);
    }
  }
  AccelEnv *a = Create<AccelEnv>();
  if (!a) return Refuse(env, "out of memory");
  a->link = link;
  a->st = link->st;
  a->slots = link->js_slots;
  napi_value entries, counters;
  if (napi_set_instance_data(env, a, FreeEnv, nullptr) != napi_ok) {
    Destroy(a);
    return nullptr;
  }
  if (napi_create_object(env, &entries) != napi_ok) return nullptr;
  accel_env = a;
  accel_state = a->st;
  a->slots->fast_plans = &a->st->plans;
  // the word where V8 names the C function a fast API call is running (its offset is V8's public
  // constant for this version)
  a->st->plans.fast_call_target = reinterpret_cast<const volatile uintptr_t *>(
      reinterpret_cast<uintptr_t>(v8::Isolate::GetCurrent()) + v8::internal::Internals::kIsolateFastApiCallTargetOffset);
  StaticsLock statics;
  if (RegisterEntries(env, entries) != napi_ok || RegisterTyped(env, entries) != napi_ok ||
      napi_create_function(env, "counters", NAPI_AUTO_LENGTH, Counters, a, &counters) != napi_ok ||
      napi_set_named_property(env, entries, "counters", counters) != napi_ok)
    return Refuse(env, "could not make its entries");
  // callbacks reach JS through V8's API too, when none was made yet
  napi_value held;
  napi_get_boolean(env, link->set_callback_ops(a->st, &kV8CallbackOps) != 0, &held);
  napi_set_named_property(env, entries, "v8Callbacks", held);
  return entries;
}

}  // namespace
}  // namespace tsctypes

// The core's out-of-line functions that the inline call path (regcall.h) and the entries
// use, reached through the link.
extern "C" {
void regcall_execute(const Plan *p, uint8_t *slab) { tsctypes::core->regcall_execute(p, slab); }
void plan_execute_ffi(const Plan *p, uint8_t *slab) { tsctypes::core->plan_execute_ffi(p, slab); }
const char *plan_refusal(const PlanTable *t, int32_t id, char *message, size_t size) {
  return tsctypes::core->plan_refusal(t, id, message, size);
}
napi_value take_pending(napi_env env, State *st) { return tsctypes::core->take_pending(env, st); }
void plan_guard_update(PlanTable *t, Plan *p) { tsctypes::core->plan_guard_update(t, p); }
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "attach", NAPI_AUTO_LENGTH, tsctypes::Attach, nullptr, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "attach", fn) != napi_ok)
    return nullptr;
  return exports;
}
