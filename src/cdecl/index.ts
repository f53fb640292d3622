/**
 * Declaring from C text: `cdef(source, types?)` for a block of declarations,
 * `parsePrototype(text, types?)` for one prototype (lib.func's string form).
 * lexer -> parser (syntax tree) -> resolve (tsctypes types).
 */
import type { CTypeLike } from "../types/ctype";
import { hasInfo } from "../types/ctype";
import { describeValue } from "../errors";
import { STANDARD_TYPEDEFS } from "./builtins";
import { tokenize } from "./lexer";
import { Parser } from "./parser";
import { CDeclarations, CPrototype, Resolver } from "./resolve";

export { CDeclError } from "./errors";
export type { SourcePosition } from "./errors";
export type { CDeclarations, CPrototype } from "./resolve";

/** Names beyond C's built-ins: typedef names (and struct/union tags) mapped to tsctypes types. */
export type CTypeMap = Readonly<Record<string, CTypeLike>>;

/** Parse a block of C declarations into tsctypes types, enums, constants, prototypes and variables. */
export function cdef(source: string, types: CTypeMap = {}): CDeclarations {
  const where = "cdef()";
  const resolver = new Resolver(checkTypeMap(types, where), where);
  for (const d of new Parser(tokenize(checkSource(source, where), where), typedefNames(types), where).parseDeclarations()) resolver.declare(d);
  return resolver.finish();
}

/**
 * Parse one C function prototype (`"int add(int a, int b)"`, a trailing ";" allowed).
 * `where` names the caller in error messages (e.g. "lib.func()").
 */
export function parsePrototype(text: string, types: CTypeMap = {}, where = "parsePrototype()"): CPrototype {
  const resolver = new Resolver(checkTypeMap(types, where), where);
  const declaration = new Parser(tokenize(checkSource(text, where), where), typedefNames(types), where).parseSingleDeclaration();
  const prototype = resolver.prototype(declaration);
  resolver.finish();
  return prototype;
}

function checkSource(source: unknown, where: string): string {
  if (typeof source !== "string") throw new TypeError(`${where}: expected C declarations as a string, got ${describeValue(source)}`);
  return source;
}

function checkTypeMap(types: unknown, where: string): CTypeMap {
  if (types === null || typeof types !== "object") throw new TypeError(`${where}: the type map must be an object of tsctypes types, got ${describeValue(types)}`);
  for (const [name, t] of Object.entries(types))
    if (!hasInfo(t)) throw new TypeError(`${where}: types.${name}: expected a tsctypes type (c_int, POINTER(...), a Structure, ...), got ${describeValue(t)}`);
  return types as CTypeMap;
}

function typedefNames(types: CTypeMap): Set<string> {
  return new Set([...Object.keys(STANDARD_TYPEDEFS), ...Object.keys(types)]);
}
