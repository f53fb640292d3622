/**
 * JS value <-> C scalar conversion rules (docs/api.md "Fundamental types"), shared by
 * memory access and the call marshaller. Integers wrap modulo 2^bits like C;
 * a non-integer for an integer type is a TypeError.
 */
import { describeValue } from "../errors";

const TWO_32 = 4294967296;

/** The integer value of `v` for a `bits`-wide type, wrapped; throws TypeError naming `what`. */
export function toInt32Bits(v: unknown, bits: number, signed: boolean, what: string): number {
  let n: number;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`${what}: expected an integer, got ${describeValue(v)}`);
    n = v;
  } else if (typeof v === "bigint") {
    n = Number(BigInt.asIntN(32, v));
  } else {
    throw new TypeError(`${what}: expected an integer (number or bigint), got ${describeValue(v)}`);
  }
  switch (bits) {
    case 8:
      return signed ? (n << 24) >> 24 : n & 0xff;
    case 16:
      return signed ? (n << 16) >> 16 : n & 0xffff;
    default:
      return signed ? n | 0 : n >>> 0;
  }
}

/** 64-bit integer as bigint, wrapped. */
export function toBigInt64(v: unknown, signed: boolean, what: string): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`${what}: expected an integer, got ${describeValue(v)}`);
    b = BigInt(v);
  } else throw new TypeError(`${what}: expected an integer (number or bigint), got ${describeValue(v)}`);
  return signed ? BigInt.asIntN(64, b) : BigInt.asUintN(64, b);
}

/** Low and high 32-bit halves (both as uint32) of a 64-bit integer given as number or bigint, wrapped mod 2^64. */
export function splitInt64(v: unknown, what: string): [lo: number, hi: number] {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new TypeError(`${what}: expected an integer, got ${describeValue(v)}`);
    return [v >>> 0, Math.floor(v / TWO_32) >>> 0];
  }
  if (typeof v === "bigint") {
    const u = BigInt.asUintN(64, v);
    return [Number(u & 0xffffffffn), Number(u >> 32n)];
  }
  throw new TypeError(`${what}: expected an integer (number or bigint), got ${describeValue(v)}`);
}

/** Combine halves into a number; RangeError when it is not exact (naming the 64-bit type to use). */
export function joinInt64(lo: number, hi: number, signed: boolean, typeName: string, alternative: string): number {
  // hi as uint32. The rule is the predictable one: |value| <= 2^53, where every
  // integer is exact; anything beyond throws even if that one value happens to be representable.
  const h = signed && hi >= 0x80000000 ? hi - TWO_32 : hi;
  if (h >= -0x200000 && (h < 0x200000 || (h === 0x200000 && lo === 0))) return h * TWO_32 + lo;
  throw rangeError(typeName, alternative, BigInt(h) * 4294967296n + BigInt(lo));
}

function rangeError(typeName: string, alternative: string, value: bigint): RangeError {
  return new RangeError(`${typeName} value ${value} cannot be represented exactly as a number; declare it as ${alternative} to get a bigint`);
}

export function toFloat(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw new TypeError(`${what}: expected a number, got ${describeValue(v)}`);
}

/** c_char: a one-character string whose code is a byte, or an integer (wrapped to a byte). */
export function toCharCode(v: unknown, what: string): number {
  if (typeof v === "string") {
    if (v.length !== 1 || v.charCodeAt(0) > 0xff)
      throw new TypeError(`${what}: expected a one-character string (code 0-255), got ${describeValue(v)}`);
    return v.charCodeAt(0);
  }
  if (typeof v === "number" || typeof v === "bigint") return toInt32Bits(v, 8, false, what);
  if (v instanceof Uint8Array && v.length === 1) return v[0]!;
  throw new TypeError(`${what}: expected a one-character string, got ${describeValue(v)}`);
}

/** c_wchar: a one-character string (one code point). */
export function toWcharCode(v: unknown, what: string, wcharSize: number): number {
  if (typeof v === "string") {
    const cp = v.codePointAt(0);
    const units = cp !== undefined && cp > 0xffff ? 2 : 1;
    if (cp === undefined || v.length !== units || (wcharSize === 2 && cp > 0xffff))
      throw new TypeError(`${what}: expected a one-character string, got ${describeValue(v)}`);
    return cp;
  }
  if (typeof v === "number" && Number.isInteger(v)) return wcharSize === 2 ? v & 0xffff : v >>> 0;
  throw new TypeError(`${what}: expected a one-character string, got ${describeValue(v)}`);
}

export function wcharToString(code: number): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
}
