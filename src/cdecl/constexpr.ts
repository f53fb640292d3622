/**
 * Integer constant expressions (enum values, array sizes, bit widths, aligned(N))
 * evaluated as C does: each value has a width and signedness, operands go
 * through the usual arithmetic conversions, results wrap to their type.
 */
import type { Expr, Pos, TypeName } from "./ast";
import { CDeclError } from "./errors";

/** An integer value with its C type (width in bits, signedness). */
export interface IntValue {
  readonly value: bigint;
  readonly bits: number;
  readonly unsigned: boolean;
}

/** What evaluation needs from the declarations around it. */
export interface ConstantScope {
  readonly where: string;
  /** bits of `long` on this platform (integer suffix `L`) */
  readonly longBits: number;
  /** bits of size_t (the type of sizeof) */
  readonly sizeBits: number;
  /** an enumerator declared earlier */
  constant(name: string): IntValue | undefined;
  /** size and alignment of a type (sizeof/_Alignof) */
  measure(type: TypeName, pos: Pos): { size: number; align: number };
  /** the integer type a cast converts to */
  integerType(type: TypeName, pos: Pos): { bits: number; unsigned: boolean };
}

const INT: Omit<IntValue, "value"> = { bits: 32, unsigned: false };

function wrap(value: bigint, type: Omit<IntValue, "value">): IntValue {
  return { value: type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value), ...type };
}

const fits = (v: bigint, bits: number, unsigned: boolean) => (unsigned ? v >= 0n && v < 1n << BigInt(bits) : v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1));

/** Integer promotion then the usual arithmetic conversions: the common type of two operands. */
function commonType(a: IntValue, b: IntValue): Omit<IntValue, "value"> {
  if (a.unsigned === b.unsigned) return { bits: Math.max(a.bits, b.bits), unsigned: a.unsigned };
  const [u, s] = a.unsigned ? [a, b] : [b, a];
  return u.bits >= s.bits ? { bits: u.bits, unsigned: true } : { bits: s.bits, unsigned: false };
}

const truth = (v: boolean): IntValue => ({ value: v ? 1n : 0n, ...INT });

export function evaluate(e: Expr, scope: ConstantScope): IntValue {
  const fail = (pos: Pos, message: string): never => {
    throw new CDeclError(scope.where, pos, message);
  };
  switch (e.kind) {
    case "integer": {
      // the first type of C's list for this constant that holds the value
      const L = scope.longBits;
      const candidates: [number, boolean][] =
        e.longs === 0 ? [[32, false], [32, true], [L, false], [L, true], [64, false], [64, true]]
        : e.longs === 1 ? [[L, false], [L, true], [64, false], [64, true]]
        : [[64, false], [64, true]];
      const allowed = candidates.filter(([, u]) => (e.unsigned ? u : !u || !e.decimal));
      const type = allowed.find(([bits, unsigned]) => fits(e.value, bits, unsigned));
      if (!type) return fail(e.pos, "integer constant is too large for any integer type");
      return { value: e.value, bits: type[0], unsigned: type[1] };
    }
    case "name": {
      const v = scope.constant(e.name);
      if (!v) return fail(e.pos, `"${e.name}" is not a constant declared earlier (only enumerators can be used in constant expressions)`);
      return v;
    }
    case "unary": {
      const v = evaluate(e.operand, scope);
      const promoted = v.bits < 32 ? INT : { bits: v.bits, unsigned: v.unsigned };
      switch (e.op) {
        case "-":
          return wrap(-v.value, promoted);
        case "+":
          return wrap(v.value, promoted);
        case "~":
          return wrap(~v.value, promoted);
        default:
          return truth(v.value === 0n);
      }
    }
    case "binary": {
      const a = evaluate(e.left, scope);
      if (e.op === "&&" && a.value === 0n) return truth(false);
      if (e.op === "||" && a.value !== 0n) return truth(true);
      const b = evaluate(e.right, scope);
      if (e.op === "<<" || e.op === ">>") {
        const type = a.bits < 32 ? INT : { bits: a.bits, unsigned: a.unsigned };
        if (b.value < 0n || b.value >= BigInt(type.bits)) return fail(e.pos, `shift count ${b.value} is out of range for a ${type.bits}-bit operand`);
        return wrap(e.op === "<<" ? a.value << b.value : a.value >> b.value, type);
      }
      const type = commonType(a, b);
      const x = wrap(a.value, type).value;
      const y = wrap(b.value, type).value;
      switch (e.op) {
        case "+": return wrap(x + y, type);
        case "-": return wrap(x - y, type);
        case "*": return wrap(x * y, type);
        case "/":
        case "%":
          if (y === 0n) return fail(e.pos, "division by zero in a constant expression");
          // BigInt division truncates toward zero, like C
          return wrap(e.op === "/" ? x / y : x % y, type);
        case "&": return wrap(x & y, type);
        case "|": return wrap(x | y, type);
        case "^": return wrap(x ^ y, type);
        case "==": return truth(x === y);
        case "!=": return truth(x !== y);
        case "<": return truth(x < y);
        case ">": return truth(x > y);
        case "<=": return truth(x <= y);
        case ">=": return truth(x >= y);
        default: return truth(b.value !== 0n); // && and || when the left side did not decide
      }
    }
    case "conditional": {
      const test = evaluate(e.test, scope);
      const then = evaluate(e.then, scope);
      const otherwise = evaluate(e.otherwise, scope);
      return wrap(test.value !== 0n ? then.value : otherwise.value, commonType(then, otherwise));
    }
    case "sizeof":
    case "alignof": {
      const m = scope.measure(e.type, e.pos);
      return { value: BigInt(e.kind === "sizeof" ? m.size : m.align), bits: scope.sizeBits, unsigned: true };
    }
    case "cast":
      return wrap(evaluate(e.operand, scope).value, scope.integerType(e.type, e.pos));
  }
}

/** A constant as a JS value: a number when exact, else a bigint. */
export function jsValue(v: IntValue): number | bigint {
  return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.value) : v.value;
}
