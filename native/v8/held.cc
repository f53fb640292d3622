// Callbacks' JS unmarshallers held and called through V8's API: cheaper than Node-API's
// references (no wrapper, no reference-count bookkeeping) and its heap-allocated handle
// scopes. The core uses these instead of its Node-API ones once the accelerator attached.
#include "accel.h"

namespace tsctypes {
namespace {

struct Held {
  v8::Global<v8::Function> fn;
};

void *Hold(napi_env env, napi_value fn) {
  (void)env;
  v8::Local<v8::Value> value;
  std::memcpy(static_cast<void *>(&value), &fn, sizeof fn);
  if (value.IsEmpty() || !value->IsFunction()) return nullptr;
  Held *held = Create<Held>();
  if (!held) return nullptr;
  held->fn.Reset(v8::Isolate::GetCurrent(), value.As<v8::Function>());
  held->fn.SetWeak();  // emptied when the function is collected
  return held;
}

void Release(napi_env env, void *held) {
  (void)env;
  Destroy(static_cast<Held *>(held));  // (the Global's destructor resets it)
}

int Call(void *h, napi_env env, void (*on_throw)(napi_env, napi_value, void *), void *ctx) {
  Held *held = static_cast<Held *>(h);
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  if (held->fn.IsEmpty()) return -1;
  v8::Local<v8::Function> fn = held->fn.Get(isolate);
  v8::TryCatch try_catch(isolate);
  if (!fn->Call(isolate->GetCurrentContext(), v8::Undefined(isolate), 0, nullptr).IsEmpty()) return 1;
  if (try_catch.HasCaught() && try_catch.CanContinue()) {
    v8::Local<v8::Value> thrown = try_catch.Exception();
    try_catch.Reset();  // handled here: the core rethrows it later from the call that led into C
    on_throw(env, reinterpret_cast<napi_value>(*thrown), ctx);
  }
  return 0;  // (a terminating thread, e.g. a worker's exit, leaves nothing to rethrow)
}

}  // namespace

const CallbackOps kV8CallbackOps = {Hold, Call, Release};

}  // namespace tsctypes
