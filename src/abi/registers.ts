/**
 * Register maps for the native register path: which argument register is
 * loaded from which slab slot, and how the result comes back. The native core
 * only follows the map; a signature the rules here do not cover returns null and
 * goes through libffi.
 *
 * Integer-class values and float/double take the ABI's integer and vector registers,
 * assigned in order independently. Where the ABI classifies aggregates by eightbytes
 * (x86-64 System V), an aggregate of at most 16 bytes travels as its eightbytes
 * (INTEGER or SSE), each taking the next register of its class, or entirely on the
 * stack when they do not all fit; larger aggregates (class MEMORY) go on the stack,
 * and are returned through a hidden pointer passed as the first integer argument.
 * What does not fit in registers takes the next 8-byte stack words, in argument order.
 */
import { TypeInfo } from "../types/ctype";
import { AggregateInfo } from "../types/layout";
import { constants } from "../native";
import { abi } from "./index";
import { EightbyteClass } from "./classify";

// result kinds and the result slot's index, as the native core defines them (REG_RET_*)
const { retInt: RET_INT, retDouble: RET_DOUBLE, retFloat: RET_FLOAT, retAggI: RET_AGG_I, retAggD: RET_AGG_D, retAggII: RET_AGG_II,
  retAggID: RET_AGG_ID, retAggDI: RET_AGG_DI, retAggDD: RET_AGG_DD, retMemory: RET_MEMORY, resultSlot: RESULT_SLOT } = constants.registers;

// 0: the core has no register path (it also needs little-endian slots, native/core/abi.h)
const INT_REGS = constants.registers.path ? abi.intRegisters : 0;
const FLOAT_REGS = abi.floatRegisters;
const STACK_WORDS = abi.stackWords;

function isIntegerClass(t: TypeInfo): boolean {
  switch (t.kind) {
    case "int":
    case "int64":
    case "intptr":
    case "bool":
    case "char":
    case "wchar":
    case "voidp":
    case "charp":
    case "wcharp":
    case "pointer":
    case "funcptr":
      return true;
    default:
      return false;
  }
}

/** Register classes of an aggregate, "MEMORY" when it goes on the stack, or null when the rules here do not cover it. */
function aggregateRegisters(t: TypeInfo): EightbyteClass[] | "MEMORY" | null {
  if (!abi.eightbytes || (t.kind !== "struct" && t.kind !== "union")) return null;
  const agg = t as AggregateInfo;
  if (agg.align > 8) return null; // over-aligned stack placement: leave to libffi
  const classes = abi.eightbytes(agg);
  if (classes === "MEMORY") return "MEMORY";
  if (!Array.isArray(classes)) return null;
  // an eightbyte of padding only has no class of its own; leave such layouts to libffi
  return hasPaddingOnlyEightbyte(agg) ? null : classes;
}

function hasPaddingOnlyEightbyte(t: AggregateInfo): boolean {
  return t.size > 8 && t.layout.fields.every((f) => f.offset + f.size <= 8 && (f.bitPosition === undefined || f.bitPosition + (f.bitSize ?? 0) <= 64));
}

export interface RegisterPlan {
  /** the descriptor sent to the native core (see native/core/regcall.c for its layout) */
  readonly map: number[];
  /** the argument slot each argument is written to */
  readonly argSlots: number[];
}

/**
 * The register plan for a signature, or null for libffi. Scalar arguments are
 * written in register order (the slot of register r is r), so the native core
 * loads its registers from fixed offsets without consulting the map.
 */
export function registerMap(argtypes: readonly TypeInfo[], restype: TypeInfo | null, variadic: boolean): RegisterPlan | null {
  if (INT_REGS === 0 || variadic) return null;
  // per source: [slot, byte offset, source]; source -1 unused, 0 the slot itself, 1..8 bytes behind the slot's address
  const ints: number[][] = [];
  const floats: number[][] = [];
  const stack: number[][] = [];
  let ret: number;
  if (restype === null || isIntegerClass(restype)) ret = RET_INT;
  else if (restype.kind === "double") ret = RET_DOUBLE;
  else if (restype.kind === "float") ret = RET_FLOAT;
  else {
    const classes = aggregateRegisters(restype);
    if (!classes) return null;
    if (classes === "MEMORY") {
      ret = RET_MEMORY;
      ints.push([RESULT_SLOT, 0, 0]); // the hidden pointer to the result buffer
    } else {
      const key = classes.map((c) => (c === "INTEGER" ? "I" : "D")).join("");
      ret = ({ I: RET_AGG_I, D: RET_AGG_D, II: RET_AGG_II, ID: RET_AGG_ID, DI: RET_AGG_DI, DD: RET_AGG_DD } as Record<string, number>)[key]!;
    }
  }
  for (let i = 0; i < argtypes.length; i++) {
    const t = argtypes[i]!;
    if (isIntegerClass(t)) (ints.length < INT_REGS ? ints : stack).push([i, 0, 0]);
    else if (t.kind === "double" || t.kind === "float") (floats.length < FLOAT_REGS ? floats : stack).push([i, 0, 0]);
    else {
      const classes = aggregateRegisters(t);
      if (!classes) return null;
      const words = Math.ceil(t.size / 8);
      const piece = (k: number) => [i, 8 * k, Math.min(8, t.size - 8 * k)];
      const needInt = classes === "MEMORY" ? 0 : classes.filter((c) => c === "INTEGER").length;
      if (classes !== "MEMORY" && ints.length + needInt <= INT_REGS && floats.length + classes.length - needInt <= FLOAT_REGS) {
        classes.forEach((c, k) => (c === "INTEGER" ? ints : floats).push(piece(k)));
      } else {
        for (let k = 0; k < words; k++) stack.push(piece(k)); // the whole aggregate on the stack
      }
    }
    if (stack.length > STACK_WORDS) return null;
  }
  const unused = [0, 0, -1];
  const pad = (list: number[][], n: number) => [...list, ...Array.from({ length: n - list.length }, () => unused)];
  const sources = [...pad(ints, INT_REGS), ...pad(floats, FLOAT_REGS), ...pad(stack, STACK_WORDS)];
  // Scalars are written in register order (the slot of register r is r), so the native core
  // loads the registers from fixed offsets; an aggregate's address goes in a slot after them
  // (its eightbytes are loaded from the memory it points to).
  const argSlots = argtypes.map((_, i) => i);
  const aggregateSlots = new Map<number, number>();
  sources.forEach((src, r) => {
    const [arg, , source] = src as [number, number, number];
    if (source === 0 && arg >= 0) {
      argSlots[arg] = r;
      src[0] = r;
    } else if (source > 0) {
      if (!aggregateSlots.has(arg)) aggregateSlots.set(arg, sources.length + aggregateSlots.size);
      argSlots[arg] = src[0] = aggregateSlots.get(arg)!;
    }
  });
  return { map: [ret, ...sources.flat()], argSlots };
}

/**
 * Where a callback's arguments are read from when they all travel in registers and
 * its result comes back in one: the callback-area slot of each argument, in register
 * order (integer registers, then vector registers), the order in which the native
 * register trampolines store them. null: libffi closure, argument i in slot i.
 */
export function callbackRegisters(argtypes: readonly TypeInfo[], restype: TypeInfo | null): number[] | null {
  if (INT_REGS === 0) return null;
  if (restype !== null && !isIntegerClass(restype) && restype.kind !== "double" && restype.kind !== "float") return null;
  let ints = 0;
  let floats = 0;
  const slots: number[] = [];
  for (const t of argtypes) {
    if (isIntegerClass(t) && ints < INT_REGS) slots.push(ints++);
    else if ((t.kind === "double" || t.kind === "float") && floats < FLOAT_REGS) slots.push(INT_REGS + floats++);
    else return null;
  }
  return slots;
}
