// bench_v8fast.cc — the floor: functions that V8 calls through its fast API.
//
// Each exported function has two entries, as V8's fast API calls want:
//   - a fast C function (v8::CFunction) that optimized code (TurboFan) calls
//     directly, with the arguments already unboxed to C types and the
//     result boxed by V8 itself: no handles, no conversion calls, nothing
//     between the JS call site and the C function but a call instruction;
//   - an ordinary v8::FunctionCallback for everything else (the interpreter,
//     baseline code, arguments the fast path can't take), doing the same work
//     with the usual V8 conversions.
// No FFI can be cheaper than this: it is what a call costs when V8 knows the
// C signature at compile time.
//
// Both entries count their calls (fastCounts()/slowCounts(), one slot per
// function), and bench/contenders/v8fast.js checks after every measurement
// that the fast entry took (nearly) all of them, so a floor that silently
// ran the slow callback is reported as an error instead of a number.
//
// Node 20 does not install V8's v8-fast-api-calls.h; native/v8-fast-api.h
// declares the subset needed, checked against V8 11.3 only
// (TSCTYPES_V8_FAST_API is 0 elsewhere, and then this addon exports
// fastApi: false and no functions, and the contender reports itself
// unavailable).
//
// JS: noop(), add_i32(a, b), add_f64(a, b), add_f32(a, b), fastCounts(),
// slowCounts() (each a Float64Array copy: noop, add_i32, add_f64, add_f32),
// fastApi (boolean).
//
// The callback floor: set_callback(fn), then call_cb(x) runs the C
// call_cb(trampoline, x), whose static trampoline calls fn through V8's API
// (a v8::Global kept by set_callback, an int argument, an int result). A fast
// call must not run JS, so call_cb is an ordinary v8::FunctionCallback: this
// is the least a C-to-JS round trip costs through V8's public API.
//
// Not here: int64 (V8 11.3's fast API takes and returns int64 as Numbers
// only, not bigints), pointers to typed arrays and strings (their fast-API
// types are not in the subset header).

#include <node.h>
#include <v8.h>

#include <cstdint>

#include "../../native/v8/v8-fast-api.h"
#include "benchlib.h"

namespace {

enum Slot { kNoop, kAddI32, kAddF64, kAddF32, kSlots };
double fast_count[kSlots];
double slow_count[kSlots];

#if TSCTYPES_V8_FAST_API

// --- fast entries: the receiver first, then the C arguments ---------------

void FastNoop(v8::Local<v8::Value> receiver) {
  fast_count[kNoop]++;
  noop();
}

int32_t FastAddI32(v8::Local<v8::Value> receiver, int32_t a, int32_t b) {
  fast_count[kAddI32]++;
  return add_i32(a, b);
}

double FastAddF64(v8::Local<v8::Value> receiver, double a, double b) {
  fast_count[kAddF64]++;
  return add_f64(a, b);
}

float FastAddF32(v8::Local<v8::Value> receiver, float a, float b) {
  fast_count[kAddF32]++;
  return add_f32(a, b);
}

// --- slow entries: the same work with ordinary V8 conversions ---------------

// Argument k as a double (NaN for a non-number, as C would get garbage anyway).
double NumberArg(const v8::FunctionCallbackInfo<v8::Value> &info, int k) {
  v8::Local<v8::Value> v = info[k];
  return v->IsNumber() ? v.As<v8::Number>()->Value() : v->NumberValue(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

int32_t Int32Arg(const v8::FunctionCallbackInfo<v8::Value> &info, int k) {
  v8::Local<v8::Value> v = info[k];
  return v->IsInt32() ? v.As<v8::Int32>()->Value() : v->Int32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

void SlowNoop(const v8::FunctionCallbackInfo<v8::Value> &info) {
  slow_count[kNoop]++;
  noop();
}

void SlowAddI32(const v8::FunctionCallbackInfo<v8::Value> &info) {
  slow_count[kAddI32]++;
  info.GetReturnValue().Set(add_i32(Int32Arg(info, 0), Int32Arg(info, 1)));
}

void SlowAddF64(const v8::FunctionCallbackInfo<v8::Value> &info) {
  slow_count[kAddF64]++;
  info.GetReturnValue().Set(add_f64(NumberArg(info, 0), NumberArg(info, 1)));
}

void SlowAddF32(const v8::FunctionCallbackInfo<v8::Value> &info) {
  slow_count[kAddF32]++;
  info.GetReturnValue().Set(static_cast<double>(add_f32(static_cast<float>(NumberArg(info, 0)), static_cast<float>(NumberArg(info, 1)))));
}

// --- signatures ---------------------------------------------------------------

using Type = v8::CTypeInfo::Type;
const v8::CTypeInfo kVoid(Type::kVoid), kReceiver(Type::kV8Value), kInt32(Type::kInt32), kFloat64(Type::kFloat64),
    kFloat32(Type::kFloat32);

const v8::CTypeInfo noop_args[] = {kReceiver};
const v8::CTypeInfo i32_args[] = {kReceiver, kInt32, kInt32};
const v8::CTypeInfo f64_args[] = {kReceiver, kFloat64, kFloat64};
const v8::CTypeInfo f32_args[] = {kReceiver, kFloat32, kFloat32};

const v8::CFunctionInfo noop_info(kVoid, 1, noop_args);
const v8::CFunctionInfo add_i32_info(kInt32, 3, i32_args);
const v8::CFunctionInfo add_f64_info(kFloat64, 3, f64_args);
const v8::CFunctionInfo add_f32_info(kFloat32, 3, f32_args);

const v8::CFunction noop_fast(reinterpret_cast<const void *>(&FastNoop), &noop_info);
const v8::CFunction add_i32_fast(reinterpret_cast<const void *>(&FastAddI32), &add_i32_info);
const v8::CFunction add_f64_fast(reinterpret_cast<const void *>(&FastAddF64), &add_f64_info);
const v8::CFunction add_f32_fast(reinterpret_cast<const void *>(&FastAddF32), &add_f32_info);

// exports[name] = a function with both entries.
void Export(v8::Local<v8::Object> exports, v8::Local<v8::Context> context, const char *name,
            v8::FunctionCallback slow, const v8::CFunction *fast, int length) {
  v8::Isolate *isolate = context->GetIsolate();
  v8::Local<v8::FunctionTemplate> tmpl =
      v8::FunctionTemplate::New(isolate, slow, v8::Local<v8::Value>(), v8::Local<v8::Signature>(), length,
                                v8::ConstructorBehavior::kThrow, v8::SideEffectType::kHasSideEffect, fast);
  v8::Local<v8::Function> fn = tmpl->GetFunction(context).ToLocalChecked();
  v8::Local<v8::String> key = v8::String::NewFromUtf8(isolate, name).ToLocalChecked();
  fn->SetName(key);
  exports->Set(context, key, fn).Check();
}

// --- the callback floor ---------------------------------------------------------

// Never destroyed: a static v8::Global's destructor would run after the isolate is gone.
v8::Global<v8::Function> &callback_fn = *new v8::Global<v8::Function>();

int CallbackTrampoline(int x) {
  v8::Isolate *isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> arg = v8::Integer::New(isolate, x);
  v8::Local<v8::Value> result;
  if (!callback_fn.Get(isolate)->Call(context, v8::Undefined(isolate), 1, &arg).ToLocal(&result)) return 0;
  return result->Int32Value(context).FromMaybe(0);
}

void SetCallback(const v8::FunctionCallbackInfo<v8::Value> &info) {
  if (info.Length() < 1 || !info[0]->IsFunction()) {
    info.GetIsolate()->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(info.GetIsolate(), "set_callback: fn must be a function")));
    return;
  }
  callback_fn.Reset(info.GetIsolate(), info[0].As<v8::Function>());
}

void CallCb(const v8::FunctionCallbackInfo<v8::Value> &info) {
  // (an exception thrown by fn stays pending and reaches JS when this returns)
  info.GetReturnValue().Set(call_cb(CallbackTrampoline, Int32Arg(info, 0)));
}

#endif  // TSCTYPES_V8_FAST_API

// A Float64Array copy of one of the counters.
void CopyCounts(const v8::FunctionCallbackInfo<v8::Value> &info, const double *counts) {
  v8::Isolate *isolate = info.GetIsolate();
  v8::Local<v8::ArrayBuffer> buf = v8::ArrayBuffer::New(isolate, sizeof(double) * kSlots);
  double *out = static_cast<double *>(buf->Data());
  for (int k = 0; k < kSlots; k++) out[k] = counts[k];
  info.GetReturnValue().Set(v8::Float64Array::New(buf, 0, kSlots));
}

void FastCounts(const v8::FunctionCallbackInfo<v8::Value> &info) { CopyCounts(info, fast_count); }
void SlowCounts(const v8::FunctionCallbackInfo<v8::Value> &info) { CopyCounts(info, slow_count); }

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  v8::Isolate *isolate = context->GetIsolate();
  exports->Set(context, v8::String::NewFromUtf8Literal(isolate, "fastApi"), v8::Boolean::New(isolate, TSCTYPES_V8_FAST_API != 0))
      .Check();
  NODE_SET_METHOD(exports, "fastCounts", FastCounts);
  NODE_SET_METHOD(exports, "slowCounts", SlowCounts);
#if TSCTYPES_V8_FAST_API
  Export(exports, context, "noop", SlowNoop, &noop_fast, 0);
  Export(exports, context, "add_i32", SlowAddI32, &add_i32_fast, 2);
  Export(exports, context, "add_f64", SlowAddF64, &add_f64_fast, 2);
  Export(exports, context, "add_f32", SlowAddF32, &add_f32_fast, 2);
  NODE_SET_METHOD(exports, "set_callback", SetCallback);
  NODE_SET_METHOD(exports, "call_cb", CallCb);
#endif
}
