/**
 * The platform's C ABI facts, read from the native core (which was compiled by
 * the platform's C compiler). Everything ABI-specific that is not a size lives in
 * tables here, so a new platform is a table entry.
 */
import { constants } from "../native";
import * as os from "node:os";

export const LITTLE_ENDIAN = os.endianness() === "LE";
export const POINTER_SIZE = constants.sizes.pointer;
export const LONG_SIZE = constants.sizes.long;
export const WCHAR_SIZE = constants.sizes.wchar;

/** How `long double` is stored: x87 80-bit extended (x86), IEEE binary128 (AArch64 Linux), or plain double (MSVC, Apple arm64). */
export type LongDoubleFormat = "x87" | "binary128" | "double";
export const LONG_DOUBLE_SIZE = constants.sizes.longDouble;
export const LONG_DOUBLE_ALIGN = constants.sizes.longDoubleAlign;
const mantissa = constants.sizes.longDoubleMantissaBits;
export const LONG_DOUBLE_FORMAT: LongDoubleFormat = mantissa === 64 ? "x87" : mantissa === 113 ? "binary128" : "double";
