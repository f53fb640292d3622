/** Array types (`T.array(n)`, `ARRAY(T, n)`): fixed-length C arrays with bounds-checked indexing and zero-copy typed views. */
import { describeValue } from "../errors";
import { INFO, TypeInfo, infoOf, sameCType } from "../types/ctype";
import { LITTLE_ENDIAN } from "../types/platform";
import { CData, callable, derivedTypes, setInfo, viewAs } from "./cdata";
import { indexable } from "./pointer";
import { encodeWString } from "./strings";

type TypedArrayCtor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayBufferView & ArrayLike<number | bigint> & { set(a: ArrayLike<number | bigint>): void } };

/** The zero-copy TypedArray class matching an element type, if any. */
function typedArrayClass(t: TypeInfo): TypedArrayCtor | null {
  if (t.swapped) return null;
  const s = t.signed;
  switch (t.kind) {
    case "int":
      return (t.size === 1 ? (s ? Int8Array : Uint8Array) : t.size === 2 ? (s ? Int16Array : Uint16Array) : s ? Int32Array : Uint32Array) as unknown as TypedArrayCtor;
    case "int64":
    case "intptr":
      return (t.size === 4 ? (s ? Int32Array : Uint32Array) : s ? BigInt64Array : BigUint64Array) as unknown as TypedArrayCtor;
    case "float":
      return Float32Array as unknown as TypedArrayCtor;
    case "double":
      return Float64Array as unknown as TypedArrayCtor;
    case "bool":
    case "char":
      return Uint8Array as unknown as TypedArrayCtor;
    default:
      return null;
  }
}

/** Instances of array types. */
export abstract class ArrayCData extends CData {
  constructor(...values: unknown[]) {
    super();
    const info = this._info;
    if (values.length > info.length!) throw new RangeError(`${info.name}(): too many initializers (${values.length} for ${info.length} elements)`);
    for (let i = 0; i < values.length; i++) this._set(i, values[i]);
    return info.wrap!(this) as this;
  }

  get length(): number {
    return this._info.length!;
  }

  /** @internal */
  _check(i: number): void {
    const n = this._info.length!;
    if (!(i >= 0 && i < n) || !Number.isInteger(i)) throw new RangeError(`${this._info.name}: index ${i} out of range 0..${n - 1}`);
  }

  /** @internal */
  _get(i: number): unknown {
    this._check(i);
    const t = this._info.target!;
    return t.load(this._view, this._off + i * t.size, this, LITTLE_ENDIAN);
  }

  /** @internal */
  _set(i: number, v: unknown): void {
    this._check(i);
    const t = this._info.target!;
    t.store(this._view, this._off + i * t.size, v, this, `${this._info.name}[${i}]`, LITTLE_ENDIAN);
  }

  *[Symbol.iterator](): IterableIterator<unknown> {
    const self = this._self;
    const n = self._info.length!;
    for (let i = 0; i < n; i++) yield self._get(i);
  }

  /** A zero-copy TypedArray over the elements (numeric element types only). */
  get typed(): ArrayBufferView {
    const info = this._info;
    const C = typedArrayClass(info.target!);
    if (!C) throw new TypeError(`${info.name}.typed: no TypedArray matches element type ${info.target!.name}`);
    const start = this._view.byteOffset + this._off;
    if (start % info.target!.size !== 0) throw new RangeError(`${info.name}.typed: the array is not aligned for a TypedArray view`);
    return new C(this._view.buffer, start, info.length!);
  }

  /** ctypes' `a[start:end]`: a plain JS array of elements `start` to `end - 1` (as Array.prototype.slice: negative counts from the end). */
  slice(start?: number, end?: number): unknown[] {
    const self = this._self;
    const n = self._info.length!;
    const from = sliceIndex(start, 0, n, `${self._info.name}.slice() start`);
    const to = sliceIndex(end, n, n, `${self._info.name}.slice() end`);
    const out: unknown[] = [];
    for (let i = from; i < to; i++) out.push(self._get(i));
    return out;
  }

  /** ctypes' `a[offset:offset + k] = values`: writes the values of an iterable or TypedArray from element `offset` on; they must fit. */
  set(values: Iterable<unknown> | ArrayLike<unknown>, offset = 0): void {
    const self = this._self;
    const info = self._info;
    const what = `${info.name}.set()`;
    if (!Number.isInteger(offset) || offset < 0 || offset > info.length!)
      throw new RangeError(`${what}: offset must be an integer in 0..${info.length}, got ${describeValue(offset)}`);
    fillFrom(info, self, values, offset, what);
  }

  /** Plain JS array copy of the elements. */
  toArray(): unknown[] {
    return this.slice();
  }

  toJSON(): unknown {
    const t = this._info.target!;
    if (t.kind === "char" || t.kind === "wchar") return this.value;
    return this.toArray().map((v) => (typeof v === "bigint" ? v.toString() : v instanceof CData ? (v as unknown as { toJSON(): unknown }).toJSON() : v));
  }

  /** c_char / c_wchar arrays: the string up to the first NUL (assignable). */
  get value(): string {
    const info = this._info;
    const t = info.target!;
    // the object's own size: resize() may have grown it beyond the type's
    const size = this._size;
    if (t.kind === "char") {
      const bytes = this._bytes();
      const end = bytes.indexOf(0);
      return Buffer.from(bytes.buffer, bytes.byteOffset, end < 0 ? bytes.length : end).toString("utf8");
    }
    if (t.kind === "wchar") {
      // element by element: the element codec knows its byte order
      let s = "";
      for (let n = 0; n < size / t.size; n++) {
        const ch = t.load(this._view, this._off + n * t.size, this, LITTLE_ENDIAN) as string;
        if (ch === "\0") break;
        s += ch;
      }
      return s;
    }
    throw new TypeError(`${info.name}.value: only c_char and c_wchar arrays have a string value`);
  }

  set value(s: string | Uint8Array) {
    this._setString(s, `${this._info.name}.value`);
  }

  /** @internal write a string (NUL-terminated when it leaves room); `what` names the target in errors */
  _setString(s: unknown, what: string): void {
    const t = this._info.target!;
    if (typeof s !== "string" && !(s instanceof Uint8Array)) throw new TypeError(`${what}: expected a string, got ${describeValue(s)}`);
    if (t.kind === "wchar" && typeof s === "string" && t.swapped) {
      const chars = [...s];
      if (chars.length * t.size > this._size) throw new RangeError(`${what}: string of ${chars.length} characters is too long for ${this._size / t.size}`);
      this._bytes().fill(0);
      chars.forEach((ch, n) => t.store(this._view, this._off + n * t.size, ch, this, what, LITTLE_ENDIAN));
      return;
    }
    const bytes = t.kind === "char" ? (typeof s === "string" ? Buffer.from(s, "utf8") : s) : t.kind === "wchar" && typeof s === "string" ? encodeWString(s).subarray(0, -t.size) : null;
    if (!bytes) throw new TypeError(`${what}: only c_char and c_wchar arrays have a string value`);
    const size = this._size;
    if (bytes.length > size) throw new RangeError(`${what}: string of ${bytes.length} bytes is too long for ${size} bytes`);
    const dst = this._bytes();
    dst.set(bytes);
    if (bytes.length < size) dst.fill(0, bytes.length, Math.min(size, bytes.length + t.size));
  }

  /** c_char arrays: all bytes (a copy). */
  get raw(): Uint8Array {
    return this._bytes().slice();
  }

  set raw(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`${this._info.name}.raw: expected a Uint8Array, got ${describeValue(bytes)}`);
    if (bytes.length > this._size) throw new RangeError(`${this._info.name}.raw: ${bytes.length} bytes do not fit in ${this._size}`);
    this._bytes().set(bytes);
  }

  override toString(): string {
    return `<${this._info.name} [${this.toArray().map((v) => (typeof v === "bigint" ? `${v}n` : String(v))).join(", ")}]>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    const n = this._info.length!;
    const shown = this.slice(0, 20);
    return `${this._info.name}(${n}) [${shown.map((v) => (typeof v === "bigint" ? `${v}n` : typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}${n > 20 ? ", ..." : ""}]`;
  }

  /**
   * A new instance filled from an iterable or TypedArray: the bulk path.
   * Numeric element types copy at TypedArray speed after checking each value.
   */
  static from(source: Iterable<unknown> | ArrayLike<unknown>): unknown {
    const info = (this as unknown as { [INFO]?: TypeInfo })[INFO];
    if (!info || info.kind !== "array") throw new TypeError("from(): call it on an array type, e.g. c_int.array(3).from([1, 2, 3])");
    const arr = new (info.cls as new () => ArrayCData)();
    fillFrom(info, arr._self, source);
    return arr;
  }
}

/** Write the values of `source` into elements `offset`, `offset + 1`, ... of `arr` (all checked to fit first). */
function fillFrom(info: TypeInfo, arr: ArrayCData, source: unknown, offset = 0, what = `${info.name}.from()`): void {
  const n = info.length! - offset;
  const t = info.target!;
  if (source === null || (typeof source !== "object" && typeof source !== "string")) throw new TypeError(`${what}: expected an iterable or TypedArray, got ${describeValue(source)}`);
  const list: ArrayLike<unknown> = ArrayBuffer.isView(source) || Array.isArray(source) ? (source as ArrayLike<unknown>) : Array.from(source as Iterable<unknown>);
  if (list.length > n) throw new RangeError(`${what}: ${list.length} values do not fit in ${n} elements`);
  const C = typedArrayClass(t);
  const v = arr._view;
  const start = v.byteOffset + arr._off + offset * t.size;
  if (C && t.kind === "int" && start % t.size === 0 && !(ArrayBuffer.isView(source) && (source instanceof BigInt64Array || source instanceof BigUint64Array))) {
    const dst = new C(v.buffer, start, n) as unknown as { [i: number]: number; set(a: ArrayLike<number>): void };
    if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
      dst.set(source as unknown as ArrayLike<number>); // integer typed arrays wrap exactly; floats are checked below
      if (source instanceof Float32Array || source instanceof Float64Array) checkIntegers(source, what);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (typeof x === "number" && Number.isInteger(x)) dst[i] = x;
      else t.store(v, arr._off + (offset + i) * t.size, x, arr, `${what} element ${i}`, LITTLE_ENDIAN);
    }
    return;
  }
  if (C && (t.kind === "double" || t.kind === "float") && start % t.size === 0) {
    const dst = new C(v.buffer, start, n) as unknown as { [i: number]: number };
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (typeof x === "number") dst[i] = x;
      else t.store(v, arr._off + (offset + i) * t.size, x, arr, `${what} element ${i}`, LITTLE_ENDIAN);
    }
    return;
  }
  for (let i = 0; i < list.length; i++) t.store(v, arr._off + (offset + i) * t.size, list[i], arr, `${what} element ${i}`, LITTLE_ENDIAN);
}

function checkIntegers(a: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) if (!Number.isInteger(a[i])) throw new TypeError(`${what}: element ${i}: expected an integer, got ${describeValue(a[i])}`);
}

/** An Array.prototype.slice bound: undefined is `otherwise`, negative counts from `n`, clamped to 0..n. */
function sliceIndex(i: number | undefined, otherwise: number, n: number, what: string): number {
  if (i === undefined) return otherwise;
  if (!Number.isInteger(i)) throw new TypeError(`${what}: expected an integer, got ${describeValue(i)}`);
  return i < 0 ? Math.max(0, n + i) : Math.min(i, n);
}

const wrapArray = indexable(
  (a: ArrayCData, i) => a._get(i),
  (a: ArrayCData, i, v) => a._set(i, v),
  (a: ArrayCData, i) => Number.isInteger(i) && i >= 0 && i < a._info.length!,
);

const arrayTypes = new Map<TypeInfo, Map<number, unknown>>();

/** The array type of `length` elements of `element` (cached per element type and length). */
export function arrayType(element: TypeInfo, length: number): unknown {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`array(): length must be a non-negative integer, got ${describeValue(length)}`);
  let byLength = arrayTypes.get(element);
  if (!byLength) arrayTypes.set(element, (byLength = new Map()));
  let t = byLength.get(length);
  if (t) return t;
  const name = `${element.name}_Array_${length}`;
  const cls = { [name]: class extends ArrayCData {} }[name]!;
  const info: TypeInfo = {
    name,
    kind: "array",
    // an array of other-endian elements (in a Big/LittleEndianStructure) is not the same C memory
    ctype: element.ctype === undefined || element.swapped ? undefined : `${element.ctype}_Array_${length}`,
    size: element.size * length,
    align: element.align,
    ffi: -1, // arrays are never passed by value; as struct members they expand to their elements
    target: element,
    length,
    cls,
    wrap: wrapArray,
    load: (view, offset, holder) => viewAs(info, view, offset, holder),
    store(view, offset, value, holder, what) {
      const dst = (viewAs(info, view, offset, holder) as ArrayCData)._self;
      if (value instanceof CData) {
        const vi = value._info;
        if (!sameCType(vi, info))
          throw new TypeError(`${what}: expected ${name}, got ${vi.name}`);
        dst._bytes().set(value._bytes().subarray(0, info.size));
      } else if (typeof value === "string" && (element.kind === "char" || element.kind === "wchar")) {
        dst._setString(value, what);
      } else {
        fillFrom(info, dst, value);
      }
    },
  };
  setInfo(cls, info);
  Object.defineProperty(cls, "length", { value: length });
  t = callable(cls);
  byLength.set(length, t);
  return t;
}

derivedTypes.array = arrayType;

/** `ARRAY(T, n)`, the same as `T.array(n)`. */
export function ARRAY(type: unknown, length: number): unknown {
  return arrayType(infoOf(type, "ARRAY()"), length);
}

