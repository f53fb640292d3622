/**
 * The fundamental C types: name, kind, size and alignment on this platform.
 * Sizes come from the native core's own `sizeof`, so LP64 vs LLP64 is not a
 * special case anywhere else.
 */
import { FfiCode } from "./ffi-codes";
import type { TypeKind } from "./ctype";
import { LONG_DOUBLE_ALIGN, LONG_DOUBLE_SIZE, LONG_SIZE, POINTER_SIZE, WCHAR_SIZE } from "./platform";

export interface SimpleSpec {
  readonly name: string;
  readonly kind: TypeKind;
  readonly size: number;
  readonly align: number;
  readonly ffi: number;
  readonly bits?: number;
  readonly signed?: boolean;
  readonly exactAlternative?: string;
}

function intCode(size: number, signed: boolean): number {
  switch (size) {
    case 1:
      return signed ? FfiCode.Sint8 : FfiCode.Uint8;
    case 2:
      return signed ? FfiCode.Sint16 : FfiCode.Uint16;
    case 4:
      return signed ? FfiCode.Sint32 : FfiCode.Uint32;
    default:
      return signed ? FfiCode.Sint64 : FfiCode.Uint64;
  }
}

/**
 * Fixed-width types that are a base type on every supported platform (LP64 and LLP64): in C `int32_t`
 * is `int`, so c_int32 and c_int are one C type (in Python's ctypes they are the same object). Not
 * listed, so distinct: c_int64 (`long` on Linux, `long long` on macOS and Windows), c_size_t,
 * c_ssize_t and c_time_t (`long` or `long long` by platform).
 */
const SAME_C_TYPE: Readonly<Record<string, string>> = {
  c_int8: "c_byte",
  c_uint8: "c_ubyte",
  c_int16: "c_short",
  c_uint16: "c_ushort",
  c_int32: "c_int",
  c_uint32: "c_uint",
};

/** The type object name whose C type `name` is (TypeInfo.ctype). */
export function cTypeOf(name: string): string {
  return SAME_C_TYPE[name] ?? name;
}

/** An integer type: up to 32 bits -> number; 64-bit explicit -> bigint; pointer-sized -> exact number. */
function int(name: string, size: number, signed: boolean, mode: "number" | "bigint" | "intptr"): SimpleSpec {
  const kind: TypeKind = size < 8 ? "int" : mode === "bigint" ? "int64" : "intptr";
  const spec: SimpleSpec = { name, kind, size, align: size, ffi: intCode(size, signed), bits: size * 8, signed };
  return kind === "intptr" ? { ...spec, exactAlternative: signed ? "c_int64" : "c_uint64" } : spec;
}

export const SIMPLE_SPECS: readonly SimpleSpec[] = [
  { name: "c_bool", kind: "bool", size: 1, align: 1, ffi: FfiCode.Uint8 },
  { name: "c_char", kind: "char", size: 1, align: 1, ffi: FfiCode.Sint8 },
  { name: "c_wchar", kind: "wchar", size: WCHAR_SIZE, align: WCHAR_SIZE, ffi: intCode(WCHAR_SIZE, WCHAR_SIZE === 4) },
  int("c_byte", 1, true, "number"),
  int("c_ubyte", 1, false, "number"),
  int("c_short", 2, true, "number"),
  int("c_ushort", 2, false, "number"),
  int("c_int", 4, true, "number"),
  int("c_uint", 4, false, "number"),
  int("c_long", LONG_SIZE, true, "intptr"),
  int("c_ulong", LONG_SIZE, false, "intptr"),
  int("c_longlong", 8, true, "bigint"),
  int("c_ulonglong", 8, false, "bigint"),
  int("c_size_t", POINTER_SIZE, false, "intptr"),
  int("c_ssize_t", POINTER_SIZE, true, "intptr"),
  int("c_time_t", 8, true, "intptr"),
  int("c_int8", 1, true, "number"),
  int("c_uint8", 1, false, "number"),
  int("c_int16", 2, true, "number"),
  int("c_uint16", 2, false, "number"),
  int("c_int32", 4, true, "number"),
  int("c_uint32", 4, false, "number"),
  int("c_int64", 8, true, "bigint"),
  int("c_uint64", 8, false, "bigint"),
  { name: "c_float", kind: "float", size: 4, align: 4, ffi: FfiCode.Float },
  { name: "c_double", kind: "double", size: 8, align: 8, ffi: FfiCode.Double },
  { name: "c_longdouble", kind: "longdouble", size: LONG_DOUBLE_SIZE, align: LONG_DOUBLE_ALIGN, ffi: FfiCode.LongDouble },
  { name: "c_char_p", kind: "charp", size: POINTER_SIZE, align: POINTER_SIZE, ffi: FfiCode.Pointer },
  { name: "c_wchar_p", kind: "wcharp", size: POINTER_SIZE, align: POINTER_SIZE, ffi: FfiCode.Pointer },
  { name: "c_void_p", kind: "voidp", size: POINTER_SIZE, align: POINTER_SIZE, ffi: FfiCode.Pointer },
];
