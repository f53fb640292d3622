/** The syntax tree of C declarations, as the parser produces it and resolve.ts reads it. */
import type { SourcePosition } from "./errors";

export type Pos = SourcePosition;

/** A GNU attribute: `__attribute__((name))` or `((name(args)))`; `aligned(N)` keeps its expression. */
export interface Attribute {
  readonly name: string;
  readonly alignment?: Expr;
  readonly argument?: string;
  readonly pos: Pos;
}

/** Declaration specifiers: storage class, the type, and attributes written among them. */
export interface Specifiers {
  readonly storage: "typedef" | "extern" | "static" | null;
  readonly inline: boolean;
  readonly type: TypeSpecifier;
  readonly attributes: readonly Attribute[];
  readonly pos: Pos;
}

export type TypeSpecifier =
  /** keyword types, canonical: "int", "unsigned long long", "long double", "signed char", "void", "_Bool" */
  | { readonly kind: "builtin"; readonly name: string; readonly pos: Pos }
  /** a typedef name: declared earlier, given in the type map, or a standard one (int8_t, size_t, ...) */
  | { readonly kind: "typedef"; readonly name: string; readonly pos: Pos }
  | RecordSpecifier
  | EnumSpecifier;

export interface RecordSpecifier {
  readonly kind: "record";
  readonly union: boolean;
  readonly tag: string | null;
  /** null: a reference (`struct S`), not a definition */
  readonly members: readonly Member[] | null;
  readonly attributes: readonly Attribute[];
  readonly pos: Pos;
}

export interface EnumSpecifier {
  readonly kind: "enum";
  readonly tag: string | null;
  readonly enumerators: readonly Enumerator[] | null;
  readonly attributes: readonly Attribute[];
  readonly pos: Pos;
}

export interface Enumerator {
  readonly name: string;
  readonly value: Expr | null;
  readonly pos: Pos;
}

/** One member declaration of a struct/union; no declarators = an anonymous member (or a nested tag declaration). */
export interface Member {
  readonly specifiers: Specifiers;
  readonly declarators: readonly { readonly declarator: Declarator; readonly bits: Expr | null }[];
  readonly pos: Pos;
}

/** What a declarator adds to the base type, from the base outwards: `int *a[3]` is [pointer, array 3]. */
export type Derived =
  | { readonly kind: "pointer" }
  | { readonly kind: "array"; readonly size: Expr | null; readonly pos: Pos }
  | { readonly kind: "function"; readonly params: readonly Parameter[]; readonly variadic: boolean; readonly pos: Pos };

export interface Declarator {
  readonly name: string | null;
  /** the name's position (or where the declarator starts, when it has none) */
  readonly pos: Pos;
  readonly derived: readonly Derived[];
  readonly attributes: readonly Attribute[];
}

export interface Parameter {
  readonly specifiers: Specifiers;
  readonly declarator: Declarator;
  readonly pos: Pos;
}

/** A type name, as in casts and sizeof: specifiers plus an abstract declarator. */
export interface TypeName {
  readonly specifiers: Specifiers;
  readonly declarator: Declarator;
}

export interface Declaration {
  readonly specifiers: Specifiers;
  readonly declarators: readonly Declarator[];
  /** a function definition whose body was skipped (static/inline functions in headers) */
  readonly definition: boolean;
  readonly pos: Pos;
}

/** Integer constant expressions (enum values, array sizes, bit widths, aligned(N)). */
export type Expr =
  | { readonly kind: "integer"; readonly value: bigint; readonly unsigned: boolean; readonly longs: 0 | 1 | 2; readonly decimal: boolean; readonly pos: Pos }
  | { readonly kind: "name"; readonly name: string; readonly pos: Pos }
  | { readonly kind: "unary"; readonly op: string; readonly operand: Expr; readonly pos: Pos }
  | { readonly kind: "binary"; readonly op: string; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: "conditional"; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr; readonly pos: Pos }
  | { readonly kind: "sizeof" | "alignof"; readonly type: TypeName; readonly pos: Pos }
  | { readonly kind: "cast"; readonly type: TypeName; readonly operand: Expr; readonly pos: Pos };
