// Typed entries: for signatures of int32-class and floating-point scalars only, one V8
// fast API function per argument shape that takes the C arguments themselves: the plan
// id, then the integer-class arguments, then the floating-point ones (the TypeScript
// side puts them in this order; each class keeps its own order, which is all the C
// calling conventions look at for register arguments). Optimized code passes them in
// registers and gets the C result back in one, so the call touches no slab and loads
// no register map: this is how close to a hand-written fast API function a call gets.
//
// Which shape a signature uses is decided in src/call/compile.ts. Integer-class
// arguments arrive already converted and sign- or zero-extended to 32 bits (as the
// ABIs want for narrower types); an integer result comes back as its low 32 bits and
// JS narrows it. Like the slab's fast entry, a typed fast call declines while callbacks
// are open unless the function was declared { reentrant: false }.
#include "v8entry.h"

#include <array>
#include <type_traits>
#include <utility>

#if TSCTYPES_V8_FAST_API
namespace tsctypes {
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
__attribute__((noinline)) const Plan *SlowPlan(const v8::FunctionCallbackInfo<v8::Value> &info, int nargs) {
  State *st = static_cast<State *>(info.Data().As<v8::External>()->Value());
  if (info.Length() != 1 + nargs) {
    Throw(info.GetIsolate(), st, Delivery::kDefer, "ERR_INVALID_ARG_TYPE", "tsctypes: a typed entry got the wrong number of arguments");
    return nullptr;
  }
  int32_t id = IntArg(info, 0);
  const Plan *p = plan_for_call(st, id);
  if (!p) ThrowRefusal(info.GetIsolate(), st, Delivery::kDefer, id);
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

  static R Run(State *st, const Plan *p, Repeat<I, int32_t>... a, Repeat<J, F>... b) {
    BlockingScope blocking(st, p);
    return reinterpret_cast<Target>(p->fn)(a..., b...);
  }

  // Callbacks are open (or the call must decline): kept out of the fast function's way.
  __attribute__((noinline)) static R Guarded(State *st, int32_t id, Repeat<I, int32_t>... a, Repeat<J, F>... b,
                                             v8::FastApiCallbackOptions &options) {
    const Plan *p = FastGuarded(st, id);
    if (!p) {
      options.fallback = true;
      return R();
    }
    st->typed_calls++;
    GuardedScope guarded(st, p);
    return reinterpret_cast<Target>(p->fn)(a..., b...);
  }

  TSC_NO_FRAME static R Fast(v8::Local<v8::Value> receiver, int32_t id, Repeat<I, int32_t>... a, Repeat<J, F>... b,
                v8::FastApiCallbackOptions &options) {
    (void)receiver;
    State *st = tsc_thread.fast_state;
    void *fn = FastTarget(st, id);
    if (__builtin_expect(!fn, 0)) return Guarded(st, id, a..., b..., options);
    st->typed_calls++;
    struct FastRunning {  // (nothing nests inside a fast call: no outer plan to restore)
      explicit FastRunning(int32_t id) { tsc_thread.fast_running = id; }
      ~FastRunning() { tsc_thread.fast_running = 0; }
    } running(id);
    return reinterpret_cast<Target>(fn)(a..., b...);
  }

  // The ordinary entry: the interpreter, unoptimized code, and fast calls that declined.
  static void Slow(const v8::FunctionCallbackInfo<v8::Value> &info) {
    const Plan *p = SlowPlan(info, kArgs);
    if (!p) return;
    State *st = static_cast<State *>(info.Data().As<v8::External>()->Value());
    v8::Isolate *isolate = info.GetIsolate();
    if constexpr (std::is_void_v<R>) {
      Run(st, p, Arg<int32_t>(info, 1 + I)..., Arg<F>(info, 1 + sizeof...(I) + J)...);
      RethrowPending(isolate, st, Delivery::kDefer);
    } else {
      R r = Run(st, p, Arg<int32_t>(info, 1 + I)..., Arg<F>(info, 1 + sizeof...(I) + J)...);
      if (RethrowPending(isolate, st, Delivery::kDefer)) return;
      if constexpr (std::is_same_v<R, int32_t>) info.GetReturnValue().Set(r);
      else info.GetReturnValue().Set(static_cast<double>(r));
    }
  }

  static napi_value Make(State *st) {
    static const v8::CTypeInfo args[] = {v8::CTypeInfo(Type::kV8Value), v8::CTypeInfo(Type::kInt32),
                                         v8::CTypeInfo(((void)I, Type::kInt32))...,
                                         v8::CTypeInfo(((void)J, TypeOf<F>()))...,
                                         v8::CTypeInfo(v8::CTypeInfo::kCallbackOptionsType)};
    static const v8::CFunctionInfo signature(v8::CTypeInfo(TypeOf<R>()), 3 + kArgs, args);
    static const v8::CFunction function(reinterpret_cast<const void *>(&Fast), &signature);
    return NewFunction(st, Slow, &function, 1 + kArgs);
  }
};

// Shapes: up to 6 arguments, at most 4 of them floating-point (all float or all double);
// results void, int32-class, float or double.
constexpr size_t kMaxInts = 6, kMaxFloats = 4, kMaxArgs = 6;
using Maker = napi_value (*)(State *);

template <typename R, typename F, size_t K, size_t M>
napi_value MakeShape(State *st) {
  if constexpr (K + M > kMaxArgs) return nullptr;
  else if constexpr (M == 0 && !std::is_same_v<F, double>) return MakeShape<R, double, K, 0>(st);  // one per int count
  else return Typed<R, F, std::make_index_sequence<K>, std::make_index_sequence<M>>::Make(st);
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
    case 0: return kShapes<void, F>[index];
    case 1: return kShapes<int32_t, F>[index];
    case 2: return kShapes<float, F>[index];
    default: return kShapes<double, F>[index];
  }
}

// typedEntry(ints, floats, floatKind, ret): the typed entry for that shape (floatKind 0:
// double, 1: float; ret 0: void, 1: int32-class, 2: float, 3: double), or undefined
// where there is none.
napi_value TypedEntry(napi_env env, napi_callback_info info) {
  State *st;
  size_t argc = 4;
  napi_value argv[4];
  uint32_t v[4];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, reinterpret_cast<void **>(&st)) != napi_ok) return nullptr;
  for (size_t k = 0; k < 4; k++)
    if (k >= argc || napi_get_value_uint32(env, argv[k], &v[k]) != napi_ok)
      return throw_error(env, "ERR_INVALID_ARG_TYPE", "typedEntry(ints, floats, floatKind, ret): bad arguments");
  napi_value fn = nullptr;
  if (v[0] <= kMaxInts && v[1] <= kMaxFloats && v[2] <= 1 && v[3] <= 3) {
    size_t index = v[0] * (kMaxFloats + 1) + v[1];
    Maker make = v[2] ? ShapeFor<float>(v[3], index) : ShapeFor<double>(v[3], index);
    fn = make(st);
  }
  if (fn) return fn;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

}  // namespace
}  // namespace tsctypes
#endif

// Exports typedEntry where V8's fast API is verified (elsewhere the slab entries serve every call).
extern "C" napi_status register_typed(napi_env env, napi_value exports, State *st) {
#if TSCTYPES_V8_FAST_API
  napi_property_descriptor prop = {"typedEntry", nullptr, tsctypes::TypedEntry, nullptr, nullptr, nullptr, napi_default, st};
  return napi_define_properties(env, exports, 1, &prop);
#else
  (void)env; (void)exports; (void)st;
  return napi_ok;
#endif
}
