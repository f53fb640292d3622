/**
 * The C spellings of the fundamental types and the tsctypes type each maps to
 * (by name in data/simple's table). Keyword combinations are canonicalised by
 * the parser ("long unsigned int" -> "unsigned long"); the standard typedef
 * names (<stdint.h>, <stddef.h>, ...) are known without being declared.
 */

/** canonical keyword type -> simple type name */
export const KEYWORD_TYPES: Readonly<Record<string, string>> = {
  char: "c_char",
  "signed char": "c_byte",
  "unsigned char": "c_ubyte",
  short: "c_short",
  "unsigned short": "c_ushort",
  int: "c_int",
  "unsigned int": "c_uint",
  long: "c_long",
  "unsigned long": "c_ulong",
  "long long": "c_longlong",
  "unsigned long long": "c_ulonglong",
  float: "c_float",
  double: "c_double",
  "long double": "c_longdouble",
  _Bool: "c_bool",
};

/** standard typedef name -> simple type name (only names whose size is the same on every supported platform or has a type of its own) */
export const STANDARD_TYPEDEFS: Readonly<Record<string, string>> = {
  int8_t: "c_int8",
  uint8_t: "c_uint8",
  int16_t: "c_int16",
  uint16_t: "c_uint16",
  int32_t: "c_int32",
  uint32_t: "c_uint32",
  int64_t: "c_int64",
  uint64_t: "c_uint64",
  int_least8_t: "c_int8",
  uint_least8_t: "c_uint8",
  int_least16_t: "c_int16",
  uint_least16_t: "c_uint16",
  int_least32_t: "c_int32",
  uint_least32_t: "c_uint32",
  int_least64_t: "c_int64",
  uint_least64_t: "c_uint64",
  intmax_t: "c_int64",
  uintmax_t: "c_uint64",
  size_t: "c_size_t",
  ssize_t: "c_ssize_t",
  ptrdiff_t: "c_ssize_t",
  intptr_t: "c_ssize_t",
  uintptr_t: "c_size_t",
  time_t: "c_time_t",
  wchar_t: "c_wchar",
  char16_t: "c_uint16",
  char32_t: "c_uint32",
  // GCC's interchange float names, as glibc's headers use them (strtof32, ...)
  _Float32: "c_float",
  _Float64: "c_double",
  _Float32x: "c_double",
  _Float64x: "c_longdouble",
};

type KeywordCounts = Readonly<Record<string, number>>;

/** The canonical name of a combination of type keywords ("long unsigned int" -> "unsigned long"), or null if C rejects it. */
export function canonicalKeywordType(counts: KeywordCounts): string | null {
  const n = (k: string) => counts[k] ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const signed = n("signed"), unsigned = n("unsigned"), long = n("long");
  if (signed + unsigned > 1 || long > 2) return null;
  for (const k of ["char", "short", "int", "float", "double", "void", "_Bool"]) if (n(k) > 1) return null;
  const alone = (k: string) => (total === 1 ? k : null);
  if (n("void")) return alone("void");
  if (n("_Bool")) return alone("_Bool");
  if (n("float")) return alone("float");
  if (n("double")) return total === 1 ? "double" : total === 2 && long === 1 ? "long double" : null;
  if (n("char")) return total === 1 ? "char" : total === 2 && (signed || unsigned) ? (signed ? "signed char" : "unsigned char") : null;
  const u = unsigned ? "unsigned " : "";
  if (n("short")) return long ? null : `${u}short`;
  if (long === 2) return `${u}long long`;
  if (long === 1) return `${u}long`;
  return `${u}int`;
}
