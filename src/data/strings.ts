/** C strings: UTF-8 `char *` and platform `wchar_t *` (UTF-32 on Linux/macOS, UTF-16 on Windows). */
import { native } from "../native";
import { WCHAR_SIZE, LITTLE_ENDIAN } from "../types/platform";
import { constants as bufferConstants } from "node:buffer";

const { MAX_STRING_LENGTH } = bufferConstants;

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8");

/** UTF-8 bytes of `s` followed by a NUL. */
export function encodeCString(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3 + 1);
  const { written } = encoder.encodeInto(s, out);
  return out.subarray(0, written + 1);
}

/** `wchar_t` units of `s` followed by a NUL, in a fresh buffer. */
export function encodeWString(s: string): Uint8Array {
  if (WCHAR_SIZE === 2) {
    const out = new Uint16Array(s.length + 1);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return new Uint8Array(out.buffer);
  }
  const units: number[] = [];
  for (const ch of s) units.push(ch.codePointAt(0)!);
  units.push(0);
  return new Uint8Array(new Uint32Array(units).buffer);
}

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** String from `count` wchar_t units at the start of `view` (platform byte order). */
export function decodeWString(view: DataView, count: number): string {
  let s = "";
  for (let i = 0; i < count; i++) {
    const u = WCHAR_SIZE === 2 ? view.getUint16(i * 2, LITTLE_ENDIAN) : view.getUint32(i * 4, LITTLE_ENDIAN);
    if (WCHAR_SIZE === 2) s += String.fromCharCode(u);
    else s += u <= 0x10ffff ? String.fromCodePoint(u) : "\ufffd";
  }
  return s;
}

/** The NUL-terminated UTF-8 string at `address` (or its first `size` bytes); RangeError if no JS string can hold it. */
export function readCString(address: number, size?: number, what = "reading a C string"): string {
  const s: string | undefined = size === undefined ? native.cstring(address) : native.cstring(address, size);
  if (s === undefined) throw new RangeError(`${what}: the C string does not fit in a JS string (at most ${MAX_STRING_LENGTH} characters)`);
  return s;
}

/** The NUL-terminated wchar_t string at `address` (or its first `size` characters). */
export function readWString(address: number, size?: number): string {
  const count = size ?? native.wcslen(address);
  if (count === 0) return "";
  return decodeWString(new DataView(native.view(address, count * WCHAR_SIZE)), count);
}
