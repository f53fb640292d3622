// The slab entries as V8 functions: `invokeV8`, a plain FunctionCallback (it does what the
// core's Node-API `invoke` does, minus the Node-API wrapper), and `invokeFast`, the same
// with V8's fast API entry that optimized code calls directly; and the fast string writer.
#include "accel.h"

namespace tsctypes {

__thread AccelEnv *accel_env __attribute__((tls_model("initial-exec"))) = nullptr;
__thread State *accel_state __attribute__((tls_model("initial-exec"))) = nullptr;
__thread uint64_t accel_typed_calls __attribute__((tls_model("initial-exec"))) = 0;

namespace {
void Deliver(v8::Isolate *isolate, AccelEnv *env, Delivery how, v8::Local<v8::Value> exception) {
  State *st = env->st;
  napi_value box;
  if (how == Delivery::kDefer && st->thrown_box && napi_get_reference_value(st->env, st->thrown_box, &box) == napi_ok &&
      box) {
    v8::Local<v8::Value> local;
    std::memcpy(static_cast<void *>(&local), &box, sizeof box);  // (Node's napi_value is a V8 local handle)
    if (local.As<v8::Array>()->Set(isolate->GetCurrentContext(), 0, exception).FromMaybe(false)) {
      int32_t box_set = THROWN_BOX;
      std::memcpy(st->slab + SLAB_THROWN, &box_set, sizeof box_set);
      return;
    }
  }
  isolate->ThrowException(exception);
}
}  // namespace

void Throw(v8::Isolate *isolate, AccelEnv *env, Delivery how, const char *code, const char *message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> text = v8::String::NewFromUtf8(isolate, message).ToLocalChecked();
  v8::Local<v8::Value> error = v8::Exception::Error(text);
  error.As<v8::Object>()->Set(context, v8::String::NewFromUtf8(isolate, "code").ToLocalChecked(),
                              v8::String::NewFromUtf8(isolate, code).ToLocalChecked()).Check();
  Deliver(isolate, env, how, error);
}

__attribute__((noinline)) void ThrowRefusal(v8::Isolate *isolate, AccelEnv *env, Delivery how, int32_t id) {
  char message[600];
  const char *code = plan_refusal(&env->st->plans, id, message, sizeof message);
  Throw(isolate, env, how, code, message);
}

int RethrowPending(v8::Isolate *isolate, AccelEnv *env, Delivery how) {
  State *st = env->st;
  if (!st->pending_error) return 0;
  napi_value thrown = take_pending(st->env, st);
  if (!thrown) return 0;
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void *>(&local), &thrown, sizeof thrown);
  Deliver(isolate, env, how, local);
  return 1;
}

napi_value NewFunction(v8::FunctionCallback slow, const v8::CFunction *fast, int length) {
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  if (!isolate) return nullptr;
  v8::Local<v8::FunctionTemplate> tmpl =
      v8::FunctionTemplate::New(isolate, slow, v8::Local<v8::Value>(), v8::Local<v8::Signature>(), length,
                                v8::ConstructorBehavior::kThrow, v8::SideEffectType::kHasSideEffect, fast);
  v8::Local<v8::Function> fn;
  if (!tmpl->GetFunction(isolate->GetCurrentContext()).ToLocal(&fn)) return nullptr;
  return reinterpret_cast<napi_value>(*fn);
}

namespace {

// The slab entry's V8 callback; kDefer when it is a fast API function's ordinary callback.
template <Delivery kHow>
void Invoke(const v8::FunctionCallbackInfo<v8::Value> &info) {
  AccelEnv *env = accel_env;
  State *st = env->st;
  int32_t id;
  std::memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  const Plan *p = plan_for_call(&st->plans, id);
  if (__builtin_expect(!p, 0)) return ThrowRefusal(info.GetIsolate(), env, kHow, id);
  call_run_blocking(st, env->slots, p);
  if (__builtin_expect(st->pending_error != nullptr, 0)) RethrowPending(info.GetIsolate(), env, kHow);
}

#if TSCTYPES_V8_FAST_API
// The V8 fast API entry: optimized code calls this directly, with no handle scope or
// callback info. It must never run JS: it runs only plans FastTarget allows, and it declines
// whenever something would need to throw.
TSC_NO_FRAME void FastInvoke(v8::Local<v8::Value> receiver) {
  (void)receiver;
  AccelEnv *env = accel_env;
  State *st = env->st;
  int32_t id;
  std::memcpy(&id, st->slab + SLAB_PLAN_ID, sizeof id);
  if (__builtin_expect(!FastTarget(&st->plans, id), 0)) return Decline(env);
  env->fast_calls++;
  FastScope scope(env, id);
  call_run(st->plans.plans[id], st->slab);
}

// writeString's fast version: a Latin-1 string straight into the slab as UTF-8. Returns the
// bytes written, or -1 (not written: the caller encodes it itself).
int32_t FastWriteString(v8::Local<v8::Value> receiver, const v8::FastOneByteString &text, int32_t offset, int32_t capacity) {
  (void)receiver;
  AccelEnv *env = accel_env;
  State *st = env->st;
  if (offset < 0 || capacity < 0 || (size_t)offset + (size_t)capacity > st->slab_size) return -1;
  if ((int64_t)text.length * 2 > capacity) return -1;  // may not fit
  env->fast_strings++;
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

// rethrowPending(): throws the core's pending error (what a fast call left: THROWN_PENDING).
void RethrowPendingEntry(const v8::FunctionCallbackInfo<v8::Value> &info) {
  RethrowPending(info.GetIsolate(), accel_env, Delivery::kThrow);
}

// writeString's ordinary callback (strings the fast version does not take): not written.
void WriteStringDeclined(const v8::FunctionCallbackInfo<v8::Value> &info) { info.GetReturnValue().Set(-1); }

napi_status Put(napi_env env, napi_value entries, const char *name, napi_value fn) {
  return fn ? napi_set_named_property(env, entries, name, fn) : napi_generic_failure;
}

}  // namespace

// entries.invokeV8, and where V8's fast API is verified, invokeFast and writeString.
napi_status RegisterEntries(napi_env env, napi_value entries) {
  napi_status s = Put(env, entries, "invokeV8", NewFunction(Invoke<Delivery::kThrow>, nullptr, 0));
  if (s == napi_ok) s = Put(env, entries, "rethrowPending", NewFunction(RethrowPendingEntry, nullptr, 0));
#if TSCTYPES_V8_FAST_API
  using Type = v8::CTypeInfo::Type;
  static const v8::CTypeInfo invoke_args[] = {v8::CTypeInfo(Type::kV8Value)};
  static const v8::CFunctionInfo invoke_signature(v8::CTypeInfo(Type::kVoid), 1, invoke_args);
  static const v8::CFunction invoke_fast(reinterpret_cast<const void *>(&FastInvoke), &invoke_signature);
  if (s == napi_ok) s = Put(env, entries, "invokeFast", NewFunction(Invoke<Delivery::kDefer>, &invoke_fast, 0));
  plan_note_fast_fn(&accel_state->plans, reinterpret_cast<const void *>(&FastInvoke));
  static const v8::CTypeInfo write_args[] = {v8::CTypeInfo(Type::kV8Value), v8::CTypeInfo(Type::kSeqOneByteString),
                                             v8::CTypeInfo(Type::kInt32), v8::CTypeInfo(Type::kInt32)};
  static const v8::CFunctionInfo write_signature(v8::CTypeInfo(Type::kInt32), 4, write_args);
  static const v8::CFunction write_fast(reinterpret_cast<const void *>(&FastWriteString), &write_signature);
  if (s == napi_ok) s = Put(env, entries, "writeString", NewFunction(WriteStringDeclined, &write_fast, 3));
#endif
  return s;
}

}  // namespace tsctypes
