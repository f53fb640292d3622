/**
 * Struct and union layout, as the platform's C compiler does it. The rules are
 * those of GCC/Clang on System V targets (x86-64, AArch64 Linux): natural
 * alignment, `#pragma pack(n)` capping member alignment, bit fields that do not
 * cross a storage unit of their declared type (unless packed), zero-width bit
 * fields aligning the next one. Unnamed bit fields differ between the two:
 * on x86-64 they do not affect the aggregate's alignment; on AArch64 (AAPCS64)
 * they do: a zero-width one raises it to the full alignment of its type, even
 * under `#pragma pack` or `packed`, a non-zero one to its pack-capped alignment
 * (`{char a; long :0; char b;}` in pack(4): 16 bytes aligned to 8 on AArch64,
 * 9 aligned to 1 on x86-64). MSVC's differences (bit fields of different types
 * never share a unit; zero-width fields only count after a bit field) are a rule
 * set of their own.
 */
import type { TypeInfo } from "./ctype";

export interface FieldSpec {
  readonly name: string;
  readonly type: TypeInfo;
  /** bit-field width; undefined for ordinary fields */
  readonly bits?: number;
}

export interface LaidOutField {
  readonly name: string;
  readonly type: TypeInfo;
  /** byte offset (bit fields: of the storage unit they are read from) */
  readonly offset: number;
  readonly size: number;
  /** bit fields: first bit, counted from the least significant bit of the unit at `offset` (little-endian) */
  readonly bitOffset?: number;
  readonly bitSize?: number;
  /** bit fields: absolute position of the first bit in the struct, in allocation order */
  readonly bitPosition?: number;
}

export interface Layout {
  readonly fields: LaidOutField[];
  readonly size: number;
  readonly align: number;
  /** true when every member sits at its natural alignment (no packing effects) */
  readonly natural: boolean;
  /** the bits unnamed bit fields of non-zero width take (they are not in `fields`): absolute first bit and width */
  readonly unnamedBits: readonly { readonly bitPosition: number; readonly bitSize: number }[];
}

/** A struct or union type: its TypeInfo with the layout it was given. */
export interface AggregateInfo extends TypeInfo {
  readonly layout: Layout;
  readonly littleEndian: boolean;
}

export interface LayoutOptions {
  readonly union: boolean;
  /** `_pack_`: maximum member alignment, 0 = none */
  readonly pack: number;
  /** `_align_`: minimum struct alignment, 0 = none */
  readonly align: number;
  /** a base structure whose fields come first (ctypes subclassing) */
  readonly base?: Layout;
  readonly bigEndian: boolean;
}

/** The rules that apply: the compiler family, and where the target departs from it. */
export interface LayoutRules {
  readonly name: "sysv-x64" | "sysv-aarch64" | "msvc";
  readonly family: "sysv" | "msvc";
  /** unnamed bit fields raise the aggregate's alignment (zero-width: to their type's full alignment; else: pack-capped) */
  readonly unnamedBitFieldsAlign: boolean;
}

const RULES: Record<LayoutRules["name"], LayoutRules> = {
  "sysv-x64": { name: "sysv-x64", family: "sysv", unnamedBitFieldsAlign: false },
  // AAPCS64 as GCC implements it on Linux (checked against aarch64-linux-gnu-gcc). Apple
  // arm64 (Clang, its own ABI variant) is not verified and keeps the x86-64 rules.
  "sysv-aarch64": { name: "sysv-aarch64", family: "sysv", unnamedBitFieldsAlign: true },
  msvc: { name: "msvc", family: "msvc", unnamedBitFieldsAlign: false },
};

function layoutRules(platform: NodeJS.Platform, arch: string): LayoutRules {
  if (platform === "win32") return RULES.msvc;
  if (arch === "arm64" && platform !== "darwin") return RULES["sysv-aarch64"];
  return RULES["sysv-x64"];
}

export const LAYOUT_RULES: LayoutRules = layoutRules(process.platform, process.arch);

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

export function computeLayout(specs: readonly FieldSpec[], options: LayoutOptions, what: string): Layout {
  if (LAYOUT_RULES.family === "msvc") throw new Error(`${what}: MSVC layout rules are not implemented yet`);
  const out: LaidOutField[] = options.base ? [...options.base.fields] : [];
  let bit = options.base ? options.base.size * 8 : 0; // next free bit (structs)
  let maxBits = bit; // union: largest member
  let align = options.base ? options.base.align : 1;
  let natural = options.base ? options.base.natural : true;
  const unnamedBits = options.base ? [...options.base.unnamedBits] : [];
  const pack = options.pack;
  const unnamedAlign = LAYOUT_RULES.unnamedBitFieldsAlign;
  for (const f of specs) {
    const t = f.type;
    const memberAlign = pack ? Math.min(t.align, pack) : t.align;
    if (pack && memberAlign < t.align) natural = false;
    const start = options.union ? 0 : bit;
    if (f.bits === undefined) {
      const offsetBits = alignUp(start, memberAlign * 8);
      out.push({ name: f.name, type: t, offset: offsetBits / 8, size: t.size });
      bit = offsetBits + t.size * 8;
      maxBits = Math.max(maxBits, t.size * 8);
      align = Math.max(align, memberAlign);
      continue;
    }
    natural = false;
    const unitBits = t.size * 8;
    const w = f.bits;
    if (w === 0) {
      // zero width: the next field starts at a boundary of the declared type
      if (!options.union) bit = alignUp(start, t.align * 8);
      if (unnamedAlign) align = Math.max(align, t.align); // AArch64: uncapped by any pack
      continue;
    }
    let pos = start;
    if (!pack) {
      // may not straddle a unit of the declared type (at its alignment)
      const unitStart = Math.floor(pos / (t.align * 8)) * t.align * 8;
      if (pos + w > unitStart + unitBits) pos = alignUp(pos, t.align * 8);
    }
    // under any #pragma pack, GCC places a bit field at the next free bit, straddling units
    const placed = bitFieldPlacement(pos, w, t.size);
    if (f.name !== "") out.push({ name: f.name, type: t, offset: placed.offset, size: t.size, bitOffset: placed.bitOffset, bitSize: w, bitPosition: pos });
    else unnamedBits.push({ bitPosition: pos, bitSize: w });
    // unnamed bit fields affect the alignment only on AArch64
    if (f.name !== "" || unnamedAlign) align = Math.max(align, memberAlign);
    bit = pos + w;
    maxBits = Math.max(maxBits, pos + w);
  }
  if (options.align) {
    if (options.align > align) natural = false;
    align = Math.max(align, options.align);
  }
  const usedBits = options.union ? maxBits : bit;
  const size = alignUp(Math.ceil(usedBits / 8), align);
  return { fields: out, size, align, natural, unnamedBits };
}

/** Where a bit field at absolute bit `pos` is read from: its type-sized unit when it fits in one, else its first byte. */
function bitFieldPlacement(pos: number, width: number, typeSize: number): { offset: number; bitOffset: number } {
  const unitBits = typeSize * 8;
  const unitStart = Math.floor(pos / unitBits) * unitBits;
  if (pos + width <= unitStart + unitBits) return { offset: unitStart / 8, bitOffset: pos - unitStart };
  return { offset: Math.floor(pos / 8), bitOffset: pos % 8 };
}
