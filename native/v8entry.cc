// The thinnest entry for a call: `invoke` as a plain V8 FunctionCallback, where
// the engine is V8 (DESIGN.md, the call path step 3). It does exactly what the
// Node-API `invoke` in invoke.c does, minus the Node-API wrapper around the call.
// The Node-API entry remains for engines without V8's API (TSCTYPES_ENTRY=napi).
#include "v8entry.h"

#include <cstdio>
#include <cstring>

namespace tsctypes {

namespace {
void Deliver(v8::Isolate *isolate, State *st, Delivery how, v8::Local<v8::Value> exception) {
  napi_value box;
  if (how == Delivery::kDefer && st->thrown_box && napi_get_reference_value(st->env, st->thrown_box, &box) == napi_ok &&
      box) {
    v8::Local<v8::Value> local;
    std::memcpy(static_cast<void *>(&local), &box, sizeof box);
    if (local.As<v8::Array>()->Set(isolate->GetCurrentContext(), 0, exception).FromMaybe(false)) {
      int32_t one = 1;
      std::memcpy(st->slab + SLAB_THROWN, &one, sizeof one);
      return;
    }
  }
  isolate->ThrowException(exception);
}
}  // namespace

void Throw(v8::Isolate *isolate, State *st, Delivery how, const char *code, const char *message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> text = v8::String::NewFromUtf8(isolate, message).ToLocalChecked();
  v8::Local<v8::Value> error = v8::Exception::Error(text);
  error.As<v8::Object>()->Set(context, v8::String::NewFromUtf8(isolate, "code").ToLocalChecked(),
                              v8::String::NewFromUtf8(isolate, code).ToLocalChecked()).Check();
  Deliver(isolate, st, how, error);
}

__attribute__((noinline)) void ThrowRefusal(v8::Isolate *isolate, State *st, Delivery how, int32_t id) {
  char message[600];
  const char *code = plan_refusal(st, id, message, sizeof message);
  Throw(isolate, st, how, code, message);
}

int RethrowPending(v8::Isolate *isolate, State *st, Delivery how) {
  if (!st->pending_error) return 0;
  napi_value thrown = take_pending(st->env, st);
  if (!thrown) return 0;
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void *>(&local), &thrown, sizeof thrown);  // (Node's napi_value is a V8 local handle)
  Deliver(isolate, st, how, local);
  return 1;
}

napi_value NewFunction(State *st, v8::FunctionCallback slow, const v8::CFunction *fast, int length) {
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  if (!isolate) return nullptr;
  if (fast) tsc_thread.fast_state = st;
  v8::Local<v8::FunctionTemplate> tmpl =
      v8::FunctionTemplate::New(isolate, slow, v8::External::New(isolate, st), v8::Local<v8::Signature>(), length,
                                v8::ConstructorBehavior::kThrow, v8::SideEffectType::kHasSideEffect, fast);
  v8::Local<v8::Function> fn;
  if (!tmpl->GetFunction(isolate->GetCurrentContext()).ToLocal(&fn)) return nullptr;
  return reinterpret_cast<napi_value>(*fn);
}

namespace {

#if TSCTYPES_V8_FAST_API
// FastInvoke while callbacks are open, or declining.
__attribute__((noinline)) void FastInvokeGuarded(State *st, int32_t id, v8::FastApiCallbackOptions &options) {
  const Plan *p = FastGuarded(st, id);
  if (!p) {
    options.fallback = true;  // the ordinary entry reports the error, or runs a call that may re-enter JS
    return;
  }
  st->fast_calls++;
  GuardedScope guarded(st, p);
  plan_run_unmarked(p, st->slab);
}

// The V8 fast API entry: TurboFan-optimized code calls this directly, with no
// handle scope or callback info (~4 ns). It must never run JS, so it declines
// (V8 then runs Invoke below) while any callback is open, unless the function was
// declared { reentrant: false }, and whenever something would need to throw.
TSC_NO_FRAME void FastInvoke(v8::Local<v8::Value> receiver, v8::FastApiCallbackOptions &options) {
  (void)receiver;
  State *st = tsc_thread.fast_state;
  int32_t id;
  std::memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  const Plan *p = FastPlan(st, id);
  if (__builtin_expect(!p, 0)) return FastInvokeGuarded(st, id, options);
  st->fast_calls++;
  // no callback can run JS or wait for this thread: no stuck-callback bookkeeping
  tsc_thread.fast_running = id;
  plan_run_unmarked(p, st->slab);
  tsc_thread.fast_running = 0;
}

// writeString's fast version: a Latin-1 string straight into the slab as UTF-8.
int32_t FastWriteString(v8::Local<v8::Value> receiver, const v8::FastOneByteString &text, int32_t offset,
                        int32_t capacity, v8::FastApiCallbackOptions &options) {
  (void)receiver;
  State *st = tsc_thread.fast_state;
  if (offset < 0 || capacity < 0 || (size_t)offset + (size_t)capacity > st->slab_size) {
    options.fallback = true;  // the slow version reports it
    return 0;
  }
  if ((int64_t)text.length * 2 > capacity) {
    options.fallback = true;  // may not fit: the slow version measures exactly
    return 0;
  }
  st->fast_strings++;
  const uint8_t *in = reinterpret_cast<const uint8_t *>(text.data);
  uint8_t *out = st->slab + offset;
  uint32_t i = 0;
  int32_t n = 0;
  for (; i + 8 <= text.length; i += 8, n += 8) {  // ASCII runs, 8 bytes at a time
    uint64_t word;
    std::memcpy(&word, in + i, 8);
    if (word & 0x8080808080808080ULL) break;
    std::memcpy(out + n, &word, 8);
  }
  for (; i < text.length; i++) {
    uint8_t c = in[i];
    if (c < 0x80) {
      out[n++] = c;
    } else {  // U+0080..U+00FF: two bytes
      out[n++] = (uint8_t)(0xC0 | (c >> 6));
      out[n++] = (uint8_t)(0x80 | (c & 0x3F));
    }
  }
  return n;
}
#endif

// writeString(text, offset, capacity): `text` as UTF-8 (lone surrogates become U+FFFD, as
// TextEncoder does) into the slab at `offset`, at most `capacity` bytes, no NUL. Returns the
// bytes written, or -1 if they did not fit.
void WriteString(const v8::FunctionCallbackInfo<v8::Value> &info) {
  State *st = static_cast<State *>(info.Data().As<v8::External>()->Value());
  v8::Isolate *isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  int32_t offset, capacity;
  if (info.Length() != 3 || !info[0]->IsString() || !info[1]->Int32Value(context).To(&offset) ||
      !info[2]->Int32Value(context).To(&capacity) || offset < 0 || capacity < 0 ||
      (size_t)offset + (size_t)capacity > st->slab_size) {
    Throw(isolate, st, Delivery::kThrow, "ERR_INVALID_ARG_TYPE", "writeString(text, offset, capacity): bad arguments");
    return;
  }
  v8::Local<v8::String> text = info[0].As<v8::String>();
  int written = 0;
  if (text->Utf8Length(isolate) <= capacity)
    written = text->WriteUtf8(isolate, reinterpret_cast<char *>(st->slab + offset), capacity, nullptr,
                              v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  else
    written = -1;
  info.GetReturnValue().Set(written);
}

// The slab entry's V8 callback; kDefer when it is a fast API function's ordinary callback.
template <Delivery kHow>
void Invoke(const v8::FunctionCallbackInfo<v8::Value> &info) {
  State *st = static_cast<State *>(info.Data().As<v8::External>()->Value());
  int32_t id;
  std::memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  const Plan *p = plan_for_call(st, id);
  if (__builtin_expect(!p, 0)) return ThrowRefusal(info.GetIsolate(), st, kHow, id);
  plan_run_blocking(st, p);
  if (__builtin_expect(st->pending_error != nullptr, 0)) RethrowPending(info.GetIsolate(), st, kHow);
}

}  // namespace
}  // namespace tsctypes

// A V8 function for `invoke`, as a napi_value (Node's napi_value is a V8 local handle).
// `fast`: with the V8 fast API entry as well (NULL where this V8 is not verified for it).
extern "C" napi_value make_v8_invoke(napi_env env, State *st, int fast) {
  (void)env;
  using namespace tsctypes;
  const v8::CFunction *c_function = nullptr;
#if TSCTYPES_V8_FAST_API
  using Type = v8::CTypeInfo::Type;
  static const v8::CTypeInfo args[] = {v8::CTypeInfo(Type::kV8Value), v8::CTypeInfo(v8::CTypeInfo::kCallbackOptionsType)};
  static const v8::CFunctionInfo signature(v8::CTypeInfo(Type::kVoid), 2, args);
  static const v8::CFunction function(reinterpret_cast<const void *>(&FastInvoke), &signature);
  c_function = &function;
#endif
  if (fast && !c_function) return nullptr;
  if (fast) return NewFunction(st, Invoke<Delivery::kDefer>, c_function, 0);
  return NewFunction(st, Invoke<Delivery::kThrow>, nullptr, 0);
}

// writeString as a V8 function, with its fast API version where this V8 is verified for it.
extern "C" napi_value make_v8_write_string(napi_env env, State *st) {
  (void)env;
  using namespace tsctypes;
  const v8::CFunction *c_function = nullptr;
#if TSCTYPES_V8_FAST_API
  using Type = v8::CTypeInfo::Type;
  static const v8::CTypeInfo args[] = {v8::CTypeInfo(Type::kV8Value), v8::CTypeInfo(Type::kSeqOneByteString),
                                       v8::CTypeInfo(Type::kInt32), v8::CTypeInfo(Type::kInt32),
                                       v8::CTypeInfo(v8::CTypeInfo::kCallbackOptionsType)};
  static const v8::CFunctionInfo signature(v8::CTypeInfo(Type::kInt32), 5, args);
  static const v8::CFunction function(reinterpret_cast<const void *>(&FastWriteString), &signature);
  c_function = &function;
#endif
  return NewFunction(st, WriteString, c_function, 3);
}

// A JS function held weakly for C: cheaper to reach than a napi_ref (no Node-API
// wrapper, no reference-count bookkeeping).
struct HeldFunction {
  v8::Global<v8::Function> fn;
};

extern "C" HeldFunction *v8_hold_weak(napi_value fn) {
  v8::Local<v8::Value> value;
  std::memcpy(static_cast<void *>(&value), &fn, sizeof fn);
  if (value.IsEmpty() || !value->IsFunction()) return nullptr;
  HeldFunction *held = new HeldFunction();
  held->fn.Reset(v8::Isolate::GetCurrent(), value.As<v8::Function>());
  held->fn.SetWeak();  // emptied when the function is collected
  return held;
}

extern "C" void v8_release(HeldFunction *held) { delete held; }  // (the Global's destructor resets it)

extern "C" int v8_call_held(HeldFunction *held, napi_env env, void (*on_throw)(napi_env, napi_value, void *), void *ctx) {
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  if (held->fn.IsEmpty()) return -1;
  v8::Local<v8::Function> fn = held->fn.Get(isolate);
  v8::TryCatch try_catch(isolate);
  if (!fn->Call(isolate->GetCurrentContext(), v8::Undefined(isolate), 0, nullptr).IsEmpty()) return 1;
  if (try_catch.HasCaught() && try_catch.CanContinue()) {
    v8::Local<v8::Value> thrown = try_catch.Exception();
    try_catch.Reset();  // handled here: the caller rethrows it later from the call that led into C
    on_throw(env, reinterpret_cast<napi_value>(*thrown), ctx);
  }
  return 0;  // (a terminating thread, e.g. a worker's exit, leaves nothing to rethrow)
}
