/**
 * Typed-entry eligibility. A typed entry (native/v8/typed.cc) is a V8 fast API function
 * taking the C arguments themselves: the integer-class ones first, then the floating-point
 * ones, each class in declared order. That calls the C function correctly only where the
 * ABI assigns the two classes registers independently and every argument gets one.
 */
import { constants } from "../native";
import { abi } from "./index";

/** How a scalar travels to a typed entry: as an int32, a float or a double. */
export type TypedClass = "int32" | "float" | "double";

/** The typed entry a signature takes (the accelerator has one per shape, or none). */
export interface TypedShape {
  readonly ints: number;
  readonly floats: number;
  /** constants.typed.floatFloat or floatDouble: all floating-point arguments are of one kind */
  readonly floatKind: number;
  /** constants.typed.ret* */
  readonly ret: number;
  /** argument indices in the order the entry takes them */
  readonly order: readonly number[];
}

const TYPED = constants.typed;
const RET = { void: TYPED.retVoid, int32: TYPED.retInt32, float: TYPED.retFloat, double: TYPED.retDouble };

/** The shape for arguments and a result of these classes (undefined: not a typed scalar), or null. */
export function typedShape(args: readonly (TypedClass | undefined)[], result: TypedClass | "void" | undefined): TypedShape | null {
  if (!abi.typedEntries || result === undefined) return null;
  const ints: number[] = [];
  const floats: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const cls = args[i];
    if (cls === undefined) return null;
    (cls === "int32" ? ints : floats).push(i);
  }
  // on the stack, the declared order would count
  if (ints.length > abi.intRegisters || floats.length > abi.floatRegisters) return null;
  const floatKinds = new Set(floats.map((i) => args[i]));
  if (floatKinds.size > 1) return null;
  const floatKind = floatKinds.has("float") ? TYPED.floatFloat : TYPED.floatDouble;
  return { ints: ints.length, floats: floats.length, floatKind, ret: RET[result], order: [...ints, ...floats] };
}
