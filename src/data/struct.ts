/**
 * Structures and unions: `class P extends Structure { static _fields_ = [...] }`
 * (ctypes style, also with `_fields_` assigned later for recursive types) and
 * the typed factory `struct({...})`. Layout comes from types/layout.ts; field
 * accessors are generated per type as getters/setters at fixed offsets.
 */
import { describeValue } from "../errors";
import { INFO, TypeInfo, hasInfo, infoOf } from "../types/ctype";
import { LaidOutField, Layout, computeLayout } from "../types/layout";
import { LITTLE_ENDIAN } from "../types/platform";
import { toBigInt64, toInt32Bits } from "../types/convert";
import { CData, copyKeptAlive, derivedTypes, initData, setOwnInfo, viewAs } from "./cdata";
import { ArrayCData } from "./array";

export type FieldTuple = readonly [name: string, type: unknown] | readonly [name: string, type: unknown, bits: number];

interface StructInfo extends TypeInfo {
  readonly layout: Layout;
  /** every reachable field by name, anonymous members' fields included */
  readonly fieldsByName: Map<string, LaidOutField>;
  readonly littleEndian: boolean;
}

const finalized = new WeakSet<object>();
/** Structure classes whose field types are being resolved, innermost last. */
const finalizing: Function[] = [];

/** A field whose type is one of `enclosing` (by value) would make an infinitely large structure. */
function refuseContaining(enclosing: readonly Function[], f: unknown, i: number, owner: string): void {
  if (!Array.isArray(f) || !enclosing.includes(f[1])) return;
  const name = (f[1] as Function).name;
  throw new TypeError(`${owner}._fields_[${i}] (${JSON.stringify(f[0])}): ${name} would contain itself by value; refer to it through POINTER(${name})`);
}

/** Shared base of Structure and Union (and their endian variants). */
export abstract class StructureBase extends CData {
  /** The layout, computed on first use from `_fields_` (and `_pack_`, `_align_`, `_anonymous_`). */
  static get [INFO](): TypeInfo {
    return finalize(this);
  }

  /** Assigning `_fields_` later (recursive types) is allowed once, before the type is used. */
  static set _fields_(fields: readonly FieldTuple[]) {
    if (finalized.has(this)) throw new TypeError(`${this.name}._fields_ is final: the type has already been used`);
    if (Array.isArray(fields)) fields.forEach((f, i) => refuseContaining([this], f, i, this.name));
    Object.defineProperty(this, "_fields_", { value: fields, writable: true, configurable: true, enumerable: true });
  }

  static get _fields_(): readonly FieldTuple[] | undefined {
    return undefined;
  }

  constructor(...args: unknown[]) {
    super();
    if (args.length === 0) return;
    const info = this._info as StructInfo;
    const only = args[0];
    if (args.length === 1 && isPlainObject(only)) {
      initFromObject(this, info, only as Record<string, unknown>);
      return;
    }
    const own = info.layout.fields.filter((f) => !f.name.startsWith("\0"));
    if (args.length > own.length) throw new TypeError(`${info.name}(): too many initializers (${args.length} for ${own.length} fields)`);
    args.forEach((v, i) => ((this as unknown as Record<string, unknown>)[own[i]!.name] = v));
  }

  /** A plain JS copy: nested structures become objects, arrays become arrays. */
  toObject(): Record<string, unknown> {
    const info = this._info as StructInfo;
    // (entries, not assignments: a field may be named __proto__)
    return Object.fromEntries(info.layout.fields.map((f) => [f.name, plain((this as unknown as Record<string, unknown>)[f.name])]));
  }

  toJSON(): Record<string, unknown> {
    return jsonSafe(toObject(this)) as Record<string, unknown>;
  }

  override toString(): string {
    return `${this._info.name}(${Object.entries(toObject(this)).map(([k, v]) => `${k}=${typeof v === "bigint" ? `${v}n` : JSON.stringify(v)}`).join(", ")})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](depth: number, options: { stylize?: unknown }, inspect: (v: unknown, o: unknown) => string): string {
    const body = inspect(toObject(this), { ...options, depth: options && typeof depth === "number" ? depth : 2 });
    return `${this._info.name} ${body}`;
  }
}

/** A C struct. */
export abstract class Structure extends StructureBase {}
/** A C union: every field at offset 0. */
export abstract class Union extends StructureBase {}
/** A struct whose fields are stored big-endian whatever the platform. */
export abstract class BigEndianStructure extends Structure {}
/** A struct whose fields are stored little-endian whatever the platform. */
export abstract class LittleEndianStructure extends Structure {}
export abstract class BigEndianUnion extends Union {}
export abstract class LittleEndianUnion extends Union {}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** StructureBase's toObject, also for structures with a field named toObject. */
function toObject(s: StructureBase): Record<string, unknown> {
  return StructureBase.prototype.toObject.call(s);
}

function plain(v: unknown): unknown {
  if (v instanceof StructureBase) return toObject(v);
  if (v instanceof ArrayCData) return v.toArray().map(plain);
  if (v instanceof CData) {
    const k = v._info.kind;
    if (k === "pointer" || k === "funcptr") return (v as unknown as { value: number }).value || null;
    return (v as unknown as { value: unknown }).value;
  }
  return v;
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

function initFromObject(obj: StructureBase, info: StructInfo, init: Record<string, unknown>): void {
  for (const key of Object.keys(init)) {
    if (!info.fieldsByName.has(key)) throw new TypeError(`${info.name}(): no field named ${JSON.stringify(key)}`);
    (obj as unknown as Record<string, unknown>)[key] = init[key];
  }
}

/** The TypeInfo of a structure class, computing layout and accessors once. */
function finalize(cls: Function): StructInfo {
  const chain: Function[] = [];
  for (let c: unknown = cls; typeof c === "function" && c !== StructureBase; c = Object.getPrototypeOf(c)) chain.unshift(c as Function);
  const isUnion = chain.includes(Union);
  const bigEndian = chain.includes(BigEndianStructure) || chain.includes(BigEndianUnion);
  const littleEndian = bigEndian ? false : chain.includes(LittleEndianStructure) || chain.includes(LittleEndianUnion) ? true : LITTLE_ENDIAN;
  const abstract = [Structure, Union, BigEndianStructure, LittleEndianStructure, BigEndianUnion, LittleEndianUnion];
  if (abstract.includes(cls as never)) throw new TypeError(`${cls.name} is abstract: subclass it and set _fields_`);
  const own = Object.getOwnPropertyDescriptor(cls, "_fields_")?.value as readonly FieldTuple[] | undefined;
  const parent = Object.getPrototypeOf(cls) as Function;
  const base = abstract.includes(parent as never) ? undefined : ((parent as unknown as { [INFO]: TypeInfo })[INFO] as StructInfo);
  if (own === undefined && base === undefined)
    throw new TypeError(`${cls.name}: _fields_ is not set (set it before using the type; for recursive types assign ${cls.name}._fields_ = [...] after the class)`);
  const stat = cls as unknown as { _pack_?: unknown; _align_?: unknown; _anonymous_?: unknown };
  const pack = checkPack(stat._pack_, cls.name, "_pack_");
  const align = checkPack(stat._align_, cls.name, "_align_");
  if (own !== undefined && !Array.isArray(own)) throw new TypeError(`${cls.name}._fields_ must be an array of [name, type] or [name, type, bits], got ${describeValue(own)}`);
  // the field types are resolved while `cls` is on the finalizing stack: a field containing it is refused
  finalizing.push(cls);
  let specs;
  try {
    specs = (own ?? []).map((f, i) => {
      const spec = fieldSpec(f, i, cls.name);
      return { ...spec, type: inByteOrder(spec.type, littleEndian, `${cls.name}._fields_[${i}] (${JSON.stringify(spec.name)})`) };
    });
  } finally {
    finalizing.pop();
  }
  const layout = computeLayout(specs, { union: isUnion, pack, align, base: base?.layout, bigEndian: !littleEndian }, cls.name);
  const fieldsByName = new Map<string, LaidOutField>();
  const anonymous = checkAnonymous(stat._anonymous_, cls.name);
  for (const f of layout.fields) {
    // anonymous members are reached through their fields: several may share a name (`_`)
    if (fieldsByName.has(f.name) && !anonymous.includes(f.name)) throw new TypeError(`${cls.name}._fields_: duplicate field name ${JSON.stringify(f.name)}`);
    fieldsByName.set(f.name, f);
  }
  const info: StructInfo = {
    name: cls.name,
    kind: isUnion ? "union" : "struct",
    size: layout.size,
    align: layout.align,
    ffi: -1,
    cls,
    layout,
    fieldsByName,
    littleEndian,
    load: (view, offset, holder) => viewAs(info, view, offset, holder),
    store(view, offset, value, holder, what) {
      const dst = viewAs(info, view, offset, holder) as StructureBase;
      if (value instanceof StructureBase && value._info === info) {
        dst._bytes().set(value._bytes().subarray(0, info.size));
        copyKeptAlive(value, info.size, dst);
      } else if (isPlainObject(value)) {
        dst._bytes().fill(0);
        initFromObject(dst, info, value as Record<string, unknown>);
      } else if (Array.isArray(value)) {
        dst._bytes().fill(0);
        const fields = layout.fields;
        if (value.length > fields.length) throw new TypeError(`${what}: too many initializers for ${info.name}`);
        value.forEach((v, i) => ((dst as unknown as Record<string, unknown>)[fields[i]!.name] = v));
      } else {
        throw new TypeError(`${what}: expected a ${info.name} instance or a plain object of its fields, got ${describeValue(value)}`);
      }
    },
  };
  // the layout is this class's own: a subclass gets its own (the base's fields, then its _fields_)
  setOwnInfo(cls, info, finalize);
  finalized.add(cls);
  // from now on the layout is fixed: assigning _fields_ again is an error, whichever way it was declared
  if (own !== undefined) {
    Object.defineProperty(cls, "_fields_", {
      get: () => own,
      set: () => {
        throw new TypeError(`${cls.name}._fields_ is final: the type has already been used`);
      },
      configurable: false,
    });
  }
  const proto = cls.prototype as object;
  for (const f of layout.fields) if (!base || !base.fieldsByName.has(f.name)) defineAccessor(proto, info, f, 0);
  for (const name of anonymous) {
    const members = layout.fields.filter((f) => f.name === name);
    if (members.length === 0 || members.some((m) => m.type.kind !== "struct" && m.type.kind !== "union"))
      throw new TypeError(`${cls.name}._anonymous_: ${JSON.stringify(name)} is not a structure or union field`);
    for (const member of members) promoteAnonymous(proto, info, member, member.offset);
  }
  return info;
}

const byteOrderVariants = new WeakMap<TypeInfo, TypeInfo>();

/**
 * A field type as stored in a structure of the given byte order: scalars (and
 * arrays of them) of the other byte order get a variant whose codec always uses
 * that order; nested structures must already have it.
 */
function inByteOrder(t: TypeInfo, le: boolean, what: string): TypeInfo {
  // a nested structure keeps its own byte order (a BigEndianStructure inside a native one and the other way round)
  if (le === LITTLE_ENDIAN || t.kind === "struct" || t.kind === "union") return t;
  // as in ctypes (`T.__ctype_be__`), a simple-type subclass stored in the other order is its fundamental type
  if (t.simpleBase) return inByteOrder(t.simpleBase, le, what);
  let v = byteOrderVariants.get(t);
  if (v) return v;
  if (t.kind === "array") {
    const element = inByteOrder(t.target!, le, what);
    v = element === t.target ? t : infoOf(derivedTypes.array!(element, t.length!), what);
  } else {
    v = {
      ...t,
      swapped: true,
      load: (view, offset, holder) => t.load(view, offset, holder, le),
      store: (view, offset, value, holder, w) => t.store(view, offset, value, holder, w, le),
    };
  }
  byteOrderVariants.set(t, v);
  return v;
}

/** The largest `_pack_` / `_align_` taken: #pragma pack itself takes at most 16, and larger alignments have no use. */
const MAX_PACK = 2 ** 16;

function checkPack(v: unknown, name: string, attr: string): number {
  if (v === undefined || v === 0) return 0;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_PACK || (v & (v - 1)) !== 0)
    throw new TypeError(`${name}.${attr} must be a power of two from 1 to ${MAX_PACK} (1, 2, 4, 8, ...) or 0 for none, got ${describeValue(v)}`);
  return v;
}

function checkAnonymous(v: unknown, name: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new TypeError(`${name}._anonymous_ must be an array of field names`);
  return v;
}

const BITFIELD_KINDS = new Set(["int", "int64", "intptr", "bool", "char"]);

/**
 * Names a field cannot have: the C data object's own state and internal members (a field's
 * accessor would replace them), and the methods JS itself calls to convert it (String(s),
 * JSON.stringify(s)), which a field's value would break.
 */
const INTERNAL_NAMES: ReadonlySet<string> = (() => {
  const state = {} as CData;
  initData(state, new DataView(new ArrayBuffer(0)), 0, 0, null);
  return new Set([...Object.keys(state), ...Object.getOwnPropertyNames(CData.prototype), "toString", "toJSON", "valueOf"]);
})();

function fieldSpec(f: FieldTuple, i: number, owner: string): { name: string; type: TypeInfo; bits?: number } {
  if (!Array.isArray(f) || f.length < 2 || f.length > 3 || typeof f[0] !== "string")
    throw new TypeError(`${owner}._fields_[${i}] must be [name, type] or [name, type, bits]`);
  if (INTERNAL_NAMES.has(f[0]))
    throw new TypeError(`${owner}._fields_[${i}]: the field name ${JSON.stringify(f[0])} is taken by the C data object itself (${[...INTERNAL_NAMES].join(", ")}); rename the field`);
  refuseContaining(finalizing, f, i, owner);
  const type = infoOf(f[1], `${owner}._fields_[${i}] (${JSON.stringify(f[0])})`);
  if (f.length === 2) {
    if (f[0] === "") throw new TypeError(`${owner}._fields_[${i}]: only bit fields may be unnamed`);
    return { name: f[0], type };
  }
  const bits = f[2];
  if (!BITFIELD_KINDS.has(type.kind)) throw new TypeError(`${owner}._fields_[${i}] (${JSON.stringify(f[0])}): bit fields must have an integer type, got ${type.name}`);
  if (typeof bits !== "number" || !Number.isInteger(bits) || bits < 0 || bits > type.size * 8)
    throw new TypeError(`${owner}._fields_[${i}] (${JSON.stringify(f[0])}): bit width must be 0..${type.size * 8}, got ${describeValue(bits)}`);
  if (bits === 0 && f[0] !== "") throw new TypeError(`${owner}._fields_[${i}]: a zero-width bit field must be unnamed ("")`);
  return { name: f[0], type, bits };
}

// ---------------------------------------------------------------- accessors

type Getter = (this: CData) => unknown;
type Setter = (this: CData, v: unknown) => void;

/** Define `f` on `proto` (shifted by `delta` bytes for promoted anonymous members). */
function defineAccessor(proto: object, owner: StructInfo, f: LaidOutField, delta: number): void {
  const { get, set } = accessorFor(owner, f, f.offset + delta);
  Object.defineProperty(proto, f.name, { get, set, enumerable: true, configurable: true });
}

function promoteAnonymous(proto: object, owner: StructInfo, member: LaidOutField, delta: number): void {
  const inner = member.type as StructInfo;
  // every name reachable on the member, its own promoted anonymous members' fields included (C11)
  for (const f of inner.fieldsByName.values()) {
    if (owner.fieldsByName.has(f.name)) throw new TypeError(`${owner.name}._anonymous_: field ${JSON.stringify(f.name)} of ${member.name} clashes with another field`);
    const moved = { ...f, offset: f.offset + delta, ...(f.bitPosition !== undefined ? { bitPosition: f.bitPosition + delta * 8 } : {}) };
    owner.fieldsByName.set(f.name, moved);
    defineAccessor(proto, owner, moved, 0);
  }
}

function accessorFor(owner: StructInfo, f: LaidOutField, offset: number): { get: Getter; set: Setter } {
  const t = f.type;
  // a byte-swapped type (`c_int.__ctype_be__`) keeps its order in a structure of either order
  const le = t.swapped ? !LITTLE_ENDIAN : owner.littleEndian;
  const what = `${owner.name}.${f.name}`;
  if (f.bitSize !== undefined) return bitFieldAccessor(owner, f, offset);
  // the common scalar kinds get specialised code; the rest use the type's codec (simple-type subclasses: instances)
  const dv = t.simpleBase ? null : scalarDataViewMethod(t);
  if (dv) {
    const { getName, setName, check } = dv;
    // 64-bit integers in the machine's order: through the view's BigInt64Array when it has one (pool memory) and the field is aligned
    const viaArray = t.kind === "int64" && le === LITTLE_ENDIAN ? (t.signed ? "i64" : "u64") : null;
    const body = viaArray
      ? `const v = this._view, o = this._off + ${offset}, a = v.${viaArray}; return a !== undefined && (o & 7) === 0 ? a[o >> 3] : v.${getName}(o, ${le});`
      : `return this._view.${getName}(this._off + ${offset}, ${le});`;
    const get = new Function(`return function get_${safe(f.name)}() { ${body} }`)() as Getter;
    const set = new Function(
      "check",
      `return function set_${safe(f.name)}(v) { this._view.${setName}(this._off + ${offset}, ${check("v")}, ${le}); }`,
    )(dv.helper(what)) as Setter;
    return { get, set };
  }
  if (t.kind === "array" && (t.target!.kind === "char" || t.target!.kind === "wchar")) {
    // char arrays read and write as strings (ctypes returns bytes here)
    return {
      get(this: CData) {
        return (t.load(this._view, this._off + offset, this, le) as ArrayCData).value;
      },
      set(this: CData, v: unknown) {
        t.store(this._view, this._off + offset, v, this, what, le);
      },
    };
  }
  return {
    get(this: CData) {
      return t.load(this._view, this._off + offset, this, le);
    },
    set(this: CData, v: unknown) {
      t.store(this._view, this._off + offset, v, this, what, le);
    },
  };
}

const safe = (name: string) => name.replace(/\W/g, "_");

interface DataViewAccess {
  getName: string;
  setName: string;
  /** expression converting `v` to what the setter takes, throwing TypeError naming the field */
  check(v: string): string;
  helper(what: string): (v: unknown) => unknown;
}

function scalarDataViewMethod(t: TypeInfo): DataViewAccess | null {
  const sizeName = (s: number) => (s === 1 ? "8" : s === 2 ? "16" : "32");
  switch (t.kind) {
    case "int": {
      const base = `${t.signed ? "Int" : "Uint"}${sizeName(t.size)}`;
      const bits = t.bits!;
      const signed = t.signed!;
      return {
        getName: `get${base}`,
        setName: `set${base}`,
        check: (v) => `(typeof ${v} === "number" && (${v} | 0) === ${v} ? ${v} : check(${v}))`,
        helper: (what) => (v) => toInt32Bits(v, bits, signed, what),
      };
    }
    case "int64":
      return {
        getName: t.signed ? "getBigInt64" : "getBigUint64",
        setName: t.signed ? "setBigInt64" : "setBigUint64",
        check: (v) => `(typeof ${v} === "bigint" ? ${v} : check(${v}))`,
        helper: (what) => (v) => toBigInt64(v, t.signed!, what),
      };
    case "float":
    case "double": {
      const n = t.kind === "float" ? "Float32" : "Float64";
      return {
        getName: `get${n}`,
        setName: `set${n}`,
        check: (v) => `(typeof ${v} === "number" ? ${v} : check(${v}))`,
        helper: (what) => (v) => {
          if (typeof v === "bigint") return Number(v);
          throw new TypeError(`${what}: expected a number, got ${describeValue(v)}`);
        },
      };
    }
    default:
      return null;
  }
}

/** Bit fields: the bytes spanned are assembled into an integer (little- or big-endian), then shifted and masked. */
function bitFieldAccessor(owner: StructInfo, f: LaidOutField, offset: number): { get: Getter; set: Setter } {
  const w = f.bitSize!;
  const pos = (f.bitPosition ?? f.offset * 8 + f.bitOffset!) + (offset - f.offset) * 8;
  const first = Math.floor(pos / 8);
  const nbytes = Math.floor((pos + w - 1) / 8) - first + 1;
  const le = owner.littleEndian;
  // shift of the field's least significant bit inside the assembled integer
  const shift = le ? pos % 8 : nbytes * 8 - (pos % 8) - w;
  const signed = f.type.signed === true || f.type.kind === "char";
  const big = f.type.size === 8 && f.type.kind !== "intptr";
  const bool = f.type.kind === "bool";
  const what = `${owner.name}.${f.name}`;
  const mask = (1n << BigInt(w)) - 1n;
  const read = (view: DataView, base: number): bigint => {
    let x = 0n;
    for (let i = 0; i < nbytes; i++) {
      const b = BigInt(view.getUint8(base + first + i));
      x |= le ? b << BigInt(8 * i) : b << BigInt(8 * (nbytes - 1 - i));
    }
    return x;
  };
  const write = (view: DataView, base: number, x: bigint) => {
    for (let i = 0; i < nbytes; i++) {
      const sh = le ? 8 * i : 8 * (nbytes - 1 - i);
      view.setUint8(base + first + i, Number((x >> BigInt(sh)) & 0xffn));
    }
  };
  return {
    get(this: CData) {
      let v = (read(this._view, this._off) >> BigInt(shift)) & mask;
      if (signed && w > 0 && (v >> BigInt(w - 1)) & 1n) v -= 1n << BigInt(w);
      if (bool) return v !== 0n;
      if (f.type.kind === "intptr") {
        if (v > 9007199254740992n || v < -9007199254740992n)
          throw new RangeError(`${what}: value ${v} cannot be represented exactly as a number; declare it as ${f.type.exactAlternative} to get a bigint`);
        return Number(v);
      }
      return big ? v : Number(v);
    },
    set(this: CData, value: unknown) {
      let n: bigint;
      if (bool) n = value ? 1n : 0n;
      else if (f.type.size === 8) n = toBigInt64(value, true, what);
      else n = BigInt(toInt32Bits(value, 32, true, what));
      const x = read(this._view, this._off);
      write(this._view, this._off, (x & ~(mask << BigInt(shift))) | ((n & mask) << BigInt(shift)));
    },
  };
}

// ---------------------------------------------------------------- public helpers

/** `{ offset, size, bit_offset?, bit_size? }` of a field (anonymous members' fields included). */
export function fieldInfo(type: unknown, name: string): { offset: number; size: number; bit_offset?: number; bit_size?: number } {
  const info = infoOf(type, "fieldInfo() argument 1") as StructInfo;
  if (info.kind !== "struct" && info.kind !== "union") throw new TypeError(`fieldInfo(): ${info.name} is not a structure or union`);
  const f = info.fieldsByName.get(name);
  if (!f) throw new TypeError(`fieldInfo(): ${info.name} has no field named ${JSON.stringify(name)}`);
  if (f.bitSize === undefined) return { offset: f.offset, size: f.size };
  const bitOffset = info.littleEndian ? f.bitOffset! : f.size * 8 - f.bitOffset! - f.bitSize;
  return { offset: f.offset, size: f.size, bit_offset: bitOffset, bit_size: f.bitSize };
}

export interface StructOptions {
  /** `_pack_`: maximum member alignment */
  pack?: number;
  /** `_align_`: minimum alignment of the struct */
  align?: number;
  /** class name shown in messages and inspect (default "Struct"/"Union") */
  name?: string;
  /** field names whose members are promoted (`_anonymous_`) */
  anonymous?: string[];
}

/** Build a structure (or union) class from a field map; fields are typed for TypeScript. */
export function makeStructClass(fields: Record<string, unknown>, options: StructOptions, union: boolean): Function {
  if (fields === null || typeof fields !== "object") throw new TypeError(`${union ? "union" : "struct"}(): expected an object of field types, got ${describeValue(fields)}`);
  const proto = Object.getPrototypeOf(fields) as unknown;
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`${union ? "union" : "struct"}(): the field object has a prototype: \`__proto__: T\` in an object literal sets it instead of declaring a field (write ["__proto__"]: T)`);
  const list: FieldTuple[] = Object.entries(fields).map(([name, spec]) =>
    Array.isArray(spec) ? ([name, spec[0], spec[1]] as const) : ([name, spec] as const),
  );
  for (const [name, t] of list) if (!hasInfo(t)) infoOf(t, `${union ? "union" : "struct"}() field ${JSON.stringify(name)}`);
  const name = options.name ?? (union ? "Union" : "Struct");
  const Base = union ? Union : Structure;
  const cls = { [name]: class extends (Base as unknown as new (...a: unknown[]) => StructureBase) {} }[name]!;
  Object.defineProperty(cls, "_fields_", { value: list, writable: true, configurable: true });
  if (options.pack) Object.defineProperty(cls, "_pack_", { value: options.pack, configurable: true });
  if (options.align) Object.defineProperty(cls, "_align_", { value: options.align, configurable: true });
  if (options.anonymous) Object.defineProperty(cls, "_anonymous_", { value: options.anonymous, configurable: true });
  return cls;
}

