/**
 * `long double` <-> JS number. JS numbers are IEEE doubles, so values round to
 * the nearest double on the way in from C; the way out is exact.
 * Formats: x87 80-bit extended (explicit integer bit) and IEEE binary128.
 */
import type { LongDoubleFormat } from "./platform";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LE ? 0 : 1;
const HI = LE ? 1 : 0;

/** Write `value` as a long double at `offset` (little-endian byte order of the platform assumed for x87). */
export function storeLongDouble(view: DataView, offset: number, value: number, format: LongDoubleFormat, le: boolean): void {
  if (format === "double") {
    view.setFloat64(offset, value, le);
    return;
  }
  f64[0] = value;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const sign = hi >>> 31;
  let exp = (hi >>> 20) & 0x7ff;
  let mantHi = hi & 0xfffff; // 20 bits
  let mantLo = lo; // 32 bits
  let outExp: number;
  if (exp === 0x7ff) outExp = 0x7fff; // inf / nan: keep the payload
  else if (exp === 0 && mantHi === 0 && mantLo === 0) outExp = 0;
  else {
    if (exp === 0) {
      // subnormal double: normalise (always normal in the wider formats)
      exp = 1;
      while ((mantHi & 0x100000) === 0) {
        mantHi = ((mantHi << 1) | (mantLo >>> 31)) >>> 0;
        mantLo = (mantLo << 1) >>> 0;
        exp--;
      }
      mantHi &= 0xfffff;
    }
    outExp = exp - 1023 + 16383;
  }
  // 52 fraction bits as (mantHi:20, mantLo:32)
  if (format === "x87") {
    // 64-bit significand with explicit integer bit: 1.fraction << 11
    const integerBit = outExp === 0 ? 0 : 1;
    const sigHi = ((integerBit << 31) | (mantHi << 11) | (mantLo >>> 21)) >>> 0;
    const sigLo = (mantLo << 11) >>> 0;
    view.setUint32(offset + (le ? 0 : 4), sigLo, le);
    view.setUint32(offset + (le ? 4 : 0), sigHi, le);
    view.setUint16(offset + 8, (sign << 15) | outExp, le);
    for (let i = 10; i < 16; i++) view.setUint8(offset + i, 0);
    return;
  }
  // binary128: 1 sign, 15 exponent, 112 fraction; top 52 fraction bits from the double
  const w3 = ((sign << 31) | (outExp << 16) | (mantHi >>> 4)) >>> 0;
  const w2 = (((mantHi & 0xf) << 28) | (mantLo >>> 4)) >>> 0;
  const w1 = (mantLo << 28) >>> 0;
  const words = [0, w1, w2, w3]; // least significant first
  for (let i = 0; i < 4; i++) view.setUint32(offset + (le ? i * 4 : (3 - i) * 4), words[i]!, le);
}

/** Read a long double at `offset` as the nearest JS number (round half to even, subnormals included). */
export function loadLongDouble(view: DataView, offset: number, format: LongDoubleFormat, le: boolean): number {
  if (format === "double") return view.getFloat64(offset, le);
  let sign: number, exp: number, sig: bigint, unbiased: number;
  if (format === "x87") {
    const sigLo = view.getUint32(offset + (le ? 0 : 4), le);
    const sigHi = view.getUint32(offset + (le ? 4 : 0), le);
    const se = view.getUint16(offset + 8, le);
    sign = se >>> 15;
    exp = se & 0x7fff;
    if (exp === 0x7fff) return (sigHi & 0x7fffffff) !== 0 || sigLo !== 0 ? NaN : sign ? -Infinity : Infinity;
    sig = (BigInt(sigHi) << 32n) | BigInt(sigLo); // explicit integer bit, 63 fraction bits
    unbiased = (exp === 0 ? 1 : exp) - 16383 - 63;
  } else {
    const w = [0, 1, 2, 3].map((i) => view.getUint32(offset + (le ? i * 4 : (3 - i) * 4), le));
    sign = w[3]! >>> 31;
    exp = (w[3]! >>> 16) & 0x7fff;
    const frac = (BigInt(w[3]! & 0xffff) << 96n) | (BigInt(w[2]!) << 64n) | (BigInt(w[1]!) << 32n) | BigInt(w[0]!);
    if (exp === 0x7fff) return frac !== 0n ? NaN : sign ? -Infinity : Infinity;
    sig = exp === 0 ? frac : frac | (1n << 112n);
    unbiased = (exp === 0 ? 1 : exp) - 16383 - 112;
  }
  const v = roundToDouble(sig, unbiased);
  return sign ? -v : v;
}

/** The double nearest to sig * 2^e (sig >= 0), rounding once, half to even. */
function roundToDouble(sig: bigint, e: number): number {
  if (sig === 0n) return 0;
  const bits = sig.toString(2).length;
  // bits to drop: beyond 53 significant bits, or below 2^-1074 (the subnormal quantum)
  const drop = Math.max(bits - 53, -1074 - e);
  if (drop <= 0) return ldexp(Number(sig), e);
  if (drop > bits + 1) return 0;
  const d = BigInt(drop);
  let q = sig >> d;
  const rest = sig - (q << d);
  const half = 1n << (d - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  return ldexp(Number(q), e + drop);
}

/** x * 2^e without intermediate overflow or underflow (exact when the result is representable). */
function ldexp(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000 && x !== 0) {
    // keep x normal while scaling down, so the final step is the only rounding
    if (e < -2000) {
      x *= 2 ** -1000;
      e += 1000;
    } else break;
  }
  if (e < -1000) return x * 2 ** (e + 1000) * 2 ** -1000;
  return x * 2 ** e;
}
