/** Error classes of the public API. Every message names the function, argument or field it is about. */

/** Wrong argument count or type in a foreign call (a `TypeError`, like ctypes' ArgumentError). */
export class ArgumentError extends TypeError {
  override name = "ArgumentError";
}

/** A library could not be loaded; `message` carries the system's text, `libraryName` what was asked for. */
export class LibraryLoadError extends Error {
  override name = "LibraryLoadError";
  readonly code = "ERR_DLOPEN";
  constructor(readonly libraryName: string | null, readonly systemMessage: string) {
    super(`cannot load library ${libraryName === null ? "(main program)" : JSON.stringify(libraryName)}: ${systemMessage}`);
  }
}

/** A symbol is not exported by a library. */
export class SymbolNotFoundError extends Error {
  override name = "SymbolNotFoundError";
  readonly code = "ERR_SYMBOL_NOT_FOUND";
  constructor(readonly symbol: string, readonly libraryName: string) {
    super(`symbol ${JSON.stringify(symbol)} not found in library ${libraryName}`);
  }
}

/** Memory was read or written through a NULL pointer. */
export class NullPointerError extends Error {
  override name = "NullPointerError";
  readonly code = "ERR_NULL_POINTER";
}

/** A short, unambiguous rendering of a JS value for error messages: `string "abc"`, `number 3.5`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  switch (typeof v) {
    case "string": {
      const s = v.length > 40 ? v.slice(0, 37) + "..." : v;
      return `string ${JSON.stringify(s)}`;
    }
    case "number":
      return `number ${String(v)}`;
    case "bigint":
      return `bigint ${String(v)}n`;
    case "boolean":
      return `boolean ${String(v)}`;
    case "function":
      return `function ${v.name || "(anonymous)"}`;
    case "symbol":
      return `symbol ${String(v.description)}`;
    default: {
      const ctor = (v as { constructor?: { name?: string } }).constructor;
      return ctor && ctor.name ? `${ctor.name} instance` : "object";
    }
  }
}
