/** ctypes' module-level memory functions: sizeof, addressof, memmove, string_at, buffers, malloc/free, resize. */
import { native } from "../native";
import { describeValue, NullPointerError } from "../errors";
import { hasInfo, INFO, TypeInfo } from "../types/ctype";
import { pointerValueOf, simpleTypes } from "./simple";
import { ADDRESS, CData, isAddressable, viewAs } from "./cdata";
import { arrayType } from "./array";
import { binaryAddress, checkAttached, foreignView, isBinary, isForeign, toAddress } from "./memory";
import { readCString, readWString, encodeWString } from "./strings";
import { WCHAR_SIZE } from "../types/platform";
import { ByRef } from "./pointer";
import { constants as bufferConstants } from "node:buffer";

const { MAX_LENGTH, MAX_STRING_LENGTH } = bufferConstants;

function infoOfTypeOrObject(x: unknown, fn: string): TypeInfo {
  if (x instanceof CData) return x._info;
  if (hasInfo(x)) return (x as { [INFO]: TypeInfo })[INFO];
  throw new TypeError(`${fn}(): expected a tsctypes type or C data object, got ${describeValue(x)}`);
}

/** Size in bytes of a type or C data object. */
export function sizeof(x: unknown): number {
  if (x instanceof CData) return x._size;
  return infoOfTypeOrObject(x, "sizeof").size;
}

/** Alignment in bytes of a type or C data object. */
export function alignment(x: unknown): number {
  return infoOfTypeOrObject(x, "alignment").align;
}

/** Address of a C data object's memory. */
export function addressof(obj: CData): number {
  if (!(obj instanceof CData)) throw new TypeError(`addressof(): expected C data, got ${describeValue(obj)}`);
  return obj._address;
}

/** An address from C data, JS binary memory, an address-like object or a number. */
function memoryAddress(x: unknown, fn: string, arg: number): number {
  if (x === null) return 0;
  // (pointers give the address they hold, read as a number: a c_char_p's value would be its string)
  if (x instanceof CData) return pointerValueOf(x);
  if (isBinary(x)) {
    if (x.byteLength === 0) checkAttached(x, `${fn}(): argument ${arg}`);
    return binaryAddress(x);
  }
  if (isAddressable(x)) return x[ADDRESS];
  if (typeof x === "number" || typeof x === "bigint") return toAddress(x, `${fn}() argument ${arg}`);
  throw new TypeError(`${fn}(): argument ${arg} must be C data, a TypedArray/ArrayBuffer or an address, got ${describeValue(x)}`);
}

/**
 * The bytes known to be at `x` (C data holding its own value, JS binary memory, byref, an
 * Allocation), or undefined where only the address is known (raw addresses, pointers).
 */
function knownSize(x: unknown): number | undefined {
  if (x instanceof CData) {
    const k = x._info.kind;
    return k === "pointer" || k === "voidp" || k === "charp" || k === "wcharp" || k === "funcptr" ? undefined : x._size;
  }
  if (isBinary(x)) return x.byteLength;
  if (x instanceof ByRef) return x.obj._size - x.offset;
  if (x instanceof Allocation) return x.size;
  return undefined;
}

/** Throws RangeError when `count` bytes at `x` run past the memory it is known to have. */
function checkSpan(x: unknown, count: number, fn: string, role: string): void {
  const size = knownSize(x);
  if (size !== undefined && count > size)
    throw new RangeError(`${fn}(): ${count} bytes run past the ${size} bytes of the ${role} (${describeValue(x)})`);
}

function checkCount(n: unknown, fn: string): number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new TypeError(`${fn}(): count must be a non-negative integer, got ${describeValue(n)}`);
  return n;
}

/** Copy `count` bytes from `src` to `dst` (overlap allowed); returns the destination address, like ctypes. */
export function memmove(dst: unknown, src: unknown, count: number): number {
  const n = checkCount(count, "memmove");
  const d = memoryAddress(dst, "memmove", 1);
  const s = memoryAddress(src, "memmove", 2);
  checkSpan(dst, n, "memmove", "destination");
  checkSpan(src, n, "memmove", "source");
  if (n > 0 && (d === 0 || s === 0)) throw new NullPointerError(`memmove(): ${d === 0 ? "destination" : "source"} is NULL`);
  native.memmove(d, s, n);
  return d;
}

/** Fill `count` bytes at `dst` with `byte`; returns the destination address, like ctypes. */
export function memset(dst: unknown, byte: number, count: number): number {
  const n = checkCount(count, "memset");
  if (!Number.isInteger(byte)) throw new TypeError(`memset(): argument 2 must be an integer byte value, got ${describeValue(byte)}`);
  const d = memoryAddress(dst, "memset", 1);
  checkSpan(dst, n, "memset", "destination");
  if (n > 0 && d === 0) throw new NullPointerError("memset(): destination is NULL");
  native.memset(d, byte & 0xff, n);
  return d;
}

/** The C string at `address` (UTF-8; up to the NUL, or exactly `size` bytes). */
export function string_at(address: unknown, size?: number): string {
  const a = memoryAddress(address, "string_at", 1);
  if (a === 0) throw new NullPointerError("string_at(): NULL address");
  const n = size === undefined || size < 0 ? undefined : checkCount(size, "string_at");
  if (n !== undefined) {
    checkSpan(address, n, "string_at", "memory");
    // (Node-API takes at most INT_MAX bytes)
    if (n > 2 ** 31 - 1) throw new RangeError(`string_at(): size ${n} is beyond the longest C string that can be read (2147483647 bytes)`);
  }
  return readCString(a, n, "string_at()");
}

/** The wchar_t string at `address` (up to the NUL, or exactly `size` characters). */
export function wstring_at(address: unknown, size?: number): string {
  const a = memoryAddress(address, "wstring_at", 1);
  if (a === 0) throw new NullPointerError("wstring_at(): NULL address");
  const n = size === undefined || size < 0 ? undefined : checkCount(size, "wstring_at");
  if (n !== undefined) {
    checkSpan(address, n * WCHAR_SIZE, "wstring_at", "memory");
    // every wchar_t is at least one character of the JS string
    if (n > MAX_STRING_LENGTH) throw new RangeError(`wstring_at(): size ${n} is beyond the longest string (${MAX_STRING_LENGTH} characters)`);
  }
  return readWString(a, n);
}

/** A zero-copy Uint8Array over `size` bytes of C memory at `address`. */
export function buffer_at(address: unknown, size: number): Uint8Array {
  const a = memoryAddress(address, "buffer_at", 1);
  const n = checkCount(size, "buffer_at");
  checkSpan(address, n, "buffer_at", "memory");
  if (n > MAX_LENGTH) throw new RangeError(`buffer_at(): size ${n} is beyond the largest Uint8Array (${MAX_LENGTH} bytes)`);
  const v = foreignView(a, n, "buffer_at()");
  return new Uint8Array(v.buffer, v.byteOffset, n);
}

/** A mutable char array: from a string (UTF-8, NUL added) or a size; `size` may make it larger. */
export function create_string_buffer(init: string | Uint8Array | number, size?: number): CData {
  if (typeof init === "number") {
    const n = checkCount(init, "create_string_buffer");
    return new (arrayType(charInfo(), n) as new () => CData)();
  }
  if (typeof init !== "string" && !(init instanceof Uint8Array))
    throw new TypeError(`create_string_buffer(): argument 1 must be a string, Uint8Array or size, got ${describeValue(init)}`);
  const bytes = typeof init === "string" ? Buffer.from(init, "utf8") : init;
  const n = size === undefined ? bytes.length + 1 : checkCount(size, "create_string_buffer");
  if (n < bytes.length) throw new RangeError(`create_string_buffer(): size ${n} is smaller than the ${bytes.length}-byte initializer`);
  const buf = new (arrayType(charInfo(), n) as new () => CData)();
  buf._bytes().set(bytes);
  return buf;
}

/** A mutable wchar_t array: from a string (NUL added) or a size in characters. */
export function create_unicode_buffer(init: string | number, size?: number): CData {
  const wchar = (simpleTypes.c_wchar as { [INFO]: TypeInfo })[INFO];
  if (typeof init === "number") return new (arrayType(wchar, checkCount(init, "create_unicode_buffer")) as new () => CData)();
  if (typeof init !== "string") throw new TypeError(`create_unicode_buffer(): argument 1 must be a string or size, got ${describeValue(init)}`);
  const units = encodeWString(init);
  const count = units.length / WCHAR_SIZE;
  const n = size === undefined ? count : checkCount(size, "create_unicode_buffer");
  if (n < count - 1) throw new RangeError(`create_unicode_buffer(): size ${n} is smaller than the ${count - 1}-character initializer`);
  const buf = new (arrayType(wchar, n) as new () => CData)();
  buf._bytes().set(units.subarray(0, Math.min(units.length, n * WCHAR_SIZE)));
  return buf;
}

function charInfo(): TypeInfo {
  return (simpleTypes.c_char as { [INFO]: TypeInfo })[INFO];
}

/** Grow the memory of an object that owns its buffer to `size` bytes (contents kept; new bytes zeroed). */
export function resize(obj: CData, size: number): void {
  if (!(obj instanceof CData)) throw new TypeError(`resize(): expected C data, got ${describeValue(obj)}`);
  const n = checkCount(size, "resize");
  const info = obj._info;
  if (n < info.size) throw new RangeError(`resize(): minimum size of ${info.name} is ${info.size} bytes, got ${n}`);
  if (obj._base !== null || isForeign(obj._view.buffer))
    throw new TypeError(`resize(): only objects that own their memory can be resized (this ${info.name} views other memory)`);
  const grown = new Uint8Array(n);
  grown.set(obj._bytes());
  obj._view = new DataView(grown.buffer);
  obj._off = 0;
  obj._size = n;
  obj._addr = -1;
}

const allocations = new FinalizationRegistry<number>((address) => native.free(address));

/**
 * Native memory from the C heap, freed by `free()`, by `using`, or — as a safety
 * net — when the object is garbage collected, unless `release()` handed it to C.
 */
export class Allocation implements Disposable {
  #address: number;
  readonly size: number;

  constructor(size: number) {
    this.size = checkCount(size, "malloc");
    this.#address = native.malloc(this.size);
    allocations.register(this, this.#address, this);
  }

  /** The address, 0 once freed or released. */
  get address(): number {
    return this.#address;
  }

  get [ADDRESS](): number {
    if (this.#address === 0) throw new TypeError("this allocation was freed or released");
    return this.#address;
  }

  /** A C data view of type `T` at the start of this memory (keeps the allocation alive). */
  as<T>(type: T): T extends { prototype: infer I } ? I : CData {
    if (!hasInfo(type)) throw new TypeError(`Allocation.as(): expected a tsctypes type, got ${describeValue(type)}`);
    const info = (type as { [INFO]: TypeInfo })[INFO];
    if (info.size > this.size) throw new RangeError(`Allocation.as(): ${info.name} needs ${info.size} bytes, the allocation has ${this.size}`);
    return viewAs(info, foreignView(this[ADDRESS], info.size, "Allocation.as()"), 0, this, this.#address) as never;
  }

  /** Bytes of this memory as a zero-copy Uint8Array. */
  bytes(): Uint8Array {
    const v = foreignView(this[ADDRESS], this.size, "Allocation.bytes()");
    return new Uint8Array(v.buffer, 0, this.size);
  }

  /** Give the memory to C: it will not be freed by this object any more. Returns the address. */
  release(): number {
    const a = this.#address;
    allocations.unregister(this);
    this.#address = 0;
    return a;
  }

  free(): void {
    if (this.#address === 0) return;
    allocations.unregister(this);
    native.free(this.#address);
    this.#address = 0;
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** Allocate `size` zeroed bytes on the C heap. */
export function malloc(size: number): Allocation {
  return new Allocation(size);
}

/** Free an Allocation, or C heap memory given by address or pointer (memory C allocated with malloc). */
export function free(memory: Allocation | CData | number | bigint): void {
  if (memory instanceof Allocation) return memory.free();
  const a = memoryAddress(memory, "free", 1);
  if (memory instanceof CData && memory._info.kind !== "pointer" && memory._info.kind !== "voidp")
    throw new TypeError(`free(): pass a pointer to C heap memory, not a ${memory._info.name} instance`);
  native.free(a);
}
