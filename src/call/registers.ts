/**
 * Register maps for the native register fast path: which argument register is
 * loaded from which slab slot, and how the result comes back. This is where the
 * platform's calling convention lives (the native core only follows the map);
 * a signature the rules here do not cover returns null and goes through libffi.
 *
 * x86-64 System V: integer-class values in 6 integer registers, float/double in
 * 8 vector registers, assigned in order independently; an aggregate of at most
 * 16 bytes travels as its eightbytes (INTEGER or SSE), each taking the next
 * register of its class, or entirely in memory when they do not all fit.
 * AArch64 (Linux): scalars alike with 8 + 8 registers; aggregates use libffi.
 */
import { TypeInfo } from "../types/ctype";
import { AggregateInfo, classify } from "../types/byvalue";
import { layout } from "./slab";

// result kinds shared with native/tsctypes.h (FAST_RET_*)
const RET_INT = 1, RET_DOUBLE = 2, RET_FLOAT = 3, RET_AGG_I = 4, RET_AGG_D = 5, RET_AGG_II = 6, RET_AGG_ID = 7, RET_AGG_DI = 8, RET_AGG_DD = 9;

const INT_REGS = layout.intRegisters;
const FLOAT_REGS = layout.floatRegisters;
const AGGREGATES_IN_REGISTERS = process.arch === "x64" && process.platform !== "win32";

type Eightbytes = ("INTEGER" | "SSE")[];

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

/** Register classes of a small aggregate, or null when it does not travel in registers. */
function aggregateRegisters(t: TypeInfo): Eightbytes | null {
  if (!AGGREGATES_IN_REGISTERS || (t.kind !== "struct" && t.kind !== "union")) return null;
  const agg = t as AggregateInfo;
  const classes = classify(agg);
  if (!Array.isArray(classes)) return null;
  // an eightbyte of padding only has no class of its own; leave such layouts to libffi
  return hasPaddingOnlyEightbyte(agg) ? null : classes;
}

function hasPaddingOnlyEightbyte(t: AggregateInfo): boolean {
  return t.size > 8 && t.layout.fields.every((f) => f.offset + f.size <= 8 && (f.bitPosition === undefined || f.bitPosition + (f.bitSize ?? 0) <= 64));
}

/** The register map for a signature (see native/fastcall.c for its layout), or null for libffi. */
export function registerMap(argtypes: readonly TypeInfo[], restype: TypeInfo | null, variadic: boolean): number[] | null {
  if (INT_REGS === 0 || variadic) return null;
  let ret: number;
  if (restype === null || isIntegerClass(restype)) ret = RET_INT;
  else if (restype.kind === "double") ret = RET_DOUBLE;
  else if (restype.kind === "float") ret = RET_FLOAT;
  else {
    const classes = aggregateRegisters(restype);
    if (!classes) return null;
    const key = classes.map((c) => (c === "INTEGER" ? "I" : "D")).join("");
    ret = ({ I: RET_AGG_I, D: RET_AGG_D, II: RET_AGG_II, ID: RET_AGG_ID, DI: RET_AGG_DI, DD: RET_AGG_DD } as Record<string, number>)[key]!;
  }
  // per register: [slot, byte offset, source]; source -1 unused, 0 the slot itself, 1..8 bytes behind the slot's address
  const regs: number[][] = Array.from({ length: INT_REGS + FLOAT_REGS }, () => [0, 0, -1]);
  let ni = 0, nf = 0;
  for (let i = 0; i < argtypes.length; i++) {
    const t = argtypes[i]!;
    if (isIntegerClass(t)) {
      if (ni === INT_REGS) return null;
      regs[ni++] = [i, 0, 0];
    } else if (t.kind === "double" || t.kind === "float") {
      if (nf === FLOAT_REGS) return null;
      regs[INT_REGS + nf++] = [i, 0, 0];
    } else {
      const classes = aggregateRegisters(t);
      if (!classes) return null;
      const needInt = classes.filter((c) => c === "INTEGER").length;
      if (ni + needInt > INT_REGS || nf + classes.length - needInt > FLOAT_REGS) return null; // would go in memory
      classes.forEach((c, k) => {
        const len = Math.min(8, t.size - 8 * k);
        if (c === "INTEGER") regs[ni++] = [i, 8 * k, len];
        else regs[INT_REGS + nf++] = [i, 8 * k, len];
      });
    }
  }
  return [ret, ...regs.flat()];
}
