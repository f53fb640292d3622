/**
 * Classification of aggregates (structs, unions) whose layout libffi cannot reproduce from
 * their members (packed, bit fields, unions, raised alignment): they are described to it as
 * an element list of the same size that the ABI passes the same way (libffi.ts).
 *
 * x86-64 System V: each eightbyte is INTEGER or SSE, and structs over 16 bytes go in
 * memory. The register path passes aggregates by these classes (registers.ts), and the
 * element list is built from them: elements of the same size, alignment and classes
 * travel the same way.
 *
 * AAPCS64: a homogeneous floating-point aggregate (HFA) travels in vector registers, one
 * per member; any other composite of at most 16 bytes in integer registers as its memory
 * image, a larger one by reference. The element list is then the HFA's members, or
 * integer words of the aggregate's size.
 */
import { TypeInfo } from "../types/ctype";
import { FfiCode } from "../types/ffi-codes";
import { AggregateInfo } from "../types/layout";

type ByteClass = 0 | 1 | 2; // padding, INTEGER, SSE
const INTEGER = 1, SSE = 2;

export type EightbyteClass = "INTEGER" | "SSE";

/**
 * The class of each eightbyte when the aggregate travels in registers, "MEMORY"
 * when it goes in memory, or a reason it cannot be described.
 */
export type Eightbytes = EightbyteClass[] | "MEMORY" | { unsupported: string };

export function classifySysV(info: AggregateInfo): Eightbytes {
  const size = info.size;
  const bytes = new Uint8Array(size) as unknown as ByteClass[];
  let misaligned = false;
  let x87 = false;
  const mark = (t: TypeInfo, offset: number): void => {
    switch (t.kind) {
      case "struct":
      case "union": {
        const inner = t as AggregateInfo;
        const bits = (pos: number, width: number) => {
          for (let b = Math.floor(pos / 8); b <= Math.floor((pos + width - 1) / 8); b++) bytes[offset + b] = INTEGER;
        };
        for (const f of inner.layout.fields) {
          if (f.bitSize !== undefined) bits(f.bitPosition ?? 0, f.bitSize);
          else mark(f.type, offset + f.offset);
        }
        // unnamed bit fields are INTEGER too (GCC: union { float f; int : 3; } travels in a general register)
        for (const u of inner.layout.unnamedBits) bits(u.bitPosition, u.bitSize);
        return;
      }
      case "array":
        for (let i = 0; i < t.length!; i++) mark(t.target!, offset + i * t.target!.size);
        return;
      case "longdouble":
        x87 = true;
        return;
      default: {
        if (offset % t.align !== 0) misaligned = true;
        const c = t.kind === "float" || t.kind === "double" ? SSE : INTEGER;
        for (let b = offset; b < offset + t.size; b++) if (bytes[b] !== INTEGER) bytes[b] = c;
      }
    }
  };
  mark(info, 0);
  if (x87) return { unsupported: "long double members are only supported in natural layouts" };
  if (size > 16 || size === 0) return "MEMORY";
  if (misaligned) return { unsupported: "packed with misaligned members (the ABI passes it in memory, which libffi cannot express for small structs)" };
  const out: EightbyteClass[] = [];
  for (let chunk = 0; chunk < size; chunk += 8) {
    // INTEGER if any byte is; else SSE if any byte is; an all-padding eightbyte counts as INTEGER
    const classes = bytes.slice(chunk, Math.min(size, chunk + 8));
    out.push(classes.includes(INTEGER) ? "INTEGER" : classes.includes(SSE) ? "SSE" : "INTEGER");
  }
  return out;
}

/** The libffi element list equivalent to a layout under `classify`, or a reason why the type cannot be passed by value. */
export function classifiedElements(info: AggregateInfo, classify: (info: AggregateInfo) => Eightbytes): number[] | string {
  const size = info.size;
  const align = info.align;
  if (align > 8) return "alignment above 8 is not supported for non-natural layouts";
  const classes = classify(info);
  if (typeof classes === "object" && !Array.isArray(classes)) return classes.unsupported;
  const unit = Math.min(align, 8);
  const intCode = unit === 1 ? FfiCode.Uint8 : unit === 2 ? FfiCode.Uint16 : unit === 4 ? FfiCode.Uint32 : FfiCode.Uint64;
  if (classes === "MEMORY") return Array<number>(size / unit).fill(intCode); // only size and alignment matter
  const out: number[] = [];
  classes.forEach((cls, k) => {
    const len = Math.min(8, size - 8 * k);
    if (cls === "SSE" && unit < 4) throw new TypeError(`${info.name} cannot be passed by value: packed with floating-point members`);
    for (let i = 0; i < len / unit; i++) out.push(cls === "SSE" ? (unit === 4 ? FfiCode.Float : FfiCode.Double) : intCode);
  });
  return out;
}

/**
 * The AAPCS64 base type and member count of a homogeneous aggregate (as GCC decides it,
 * aapcs_vfp_sub_candidate), 0 members for an empty one, or null when `t` is not one.
 * Struct members add up and union members take the largest count; either way all of
 * them have one floating-point base type and there is no padding. Named bit fields
 * (integers) and unnamed non-zero ones break it, zero-width ones do not (GCC 12 on);
 * a zero-length array breaks it, an empty struct adds nothing.
 */
type Homogeneous = { base: "float" | "double" | null; count: number } | null;

function homogeneous(t: TypeInfo, zeroLengthArraysVanish = false): Homogeneous {
  switch (t.kind) {
    case "float":
    case "double":
      return { base: t.kind, count: 1 };
    case "array": {
      if (t.length === 0) return zeroLengthArraysVanish ? { base: null, count: 0 } : null;
      const inner = homogeneous(t.target!, zeroLengthArraysVanish);
      return inner && { base: inner.base, count: inner.count * t.length! };
    }
    case "struct":
    case "union": {
      const { layout } = t as AggregateInfo;
      if (layout.unnamedBits.length) return null;
      let base: "float" | "double" | null = null;
      let count = 0;
      for (const f of layout.fields) {
        if (f.bitSize !== undefined) return null;
        const h = homogeneous(f.type, zeroLengthArraysVanish);
        if (!h || (h.base && base && h.base !== base)) return null;
        base ??= h.base;
        count = t.kind === "union" ? Math.max(count, h.count) : count + h.count;
      }
      if (count === 0) return t.size === 0 ? { base: null, count: 0 } : null;
      return t.size === count * (base === "float" ? 4 : 8) ? { base, count } : null;
    }
    default:
      return null;
  }
}

function hasLongDouble(t: TypeInfo): boolean {
  if (t.kind === "longdouble") return true;
  if (t.kind === "array") return hasLongDouble(t.target!);
  if (t.kind === "struct" || t.kind === "union") return (t as AggregateInfo).layout.fields.some((f) => hasLongDouble(f.type));
  return false;
}

const isHfa = (h: Homogeneous): h is { base: "float" | "double"; count: number } => h !== null && h.base !== null && h.count >= 1 && h.count <= 4;

/**
 * A natural layout that libffi, given its members, would take for an HFA where GCC does not:
 * a zero-length array keeps an aggregate from being homogeneous, and libffi never sees it.
 */
export function aapcs64NaturalMisleads(info: AggregateInfo): boolean {
  return isHfa(homogeneous(info, true)) && !isHfa(homogeneous(info));
}

/** The libffi element list equivalent to a layout under AAPCS64, or a reason why the type cannot be passed by value. */
export function aapcs64Elements(info: AggregateInfo): number[] | string {
  const { size, align } = info;
  // GCC places an over-aligned aggregate on the stack by its members' alignment (an aligned(16)
  // {int, int} after eight register arguments and an int: at sp+8), libffi by the type's
  if (align > 8) return "alignment above 8 is not supported for non-natural layouts";
  if (hasLongDouble(info)) return "long double members are only supported in natural layouts";
  if (size === 0) return "an empty aggregate has no by-value form";
  const hfa = homogeneous(info);
  // an HFA: its members in vector registers (libffi recognises the same list as one)
  if (isHfa(hfa)) return Array<number>(hfa.count).fill(hfa.base === "float" ? FfiCode.Float : FfiCode.Double);
  // else its bytes in integer registers (at most 16), or by reference: words of its size and alignment
  const unit = Math.min(align, 8);
  const intCode = unit === 1 ? FfiCode.Uint8 : unit === 2 ? FfiCode.Uint16 : unit === 4 ? FfiCode.Uint32 : FfiCode.Uint64;
  return Array<number>(size / unit).fill(intCode);
}
