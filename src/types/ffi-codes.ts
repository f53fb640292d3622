/** libffi type codes shared with native/tsctypes.h. Aggregates get codes >= STRUCT_BASE at registration. */
export const enum FfiCode {
  Void = 0,
  Uint8 = 1,
  Sint8 = 2,
  Uint16 = 3,
  Sint16 = 4,
  Uint32 = 5,
  Sint32 = 6,
  Uint64 = 7,
  Sint64 = 8,
  Float = 9,
  Double = 10,
  LongDouble = 11,
  Pointer = 12,
  StructBase = 100,
}
