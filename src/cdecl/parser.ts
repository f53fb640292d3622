/**
 * Recursive-descent parser of C declarations into the tree of ast.ts. It knows
 * C's syntax only: which names are typedef names (that decides how C parses),
 * never what a type is. GNU extensions a header may carry are accepted:
 * attributes (kept for resolve.ts to judge), `__extension__`, `__restrict`,
 * `__inline`, asm labels, static/inline function bodies (skipped).
 */
import type { Attribute, Declaration, Declarator, Derived, EnumSpecifier, Enumerator, Expr, Member, Parameter, Pos, RecordSpecifier, Specifiers, TypeName, TypeSpecifier } from "./ast";
import { canonicalKeywordType } from "./builtins";
import { CDeclError } from "./errors";
import type { Token } from "./lexer";

const QUALIFIERS = new Set([
  "const", "volatile", "restrict", "__const", "__const__", "__volatile", "__volatile__", "__restrict", "__restrict__",
  "_Nonnull", "_Nullable", "_Null_unspecified",
]);
/** words with no effect on the type: function specifiers, storage classes that do not matter here */
const IGNORED = new Set(["__extension__", "_Noreturn", "noreturn", "register", "auto", "_Thread_local", "thread_local", "__thread"]);
const INLINE = new Set(["inline", "__inline", "__inline__"]);
const STORAGE = new Set(["typedef", "extern", "static"]);
/** type keywords, with their GNU/C23 aliases mapped to the standard word */
const TYPE_KEYWORDS: Readonly<Record<string, string>> = {
  void: "void", char: "char", short: "short", int: "int", long: "long", float: "float", double: "double",
  signed: "signed", __signed: "signed", __signed__: "signed", unsigned: "unsigned", _Bool: "_Bool", bool: "_Bool",
};
const UNSUPPORTED: Readonly<Record<string, string>> = {
  _Complex: "complex types have no tsctypes type",
  __complex__: "complex types have no tsctypes type",
  __int128: "__int128 has no tsctypes type",
  __int128_t: "__int128 has no tsctypes type",
  __uint128_t: "__int128 has no tsctypes type",
  _Float16: "_Float16 has no tsctypes type",
  __fp16: "__fp16 has no tsctypes type",
  _Float128: "_Float128 has no tsctypes type",
  __float128: "__float128 has no tsctypes type",
  _Decimal32: "decimal floating types have no tsctypes type",
  _Decimal64: "decimal floating types have no tsctypes type",
  _Decimal128: "decimal floating types have no tsctypes type",
  _BitInt: "_BitInt has no tsctypes type",
  _Atomic: "_Atomic types are not supported",
  _Alignas: "_Alignas changes the layout and is not supported",
  alignas: "alignas changes the layout and is not supported",
  typeof: "typeof is not supported",
  __typeof__: "typeof is not supported",
  __typeof: "typeof is not supported",
  __auto_type: "__auto_type is not supported",
};
const ATTRIBUTE_WORDS = new Set(["__attribute__", "__attribute", "__declspec"]);
const ASM_WORDS = new Set(["__asm__", "__asm", "asm"]);
const STATIC_ASSERT = new Set(["_Static_assert", "static_assert"]);
const SIZEOF_WORDS: Readonly<Record<string, "sizeof" | "alignof">> = { sizeof: "sizeof", _Alignof: "alignof", alignof: "alignof", __alignof__: "alignof", __alignof: "alignof" };
const RECORD_WORDS = new Set(["struct", "union", "enum"]);
/** words that can never be a declared name */
const KEYWORDS = new Set([
  ...QUALIFIERS, ...IGNORED, ...INLINE, ...STORAGE, ...Object.keys(TYPE_KEYWORDS), ...Object.keys(UNSUPPORTED), ...ATTRIBUTE_WORDS,
  ...ASM_WORDS, ...STATIC_ASSERT, ...Object.keys(SIZEOF_WORDS), ...RECORD_WORDS,
]);

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
};

const OPENERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

type SpecifierContext = "declaration" | "member" | "parameter" | "type name";

export class Parser {
  private index = 0;

  /** `typedefNames` grows as typedefs are parsed: C's grammar depends on it. */
  constructor(private readonly tokens: readonly Token[], private readonly typedefNames: Set<string>, private readonly where: string) {}

  /** A block of declarations (cdef). */
  parseDeclarations(): Declaration[] {
    const out: Declaration[] = [];
    while (this.peek().kind !== "eof") {
      if (this.accept(";")) continue;
      if (this.skipStaticAssert()) continue;
      out.push(this.parseDeclaration());
    }
    return out;
  }

  /**
   * A block of declarations where one that fails to parse is reported to `onError` (with the tokens it spans)
   * and skipped to its ";" at the outer level, so the rest still parse (tsctypes-bindgen on a whole header).
   */
  parseDeclarationsRecovering(onError: (error: CDeclError, first: Token, last: Token) => void): Declaration[] {
    const out: Declaration[] = [];
    while (this.peek().kind !== "eof") {
      const start = this.index;
      try {
        if (this.accept(";") || this.skipStaticAssert()) continue;
        out.push(this.parseDeclaration());
      } catch (e) {
        if (!(e instanceof CDeclError)) throw e;
        this.index = start;
        this.skipToDeclarationEnd();
        onError(e, this.tokens[start]!, this.tokens[Math.max(start, this.index - 1)]!);
      }
    }
    return out;
  }

  /** Past the next ";" outside brackets (a skipped declaration's end), or to the end of the text. */
  private skipToDeclarationEnd(): void {
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") return;
      if (t.kind !== "punct") continue;
      if (OPENERS[t.token]) depth++;
      else if (t.token === ")" || t.token === "]" || t.token === "}") depth = Math.max(0, depth - 1);
      else if (t.token === ";" && depth === 0) return;
    }
  }

  /** The whole text as one integer constant expression (a `#define`'s value). */
  parseConstantExpression(): Expr {
    const e = this.parseConditional();
    if (this.peek().kind !== "eof") this.fail(this.peek(), "expected the end of the constant expression");
    return e;
  }

  /** One declaration with one declarator and nothing after it but an optional ";" (a prototype string). */
  parseSingleDeclaration(): Declaration {
    const start = this.peek();
    const specifiers = this.parseSpecifiers("declaration");
    const declarator = this.parseDeclarator("named");
    this.accept(";");
    if (this.peek().kind !== "eof") this.fail(this.peek(), "expected the end of the declaration");
    return { specifiers, declarators: [declarator], definition: false, pos: start };
  }

  // ------------------------------------------------------------ tokens

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.index++;
    return t;
  }

  private is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === "punct" || t.kind === "ident") && t.token === text;
  }

  private accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }

  private expect(text: string, context: string): Token {
    if (!this.is(text)) this.fail(this.peek(), `expected ${JSON.stringify(text)} ${context}`);
    return this.next();
  }

  private fail(at: Pos, message: string): never {
    throw new CDeclError(this.where, at, message);
  }

  /** Skip from an opening bracket to its match (asm labels, attribute arguments, skipped bodies). */
  private skipBalanced(): void {
    const open = this.next();
    const closers = [OPENERS[open.token]!];
    while (closers.length > 0) {
      const t = this.next();
      if (t.kind === "eof") this.fail(t, `expected ${JSON.stringify(closers[closers.length - 1])} to match ${JSON.stringify(open.token)} on line ${open.line}, column ${open.column}`);
      if (t.kind !== "punct") continue;
      if (OPENERS[t.token]) closers.push(OPENERS[t.token]!);
      else if (t.token === closers[closers.length - 1]) closers.pop();
      else if (t.token === ")" || t.token === "]" || t.token === "}") this.fail(t, `unbalanced ${JSON.stringify(t.token)}`);
    }
  }

  private skipStaticAssert(): boolean {
    if (!STATIC_ASSERT.has(this.peek().token) || this.peek().kind !== "ident") return false;
    this.next();
    if (!this.is("(")) this.fail(this.peek(), `expected "(" after static assertion`);
    this.skipBalanced();
    this.expect(";", "after the static assertion");
    return true;
  }

  // ------------------------------------------------------------ declarations

  private parseDeclaration(): Declaration {
    const start = this.peek();
    const specifiers = this.parseSpecifiers("declaration");
    const declarators: Declarator[] = [];
    if (this.accept(";")) return { specifiers, declarators, definition: false, pos: start };
    const t = specifiers.type;
    if ((t.kind === "record" && t.members !== null) || (t.kind === "enum" && t.enumerators !== null))
      if (!this.startsDeclarator(this.peek())) this.fail(this.peek(), `expected ";" after the definition of ${describeType(t)}`);
    for (;;) {
      const d = this.parseDeclarator("named");
      declarators.push(d);
      if (specifiers.storage === "typedef") this.typedefNames.add(d.name!);
      if (this.is("=")) this.fail(this.peek(), `an initializer is not a declaration (of "${d.name}")`);
      if (this.is("{") && declarators.length === 1 && d.derived[d.derived.length - 1]?.kind === "function") {
        // static and inline functions in headers have bodies; they are not exported symbols
        if (specifiers.storage !== "static" && !specifiers.inline)
          this.fail(this.peek(), `a function definition is not a declaration: end the prototype of "${d.name}" with ";"`);
        this.skipBalanced();
        return { specifiers, declarators, definition: true, pos: start };
      }
      if (this.accept(",")) continue;
      this.expect(";", `or "," after the declaration of "${d.name}"`);
      return { specifiers, declarators, definition: false, pos: start };
    }
  }

  private parseSpecifiers(context: SpecifierContext): Specifiers {
    const start = this.peek();
    let storage: Specifiers["storage"] = null;
    let inline = false;
    let type: TypeSpecifier | null = null;
    const attributes: Attribute[] = [];
    const keywords: Token[] = [];
    const counts: Record<string, number> = {};
    for (;;) {
      const t = this.peek();
      if (t.kind !== "ident") break;
      const w = t.token;
      if (STORAGE.has(w)) {
        if (context !== "declaration") this.fail(t, `"${w}" is not allowed in a ${context}`);
        if (storage !== null && storage !== w) this.fail(t, `two storage classes ("${storage}" and "${w}")`);
        storage = w as Specifiers["storage"];
      } else if (INLINE.has(w)) inline = true;
      else if (QUALIFIERS.has(w) || IGNORED.has(w)) {
        // accepted and ignored: they do not change how the value is passed or stored
      } else if (ATTRIBUTE_WORDS.has(w)) {
        attributes.push(...this.parseAttributes());
        continue;
      } else if (UNSUPPORTED[w]) this.fail(t, UNSUPPORTED[w]!);
      else if (TYPE_KEYWORDS[w]) {
        if (type) this.fail(t, `two types in one declaration (${describeType(type)} and "${w}")`);
        const k = TYPE_KEYWORDS[w]!;
        counts[k] = (counts[k] ?? 0) + 1;
        if (canonicalKeywordType(counts) === null) this.fail(t, `invalid combination of type specifiers "${[...keywords, t].map((x) => x.token).join(" ")}"`);
        keywords.push(t);
      } else if (RECORD_WORDS.has(w)) {
        if (type || keywords.length) this.fail(t, `two types in one declaration (${type ? describeType(type) : `"${keywords[0]!.token}"`} and "${w}")`);
        type = w === "enum" ? this.parseEnum() : this.parseRecord();
        continue;
      } else if (!type && keywords.length === 0 && !KEYWORDS.has(w)) {
        if (!this.typedefNames.has(w)) this.fail(t, `unknown type name "${w}" (declare it first, or pass it in the types map)`);
        type = { kind: "typedef", name: w, pos: t };
      } else break;
      this.next();
    }
    if (!type && keywords.length === 0) this.fail(this.peek(), `expected a type in the ${context}`);
    type ??= { kind: "builtin", name: canonicalKeywordType(counts)!, pos: keywords[0]! };
    return { storage, inline, type, attributes, pos: start };
  }

  /** `__attribute__((a, b(x), aligned(8)))` or `__declspec(...)`: the attributes, aligned's argument parsed as an expression. */
  private parseAttributes(): Attribute[] {
    const word = this.next();
    if (!this.is("(")) this.fail(this.peek(), `expected "(" after ${word.token}`);
    if (word.token === "__declspec") {
      this.skipBalanced();
      return [];
    }
    this.next();
    this.expect("(", `after ${word.token}(`);
    const out: Attribute[] = [];
    while (!this.is(")")) {
      const t = this.next();
      if (t.kind !== "ident") this.fail(t, "expected an attribute name");
      const name = t.token.replace(/^__(.+)__$/, "$1");
      if (name === "aligned" && this.accept("(")) {
        out.push({ name, alignment: this.parseConditional(), pos: t });
        this.expect(")", "after the alignment");
      } else if (this.is("(")) {
        const argument = this.peek(1).token;
        this.skipBalanced();
        out.push({ name, argument, pos: t });
      } else out.push({ name, pos: t });
      if (!this.accept(",")) break;
    }
    this.expect(")", "to close the attribute list");
    this.expect(")", `to close ${word.token}((`);
    return out;
  }

  private parseAttributeList(): Attribute[] {
    const out: Attribute[] = [];
    while (ATTRIBUTE_WORDS.has(this.peek().token) && this.peek().kind === "ident") out.push(...this.parseAttributes());
    return out;
  }

  /** `struct`/`union`/`enum`, its attributes and tag; without a tag a "{" must follow. */
  private parseTagged(): { keyword: Token; attributes: Attribute[]; tag: string | null } {
    const keyword = this.next();
    const attributes = this.parseAttributeList();
    const t = this.peek();
    const tag = t.kind === "ident" && !KEYWORDS.has(t.token) ? this.next().token : null;
    if (tag === null && !this.is("{")) this.fail(this.peek(), `expected a tag name or "{" after "${keyword.token}"`);
    return { keyword, attributes, tag };
  }

  private parseRecord(): RecordSpecifier {
    const { keyword, attributes, tag } = this.parseTagged();
    if (!this.is("{")) return { kind: "record", union: keyword.token === "union", tag, members: null, attributes, pos: keyword };
    const open = this.next();
    const members: Member[] = [];
    while (!this.accept("}")) {
      if (this.peek().kind === "eof") this.fail(this.peek(), `expected "}" to close the ${keyword.token} opened on line ${open.line}`);
      if (this.accept(";") || this.skipStaticAssert()) continue;
      members.push(this.parseMember());
    }
    attributes.push(...this.parseAttributeList());
    return { kind: "record", union: keyword.token === "union", tag, members, attributes, pos: keyword };
  }

  private parseMember(): Member {
    const start = this.peek();
    const specifiers = this.parseSpecifiers("member");
    const declarators: Member["declarators"][number][] = [];
    if (this.accept(";")) return { specifiers, declarators, pos: start };
    for (;;) {
      const declarator: Declarator = this.is(":") ? { name: null, pos: this.peek(), derived: [], attributes: [] } : this.parseDeclarator("named");
      const bits = this.accept(":") ? this.parseConditional() : null;
      const after = this.parseAttributeList();
      declarators.push({ declarator: after.length ? { ...declarator, attributes: [...declarator.attributes, ...after] } : declarator, bits });
      if (this.accept(",")) continue;
      this.expect(";", `or "," after the member "${declarator.name ?? "(unnamed bit field)"}"`);
      return { specifiers, declarators, pos: start };
    }
  }

  private parseEnum(): EnumSpecifier {
    const { keyword, attributes, tag } = this.parseTagged();
    if (!this.is("{")) return { kind: "enum", tag, enumerators: null, attributes, pos: keyword };
    this.next();
    const enumerators: Enumerator[] = [];
    while (!this.is("}")) {
      const t = this.next();
      if (t.kind !== "ident" || KEYWORDS.has(t.token)) this.fail(t, "expected an enumerator name");
      this.parseAttributeList();
      enumerators.push({ name: t.token, value: this.accept("=") ? this.parseConditional() : null, pos: t });
      if (!this.accept(",")) break;
    }
    this.expect("}", `or "," after enumerator "${enumerators[enumerators.length - 1]?.name ?? ""}"`);
    attributes.push(...this.parseAttributeList());
    return { kind: "enum", tag, enumerators, attributes, pos: keyword };
  }

  // ------------------------------------------------------------ declarators

  /** A declarator: `*const *name[3]`, `(*fp)(int)`, or abstract (`*`, `(*)(void)`) in parameters and type names. */
  private parseDeclarator(mode: "named" | "abstract" | "either"): Declarator {
    const start = this.peek();
    const attributes = this.parseAttributeList();
    let pointers = 0;
    while (this.accept("*")) {
      pointers++;
      for (;;) {
        if (QUALIFIERS.has(this.peek().token)) this.next();
        else if (ATTRIBUTE_WORDS.has(this.peek().token)) attributes.push(...this.parseAttributes());
        else break;
      }
    }
    let name: Token | null = null;
    let inner: Declarator | null = null;
    const t = this.peek();
    if (t.kind === "ident" && !KEYWORDS.has(t.token)) {
      if (mode === "abstract") this.fail(t, `unexpected name "${t.token}" in a type name`);
      name = this.next();
    } else if (this.is("(") && this.startsNestedDeclarator(this.peek(1))) {
      this.next();
      inner = this.parseDeclarator(mode);
      this.expect(")", "to close the parenthesised declarator");
    } else if (mode === "named") {
      this.fail(t, t.kind === "eof" ? "expected a name" : `expected a name, got ${JSON.stringify(t.token)}`);
    }
    const suffixes: Derived[] = [];
    for (;;) {
      if (this.is("[")) {
        const open = this.next();
        while (QUALIFIERS.has(this.peek().token) || this.is("static")) this.next();
        if (this.is("*")) this.fail(this.peek(), "variable-length arrays have no fixed type");
        const size = this.is("]") ? null : this.parseConditional();
        this.expect("]", "to close the array size");
        suffixes.push({ kind: "array", size, pos: open });
      } else if (this.is("(")) suffixes.push(this.parseParameters());
      else break;
    }
    for (;;) {
      if (ASM_WORDS.has(this.peek().token)) {
        this.next();
        while (QUALIFIERS.has(this.peek().token)) this.next();
        if (!this.is("(")) this.fail(this.peek(), `expected "(" after asm`);
        this.skipBalanced();
      } else if (ATTRIBUTE_WORDS.has(this.peek().token)) attributes.push(...this.parseAttributes());
      else break;
    }
    // applied from the base type outwards: this level's pointers, then its suffixes (the last written is
    // the innermost: `a[2][3]` is an array of 2 arrays of 3), then the parenthesised inner declarator's
    const derived: Derived[] = [...Array.from({ length: pointers }, () => ({ kind: "pointer" }) as const), ...suffixes.reverse(), ...(inner?.derived ?? [])];
    return {
      name: inner ? inner.name : name ? name.token : null,
      pos: inner ? inner.pos : name ?? start,
      derived,
      attributes: inner ? [...attributes, ...inner.attributes] : attributes,
    };
  }

  private startsDeclarator(t: Token): boolean {
    return t.kind === "punct" ? t.token === "*" || t.token === "(" : t.kind === "ident" && (!KEYWORDS.has(t.token) || ATTRIBUTE_WORDS.has(t.token));
  }

  /** After "(": a parenthesised declarator (`(*fp)`), rather than a parameter list (`(int)`, `()`). */
  private startsNestedDeclarator(t: Token): boolean {
    if (t.kind === "punct") return t.token === "*" || t.token === "(";
    return t.kind === "ident" && (ATTRIBUTE_WORDS.has(t.token) || (!KEYWORDS.has(t.token) && !this.typedefNames.has(t.token)));
  }

  private parseParameters(): Derived {
    const open = this.next();
    const params: Parameter[] = [];
    let variadic = false;
    // `()` takes no arguments here, as in C23 and C++ (an old-style unspecified list has no prototype to call through)
    if (this.accept(")")) return { kind: "function", params, variadic, pos: open };
    if (this.is("void") && this.is(")", 1)) {
      this.next();
      this.next();
      return { kind: "function", params, variadic, pos: open };
    }
    for (;;) {
      if (this.accept("...")) {
        variadic = true;
        this.expect(")", `after "..."`);
        break;
      }
      const start = this.peek();
      const specifiers = this.parseSpecifiers("parameter");
      const declarator = this.parseDeclarator("either");
      params.push({ specifiers, declarator, pos: declarator.name !== null ? declarator.pos : start });
      if (this.accept(",")) continue;
      this.expect(")", `or "," after parameter ${params.length}`);
      break;
    }
    return { kind: "function", params, variadic, pos: open };
  }

  private parseTypeName(): TypeName {
    const specifiers = this.parseSpecifiers("type name");
    return { specifiers, declarator: this.parseDeclarator("abstract") };
  }

  private startsType(t: Token): boolean {
    if (t.kind !== "ident") return false;
    const w = t.token;
    return TYPE_KEYWORDS[w] !== undefined || RECORD_WORDS.has(w) || QUALIFIERS.has(w) || UNSUPPORTED[w] !== undefined || this.typedefNames.has(w);
  }

  // ------------------------------------------------------------ constant expressions

  parseConditional(): Expr {
    const test = this.parseBinary(1);
    if (!this.is("?")) return test;
    const q = this.next();
    const then = this.parseConditional();
    this.expect(":", `in the conditional expression of line ${q.line}, column ${q.column}`);
    return { kind: "conditional", test, then, otherwise: this.parseConditional(), pos: q };
  }

  private parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const op = this.peek();
      const precedence = op.kind === "punct" ? BINARY_PRECEDENCE[op.token] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      left = { kind: "binary", op: op.token, left, right: this.parseBinary(precedence + 1), pos: op };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === "punct" && (t.token === "-" || t.token === "+" || t.token === "~" || t.token === "!")) {
      this.next();
      return { kind: "unary", op: t.token, operand: this.parseUnary(), pos: t };
    }
    if (t.kind === "ident" && SIZEOF_WORDS[t.token]) {
      this.next();
      if (!this.is("(") || !this.startsType(this.peek(1))) this.fail(this.peek(), `${t.token} takes a type in parentheses here: ${t.token}(T)`);
      this.next();
      const type = this.parseTypeName();
      this.expect(")", `after the type of ${t.token}`);
      return { kind: SIZEOF_WORDS[t.token]!, type, pos: t };
    }
    if (t.kind === "ident" && t.token === "__extension__") {
      this.next();
      return this.parseUnary();
    }
    if (this.is("(") && this.startsType(this.peek(1))) {
      this.next();
      const type = this.parseTypeName();
      this.expect(")", "after the type of the cast");
      return { kind: "cast", type, operand: this.parseUnary(), pos: t };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    if (t.kind === "number") return parseIntegerConstant(t, this.where);
    if (t.kind === "char") return parseCharConstant(t, this.where);
    if (t.kind === "ident" && !KEYWORDS.has(t.token)) return { kind: "name", name: t.token, pos: t };
    if (t.kind === "punct" && t.token === "(") {
      const e = this.parseConditional();
      this.expect(")", "to close the parenthesised expression");
      return e;
    }
    return this.fail(t, "expected an integer constant expression");
  }
}

function describeType(t: TypeSpecifier): string {
  if (t.kind === "builtin" || t.kind === "typedef") return `"${t.name}"`;
  const word = t.kind === "enum" ? "enum" : t.union ? "union" : "struct";
  return `"${word}${t.tag ? ` ${t.tag}` : ""}"`;
}

function parseIntegerConstant(t: Token, where: string): Expr {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(t.token);
  if (!m) {
    const float = /^0[xX]/.test(t.token) ? /[.pP]/.test(t.token) : /[.eE]/.test(t.token);
    throw new CDeclError(where, t, float ? "a floating constant is not an integer constant expression" : `invalid integer constant`);
  }
  const [, digits, suffix] = m as unknown as [string, string, string];
  if (!/^(?:[uU]?(?:l|L|ll|LL)?|(?:l|L|ll|LL)[uU])$/.test(suffix)) throw new CDeclError(where, t, `invalid suffix "${suffix}" on an integer constant`);
  const value = /^0[0-7]/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const longs = /ll/i.test(suffix) ? 2 : /l/i.test(suffix) ? 1 : 0;
  return { kind: "integer", value, unsigned: /u/i.test(suffix), longs, decimal: /^[1-9]/.test(digits), pos: t };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, "\\": 92, "'": 39, '"': 34, "?": 63 };

/** 'a', '\n', '\x41', '\101', L'ж': an int. Plain constants above 127 depend on char's signedness, so they are refused. */
function parseCharConstant(t: Token, where: string): Expr {
  const prefix = /^(u8|[LuU])?'/.exec(t.token)![1] ?? "";
  const body = t.token.slice(prefix.length + 1, -1);
  const codes: number[] = [];
  for (let i = 0; i < body.length; ) {
    if (body[i] !== "\\") {
      const cp = body.codePointAt(i)!;
      codes.push(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const escape = decodeEscape(body.slice(i + 1));
    if (!escape) throw new CDeclError(where, t, `unknown escape sequence "\\${body[i + 1] ?? ""}"`);
    codes.push(escape.code);
    i += 1 + escape.length;
  }
  if (codes.length === 0) throw new CDeclError(where, t, "empty character constant");
  if (codes.length > 1) throw new CDeclError(where, t, "a multi-character constant has an implementation-defined value");
  if (prefix === "" && codes[0]! > 127) throw new CDeclError(where, t, `character constant ${t.token} depends on whether char is signed: write the number`);
  return { kind: "integer", value: BigInt(codes[0]!), unsigned: false, longs: 0, decimal: true, pos: t };
}

/** The escape sequence at the start of `rest` (the text after a backslash): its code and length. */
function decodeEscape(rest: string): { code: number; length: number } | null {
  const simple = SIMPLE_ESCAPES[rest[0] ?? ""];
  if (simple !== undefined) return { code: simple, length: 1 };
  const m = /^(?:([0-7]{1,3})|x([0-9a-fA-F]+)|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(rest);
  if (!m) return null;
  const code = m[1] !== undefined ? parseInt(m[1], 8) : parseInt((m[2] ?? m[3] ?? m[4])!, 16);
  return { code, length: m[0].length };
}
