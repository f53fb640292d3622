// The few types of V8's fast API calls that an addon needs, declared here because
// Node does not install v8-fast-api-calls.h with its headers (nodejs/node#43619).
// The layouts and enum values below were checked against one V8 version only:
// TSCTYPES_V8_FAST_API is 1 there and 0 everywhere else, and users of this header
// must fall back to ordinary V8 functions when it is 0. To verify another version,
// compare against that version's include/v8-fast-api-calls.h and run
// test/fastapi.test.mjs under it (it proves the fast function is really called).
#ifndef TSCTYPES_V8_FAST_API_H
#define TSCTYPES_V8_FAST_API_H

#include <v8.h>
#include <v8-version.h>

#if V8_MAJOR_VERSION == 11 && V8_MINOR_VERSION == 3  // Node 20
#define TSCTYPES_V8_FAST_API 1
#else
#define TSCTYPES_V8_FAST_API 0
#endif

#if TSCTYPES_V8_FAST_API
namespace v8 {

// One argument's or the result's type: three bytes (type, sequence kind, flags).
class CTypeInfo {
 public:
  enum class Type : uint8_t {
    kVoid, kBool, kUint8, kInt32, kUint32, kInt64, kUint64, kFloat32, kFloat64,
    kPointer, kV8Value, kSeqOneByteString, kApiObject, kAny,
  };
  // Marks a trailing FastApiCallbackOptions& parameter.
  static constexpr Type kCallbackOptionsType = Type(255);
  enum class SequenceType : uint8_t { kScalar, kIsSequence, kIsTypedArray, kIsArrayBuffer };
  enum class Flags : uint8_t { kNone = 0 };

  explicit constexpr CTypeInfo(Type type, SequenceType sequence = SequenceType::kScalar, Flags flags = Flags::kNone)
      : type_(type), sequence_type_(sequence), flags_(flags) {}

 private:
  Type type_;
  SequenceType sequence_type_;
  Flags flags_;
};

// A fast function's signature: its result type and argument types, the receiver first.
class V8_EXPORT CFunctionInfo {
 public:
  CFunctionInfo(const CTypeInfo &return_info, unsigned int arg_count, const CTypeInfo *arg_info);

 private:
  const CTypeInfo return_info_;
  const unsigned int arg_count_;
  const CTypeInfo *arg_info_;
};

// A fast function: its address and signature, handed to FunctionTemplate::New.
class V8_EXPORT CFunction {
 public:
  CFunction(const void *address, const CFunctionInfo *type_info);

 private:
  const void *address_;
  const CFunctionInfo *type_info_;
};

// A sequential one-byte (Latin-1) string argument, as V8 hands it to a fast function.
struct FastOneByteString {
  const char *data;
  uint32_t length;
};

// The last parameter of a fast function that may decline a call: setting
// `fallback` makes V8 run the ordinary (slow) callback for this call instead.
struct FastApiCallbackOptions {
  bool fallback;
  uintptr_t data;
  const void *wasm_memory;
};

}  // namespace v8
#endif  // TSCTYPES_V8_FAST_API

#endif
