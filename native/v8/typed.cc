// Typed entries: for signatures of int32-class and floating-point scalars only, one V8
// fast API function per argument shape that takes the C arguments themselves: the plan
// id, then the integer-class arguments, then the floating-point ones (the TypeScript
// side puts them in this order; each class keeps its own order, which is all the C
// calling conventions look at for register arguments). Optimized code passes them in
// registers and gets the C result back in one, so the call touches no slab and loads
// no register map: this is how close to a hand-written fast API function a call gets.
//
// Which shape a signature uses is decided in src/abi/ (typed-entry eligibility). Integer-class
// arguments arrive already converted and sign- or zero-extended to 32 bits (as the
// ABIs want for narrower types); an integer result comes back as its low 32 bits and
// JS narrows it. Like the slab's fast entry, a typed fast call runs only the plans FastTarget
// allows and declines the others; the marshaller then calls the shape's plain function (no
// fast API) with the same arguments.
#include "accel.h"

#include <array>
#include <type_traits>
#include <utility>

namespace tsctypes {
#if TSCTYPES_V8_FAST_API
namespace {

using Type = v8::CTypeInfo::Type;

template <size_t, typename T>
using Repeat = T;

template <typename T>
constexpr Type TypeOf() {
  if constexpr (std::is_void_v<T>) return Type::kVoid;
  else if constexpr (std::is_same_v<T, int32_t>) return Type::kInt32;
  else if constexpr (std::is_same_v<T, float>) return Type::kFloat32;
  else return Type::kFloat64;
}

// Argument k as the ordinary entry gets it (numbers the marshaller already converted).
// Out of line, like SlowPlan: the ordinary entries of all shapes share them.
__attribute__((noinline)) int32_t IntArg(const v8::FunctionCallbackInfo<v8::Value> &info, int k) {
  v8::Local<v8::Value> v = info[k];
  return v->IsInt32() ? v.As<v8::Int32>()->Value() : v->Int32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

__attribute__((noinline)) double NumberArg(const v8::FunctionCallbackInfo<v8::Value> &info, int k) {
  v8::Local<v8::Value> v = info[k];
  return v->IsNumber() ? v.As<v8::Number>()->Value() : v->NumberValue(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

template <typename T>
T Arg(const v8::FunctionCallbackInfo<v8::Value> &info, int k) {
  if constexpr (std::is_same_v<T, int32_t>) return IntArg(info, k);
  else return static_cast<T>(NumberArg(info, k));
}

// The ordinary entry's plan for a call with `nargs` C arguments, or NULL with an error thrown.
template <Delivery kHow>
__attribute__((noinline)) const Plan *SlowPlan(const v8::FunctionCallbackInfo<v8::Value> &info, AccelEnv *env, int nargs) {
  if (info.Length() != 1 + nargs) {
    Throw(info.GetIsolate(), env, kHow, "ERR_INVALID_ARG_TYPE", "tsctypes: a typed entry got the wrong number of arguments");
    return nullptr;
  }
  int32_t id = IntArg(info, 0);
  const Plan *p = plan_for_call(&env->st->plans, id);
  if (!p) ThrowRefusal(info.GetIsolate(), env, kHow, id);
  return p;
}

template <typename R, typename F, typename IntIndices, typename FloatIndices>
struct Typed;

// How the target is called. Variadic after the integer-class arguments, for doubles: the
// caller then sets AL (vector registers used) as an x86-64 variadic callee needs, which
// matters when a variadic C function is called without declared argtypes; register
// assignment is the same as for named parameters. Floats stay named: the variadic part
// would promote them to double (and C passes no float to a variadic function anyway).
template <typename R, typename F, typename IntIndices, typename FloatIndices>
struct TargetOf;
template <typename R, size_t... I, size_t... J>
struct TargetOf<R, double, std::index_sequence<I...>, std::index_sequence<J...>> {
  using type = R (*)(Repeat<I, int32_t>..., ...);
};
template <typename R, size_t... I, size_t... J>
struct TargetOf<R, float, std::index_sequence<I...>, std::index_sequence<J...>> {
  using type = R (*)(Repeat<I, int32_t>..., Repeat<J, float>...);
};

template <typename R, typename F, size_t... I, size_t... J>
struct Typed<R, F, std::index_sequence<I...>, std::index_sequence<J...>> {
  using Target = typename TargetOf<R, F, std::index_sequence<I...>, std::index_sequence<J...>>::type;
  static constexpr int kArgs = sizeof...(I) + sizeof...(J);

  static R Run(AccelEnv *env, const Plan *p, Repeat<I, int32_t>... a, Repeat<J, F>... b) {
    BlockingScope blocking(env, p);
    return reinterpret_cast<Target>(p->fn)(a..., b...);
  }

  // Names the plan (for a callback C reaches during the call, the crash report and another
  // thread's report) and jumps to its C function: nothing runs after it, so a callback's error
  // is handed to the marshaller by the core (slab_mark_pending).
  // Floating-point arguments come as doubles even for float: V8's own float32 argument
  // conversion cost 1.7 ns more per call than this function's cvtsd2ss (V8 13.6 and 14.6,
  // add_f32 5.2 vs 3.5 ns); both round to nearest, as the slow entry's cast does.
  TSC_NO_FRAME static R Fast(v8::Local<v8::Value> receiver, int32_t id, Repeat<I, int32_t>... a, Repeat<J, double>... b) {
    (void)receiver;
    State *st = accel_state;
    void *fn = FastTarget(&st->plans, id);
    if (__builtin_expect(!fn, 0)) {
      Decline(st);
      return R();
    }
    accel_typed_calls++;
    __atomic_store_n(&st->plans.fast_running, id, __ATOMIC_RELAXED);
    return reinterpret_cast<Target>(fn)(a..., static_cast<F>(b)...);
  }

  // The ordinary entry (kDefer: of the fast function, for the interpreter and unoptimized
  // code; kThrow: the plain function a declined fast call is run again through).
  template <Delivery kHow>
  static void Slow(const v8::FunctionCallbackInfo<v8::Value> &info) {
    AccelEnv *env = accel_env;
    const Plan *p = SlowPlan<kHow>(info, env, kArgs);
    if (!p) return;
    v8::Isolate *isolate = info.GetIsolate();
    if constexpr (std::is_void_v<R>) {
      Run(env, p, Arg<int32_t>(info, 1 + I)..., Arg<F>(info, 1 + sizeof...(I) + J)...);
      RethrowPending(isolate, env, kHow);
    } else {
      R r = Run(env, p, Arg<int32_t>(info, 1 + I)..., Arg<F>(info, 1 + sizeof...(I) + J)...);
      if (RethrowPending(isolate, env, kHow)) return;
      if constexpr (std::is_same_v<R, int32_t>) info.GetReturnValue().Set(r);
      else info.GetReturnValue().Set(static_cast<double>(r));
    }
  }

  // [fast function, plain function]
  static napi_value Make(napi_env napi) {
    static const v8::CTypeInfo args[] = {v8::CTypeInfo(Type::kV8Value), v8::CTypeInfo(Type::kInt32),
                                         v8::CTypeInfo(((void)I, Type::kInt32))...,
                                         v8::CTypeInfo(((void)J, Type::kFloat64))...};
    static const v8::CFunctionInfo signature(v8::CTypeInfo(TypeOf<R>()), 2 + kArgs, args);
    static const v8::CFunction function(reinterpret_cast<const void *>(&Fast), &signature);
    plan_note_fast_fn(&accel_state->plans, reinterpret_cast<const void *>(&Fast));
    napi_value pair, fast = NewFunction(Slow<Delivery::kDefer>, &function, 1 + kArgs),
                     plain = NewFunction(Slow<Delivery::kThrow>, nullptr, 1 + kArgs);
    if (!fast || !plain || napi_create_array_with_length(napi, 2, &pair) != napi_ok ||
        napi_set_element(napi, pair, 0, fast) != napi_ok || napi_set_element(napi, pair, 1, plain) != napi_ok)
      return nullptr;
    return pair;
  }
};

// Shapes: up to 6 arguments, at most 4 of them floating-point (all float or all double);
// results void, int32-class, float or double.
constexpr size_t kMaxInts = 6, kMaxFloats = 4, kMaxArgs = 6;
using Maker = napi_value (*)(napi_env);

template <typename R, typename F, size_t K, size_t M>
napi_value MakeShape(napi_env env) {
  if constexpr (K + M > kMaxArgs) return nullptr;
  else if constexpr (M == 0 && !std::is_same_v<F, double>) return MakeShape<R, double, K, 0>(env);  // one per int count
  else return Typed<R, F, std::make_index_sequence<K>, std::make_index_sequence<M>>::Make(env);
}

template <typename R, typename F, size_t... KM>
constexpr std::array<Maker, sizeof...(KM)> ShapeTable(std::index_sequence<KM...>) {
  return {&MakeShape<R, F, KM / (kMaxFloats + 1), KM % (kMaxFloats + 1)>...};
}

template <typename R, typename F>
constexpr std::array<Maker, (kMaxInts + 1) * (kMaxFloats + 1)> kShapes =
    ShapeTable<R, F>(std::make_index_sequence<(kMaxInts + 1) * (kMaxFloats + 1)>());

template <typename F>
Maker ShapeFor(uint32_t ret, size_t index) {
  switch (ret) {
    case TYPED_RET_VOID: return kShapes<void, F>[index];
    case TYPED_RET_INT32: return kShapes<int32_t, F>[index];
    case TYPED_RET_FLOAT: return kShapes<float, F>[index];
    default: return kShapes<double, F>[index];
  }
}

// typedEntry(ints, floats, floatKind, ret): [fast, plain] functions for that shape
// (floatKind: TYPED_FLOAT_*; ret: TYPED_RET_*), or undefined where there is none.
napi_value TypedEntry(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  uint32_t v[4];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  for (size_t k = 0; k < 4; k++)
    if (k >= argc || napi_get_value_uint32(env, argv[k], &v[k]) != napi_ok)
      return napi_throw_error(env, "ERR_INVALID_ARG_TYPE", "typedEntry(ints, floats, floatKind, ret): bad arguments"), nullptr;
  napi_value fn = nullptr;
  if (v[0] <= kMaxInts && v[1] <= kMaxFloats && v[2] <= TYPED_FLOAT_FLOAT && v[3] <= TYPED_RET_DOUBLE) {
    size_t index = v[0] * (kMaxFloats + 1) + v[1];
    StaticsLock statics;
    Maker make = v[2] == TYPED_FLOAT_FLOAT ? ShapeFor<float>(v[3], index) : ShapeFor<double>(v[3], index);
    fn = make(env);
  }
  if (fn) return fn;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

}  // namespace
#endif

// entries.typedEntry where V8's fast API is verified (elsewhere the slab entries serve every call).
napi_status RegisterTyped(napi_env env, napi_value entries) {
#if TSCTYPES_V8_FAST_API
  napi_value fn;
  napi_status s = napi_create_function(env, "typedEntry", NAPI_AUTO_LENGTH, TypedEntry, nullptr, &fn);
  return s == napi_ok ? napi_set_named_property(env, entries, "typedEntry", fn) : s;
#else
  (void)env; (void)entries;
  return napi_ok;
#endif
}

}  // namespace tsctypes
