/**
 * The platform's C ABI facts, read from the native core (which was compiled by
 * the platform's C compiler). Everything ABI-specific that is not a size lives in
 * tables here, so a new platform is a table entry.
 */
import { native } from "../native";
import * as os from "node:os";

export const LITTLE_ENDIAN = os.endianness() === "LE";
export const POINTER_SIZE = native.pointerSize;
export const LONG_SIZE = native.longSize;
export const WCHAR_SIZE = native.wcharSize;

/** How `long double` is stored: x87 80-bit extended (x86), IEEE binary128 (AArch64 Linux), or plain double (MSVC, Apple arm64). */
export type LongDoubleFormat = "x87" | "binary128" | "double";
export const LONG_DOUBLE_SIZE = native.longDoubleSize;
export const LONG_DOUBLE_ALIGN = native.longDoubleAlign;
export const LONG_DOUBLE_FORMAT: LongDoubleFormat =
  native.longDoubleMantissaBits === 64 ? "x87" : native.longDoubleMantissaBits === 113 ? "binary128" : "double";

/** Alignment of 8-byte scalars inside structs (4 on i386 SysV; 8 everywhere we build today). */
export const INT64_ALIGN = 8;
