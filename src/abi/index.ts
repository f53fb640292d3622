/**
 * The platform's calling convention: one description per ABI, chosen by platform and
 * architecture. Everything in src/ that depends on how C passes arguments asks here
 * (registers.ts: register maps; typed.ts: typed-entry shapes; libffi.ts: by-value
 * aggregates); native/core/abi.h is its C counterpart. A new ABI is a new entry in
 * ABIS and in that header. Where none fits, libffi alone passes every argument.
 */
import { constants } from "../native";
import { AggregateInfo } from "../types/layout";
import { Eightbytes, aapcs64Elements, classifiedElements, classifySysV, aapcs64NaturalMisleads } from "./classify";

export type AbiName = "sysv-x64" | "aapcs64" | "libffi-only";

export interface Abi {
  readonly name: AbiName;
  /** argument registers of each class, assigned independently of each other (0: no register path) */
  readonly intRegisters: number;
  readonly floatRegisters: number;
  /** 8-byte stack words the register path passes after the registers */
  readonly stackWords: number;
  /** eightbyte classification of aggregates, which then travel in registers; null: aggregates are left to libffi */
  readonly eightbytes: ((info: AggregateInfo) => Eightbytes) | null;
  /**
   * The libffi element list that the ABI passes as it passes a non-natural aggregate (packed,
   * bit fields, unions, raised alignment), or why it cannot be passed by value; null: only
   * natural layouts pass by value (classify.ts)
   */
  readonly aggregateElements: ((info: AggregateInfo) => number[] | string) | null;
  /** natural layouts that libffi would pass otherwise than the ABI if described by their members; these take aggregateElements */
  readonly naturalMisleads: ((info: AggregateInfo) => boolean) | null;
  /**
   * Typed entries pass the integer-class arguments first, then the floating-point ones
   * (native/v8/typed.cc): right only where the two classes take registers independently
   * of each other, and where a variadic double travels as a named one would (C functions
   * called without argtypes may be variadic).
   */
  readonly typedEntries: boolean;
  /** an aggregate whose only member is a long double travels exactly as a long double (libffi only knows this for the scalar) */
  readonly loneLongDoubleIsScalar: boolean;
}

const LIBFFI_ONLY: Abi = {
  name: "libffi-only",
  intRegisters: 0,
  floatRegisters: 0,
  stackWords: 0,
  eightbytes: null,
  aggregateElements: null,
  naturalMisleads: null,
  typedEntries: false,
  loneLongDoubleIsScalar: false,
};

const ABIS: Record<Exclude<AbiName, "libffi-only">, Abi> = {
  "sysv-x64": {
    name: "sysv-x64",
    intRegisters: 6,
    floatRegisters: 8,
    stackWords: 8,
    eightbytes: classifySysV,
    aggregateElements: (info) => classifiedElements(info, classifySysV),
    naturalMisleads: null,
    typedEntries: true,
    loneLongDoubleIsScalar: true, // class X87, returned in st0
  },
  // AAPCS64 as Linux (and the other non-Apple systems) use it; the register path passes
  // scalars only (no stack words), aggregates go through libffi
  aapcs64: {
    name: "aapcs64",
    intRegisters: 8,
    floatRegisters: 8,
    stackWords: 0,
    eightbytes: null,
    aggregateElements: aapcs64Elements,
    naturalMisleads: aapcs64NaturalMisleads, // zero-length arrays in would-be HFAs
    typedEntries: true,
    loneLongDoubleIsScalar: true, // a one-member homogeneous aggregate, in q0 like the scalar
  },
};

/**
 * Which description applies, as native/core/abi.h chooses. Windows x64 shares one
 * register sequence between integers and floats; Apple arm64 passes variadic arguments
 * on the stack and packs stack arguments: neither is described yet.
 */
function abiName(platform: NodeJS.Platform, arch: string): AbiName {
  if (platform === "win32") return "libffi-only";
  if (arch === "x64") return "sysv-x64";
  if (arch === "arm64" && platform !== "darwin") return "aapcs64";
  return "libffi-only";
}

/** The description, if the native core was built for the same register counts; else libffi only. */
function currentAbi(): Abi {
  const name = abiName(process.platform, process.arch);
  if (name === "libffi-only") return LIBFFI_ONLY;
  const described = ABIS[name];
  const core = constants.registers;
  if (described.intRegisters === core.int && described.floatRegisters === core.float && described.stackWords === core.stackWords) return described;
  process.emitWarning(
    `tsctypes: the native core passes ${core.int} integer, ${core.float} float registers and ${core.stackWords} stack words, ` +
      `not ${name}'s ${described.intRegisters}, ${described.floatRegisters} and ${described.stackWords}: every call goes through libffi`,
  );
  return LIBFFI_ONLY;
}

export const abi: Abi = currentAbi();
