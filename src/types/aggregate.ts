/** libffi codes for every type, registering aggregate (struct/union) types with the native core on first use. */
import { native } from "../native";
import { TypeInfo } from "./ctype";

export function ffiCodeOf(info: TypeInfo): number {
  if (info.ffi >= 0) return info.ffi;
  if (!info.ffiElements) throw new TypeError(`${info.name} cannot be passed or returned by value (pass a pointer to it instead)`);
  const [code, size, align] = native.structType(info.ffiElements());
  if (size !== info.size || align !== info.align)
    throw new TypeError(`${info.name}: libffi lays it out as ${size} bytes (align ${align}), tsctypes as ${info.size} (align ${info.align}); this layout cannot be passed by value`);
  info.ffi = code;
  return code;
}
