/**
 * x86-64 System V classification of aggregates: each eightbyte is INTEGER or SSE,
 * and structs over 16 bytes go in memory. The register path passes aggregates by
 * these classes (registers.ts), and layouts libffi cannot reproduce (packed, bit
 * fields, unions, raised alignment) are described to it as an element list built
 * from them (libffi.ts): elements of the same size, alignment and classes travel
 * the same way.
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
