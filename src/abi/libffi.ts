/** libffi codes for every type, registering aggregate (struct/union) types with the native core on first use. */
import { native } from "../native";
import { TypeInfo } from "./ctype";
import { AggregateInfo, classifiedElements, isLoneLongDouble, naturalElements } from "./byvalue";
import { FfiCode } from "./ffi-codes";

export function ffiCodeOf(info: TypeInfo): number {
  if (info.ffi >= 0) return info.ffi;
  if (info.kind !== "struct" && info.kind !== "union")
    throw new TypeError(`${info.name} cannot be passed or returned by value (pass a pointer to it instead)`);
  const agg = info as AggregateInfo;
  if (isLoneLongDouble(agg)) return (info.ffi = FfiCode.LongDouble);
  const natural = naturalElements(agg, ffiCodeOf);
  if (natural) {
    const [code, size, align] = native.structType(natural);
    if (size === info.size && align === info.align) return (info.ffi = code);
  }
  const classified = classifiedElements(agg);
  if (typeof classified === "string") throw new TypeError(`${info.name} cannot be passed or returned by value: ${classified}; pass a pointer to it instead`);
  const [code, size] = native.structType(classified);
  if (size !== info.size) throw new TypeError(`${info.name} cannot be passed or returned by value: libffi sizes it ${size} bytes, not ${info.size}`);
  return (info.ffi = code);
}
