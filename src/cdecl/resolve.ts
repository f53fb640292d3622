/**
 * Turns the declaration tree into tsctypes type objects, as a ctypes user would
 * write them by hand: structs and unions become Structure/Union classes (created
 * first, `_fields_` set when the definition is complete, so self-reference
 * through pointers works and undefined ones stay opaque), `char *` becomes
 * c_char_p, other pointers POINTER(T), function pointers CFUNCTYPE types.
 */
import type { Attribute, Declaration, Declarator, EnumSpecifier, Expr, Pos, RecordSpecifier, Specifiers } from "./ast";
import { KEYWORD_TYPES, STANDARD_TYPEDEFS } from "./builtins";
import { ConstantScope, IntValue, evaluate, jsValue } from "./constexpr";
import { CDeclError } from "./errors";
import type { CTypeLike } from "../types/ctype";
import { hasInfo, infoOf } from "../types/ctype";
import { LONG_SIZE, POINTER_SIZE } from "../types/platform";
import { simpleTypes } from "../data/simple";
import { POINTER } from "../data/pointer";
import { ARRAY } from "../data/array";
import { BigEndianStructure, BigEndianUnion, LittleEndianStructure, LittleEndianUnion, Structure, Union } from "../data/struct";
import { CFUNCTYPE } from "../call/callback";

/** A parsed C function prototype, ready for `lib.func`/`lib.bind`. */
export interface CPrototype {
  readonly name: string;
  /** null: void */
  readonly restype: CTypeLike | null;
  readonly argtypes: readonly CTypeLike[];
  /** declared with `...` */
  readonly variadic: boolean;
  /** parameter names as written; null where the prototype gives none */
  readonly paramNames: readonly (string | null)[];
}

/** What `cdef()` returns. */
export interface CDeclarations {
  /** typedefs, struct/union/enum tags: tsctypes types (a struct is a Structure class) */
  readonly types: Record<string, CTypeLike>;
  /** each named enum (by tag or typedef name): its members and values */
  readonly enums: Record<string, Record<string, number | bigint>>;
  /** function prototypes by name */
  readonly functions: Record<string, CPrototype>;
  /** every enumerator, by name */
  readonly constants: Record<string, number | bigint>;
  /** extern variables by name, with their types (for `T.in_dll`) */
  readonly variables: Record<string, CTypeLike>;
}

/** A C type while it is being resolved: function, void and unknown-size arrays have no tsctypes type of their own. */
type CType =
  | { readonly kind: "type"; readonly type: CTypeLike; /** enums: their members */ readonly members?: Record<string, number | bigint> }
  | { readonly kind: "void" }
  | { readonly kind: "pointer"; readonly to: CType }
  | { readonly kind: "array"; readonly of: CType; readonly length: number | null }
  | { readonly kind: "function"; readonly ret: CType; readonly params: readonly { readonly type: CType; readonly name: string | null; readonly pos: Pos }[]; readonly variadic: boolean };

type RecordKind = "struct" | "union" | "enum";
type RecordClass = Function & CTypeLike & { _fields_?: unknown; _pack_?: number; _align_?: number; _anonymous_?: readonly string[] };

const VOID: CType = { kind: "void" };
const simple = (name: string): CTypeLike => simpleTypes[name] as CTypeLike;
const INTEGER_KINDS = new Set(["int", "int64", "intptr", "bool", "char"]);
/** attributes that change a layout in ways tsctypes has no attribute for */
const UNSUPPORTED_LAYOUT = new Set(["vector_size", "ms_struct", "scalar_storage_order"]);

export class Resolver {
  readonly result: CDeclarations = { types: {}, enums: {}, functions: {}, constants: {}, variables: {} };
  private readonly typedefs = new Map<string, CType>();
  private readonly tags = new Map<string, { kind: RecordKind; type: CType }>();
  private readonly enumerators = new Map<string, IntValue>();
  /** record classes declared but not (yet) defined */
  private readonly incomplete = new Set<Function>();
  /** defined records, laid out at the end so layout errors point at the definition */
  private readonly defined: { cls: Function; pos: Pos }[] = [];
  /** records passed or returned by value that must be defined by the end */
  private readonly byValue: { cls: Function; pos: Pos; what: string }[] = [];
  /** how constant expressions see this block's enumerators and types (bindgen evaluates #define values with it) */
  readonly scope: ConstantScope;

  constructor(private readonly userTypes: Readonly<Record<string, CTypeLike>>, private readonly where: string) {
    this.scope = {
      where,
      longBits: LONG_SIZE * 8,
      sizeBits: POINTER_SIZE * 8,
      constant: (name) => this.enumerators.get(name),
      measure: (type, pos) => {
        const info = infoOf(this.valueType(this.derive(this.specifierType(type.specifiers, null), type.declarator), pos, "the operand of sizeof"), "sizeof");
        return { size: info.size, align: info.align };
      },
      integerType: (type, pos) => {
        const info = infoOf(this.valueType(this.derive(this.specifierType(type.specifiers, null), type.declarator), pos, "the cast"), "cast");
        if (!INTEGER_KINDS.has(info.kind) || info.kind === "bool") this.fail(pos, `a cast in a constant expression must be to an integer type, not ${info.name}`);
        return { bits: info.size * 8, unsigned: info.signed === false };
      },
    };
  }

  private fail(at: Pos, message: string): never {
    throw new CDeclError(this.where, at, message);
  }

  // ------------------------------------------------------------ declarations

  declare(d: Declaration): void {
    const storage = d.specifiers.storage;
    // `typedef struct { ... } Name, *NamePtr;` names the class Name
    const hint = storage === "typedef" ? d.declarators.find((x) => x.derived.length === 0)?.name ?? null : null;
    const base = this.specifierType(d.specifiers, hint);
    if (d.declarators.length === 0) {
      const k = d.specifiers.type.kind;
      if (k !== "record" && k !== "enum") this.fail(d.pos, "declaration does not declare anything");
      return;
    }
    for (const declarator of d.declarators) {
      const name = declarator.name!;
      const what = storage === "typedef" ? `typedef "${name}"` : `variable "${name}"`;
      const type = this.withAttributes([...d.specifiers.attributes, ...declarator.attributes], this.derive(base, declarator), declarator.pos, what);
      if (storage === "typedef") {
        this.defineTypedef(name, type, declarator);
      } else if (type.kind === "function") {
        // static functions and bodies (static/inline definitions in headers) are not exported symbols
        if (storage !== "static" && !d.definition) this.result.functions[name] = this.prototypeOf(name, type, declarator.pos);
      } else if (storage !== "static") {
        this.result.variables[name] = this.valueType(type, declarator.pos, what);
      }
    }
  }

  /** The prototype of a single function declaration (parsePrototype). */
  prototype(d: Declaration): CPrototype {
    const declarator = d.declarators[0]!;
    const type = this.derive(this.specifierType(d.specifiers, null), declarator);
    if (type.kind !== "function") this.fail(declarator.pos, `"${declarator.name}" is not a function: expected a prototype like "int add(int a, int b)"`);
    return this.prototypeOf(declarator.name!, type, declarator.pos);
  }

  /** Checks what can only be checked at the end, and lays out every defined struct and union. */
  finish(): CDeclarations {
    for (const use of this.byValue)
      if (this.incomplete.has(use.cls)) this.fail(use.pos, `${use.what} has the incomplete type ${use.cls.name}: define it, or pass a pointer`);
    for (const { cls, pos } of this.defined) {
      try {
        infoOf(cls, cls.name);
      } catch (e) {
        this.fail(pos, (e as Error).message);
      }
    }
    return this.result;
  }

  private defineTypedef(name: string, type: CType, declarator: Declarator): void {
    const standard = STANDARD_TYPEDEFS[name];
    if (standard !== undefined && !(name in this.userTypes)) {
      // headers define the standard names themselves; they keep their own tsctypes type (uint8_t is c_uint8)
      const out = this.outputType(type, declarator.pos, name);
      if (out === undefined || infoOf(out, name).size !== infoOf(simple(standard), name).size)
        this.fail(declarator.pos, `typedef "${name}" does not match the standard ${name} (${standard})`);
      this.result.types[name] = simple(standard);
      return;
    }
    const out = this.outputType(type, declarator.pos, name);
    const earlier = this.typedefs.get(name);
    if (earlier && this.outputType(earlier, declarator.pos, name) !== out) this.fail(declarator.pos, `conflicting redefinition of typedef "${name}"`);
    this.typedefs.set(name, type);
    if (out !== undefined) this.result.types[name] = out;
    if (type.kind === "type" && type.members) this.result.enums[name] = type.members;
  }

  private prototypeOf(name: string, fn: Extract<CType, { kind: "function" }>, pos: Pos): CPrototype {
    const restype = fn.ret.kind === "void" ? null : this.passedType(fn.ret, pos, `the return type of ${name}()`);
    const argtypes = fn.params.map((p, i) => this.passedType(p.type, p.pos, `parameter ${i + 1} of ${name}()`));
    return { name, restype, argtypes, variadic: fn.variadic, paramNames: fn.params.map((p) => p.name) };
  }

  // ------------------------------------------------------------ types

  private specifierType(spec: Specifiers, hint: string | null): CType {
    const t = spec.type;
    switch (t.kind) {
      case "builtin":
        return t.name === "void" ? VOID : { kind: "type", type: simple(KEYWORD_TYPES[t.name]!) };
      case "typedef": {
        const own = this.typedefs.get(t.name);
        if (own) return own;
        const given = this.userTypes[t.name];
        if (given !== undefined) return { kind: "type", type: given };
        const standard = STANDARD_TYPEDEFS[t.name];
        if (standard !== undefined) return { kind: "type", type: simple(standard) };
        return this.fail(t.pos, `unknown type name "${t.name}"`);
      }
      case "record":
        return this.recordType(t, hint);
      case "enum":
        return this.enumType(t, hint);
    }
  }

  /** Apply a declarator's pointers, arrays and parameter lists to its base type. */
  private derive(base: CType, declarator: Declarator): CType {
    let t = base;
    for (const d of declarator.derived) {
      if (d.kind === "pointer") t = { kind: "pointer", to: t };
      else if (d.kind === "array") {
        if (t.kind === "function") this.fail(d.pos, "an array of functions is not a C type (use an array of function pointers)");
        if (t.kind === "void") this.fail(d.pos, "an array of void is not a C type");
        t = { kind: "array", of: t, length: d.size === null ? null : this.count(d.size, "array size") };
      } else {
        if (t.kind === "array") this.fail(d.pos, "a function cannot return an array");
        if (t.kind === "function") this.fail(d.pos, "a function cannot return a function");
        const params = d.params.map((p, i) => {
          const type = adjustParameter(this.derive(this.specifierType(p.specifiers, null), p.declarator));
          if (type.kind === "void") this.fail(p.pos, `parameter ${i + 1} has type void (only "(void)" alone means no parameters)`);
          return { type, name: p.declarator.name, pos: p.pos };
        });
        t = { kind: "function", ret: t, params, variadic: d.variadic };
      }
    }
    return t;
  }

  /** The tsctypes type of a value of this C type (a field, an array element, a variable). */
  private valueType(t: CType, pos: Pos, what: string): CTypeLike {
    switch (t.kind) {
      case "type":
        if (this.incomplete.has(t.type as Function)) this.fail(pos, `${what} has the incomplete type ${(t.type as Function).name}: define it first, or use a pointer`);
        return t.type;
      case "void":
        return this.fail(pos, `${what} cannot have type void`);
      case "function":
        return this.fail(pos, `${what} is a function, not a value: use a pointer to a function`);
      case "pointer":
        return this.pointerTo(t.to, pos);
      case "array":
        if (t.length === null) return this.fail(pos, `${what} is an array of unknown size`);
        return ARRAY(this.valueType(t.of, pos, what), t.length) as CTypeLike;
    }
  }

  /** Arguments and results: a struct passed by value may still be defined later in the same text. */
  private passedType(t: CType, pos: Pos, what: string): CTypeLike {
    if (t.kind === "type" && this.incomplete.has(t.type as Function)) {
      this.byValue.push({ cls: t.type as Function, pos, what });
      return t.type;
    }
    return this.valueType(t, pos, what);
  }

  private pointerTo(target: CType, pos: Pos): CTypeLike {
    switch (target.kind) {
      case "void":
        return simple("c_void_p");
      case "type":
        if (target.type === simpleTypes.c_char) return simple("c_char_p");
        if (target.type === simpleTypes.c_wchar) return simple("c_wchar_p");
        return POINTER(target.type) as CTypeLike; // incomplete structures are fine behind a pointer
      case "function":
        return this.functionPointer(target, pos);
      default:
        return POINTER(this.valueType(target, pos, "the pointed-to type")) as CTypeLike;
    }
  }

  private functionPointer(fn: Extract<CType, { kind: "function" }>, pos: Pos): CTypeLike {
    if (fn.variadic) this.fail(pos, "a pointer to a variadic function has no CFUNCTYPE type");
    const restype = fn.ret.kind === "void" ? null : this.valueType(fn.ret, pos, "the return type of the function pointer");
    const argtypes = fn.params.map((p, i) => this.valueType(p.type, p.pos, `parameter ${i + 1} of the function pointer`));
    return CFUNCTYPE(restype, ...argtypes) as CTypeLike;
  }

  /** What `types.Name` holds for a typedef: a function type is its CFUNCTYPE; an opaque struct its class; void nothing. */
  private outputType(t: CType, pos: Pos, what: string): CTypeLike | undefined {
    if (t.kind === "void" || (t.kind === "array" && t.length === null)) return undefined;
    if (t.kind === "function") return this.functionPointer(t, pos);
    if (t.kind === "type") return t.type;
    return this.valueType(t, pos, `typedef "${what}"`);
  }

  // ------------------------------------------------------------ struct, union, enum

  /** The tag's entry; a tag first seen here is registered (a reference makes an opaque class, unless the type map has it). */
  private tagged(kind: RecordKind, tag: string, pos: Pos, make: () => CType): CType {
    const known = this.tags.get(tag);
    if (known) {
      if (known.kind !== kind) this.fail(pos, `"${tag}" was declared as ${known.kind === "enum" ? "an enum" : `a ${known.kind}`}, not as ${kind === "enum" ? "an enum" : `a ${kind}`}`);
      return known.type;
    }
    const type = make();
    this.tags.set(tag, { kind, type });
    if (!this.typedefs.has(tag) && !(tag in this.result.types)) this.result.types[tag] = (type as { type: CTypeLike }).type;
    return type;
  }

  private recordType(spec: RecordSpecifier, hint: string | null, anonymousPrefix = "_anon"): CType {
    const kind: RecordKind = spec.union ? "union" : "struct";
    const layout = this.recordAttributes(spec.attributes);
    const create = () => {
      const cls = makeRecordClass(spec.tag ?? hint ?? `(anonymous ${kind})`, spec.union, layout.order);
      this.incomplete.add(cls);
      return cls;
    };
    let type: CType;
    if (spec.tag === null) type = { kind: "type", type: create() };
    else {
      const given = this.userTypes[spec.tag];
      const reuse = spec.members === null && isRecordClass(given, spec.union);
      type = this.tagged(kind, spec.tag, spec.pos, () => ({ kind: "type", type: reuse ? given! : create() }));
    }
    if (spec.members === null) return type;
    const cls = (type as Extract<CType, { kind: "type" }>).type as RecordClass;
    if (!this.incomplete.has(cls)) this.fail(spec.pos, `redefinition of ${kind} ${spec.tag}`);
    if (layout.order !== null && !(cls.prototype instanceof (layout.order === "big" ? (spec.union ? BigEndianUnion : BigEndianStructure) : spec.union ? LittleEndianUnion : LittleEndianStructure)))
      this.fail(spec.pos, `scalar_storage_order must be given where ${kind} ${spec.tag} is first declared`);
    const { fields, anonymous } = this.members(spec, cls.name, anonymousPrefix);
    if (layout.pack) cls._pack_ = layout.pack;
    if (layout.align) cls._align_ = layout.align;
    if (anonymous.length) cls._anonymous_ = anonymous;
    cls._fields_ = fields;
    this.incomplete.delete(cls);
    this.defined.push({ cls, pos: spec.pos });
    return type;
  }

  /** packed -> _pack_ = 1, aligned(N) -> _align_ = N, scalar_storage_order -> a Big/LittleEndian base class. */
  private recordAttributes(attributes: readonly Attribute[]): { pack: number; align: number; order: "big" | "little" | null } {
    const out = { pack: 0, align: 0, order: null as "big" | "little" | null };
    for (const a of attributes) {
      if (a.name === "packed") out.pack = 1;
      else if (a.name === "aligned") out.align = Math.max(out.align, this.alignment(a));
      else if (a.name === "scalar_storage_order" && (a.argument === '"big-endian"' || a.argument === '"little-endian"')) out.order = a.argument === '"big-endian"' ? "big" : "little";
      else if (a.name === "mode" || UNSUPPORTED_LAYOUT.has(a.name)) this.fail(a.pos, `attribute "${a.name}" changes the layout in a way tsctypes cannot express`);
    }
    return out;
  }

  private alignment(a: Attribute): number {
    if (!a.alignment) return this.fail(a.pos, `"aligned" without a value depends on the target: write aligned(N)`);
    const n = this.count(a.alignment, "alignment");
    if (n === 0 || (n & (n - 1)) !== 0) this.fail(a.pos, `alignment ${n} is not a power of two`);
    return n;
  }

  /**
   * The type of a member, typedef or variable after its attributes: mode(QI|HI|SI|DI|word|pointer) picks an
   * integer width; aligned/packed that change nothing are accepted; ones that would change the layout are refused.
   */
  private withAttributes(attributes: readonly Attribute[], type: CType, pos: Pos, what: string): CType {
    let out = type;
    for (const a of attributes) {
      if (a.name === "mode") out = this.integerMode(a, out, what);
      else if (UNSUPPORTED_LAYOUT.has(a.name)) this.fail(a.pos, `attribute "${a.name}" on ${what} changes the type in a way tsctypes cannot express`);
      else if ((a.name === "aligned" || a.name === "packed") && out.kind !== "function") {
        const natural = infoOf(this.valueType(out, pos, what), what).align;
        if (a.name === "packed" ? natural === 1 : this.alignment(a) <= natural) continue;
        this.fail(a.pos, `attribute "${a.name}" on ${what} changes its layout: tsctypes can express packed and aligned only on a whole struct or union`);
      }
    }
    return out;
  }

  private integerMode(a: Attribute, type: CType, what: string): CType {
    const mode = (a.argument ?? "").replace(/^__(.+)__$/, "$1");
    const bits = ({ QI: 8, byte: 8, HI: 16, SI: 32, DI: 64, word: POINTER_SIZE * 8, pointer: POINTER_SIZE * 8 } as Record<string, number>)[mode];
    const info = type.kind === "type" ? infoOf(type.type, what) : null;
    if (bits === undefined || !info || !INTEGER_KINDS.has(info.kind) || info.kind === "bool")
      return this.fail(a.pos, `attribute mode(${a.argument ?? ""}) on ${what} is not supported (only integer modes QI, HI, SI, DI, word, pointer)`);
    return { kind: "type", type: simple(`c_${info.signed === false ? "u" : ""}int${bits}`) };
  }

  private members(spec: RecordSpecifier, owner: string, anonymousPrefix: string): { fields: (readonly [string, CTypeLike] | readonly [string, CTypeLike, number])[]; anonymous: string[] } {
    const fields: (readonly [string, CTypeLike] | readonly [string, CTypeLike, number])[] = [];
    const anonymous: string[] = [];
    const names = new Set<string>();
    const members = spec.members!;
    members.forEach((m, mi) => {
      const t = m.specifiers.type;
      if (m.declarators.length === 0) {
        if (t.kind === "record" && t.tag === null && t.members !== null) {
          // a C11 anonymous member: a named field promoted with _anonymous_, as a ctypes user would write it;
          // names nest (_anon0, _anon0_0, ...) so the members promoted from deeper levels never clash
          let k = 0;
          while (members.some((x) => x.declarators.some((d) => d.declarator.name === `${anonymousPrefix}${k}`)) || names.has(`${anonymousPrefix}${k}`)) k++;
          const name = `${anonymousPrefix}${k}`;
          names.add(name);
          fields.push([name, this.valueType(this.recordType(t, `${owner}.${name}`, `${name}_`), m.pos, "an anonymous member")]);
          anonymous.push(name);
        } else if ((t.kind === "record" || t.kind === "enum") && t.tag !== null) this.specifierType(m.specifiers, null);
        else this.fail(m.pos, "member declaration does not declare anything");
        return;
      }
      const first = m.declarators[0]!.declarator;
      const base = this.specifierType(m.specifiers, first.name ? `${owner}.${first.name}` : `${owner}.(anonymous)`);
      m.declarators.forEach(({ declarator, bits }, di) => {
        const name = declarator.name;
        const what = name === null ? "an unnamed bit field" : `member "${name}" of ${owner}`;
        const type = this.withAttributes([...m.specifiers.attributes, ...declarator.attributes], this.derive(base, declarator), declarator.pos, what);
        if (name !== null) {
          if (names.has(name)) this.fail(declarator.pos, `duplicate member "${name}" in ${owner}`);
          names.add(name);
        }
        const last = mi === members.length - 1 && di === m.declarators.length - 1;
        if (bits === null) {
          // a flexible array member (`T data[]` last) takes no room: T.array(0), as GCC lays it out
          const flexible = last && type.kind === "array" && type.length === null;
          fields.push([name!, this.valueType(flexible ? { ...type, length: 0 } : type, declarator.pos, what)]);
          return;
        }
        const ft = this.valueType(type, declarator.pos, what);
        const info = infoOf(ft, what);
        if (!INTEGER_KINDS.has(info.kind)) this.fail(declarator.pos, `bit field ${what} must have an integer type, not ${info.name}`);
        const width = this.count(bits, "bit-field width");
        if (width > info.size * 8) this.fail(bits.pos, `width ${width} of ${what} exceeds its type (${info.size * 8} bits)`);
        if (width === 0 && name !== null) this.fail(bits.pos, `zero-width bit field "${name}" must be unnamed`);
        fields.push([name ?? "", ft, width]);
      });
    });
    return { fields, anonymous };
  }

  private enumType(spec: EnumSpecifier, hint: string | null): CType {
    for (const a of spec.attributes)
      if (a.name === "packed" || a.name === "aligned" || a.name === "mode" || UNSUPPORTED_LAYOUT.has(a.name)) this.fail(a.pos, `attribute "${a.name}" changes the size of the enum: not supported`);
    if (spec.enumerators === null) {
      if (spec.tag !== null && !this.tags.has(spec.tag) && isEnumType(this.userTypes[spec.tag])) return { kind: "type", type: this.userTypes[spec.tag]! };
      const known = spec.tag === null ? undefined : this.tags.get(spec.tag);
      if (!known) return this.fail(spec.pos, `enum ${spec.tag} is not defined (an enum cannot be declared before its values)`);
      return this.tagged("enum", spec.tag!, spec.pos, () => known.type);
    }
    const earlier = spec.tag === null ? undefined : this.tags.get(spec.tag);
    if (earlier) this.fail(spec.pos, earlier.kind === "enum" ? `redefinition of enum ${spec.tag}` : `"${spec.tag}" was declared as a ${earlier.kind}, not as an enum`);
    if (spec.enumerators.length === 0) this.fail(spec.pos, "an enum needs at least one enumerator");
    const members: Record<string, number | bigint> = {};
    let next: IntValue = { value: 0n, bits: 32, unsigned: false };
    let min = 0n;
    let max = 0n;
    for (const e of spec.enumerators) {
      if (this.enumerators.has(e.name)) this.fail(e.pos, `redefinition of enumerator "${e.name}"`);
      const v = e.value ? evaluate(e.value, this.scope) : next;
      // an enumerator is an int when its value fits one (C), else keeps its wider type (GCC)
      const stored: IntValue = v.value >= -(2n ** 31n) && v.value < 2n ** 31n ? { value: v.value, bits: 32, unsigned: false } : v;
      this.enumerators.set(e.name, stored);
      members[e.name] = this.result.constants[e.name] = jsValue(stored);
      if (v.value < min) min = v.value;
      if (v.value > max) max = v.value;
      next = { value: v.value + 1n, bits: v.value + 1n < 2n ** 31n ? 32 : 64, unsigned: false };
    }
    // the underlying type GCC and Clang pick: unsigned int without negative values, int with; 64 bits when needed
    const underlying = simple(min >= 0n ? (max < 2n ** 32n ? "c_uint" : "c_uint64") : min >= -(2n ** 31n) && max < 2n ** 31n ? "c_int" : "c_int64");
    const type: CType = { kind: "type", type: underlying, members };
    if (spec.tag !== null) {
      this.tagged("enum", spec.tag, spec.pos, () => type);
      this.result.enums[spec.tag] = members;
    } else if (hint !== null) this.result.enums[hint] = members;
    return type;
  }

  /** A constant expression that must be a non-negative count (array size, bit width, alignment). */
  private count(e: Expr, what: string): number {
    const v = jsValue(evaluate(e, this.scope));
    if (typeof v !== "number" || v < 0) return this.fail(e.pos, `${what} must be a non-negative integer, got ${v}`);
    return v;
  }
}

/** Parameters of array type are pointers, of function type function pointers (C's adjustment). */
function adjustParameter(t: CType): CType {
  if (t.kind === "array") return { kind: "pointer", to: t.of };
  if (t.kind === "function") return { kind: "pointer", to: t };
  return t;
}

function makeRecordClass(name: string, union: boolean, order: "big" | "little" | null): RecordClass {
  const base = union ? (order === "big" ? BigEndianUnion : order === "little" ? LittleEndianUnion : Union) : order === "big" ? BigEndianStructure : order === "little" ? LittleEndianStructure : Structure;
  const Base = base as unknown as new () => object;
  return { [name]: class extends Base {} }[name] as unknown as RecordClass;
}

function isRecordClass(t: unknown, union: boolean): boolean {
  return typeof t === "function" && t.prototype instanceof (union ? Union : Structure);
}

function isEnumType(t: unknown): boolean {
  return hasInfo(t) && INTEGER_KINDS.has(infoOf(t, "enum").kind);
}
