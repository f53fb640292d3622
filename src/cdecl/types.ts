/**
 * The type-level twin of parsePrototype: TypeScript reads a prototype from its
 * string literal (`lib.func("int add(int a, int b)")`) with the mapping the run
 * time uses (builtins.ts). It yields descriptors — a fundamental type's name
 * ("c_int"), PointerDescriptor<D>, Mapped<T> for names from the type map, "void" — that
 * index.ts turns into the type objects' own TS types, so the function type is the
 * one `lib.func(name, restype, argtypes)` gives for the same types.
 *
 * Every loop is a tail-recursive conditional type with an accumulator (TypeScript
 * allows 1000 iterations of those, 50 of anything else). What it does not read
 * (function-pointer parameters, attributes, arrays of arrays) is Unsupported: the
 * caller falls back to a general function type. A name that is neither C's nor in
 * the map is a CDeclTypeError naming it, as the run time throws.
 */

/** `T *` as a descriptor. */
export interface PointerDescriptor<D> {
  readonly pointerTo: D;
}
/** A name from the type map: that type object. */
export interface Mapped<T> {
  readonly mapped: T;
}
/** Why TypeScript could not type a declaration the run time would refuse (shows in the editor where the function is used). */
export interface CDeclTypeError<Message extends string> {
  readonly cdeclError: Message;
}
/** Syntax the type-level reader leaves to the run time. */
export interface Unsupported {
  readonly unsupported: true;
}

/** Phantom key of cdef()'s result: the prototypes TypeScript read from its source (for lib.bind). */
export declare const DECLARED_PROTOTYPES: unique symbol;

/** A prototype read at the type level. */
export interface ParsedPrototype<Name extends string, Result, Params extends readonly unknown[], Variadic extends boolean> {
  readonly name: Name;
  readonly result: Result;
  readonly params: Params;
  readonly variadic: Variadic;
}

/** The standard typedef names (builtins.ts STANDARD_TYPEDEFS): keep the two in step. */
interface StandardTypedefs {
  int8_t: "c_int8";
  uint8_t: "c_uint8";
  int16_t: "c_int16";
  uint16_t: "c_uint16";
  int32_t: "c_int32";
  uint32_t: "c_uint32";
  int64_t: "c_int64";
  uint64_t: "c_uint64";
  int_least8_t: "c_int8";
  uint_least8_t: "c_uint8";
  int_least16_t: "c_int16";
  uint_least16_t: "c_uint16";
  int_least32_t: "c_int32";
  uint_least32_t: "c_uint32";
  int_least64_t: "c_int64";
  uint_least64_t: "c_uint64";
  intmax_t: "c_int64";
  uintmax_t: "c_uint64";
  size_t: "c_size_t";
  ssize_t: "c_ssize_t";
  ptrdiff_t: "c_ssize_t";
  intptr_t: "c_ssize_t";
  uintptr_t: "c_size_t";
  time_t: "c_time_t";
  wchar_t: "c_wchar";
  char16_t: "c_uint16";
  char32_t: "c_uint32";
  _Float32: "c_float";
  _Float64: "c_double";
  _Float32x: "c_double";
  _Float64x: "c_longdouble";
}

/** Words that change nothing about a type (the parser accepts and ignores them). */
type Ignored =
  | "const"
  | "volatile"
  | "restrict"
  | "__const"
  | "__restrict"
  | "__restrict__"
  | "__volatile__"
  | "struct"
  | "union"
  | "enum"
  | "extern"
  | "register"
  | "inline"
  | "__inline"
  | "__extension__"
  | "_Noreturn";
type BaseKeyword = "char" | "float" | "double" | "void" | "_Bool" | "bool";

type ReplaceAll<S extends string, From extends string, To extends string, Done extends string = ""> = S extends `${infer A}${From}${infer B}`
  ? ReplaceAll<B, From, To, `${Done}${A}${To}`>
  : `${Done}${S}`;
type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
/** `a[10]`, `a[]` as a parameter is a pointer */
type ArraysToStars<S extends string, Done extends string = ""> = S extends `${infer A}[${string}]${infer B}` ? ArraysToStars<B, `${Done}${A} * `> : `${Done}${S}`;
/** One space between tokens: whitespace of any kind, `*` a token of its own. */
type Normalize<S extends string> = ReplaceAll<ReplaceAll<ReplaceAll<ReplaceAll<ReplaceAll<S, "\n", " ">, "\r", " ">, "\t", " ">, "*", " * ">, ",", " , ">;
type Words<S extends string, Acc extends string[] = []> = S extends `${infer W} ${infer R}`
  ? Words<R, W extends "" ? Acc : [...Acc, W]>
  : S extends ""
    ? Acc
    : [...Acc, S];
type SplitCommas<S extends string, Acc extends string[] = []> = S extends `${infer A},${infer B}` ? SplitCommas<B, [...Acc, Trim<A>]> : [...Acc, Trim<S>];

/** The type one declaration's words spell (a trailing parameter name skipped), as a descriptor. */
type TypeOfWords<W extends string[], M, Sign extends string = "", Longs extends string = "", Short extends boolean = false, Base extends string = "", Stars extends string = ""> =
  W extends [infer H extends string, ...infer T extends string[]]
    ? H extends Ignored
      ? TypeOfWords<T, M, Sign, Longs, Short, Base, Stars>
      : H extends "*"
        ? TypeOfWords<T, M, Sign, Longs, Short, Base, `${Stars}*`>
        : H extends "signed" | "unsigned"
          ? TypeOfWords<T, M, H, Longs, Short, Base, Stars>
          : H extends "long"
            ? TypeOfWords<T, M, Sign, `${Longs}l`, Short, Base, Stars>
            : H extends "short"
              ? TypeOfWords<T, M, Sign, Longs, true, Base, Stars>
              : H extends "int"
                ? TypeOfWords<T, M, Sign, Longs, Short, Base extends "" ? "int" : Base, Stars>
                : H extends BaseKeyword
                  ? TypeOfWords<T, M, Sign, Longs, Short, H, Stars>
                  : // an identifier: the type's name before anything names a type, else the parameter's name
                    `${Sign}${Longs}${Base}` extends "" ? (Short extends true ? TypeOfWords<T, M, Sign, Longs, Short, Base, Stars> : TypeOfWords<T, M, Sign, Longs, Short, `=${H}`, Stars>) : TypeOfWords<T, M, Sign, Longs, Short, Base, Stars>
    : WithStars<BaseType<Sign, Longs, Short, Base, M>, Stars>;

type BaseType<Sign extends string, Longs extends string, Short extends boolean, Base extends string, M> = Base extends `=${infer Name}`
  ? Name extends keyof StandardTypedefs
    ? StandardTypedefs[Name]
    : Name extends keyof M
      ? Mapped<M[Name]>
      : CDeclTypeError<`unknown type name "${Name}" (declare it first, or pass it in the types map)`>
  : Base extends "char"
    ? Sign extends "signed" ? "c_byte" : Sign extends "unsigned" ? "c_ubyte" : "c_char"
    : Base extends "double"
      ? Longs extends "l" ? "c_longdouble" : "c_double"
      : Base extends "float"
        ? "c_float"
        : Base extends "_Bool" | "bool"
          ? "c_bool"
          : Base extends "void"
            ? "void"
            : `${Sign}${Longs}${Base}` extends ""
              ? Short extends true ? "c_short" : CDeclTypeError<"expected a type">
              : Short extends true
                ? Sign extends "unsigned" ? "c_ushort" : "c_short"
                : Longs extends "ll"
                  ? Sign extends "unsigned" ? "c_ulonglong" : "c_longlong"
                  : Longs extends "l"
                    ? Sign extends "unsigned" ? "c_ulong" : "c_long"
                    : Sign extends "unsigned" ? "c_uint" : "c_int";

type WithStars<D, Stars extends string> = D extends CDeclTypeError<string>
  ? D
  : Stars extends `*${infer Rest}`
    ? WithStars<D extends "void" ? "c_void_p" : D extends "c_char" ? "c_char_p" : D extends "c_wchar" ? "c_wchar_p" : PointerDescriptor<D>, Rest>
    : D;

type ParamsOf<List extends string[], M, Acc extends unknown[] = []> = List extends [infer P extends string, ...infer Rest extends string[]]
  ? P extends "..."
    ? Rest extends [] ? { params: Acc; variadic: true } : CDeclTypeError<`"..." must be the last parameter`>
    : P extends ""
      ? CDeclTypeError<"expected a parameter">
      : TypeOfWords<Words<P>, M> extends infer D
        ? D extends CDeclTypeError<string>
          ? D
          : D extends "void"
            ? CDeclTypeError<`"void" must be the only parameter`>
            : ParamsOf<Rest, M, [...Acc, D]>
        : never
  : { params: Acc; variadic: false };

type Head<Name extends string, Result> = { name: Name; result: Result };
type HeadOf<W extends string[], M> = W extends [...infer Ret extends string[], infer Name extends string]
  ? Name extends "*" | BaseKeyword | "int" | "long" | "short" | "signed" | "unsigned" | Ignored
    ? CDeclTypeError<"expected a function name before \"(\"">
    : Ret extends []
      ? CDeclTypeError<`expected the result type of "${Name}"`>
      : Head<Name, TypeOfWords<Ret, M>>
  : CDeclTypeError<"expected a function name before \"(\"">;

type Assemble<H, P> = H extends CDeclTypeError<string>
  ? H
  : H extends Head<infer Name, infer R>
    ? R extends CDeclTypeError<string>
      ? R
      : P extends CDeclTypeError<string>
        ? P
        : P extends { params: infer A extends unknown[]; variadic: infer V extends boolean }
          ? ParsedPrototype<Name, R, Readonly<A>, V>
          : never
    : never;

/** The parameter list `( ... )` of `Rest` (after the first "("), or Unsupported if it nests parentheses. */
type PrototypeFrom<Head extends string, Rest extends string, M> = Rest extends `${infer Params})${infer Tail}`
  ? Params extends `${string}(${string}`
    ? Unsupported
    : Trim<Tail> extends "" | ";"
      ? Assemble<HeadOf<Words<Head>, M>, Trim<Params> extends "" | "void" ? { params: []; variadic: false } : ParamsOf<SplitCommas<Params>, M>>
      : Unsupported
  : CDeclTypeError<`expected ")"`>;

/** `"int add(int a, int b)"` → ParsedPrototype<"add", "c_int", readonly ["c_int", "c_int"], false>, or CDeclTypeError / Unsupported. */
export type ParsePrototype<S extends string, M = {}> = string extends S
  ? Unsupported
  : ArraysToStars<Normalize<S>> extends `${infer Head}(${infer Rest}`
    ? PrototypeFrom<Head, Rest, M>
    : CDeclTypeError<`expected a prototype like "int add(int a, int b)"`>;

type StripComments<S extends string> = S extends `${infer A}/*${string}*/${infer B}` ? StripComments<`${A} ${B}`> : StripLineComments<S>;
type StripLineComments<S extends string, Done extends string = ""> = S extends `${infer A}//${string}\n${infer B}`
  ? StripLineComments<B, `${Done}${A}\n`>
  : S extends `${infer A}//${string}`
    ? `${Done}${A}`
    : `${Done}${S}`;

/** Statements that are not prototypes: definitions (with braces), typedefs, statics, variables, lines of a struct body. */
type SkippedStatement = `${string}{${string}` | `${string}}${string}` | `typedef ${string}` | `static ${string}` | `#${string}`;

type PrototypesOf<S extends string, M, Acc = {}> = S extends `${infer Statement};${infer Rest}`
  ? PrototypesOf<Rest, M, Acc & PrototypeEntry<Trim<Normalize<Statement>>, M>>
  : Acc & PrototypeEntry<Trim<Normalize<S>>, M>;
type PrototypeEntry<Statement extends string, M> = Statement extends SkippedStatement
  ? {}
  : Statement extends `${string}(${infer Rest}`
    ? Trim<Rest> extends `*${string}`
      ? {} // a function-pointer declarator: a struct's field (the block reader does not track braces) or a function returning a function pointer
      : ParsePrototype<Statement, M> extends infer P
        ? P extends ParsedPrototype<infer Name, unknown, readonly unknown[], boolean>
          ? { [K in Name]: P }
          : NameBeforeParen<Statement> extends infer Name extends string ? { [K in Name]: Unsupported } : {}
        : {}
    : {};
/** The last word before the first "(" (a prototype whose types the type level cannot read is still declared). */
type NameBeforeParen<Statement extends string> = Statement extends `${infer Head}(${string}` ? (Words<Head> extends [...string[], infer Name extends string] ? (Name extends "*" | BaseKeyword | "int" | "long" | "short" | "signed" | "unsigned" | Ignored ? never : Name) : never) : never;

/**
 * The prototypes of a block of C declarations, by name (what `cdef(source).functions` holds): the
 * ones whose types the type-level reader knows (C's, the standard typedefs, the type map). Names
 * the block itself defines (its structs, typedefs) are not read at the type level.
 */
export type PrototypesOfBlock<S extends string, M = {}> = string extends S ? {} : PrototypesOf<StripComments<S>, M> extends infer P ? { [K in keyof P]: P[K] } : never;
