/**
 * How an aggregate is described to libffi for by-value passing. Natural
 * layouts use their real members (libffi then applies the platform ABI itself).
 * Layouts libffi cannot reproduce (packed, bit fields, unions, raised alignment)
 * get an equivalent element list built from the ABI's classification: on
 * x86-64 System V, each eightbyte is INTEGER or SSE and structs over 16 bytes go
 * in memory, so elements of the same size, alignment and classes travel the same way.
 */
import { TypeInfo } from "./ctype";
import { FfiCode } from "./ffi-codes";
import { Layout } from "./layout";

export interface AggregateInfo extends TypeInfo {
  readonly layout: Layout;
  readonly littleEndian: boolean;
}

/** Element codes for the natural description, or null when the layout is not natural. */
export function naturalElements(info: AggregateInfo, codeOf: (t: TypeInfo) => number): number[] | null {
  const { layout } = info;
  if (info.kind !== "struct" || !layout.natural || layout.fields.some((f) => f.bitSize !== undefined)) return null;
  const out: number[] = [];
  for (const f of layout.fields) if (!pushElements(f.type, out, codeOf)) return null;
  return out;
}

function pushElements(t: TypeInfo, out: number[], codeOf: (t: TypeInfo) => number): boolean {
  if (t.kind === "array") {
    for (let i = 0; i < t.length!; i++) if (!pushElements(t.target!, out, codeOf)) return false;
    return true;
  }
  out.push(codeOf(t));
  return true;
}

type ByteClass = 0 | 1 | 2; // padding, INTEGER, SSE
const INTEGER = 1, SSE = 2;

export type EightbyteClass = "INTEGER" | "SSE";

/**
 * x86-64 System V classification of an aggregate: the class of each eightbyte
 * when it travels in registers, "MEMORY" when it goes in memory, or a reason it
 * cannot be described.
 */
export function classify(info: AggregateInfo): EightbyteClass[] | "MEMORY" | { unsupported: string } {
  const size = info.size;
  const bytes = new Uint8Array(size) as unknown as ByteClass[];
  let misaligned = false;
  let x87 = false;
  const mark = (t: TypeInfo, offset: number): void => {
    switch (t.kind) {
      case "struct":
      case "union": {
        const inner = t as AggregateInfo;
        for (const f of inner.layout.fields) {
          if (f.bitSize !== undefined) {
            const first = Math.floor((f.bitPosition ?? 0) / 8);
            const last = Math.floor(((f.bitPosition ?? 0) + f.bitSize - 1) / 8);
            for (let b = first; b <= last; b++) bytes[offset + b] = INTEGER;
          } else mark(f.type, offset + f.offset);
        }
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

/** The classified element list (x86-64 System V), or a reason why the type cannot be passed by value. */
export function classifiedElements(info: AggregateInfo): number[] | string {
  if (process.arch !== "x64" || process.platform === "win32")
    return "only natural layouts can be passed by value on this platform";
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
 * An aggregate whose only member (at any nesting) is one long double. The ABI
 * treats it exactly like a long double (x86-64: class X87, returned in st0),
 * which libffi only does for the scalar type, so it is described as that.
 */
export function isLoneLongDouble(info: TypeInfo): boolean {
  let t: TypeInfo = info;
  while (t.kind === "struct" || t.kind === "union" || (t.kind === "array" && t.length === 1)) {
    if (t.kind === "array") t = t.target!;
    else {
      const fields = (t as AggregateInfo).layout.fields;
      if (fields.length !== 1 || fields[0]!.offset !== 0 || fields[0]!.bitSize !== undefined) return false;
      t = fields[0]!.type;
    }
  }
  return t.kind === "longdouble" && t.size === info.size;
}
