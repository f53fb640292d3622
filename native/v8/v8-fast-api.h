// The few types of V8's fast API calls that the accelerator needs, declared here because
// Node does not install v8-fast-api-calls.h with its headers (nodejs/node#43619). Their
// layouts changed between versions, so each verified version is listed with what it has;
// TSCTYPES_V8_FAST_API is 0 for every other version, and the accelerator then offers its
// plain V8 entries only. What was checked, per version (V8's v8-fast-api-calls.h, and for
// 13.6 and 14.6 the exported symbols and constructors of Node 24's and 26's own binaries):
//
//                 CTypeInfo                 CFunctionInfo(ret, argc, args[, repr])  FastApiCallbackOptions
//   11.3 Node 20  {type, sequence, flags}   no Int64Representation                  {fallback, data, wasm_memory}
//   12.4 Node 22  {type, sequence, flags}   repr (uint8_t) at offset 3               {fallback, data, wasm_memory}
//   13.6 Node 24  {type, sequence, flags}   repr at offset 3                         {isolate, data}: no fallback
//   14.6 Node 26  {type, flags}             repr at offset 2                         {isolate, data}: no fallback
//
// Type values (kVoid 0 ... kFloat64 8, kV8Value 10, kSeqOneByteString 11) are the same in
// all four. The accelerator's fast functions take no FastApiCallbackOptions (so neither
// `fallback` nor `isolate` matters): one that cannot run a call declines through the slab
// (THROWN_DECLINED) and the marshaller runs it again through a plain entry. The receiver
// arrives as a Local (one pointer) in every version. To verify another version, compare
// against its v8-fast-api-calls.h (or its binary) and run test/fastapi.test.mjs under it.
#ifndef TSCTYPES_V8_FAST_API_H
#define TSCTYPES_V8_FAST_API_H

#include <cstddef>
#include <cstdint>
#include <v8.h>
#include <v8-version.h>

#define TSCTYPES_V8_IS(major, minor) (V8_MAJOR_VERSION == (major) && V8_MINOR_VERSION == (minor))
#if TSCTYPES_V8_IS(11, 3)
#define TSCTYPES_V8_FAST_API 1
#define TSCTYPES_CTYPE_SEQUENCE 1    // CTypeInfo has the sequence-type byte
#define TSCTYPES_CFUNCTION_REPR 0    // CFunctionInfo has an Int64Representation
#elif TSCTYPES_V8_IS(12, 4) || TSCTYPES_V8_IS(13, 6)
#define TSCTYPES_V8_FAST_API 1
#define TSCTYPES_CTYPE_SEQUENCE 1
#define TSCTYPES_CFUNCTION_REPR 1
#elif TSCTYPES_V8_IS(14, 6)
#define TSCTYPES_V8_FAST_API 1
#define TSCTYPES_CTYPE_SEQUENCE 0
#define TSCTYPES_CFUNCTION_REPR 1
#else
#define TSCTYPES_V8_FAST_API 0
#endif

#if TSCTYPES_V8_FAST_API
namespace v8 {

// One argument's or the result's type.
class CTypeInfo {
 public:
  enum class Type : uint8_t {
    kVoid, kBool, kUint8, kInt32, kUint32, kInt64, kUint64, kFloat32, kFloat64,
    kPointer, kV8Value, kSeqOneByteString, kApiObject, kAny,
  };
  enum class Flags : uint8_t { kNone = 0 };

#if TSCTYPES_CTYPE_SEQUENCE
  enum class SequenceType : uint8_t { kScalar };
  explicit constexpr CTypeInfo(Type type) : type_(type), sequence_type_(SequenceType::kScalar), flags_(Flags::kNone) {}
#else
  explicit constexpr CTypeInfo(Type type) : type_(type), flags_(Flags::kNone) {}
#endif

 private:
  Type type_;
#if TSCTYPES_CTYPE_SEQUENCE
  SequenceType sequence_type_;
#endif
  Flags flags_;
};
static_assert(sizeof(CTypeInfo) == 2 + TSCTYPES_CTYPE_SEQUENCE, "CTypeInfo layout");

// A fast function's signature: its result type and argument types, the receiver first.
class V8_EXPORT CFunctionInfo {
 public:
#if TSCTYPES_CFUNCTION_REPR
  // (declared nested, as V8 does: the exported constructor's symbol names it so)
  enum class Int64Representation : uint8_t { kNumber = 0, kBigInt = 1 };
  CFunctionInfo(const CTypeInfo &return_info, unsigned int arg_count, const CTypeInfo *arg_info,
                Int64Representation repr = Int64Representation::kNumber);
#else
  CFunctionInfo(const CTypeInfo &return_info, unsigned int arg_count, const CTypeInfo *arg_info);
#endif

 private:
  const CTypeInfo return_info_;
#if TSCTYPES_CFUNCTION_REPR
  const Int64Representation repr_;
#endif
  const unsigned int arg_count_;
  const CTypeInfo *arg_info_;
  friend struct CFunctionInfoLayout;
};

struct CFunctionInfoLayout {
  static_assert(sizeof(CFunctionInfo) == 16, "CFunctionInfo layout");
  static_assert(offsetof(CFunctionInfo, arg_count_) == 4 && offsetof(CFunctionInfo, arg_info_) == 8, "CFunctionInfo layout");
#if TSCTYPES_CFUNCTION_REPR
  static_assert(offsetof(CFunctionInfo, repr_) == sizeof(CTypeInfo), "CFunctionInfo layout");
#endif
};

// A fast function: its address and signature, handed to FunctionTemplate::New.
class V8_EXPORT CFunction {
 public:
  CFunction(const void *address, const CFunctionInfo *type_info);

 private:
  const void *address_;
  const CFunctionInfo *type_info_;
};
static_assert(sizeof(CFunction) == 16, "CFunction layout");

// A sequential one-byte (Latin-1) string argument, as V8 hands it to a fast function.
struct FastOneByteString {
  const char *data;
  uint32_t length;
};

}  // namespace v8
#endif  // TSCTYPES_V8_FAST_API

#endif
