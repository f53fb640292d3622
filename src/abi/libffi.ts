/**
 * libffi codes for every type, registering aggregate (struct/union) types with the native
 * core on first use. Natural layouts are described by their real members (libffi then
 * applies the platform's ABI itself); other layouts by an equivalent element list from the
 * ABI's classification, where it has one.
 */
import { native } from "../native";
import { TypeInfo } from "../types/ctype";
import { FfiCode } from "../types/ffi-codes";
import { AggregateInfo } from "../types/layout";
import { abi } from "./index";

export function ffiCodeOf(info: TypeInfo): number {
  if (info.ffi >= 0) return info.ffi;
  if (info.kind !== "struct" && info.kind !== "union")
    throw new TypeError(`${info.name} cannot be passed or returned by value (pass a pointer to it instead)`);
  const agg = info as AggregateInfo;
  if (abi.loneLongDoubleIsScalar && isLoneLongDouble(agg)) return (info.ffi = FfiCode.LongDouble);
  const natural = abi.naturalMisleads?.(agg) ? null : naturalElements(agg);
  if (natural) {
    const [code, size, align] = native.structType(natural);
    if (size === info.size && align === info.align) return (info.ffi = code);
  }
  const classified = abi.aggregateElements ? abi.aggregateElements(agg) : "only natural layouts can be passed by value on this platform";
  if (typeof classified === "string") throw new TypeError(`${info.name} cannot be passed or returned by value: ${classified}; pass a pointer to it instead`);
  const [code, size] = native.structType(classified);
  if (size !== info.size) throw new TypeError(`${info.name} cannot be passed or returned by value: libffi sizes it ${size} bytes, not ${info.size}`);
  return (info.ffi = code);
}

/** Element codes for the natural description, or null when the layout is not natural. */
function naturalElements(info: AggregateInfo): number[] | null {
  const { layout } = info;
  if (info.kind !== "struct" || !layout.natural || layout.fields.some((f) => f.bitSize !== undefined)) return null;
  const out: number[] = [];
  for (const f of layout.fields) pushElements(f.type, out);
  return out;
}

function pushElements(t: TypeInfo, out: number[]): void {
  if (t.kind === "array") for (let i = 0; i < t.length!; i++) pushElements(t.target!, out);
  else out.push(ffiCodeOf(t));
}

/** An aggregate whose only member (at any nesting) is one long double. */
function isLoneLongDouble(info: TypeInfo): boolean {
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
