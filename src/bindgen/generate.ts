/**
 * tsctypes-bindgen's generator: the preprocessed headers are parsed and resolved by the cdef machinery
 * (one declaration at a time, so one it cannot express becomes a comment naming it), the declarations of
 * the named headers are kept with the types they depend on, and the resolved type objects are written back
 * as TypeScript: Structure/Union classes, enums, constants, and functions bound with `lib.func(name,
 * restype, argtypes)` so TypeScript infers their exact types.
 */
import type { CTypeLike, TypeInfo } from "../types/ctype";
import { infoOf } from "../types/ctype";
import { simpleTypes } from "../data/simple";
import { POINTER } from "../data/pointer";
import { BigEndianStructure, BigEndianUnion, LittleEndianStructure, LittleEndianUnion, Structure, Union } from "../data/struct";
import { STANDARD_TYPEDEFS } from "../cdecl/builtins";
import { CDeclError } from "../cdecl/errors";
import { IntValue, evaluate, jsValue } from "../cdecl/constexpr";
import type { Declaration } from "../cdecl/ast";
import { Token, tokenize } from "../cdecl/lexer";
import { Parser } from "../cdecl/parser";
import { CPrototype, Resolver } from "../cdecl/resolve";
import { MacroDefinition, Preprocessed, PreprocessOptions, preprocess } from "./preprocess";

export interface BindgenOptions extends PreprocessOptions {
  /** the library the functions are bound to: a name for find_library ("z"), or a soname/path ("libz.so.1") */
  readonly lib: string;
  /** keep only names matching / not matching these */
  readonly include?: RegExp;
  readonly exclude?: RegExp;
  /** symbols the library exports (functions it lacks become comments); undefined: not checked */
  readonly exports?: (symbol: string) => boolean;
}

/** What could not be expressed, by name, with the reason. */
export interface Skipped {
  readonly name: string;
  readonly reason: string;
}

export interface BindgenResult {
  readonly source: string;
  readonly skipped: readonly Skipped[];
}

const WHERE = "tsctypes-bindgen";
/** GCC's va_list: passed as a pointer, opaque to tsctypes */
const BUILTIN_TYPES: Readonly<Record<string, CTypeLike>> = { __builtin_va_list: simpleTypes.c_void_p as CTypeLike };
const RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false",
  "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
  "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public",
  "await", "arguments", "eval", "lib", "ct", "Field", "undefined", "NaN", "Infinity",
]);

export function bindgen(headers: readonly string[], options: BindgenOptions): BindgenResult {
  return generate(preprocess(headers, options), headers, options);
}

type Origin = { readonly file: string };

export function generate(pre: Preprocessed, headers: readonly string[], options: BindgenOptions): BindgenResult {
  const skipped: Skipped[] = [];
  const fileOf = (line: number) => pre.lineFiles[line - 1] ?? "<stdin>";
  const isNamed = (file: string) => pre.namedFiles.has(file);
  const wanted = (name: string) => (!options.include || options.include.test(name)) && !(options.exclude && options.exclude.test(name));
  const skip = (file: string, name: string, reason: string) => {
    if (isNamed(file) && wanted(name)) skipped.push({ name, reason });
  };

  // ---- parse and resolve, one declaration at a time
  const tokens = tokenize(pre.text, WHERE);
  const typedefNames = new Set([...Object.keys(STANDARD_TYPEDEFS), ...Object.keys(BUILTIN_TYPES)]);
  const parser = new Parser(tokens, typedefNames, WHERE);
  const declarations = parser.parseDeclarationsRecovering((error, first, last) => {
    skip(fileOf(first.line), declaredName(tokens, first, last), reasonOf(error));
  });
  const resolver = new Resolver(BUILTIN_TYPES, WHERE);
  const r = resolver.result;
  const origins = { types: new Map<string, Origin>(), functions: new Map<string, Origin>(), enums: new Map<string, Origin>(), constants: new Map<string, Origin>(), variables: new Map<string, Origin>() };
  for (const d of declarations) {
    const before = { types: new Set(Object.keys(r.types)), functions: new Set(Object.keys(r.functions)), enums: new Set(Object.keys(r.enums)), constants: new Set(Object.keys(r.constants)), variables: new Set(Object.keys(r.variables)) };
    const file = fileOf(d.pos.line);
    try {
      resolver.declare(d);
    } catch (e) {
      if (!(e instanceof CDeclError)) throw e;
      skip(file, namesOf(d), reasonOf(e));
      continue;
    }
    for (const key of Object.keys(origins) as (keyof typeof origins)[])
      for (const name of Object.keys(r[key])) if (!before[key].has(name)) origins[key].set(name, { file });
  }
  const keep = (origin: Origin | undefined, name: string) => origin !== undefined && isNamed(origin.file) && wanted(name);

  // ---- print
  const out = new Printer(Object.values(r.types).filter(isRecord));
  const functionLines: string[] = [];
  let variadics = false;
  for (const [name, p] of Object.entries(r.functions)) {
    if (!keep(origins.functions.get(name), name)) continue;
    const problem = functionProblem(p) ?? (options.exports && !options.exports(name) ? `not exported by ${options.lib}` : null);
    if (problem) {
      skipped.push({ name, reason: problem });
      continue;
    }
    const id = out.claim(name);
    const args = p.argtypes.map((t) => out.expr(t)).join(", ");
    const fixed = `lib.func(${JSON.stringify(name)}, ${p.restype === null ? "null" : out.expr(p.restype)}, [${args}])`;
    // (a variadic function takes its declared parameters, then values typed per call: VARIADIC is the helper's name, claimed last)
    functionLines.push(`/** ${prototypeText(p)} */\nexport const ${id} = ${p.variadic ? `${VARIADIC}(${fixed})` : fixed};`);
    variadics ||= p.variadic;
  }
  const typedefLines: string[] = [];
  for (const [name, t] of Object.entries(r.types)) {
    if (!keep(origins.types.get(name), name) || name in r.enums) continue;
    if (isRecord(t)) {
      const cls = out.recordName(t);
      if (cls === name) continue;
      const id = out.claim(name);
      typedefLines.push(`export const ${id} = ${cls};\nexport type ${id} = ${cls};`);
    } else {
      const id = out.claim(name);
      typedefLines.push(`export const ${id} = ${out.expr(t)};`);
    }
  }
  variableComments(r.variables, origins.variables, keep, skipped);
  const enumLines: string[] = [];
  for (const [name, members] of Object.entries(r.enums)) {
    if (!keep(origins.enums.get(name), name)) continue;
    const id = out.claim(name);
    enumLines.push(`export const ${id} = { ${Object.entries(members).map(([k, v]) => `${k}: ${literal(v)}`).join(", ")} } as const;`);
  }
  const constantLines: string[] = [];
  for (const [name, v] of Object.entries(r.constants)) {
    if (!keep(origins.constants.get(name), name)) continue;
    constantLines.push(`export const ${out.claim(name)} = ${literal(v)};`);
  }
  const macroLines = macros(pre.macros, isNamed, wanted, resolver, typedefNames, out, skipped);
  const recordLines = out.records();
  if (variadics) {
    const helper = out.claim("variadic");
    functionLines.forEach((line, i) => (functionLines[i] = line.replace(`= ${VARIADIC}(`, `= ${helper}(`)));
    functionLines.unshift(
      `/** A variadic C function: its declared parameters, then values typed per call (numbers, strings, c_double(x), ...). */`,
      `const ${helper} = <F extends (...args: never[]) => unknown>(f: ct.ForeignFunction<F>): ct.ForeignFunction<(...args: [...Parameters<F>, ...ct.VariadicArg[]]) => ReturnType<F>> => f as never;`,
    );
  }

  const lines = [
    `// Generated by tsctypes-bindgen from ${headers.join(", ")}: do not edit; run tsctypes-bindgen again.`,
    `import * as ct from "tsctypes";`,
    ``,
    `/** What reading a field of type T gives. */`,
    `type Field<T> = ct.FieldValues<{ v: T }>["v"];`,
    ``,
    libraryLine(options.lib),
    ...section("Structures and unions", recordLines),
    ...section("Typedefs", typedefLines),
    ...section("Enums", enumLines),
    ...section("Enumerators", constantLines),
    ...section("#define constants", macroLines),
    ...section("Functions", functionLines),
    ...section("Not expressible", skipped.map((s) => `// ${s.name}: ${s.reason.replace(/\n/g, " ")}`)),
  ];
  return { source: lines.join("\n") + "\n", skipped };
}

/** A placeholder for the variadic helper's name in function lines, until every other name is claimed. */
const VARIADIC = "\u0000variadic";

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ["", `// ---- ${title}`, ...lines];
}

function libraryLine(lib: string): string {
  if (/[./]/.test(lib)) return `export const lib = new ct.CDLL(${JSON.stringify(lib)});`;
  return `const libPath = ct.find_library(${JSON.stringify(lib)});\nif (libPath === null) throw new Error(${JSON.stringify(`library "${lib}" not found (find_library("${lib}") returned null)`)});\nexport const lib = new ct.CDLL(libPath);`;
}

function reasonOf(e: CDeclError): string {
  // the position is one of the preprocessed text, meaningless to the reader: keep the message
  return e.message.replace(/^tsctypes-bindgen: line \d+, column \d+ (?:at "(?:[^"\\]|\\.)*"|at the end of the text): /, "");
}

/** The name a declaration that failed to parse declares, as well as one can tell from its tokens. */
function declaredName(tokens: readonly Token[], first: Token, last: Token): string {
  const from = tokens.indexOf(first);
  const to = tokens.indexOf(last);
  let depth = 0;
  let lastName = "";
  for (let i = from; i <= to; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct" && "([{".includes(t.token)) {
      if (depth === 0 && t.token === "(" && lastName && tokens[i - 1]?.kind === "ident") return lastName;
      depth++;
    } else if (t.kind === "punct" && ")]}".includes(t.token)) depth--;
    else if (t.kind === "ident" && depth === 0 && !t.token.startsWith("__")) lastName = t.token;
  }
  return lastName || `(declaration: ${tokens.slice(from, Math.min(to + 1, from + 8)).map((t) => t.token).join(" ")} ...)`;
}

function namesOf(d: Declaration): string {
  const names = d.declarators.map((x) => x.name).filter((n): n is string => n !== null);
  const t = d.specifiers.type;
  if (names.length) return names.join(", ");
  return t.kind === "record" || t.kind === "enum" ? `${t.kind === "enum" ? "enum" : t.union ? "union" : "struct"} ${t.tag ?? "(anonymous)"}` : "(declaration)";
}

/** Why a prototype cannot be bound, or null. */
function functionProblem(p: CPrototype): string | null {
  for (const [i, t] of [p.restype, ...p.argtypes].entries()) {
    if (t === null) continue;
    try {
      infoOf(t, p.name);
    } catch (e) {
      return `${i === 0 ? "return type" : `parameter ${i}`}: ${(e as Error).message}`;
    }
  }
  return null;
}

function prototypeText(p: CPrototype): string {
  const params = p.argtypes.map((t, i) => `${p.paramNames[i] ?? `arg${i + 1}`}: ${infoOf(t, p.name).name}`);
  if (p.variadic) params.push("...");
  return `${p.name}(${params.join(", ")}) -> ${p.restype === null ? "void" : infoOf(p.restype, p.name).name}`.replace(/\*\//g, "* /");
}

function variableComments(variables: Record<string, CTypeLike>, origins: Map<string, Origin>, keep: (o: Origin | undefined, n: string) => boolean, skipped: Skipped[]): void {
  for (const [name, t] of Object.entries(variables))
    if (keep(origins.get(name), name)) skipped.push({ name, reason: `variable of type ${infoOf(t, name).name}: read it with ${infoOf(t, name).name}.in_dll(lib, "${name}")` });
}

function literal(v: number | bigint | string): string {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  return Object.is(v, -0) ? "-0" : String(v);
}

const FLOAT = /^(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][+-]?\d+)?[fFlL]?$/;
const STRING_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", "?": "?" };

/** The `#define`s of the named headers that are constants: integer constant expressions, floating and string literals. */
function macros(all: readonly MacroDefinition[], isNamed: (f: string) => boolean, wanted: (n: string) => boolean, resolver: Resolver, typedefNames: Set<string>, out: Printer, skipped: Skipped[]): string[] {
  const integers = new Map<string, IntValue>();
  const scope = { ...resolver.scope, constant: (name: string) => integers.get(name) ?? resolver.scope.constant(name) };
  const lines: string[] = [];
  for (const m of all) {
    if (!isNamed(m.file) || !wanted(m.name)) {
      // integer macros of other headers and of the command line (-D) can be part of the named headers' values
      if (m.params === null && m.body !== "") macroValue(m, scope, integers, typedefNames);
      continue;
    }
    if (out.has(m.name)) continue; // a macro naming a declared function or type (an alias, a guard against redefinition)
    if (m.params !== null) {
      skipped.push({ name: m.name, reason: `function-like macro ${m.name}${m.params}` });
      continue;
    }
    if (m.body === "") {
      skipped.push({ name: m.name, reason: "macro without a value" });
      continue;
    }
    const value = macroValue(m, scope, integers, typedefNames);
    if (typeof value === "object") {
      skipped.push({ name: m.name, reason: `macro ${m.name} = ${m.body}: ${value.reason}` });
      continue;
    }
    lines.push(`export const ${out.claim(m.name)} = ${literal(value)};`);
  }
  return lines;
}

function macroValue(m: MacroDefinition, scope: Resolver["scope"], integers: Map<string, IntValue>, typedefNames: Set<string>): number | bigint | string | { reason: string } {
  let body = m.body;
  while (/^\(.*\)$/.test(body) && balanced(body.slice(1, -1))) body = body.slice(1, -1).trim();
  const sign = /^-\s*/.exec(body);
  const unsigned = sign ? body.slice(sign[0].length) : body;
  if (FLOAT.test(unsigned)) return (sign ? -1 : 1) * Number(unsigned.replace(/[fFlL]$/, ""));
  let tokens: Token[];
  try {
    tokens = tokenize(body, WHERE);
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (tokens.length > 1 && tokens.slice(0, -1).every((t) => t.kind === "string" && t.token.startsWith('"'))) {
    let text = "";
    for (const t of tokens.slice(0, -1)) {
      const s = decodeString(t.token.slice(1, -1));
      if (s === null) return { reason: "string with escapes other than the simple ones" };
      text += s;
    }
    return text;
  }
  try {
    const v = evaluate(new Parser(tokens, new Set(typedefNames), WHERE).parseConstantExpression(), scope);
    integers.set(m.name, v);
    return jsValue(v);
  } catch (e) {
    if (!(e instanceof CDeclError)) throw e;
    return { reason: `not a constant expression (${reasonOf(e).replace(/^tsctypes-bindgen: line 1, column \d+ (?:at "(?:[^"\\]|\\.)*"|at the end of the text): /, "")})` };
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

function decodeString(body: string): string | null {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== "\\") {
      out += body[i];
      continue;
    }
    const e = STRING_ESCAPES[body[i + 1] ?? ""];
    if (e === undefined || (body[i + 1] === "0" && /[0-7]/.test(body[i + 2] ?? ""))) return null;
    out += e;
    i++;
  }
  return out;
}

/** Writes type objects back as TypeScript expressions and types; collects the record classes they reach. */
class Printer {
  private readonly used = new Set<string>();
  private readonly recordIds = new Map<Function, string>();
  private readonly recordOrder: Function[] = [];
  private readonly simpleNames = new Map<unknown, string>(Object.entries(simpleTypes).map(([k, v]) => [v, k] as const).reverse());
  /** POINTER(cls) -> cls: a pointer's target read from its TypeInfo would lay out an opaque class (and throw) */
  private readonly pointerTargets: Map<unknown, CTypeLike>;

  constructor(records: readonly CTypeLike[]) {
    this.pointerTargets = new Map(records.map((cls) => [POINTER(cls), cls]));
  }

  /** What pointer or array type `t` points to or holds. */
  private target(t: CTypeLike, info: TypeInfo): CTypeLike {
    return this.pointerTargets.get(t) ?? (info.target!.cls as CTypeLike);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  /** A unique exported identifier for a C name. */
  claim(name: string): string {
    let id = name.replace(/[^\w$]/g, "_");
    if (RESERVED.has(id) || /^\d/.test(id)) id = `${id}_`;
    while (this.used.has(id)) id = `${id}_`;
    this.used.add(id);
    return id;
  }

  recordName(t: CTypeLike): string {
    const cls = t as unknown as Function;
    let id = this.recordIds.get(cls);
    if (id === undefined) {
      id = this.claim(cls.name);
      this.recordIds.set(cls, id);
      this.recordOrder.push(cls);
    }
    return id;
  }

  /** The expression that makes type `t`. */
  expr(t: CTypeLike): string {
    if (isRecord(t)) return this.recordName(t);
    const info = infoOf(t, "bindgen");
    const simple = this.simpleNames.get(t);
    if (simple !== undefined) return `ct.${simple}`;
    switch (info.kind) {
      case "pointer":
        return `ct.POINTER(${this.expr(this.target(t, info))})`;
      case "array":
        return `ct.ARRAY(${this.expr(this.target(t, info))}, ${info.length})`;
      case "funcptr": {
        const f = info as TypeInfo & { restypeObject: CTypeLike | null; argtypeObjects: readonly CTypeLike[] };
        return `ct.CFUNCTYPE(${f.restypeObject === null ? "null" : this.expr(f.restypeObject)}${f.argtypeObjects.map((a) => `, ${this.expr(a)}`).join("")})`;
      }
      default:
        throw new Error(`tsctypes-bindgen: no expression for type ${info.name}`);
    }
  }

  /** The TypeScript type of the type object `expr(t)` makes. */
  type(t: CTypeLike): string {
    if (isRecord(t)) return `typeof ${this.recordName(t)}`;
    const info = infoOf(t, "bindgen");
    const simple = this.simpleNames.get(t);
    if (simple !== undefined) return `typeof ct.${simple}`;
    switch (info.kind) {
      case "pointer":
        return `ct.PointerType<${this.type(this.target(t, info))}>`;
      case "array":
        return `ct.ArrayType<${this.type(this.target(t, info))}>`;
      case "funcptr": {
        const f = info as TypeInfo & { restypeObject: CTypeLike | null; argtypeObjects: readonly CTypeLike[] };
        return `ct.FunctionPointerType<${f.restypeObject === null ? "null" : this.type(f.restypeObject)}, [${f.argtypeObjects.map((a) => this.type(a)).join(", ")}]>`;
      }
      default:
        throw new Error(`tsctypes-bindgen: no type for ${info.name}`);
    }
  }

  /** Class declarations, then `_fields_` in an order where a record comes after those it holds by value. */
  records(): string[] {
    const classes: string[] = [];
    const fieldLines = new Map<Function, string[]>();
    const byValue = new Map<Function, Function[]>();
    // printing fields can reach more records: walk until no new one appears
    for (let i = 0; i < this.recordOrder.length; i++) {
      const cls = this.recordOrder[i]! as Function & { _fields_?: readonly (readonly [string, CTypeLike, number?])[]; _pack_?: number; _align_?: number; _anonymous_?: readonly string[] };
      const id = this.recordIds.get(cls)!;
      const base = cls.prototype instanceof BigEndianStructure ? "BigEndianStructure" : cls.prototype instanceof LittleEndianStructure ? "LittleEndianStructure"
        : cls.prototype instanceof BigEndianUnion ? "BigEndianUnion" : cls.prototype instanceof LittleEndianUnion ? "LittleEndianUnion" : cls.prototype instanceof Union ? "Union" : "Structure";
      let layoutError: string | null = null;
      if (cls._fields_ !== undefined) {
        try {
          infoOf(cls, id);
        } catch (e) {
          layoutError = (e as Error).message;
        }
      }
      if (cls._fields_ === undefined || layoutError !== null) {
        classes.push(`${layoutError ? `// ${id}: ${layoutError.replace(/\n/g, " ")}: left opaque\n` : ""}/** an opaque ${base === "Structure" ? "struct" : "union"} (no definition): use it behind pointers */\nexport class ${id} extends ct.${base} {}`);
        continue;
      }
      const declares = this.fieldDeclarations(cls).map(([name, t]) => `  declare ${JSON.stringify(name) === `"${name}"` && /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: Field<${t}>;`);
      classes.push(`export class ${id} extends ct.${base} {\n${declares.join("\n")}\n}`);
      const lines: string[] = [];
      if (cls._pack_) lines.push(`${id}._pack_ = ${cls._pack_};`);
      if (cls._align_) lines.push(`${id}._align_ = ${cls._align_};`);
      if (cls._anonymous_?.length) lines.push(`${id}._anonymous_ = ${JSON.stringify(cls._anonymous_)};`);
      const entries = cls._fields_.map(([name, t, bits]) => `  [${JSON.stringify(name)}, ${this.expr(t)}${bits !== undefined ? `, ${bits}` : ""}],`);
      lines.push(`${id}._fields_ = [\n${entries.join("\n")}\n];`);
      fieldLines.set(cls, lines);
      byValue.set(cls, cls._fields_.flatMap(([, t]) => heldRecords(t)));
    }
    const ordered: string[] = [];
    const done = new Set<Function>();
    const visit = (cls: Function) => {
      if (done.has(cls)) return;
      done.add(cls);
      for (const dep of byValue.get(cls) ?? []) visit(dep);
      ordered.push(...(fieldLines.get(cls) ?? []));
    };
    for (const cls of this.recordOrder) visit(cls);
    return [...classes, ...ordered];
  }

  /** The fields a record's instances have: its named fields, and those promoted from its anonymous members. */
  private fieldDeclarations(cls: Function & { _fields_?: readonly (readonly [string, CTypeLike, number?])[]; _anonymous_?: readonly string[] }): [string, string][] {
    const out: [string, string][] = [];
    for (const [name, t] of cls._fields_ ?? []) {
      if (name === "") continue;
      out.push([name, this.type(t)]);
      if (cls._anonymous_?.includes(name)) out.push(...this.fieldDeclarations(t as unknown as typeof cls));
    }
    return out;
  }
}


/** Records a field holds by value (itself, or as array elements). */
function heldRecords(t: CTypeLike): Function[] {
  if (isRecord(t)) return [t as unknown as Function];
  const info = infoOf(t, "bindgen");
  if (info.kind === "array") return heldRecords(info.target!.cls as CTypeLike);
  return [];
}

/** A Structure or Union class (defined or opaque: an opaque one has no layout to ask infoOf about). */
function isRecord(t: unknown): boolean {
  return typeof t === "function" && (t.prototype instanceof Structure || t.prototype instanceof Union);
}
