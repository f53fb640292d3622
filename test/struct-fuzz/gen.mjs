// Random C struct/union declarations for the struct fuzzers (test/struct-layout-fuzz.test.mjs,
// test/struct-byvalue-fuzz.test.mjs, scripts/fuzz-structs.mjs).
//
// A declaration is a small type model (records, scalars, arrays, pointers, bit fields) generated
// from a seeded PRNG; from it we emit the C declaration (the oracle, compiled by `cc`) and build
// the same type with tsctypes at run time. This module has no side effects and does not import
// tsctypes: callers pass the library namespace (`import * as ct from "tsctypes"`).

// ------------------------------------------------------------------ PRNG

/** 32-bit mix of any number of integers (seed, index, stream...). */
export function mix(...xs) {
  let h = 0x811c9dc5;
  for (const x of xs) {
    let v = Number(BigInt.asUintN(32, BigInt(x)));
    for (let i = 0; i < 4; i++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
      v >>>= 8;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) with helpers. */
export function rng(seed) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const r = {
    u32,
    /** uniform float in [0, 1) */
    float: () => u32() / 4294967296,
    /** integer in [lo, hi] (inclusive) */
    int: (lo, hi) => lo + Math.floor((u32() / 4294967296) * (hi - lo + 1)),
    chance: (p) => u32() / 4294967296 < p,
    pick: (arr) => arr[Math.floor((u32() / 4294967296) * arr.length)],
    /** pick from [[weight, value], ...] */
    weighted: (pairs) => {
      const total = pairs.reduce((s, [w]) => s + w, 0);
      let x = (u32() / 4294967296) * total;
      for (const [w, v] of pairs) {
        if ((x -= w) < 0) return v;
      }
      return pairs[pairs.length - 1][1];
    },
    /** uniform BigInt in [0, 2^bits) */
    bits: (bits) => {
      let v = 0n;
      for (let got = 0; got < bits; got += 32) v = (v << 32n) | BigInt(u32());
      return BigInt.asUintN(bits, v);
    },
  };
  return r;
}

// ------------------------------------------------------------------ scalars

/**
 * The fundamental types. cls: int | bool | char | wchar | float | voidp | charp.
 * js: "number" | "bigint" (what a read gives for integers).
 */
export const SCALARS = {
  c_bool: { c: "_Bool", size: 1, cls: "bool" },
  c_char: { c: "char", size: 1, cls: "char" },
  c_wchar: { c: "wchar_t", size: 4, cls: "wchar" },
  c_byte: { c: "signed char", size: 1, cls: "int", signed: true },
  c_ubyte: { c: "unsigned char", size: 1, cls: "int", signed: false },
  c_short: { c: "short", size: 2, cls: "int", signed: true },
  c_ushort: { c: "unsigned short", size: 2, cls: "int", signed: false },
  c_int: { c: "int", size: 4, cls: "int", signed: true },
  c_uint: { c: "unsigned int", size: 4, cls: "int", signed: false },
  c_long: { c: "long", size: 8, cls: "int", signed: true, num64: true },
  c_ulong: { c: "unsigned long", size: 8, cls: "int", signed: false, num64: true },
  c_size_t: { c: "size_t", size: 8, cls: "int", signed: false, num64: true },
  c_ssize_t: { c: "ssize_t", size: 8, cls: "int", signed: true, num64: true },
  c_longlong: { c: "long long", size: 8, cls: "int", signed: true, big: true },
  c_ulonglong: { c: "unsigned long long", size: 8, cls: "int", signed: false, big: true },
  c_int8: { c: "int8_t", size: 1, cls: "int", signed: true },
  c_uint8: { c: "uint8_t", size: 1, cls: "int", signed: false },
  c_int16: { c: "int16_t", size: 2, cls: "int", signed: true },
  c_uint16: { c: "uint16_t", size: 2, cls: "int", signed: false },
  c_int32: { c: "int32_t", size: 4, cls: "int", signed: true },
  c_uint32: { c: "uint32_t", size: 4, cls: "int", signed: false },
  c_int64: { c: "int64_t", size: 8, cls: "int", signed: true, big: true },
  c_uint64: { c: "uint64_t", size: 8, cls: "int", signed: false, big: true },
  c_float: { c: "float", size: 4, cls: "float" },
  c_double: { c: "double", size: 8, cls: "float" },
  c_longdouble: { c: "long double", size: 16, cls: "float", ld: true },
  c_void_p: { c: "void *", size: 8, cls: "voidp" },
  c_char_p: { c: "char *", size: 8, cls: "charp" },
};
for (const [name, s] of Object.entries(SCALARS)) {
  s.name = name;
  s.align = s.size;
}

/** Declared types allowed for bit fields (signed and unsigned char/short/int/long/long long). */
export const BITFIELD_TYPES = [
  "c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint", "c_long", "c_ulong",
  "c_longlong", "c_ulonglong", "c_int8", "c_uint8", "c_int16", "c_uint16", "c_int32", "c_uint32",
  "c_int64", "c_uint64",
];

const ALL_SCALARS = Object.keys(SCALARS);
const SCALAR_WEIGHTS = {
  c_bool: 3, c_char: 4, c_wchar: 2, c_byte: 3, c_ubyte: 3, c_short: 4, c_ushort: 3, c_int: 8, c_uint: 5,
  c_long: 4, c_ulong: 3, c_size_t: 2, c_ssize_t: 1, c_longlong: 4, c_ulonglong: 3, c_int8: 2, c_uint8: 2,
  c_int16: 2, c_uint16: 2, c_int32: 2, c_uint32: 2, c_int64: 2, c_uint64: 2, c_float: 6, c_double: 6,
  c_longdouble: 2, c_void_p: 2, c_char_p: 2,
};

// ------------------------------------------------------------------ type model
//   { k: "s", name }            scalar
//   { k: "a", elem, n }         array
//   { k: "p", to }              pointer (to a scalar or record node)
//   { k: "r", rec }             record (struct or union)
// record: { name, union, endian: "native"|"big"|"little", pack?, align?, fields, anon (inline C member),
//           form: "late"|"static", selfPointer, active? (by-value unions: index of the member in use) }
// field:  { name, type, bits?, anon? }   (name "" with bits: an unnamed bit field)

export const S = (name) => ({ k: "s", name });
const A = (elem, n) => ({ k: "a", elem, n });
const P = (to) => ({ k: "p", to });
const R = (rec) => ({ k: "r", rec });

const POINTEE_SCALARS = ["c_int", "c_double", "c_char", "c_short", "c_ubyte", "c_longlong", "c_float"];

/** Approximate natural size/alignment (only to keep generated sizes in range). */
export function roughLayout(type) {
  switch (type.k) {
    case "s":
      return { size: SCALARS[type.name].size, align: SCALARS[type.name].align };
    case "p":
      return { size: 8, align: 8 };
    case "a": {
      const e = roughLayout(type.elem);
      return { size: e.size * type.n, align: e.align };
    }
    case "r": {
      const rec = type.rec;
      let size = 0;
      let align = 1;
      let bitpos = 0;
      for (const f of rec.fields) {
        let { size: fs, align: fa } = roughLayout(f.type);
        if (rec.pack) fa = Math.min(fa, rec.pack);
        if (f.bits !== undefined) {
          if (rec.union) size = Math.max(size, Math.ceil(f.bits / 8));
          else bitpos += f.bits;
          if (f.name) align = Math.max(align, fa);
          continue;
        }
        if (!rec.union && bitpos) {
          size += Math.ceil(bitpos / 8);
          bitpos = 0;
        }
        align = Math.max(align, fa);
        if (rec.union) size = Math.max(size, fs);
        else size = Math.ceil(size / fa) * fa + fs;
      }
      if (bitpos) size += Math.ceil(bitpos / 8);
      if (rec.align) align = Math.max(align, rec.align);
      size = Math.ceil(size / align) * align;
      return { size, align };
    }
  }
  throw new Error("bad type");
}

// ------------------------------------------------------------------ layout generator

/**
 * Options of the layout generator (all on by default). `prefix` renames the types (default
 * `L<index>`) without changing anything else, for mixing declarations of several seeds.
 */
export const LAYOUT_DEFAULTS = {
  bigEndian: true, // BigEndianStructure/Union against gcc's scalar_storage_order("big-endian")
  unnamedBitfields: true, // ["", c_int, 3] (C: `int : 3;`) besides the zero-width ["", c_int, 0]
  staticForm: true, // some classes with `static _fields_ = ...` class fields or from struct()/union(), not only late `X._fields_ = ...`
};

/**
 * One random layout: a root record and every record it uses (innermost first).
 * Deterministic in (seed, index, opts).
 */
export function genLayout(seed, index, opts = {}) {
  opts = { ...LAYOUT_DEFAULTS, ...opts };
  const r = rng(mix(seed, index, 0x1a7));
  const endian = opts.bigEndian && r.chance(0.07) ? "big" : r.chance(0.04) ? "little" : "native";
  const ctx = { r, opts, prefix: opts.prefix ?? `L${index}`, records: [], nrec: 0, nfield: 0, endian, mode: "layout" };
  const root = genRecord(ctx, 0, {});
  return { kind: "layout", seed, index, root, records: ctx.records };
}

function newRecord(ctx, depth, inherit) {
  const { r } = ctx;
  const anon = !!inherit.anon;
  const rec = {
    name: `${ctx.prefix}_${ctx.nrec++}`,
    union: inherit.union ?? r.chance(ctx.mode === "layout" ? 0.2 : 0.1),
    endian: ctx.endian,
    pack: anon ? inherit.pack : undefined, // an anonymous member is defined inline: the enclosing #pragma pack applies
    align: undefined,
    fields: [],
    anon,
    form: "late",
    selfPointer: false,
    depth,
  };
  return rec;
}

function genRecord(ctx, depth, inherit) {
  const { r, opts } = ctx;
  const rec = newRecord(ctx, depth, inherit);
  if (!rec.anon) {
    if (r.chance(0.25)) rec.pack = r.pick([1, 2, 4, 8]);
    if (r.chance(0.12)) rec.align = r.pick([1, 2, 4, 8, 16, 32]);
  }
  const bitfieldy = r.chance(0.4);
  const n = depth === 0 ? r.int(1, 8) : r.int(1, 5);
  const big = ctx.endian === "big";
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([
      [50, "scalar"],
      [bitfieldy ? 22 : 0, "bit"],
      [bitfieldy ? 4 : 0, "zero"],
      [bitfieldy && opts.unnamedBitfields ? 3 : 0, "unnamed"],
      [12, "array"],
      [depth < 3 ? 9 : 0, "record"],
      [depth < 3 ? 4 : 0, "anon"],
      [big ? 0 : 6, "pointer"],
    ]);
    switch (kind) {
      case "scalar":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: S(pickScalar(ctx)) });
        break;
      case "bit": {
        const t = r.pick(BITFIELD_TYPES);
        rec.fields.push({ name: `f${ctx.nfield++}`, type: S(t), bits: pickWidth(r, SCALARS[t].size * 8) });
        break;
      }
      case "zero":
        rec.fields.push({ name: "", type: S(r.pick(BITFIELD_TYPES)), bits: 0 });
        break;
      case "unnamed": {
        const t = r.pick(BITFIELD_TYPES);
        rec.fields.push({ name: "", type: S(t), bits: pickWidth(r, SCALARS[t].size * 8) });
        break;
      }
      case "array":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: genArray(ctx, depth) });
        break;
      case "record":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: R(genRecord(ctx, depth + 1, {})) });
        break;
      case "anon":
        rec.fields.push({ name: `_a${ctx.nfield++}`, type: R(genRecord(ctx, depth + 1, { anon: true, pack: rec.pack })), anon: true });
        break;
      case "pointer": {
        const prev = ctx.records.filter((x) => !x.anon);
        const to = r.weighted([
          [6, "scalar"],
          [rec.anon ? 0 : 2, "self"],
          [prev.length ? 2 : 0, "prev"],
        ]);
        let type;
        if (to === "self") {
          type = P(R(rec));
          rec.selfPointer = true;
        } else if (to === "prev") type = P(R(r.pick(prev)));
        else type = P(S(r.pick(POINTEE_SCALARS)));
        rec.fields.push({ name: `f${ctx.nfield++}`, type });
        break;
      }
    }
  }
  // C wants at least one named member
  if (!rec.fields.some((f) => f.name && !f.anon)) rec.fields.push({ name: `f${ctx.nfield++}`, type: S(pickScalar(ctx)) });
  rec.form = pickForm(r, rec, opts.staticForm);
  ctx.records.push(rec);
  return rec;
}

/** How the class is declared: late `_fields_` assignment, static class fields, or struct()/union(). */
function pickForm(r, rec, others) {
  if (!others || rec.selfPointer) return "late";
  const factoryOk = rec.endian === "native" && rec.fields.every((f) => f.name);
  return r.weighted([
    [45, "late"],
    [35, "static"],
    [factoryOk ? 20 : 0, "factory"],
  ]);
}

function pickWidth(r, bits) {
  return r.weighted([
    [5, () => r.int(1, Math.min(8, bits))],
    [3, () => r.int(1, bits)],
    [1, () => bits],
  ])();
}

function pickScalar(ctx) {
  const allowed = ctx.scalars ?? ALL_SCALARS;
  const pairs = allowed
    .filter((n) => !(ctx.endian === "big" && (SCALARS[n].cls === "voidp" || SCALARS[n].cls === "charp" || SCALARS[n].ld)))
    .map((n) => [SCALAR_WEIGHTS[n] ?? 1, n]);
  return ctx.r.weighted(pairs);
}

function genArray(ctx, depth) {
  const { r } = ctx;
  const n = r.int(1, 4);
  const elem = r.weighted([
    [7, "scalar"],
    [depth < 3 ? 2 : 0, "record"],
    [1, "array"],
  ]);
  if (elem === "record") return A(R(genRecord(ctx, depth + 1, {})), n);
  if (elem === "array") return A(A(S(pickScalar(ctx)), r.int(1, 3)), n);
  return A(S(pickScalar(ctx)), n);
}

// ------------------------------------------------------------------ by-value generator

/**
 * Profiles of by-value signatures: natural layouts mainly; float/double-only (SSE classes),
 * integer-only, small odd sizes, memory-class (>16 bytes), packed, bit fields, unions, long double.
 */
const BYVALUE_PROFILES = [
  [30, "mixed"],
  [14, "sse"],
  [12, "int"],
  [8, "tiny"],
  [10, "big"],
  [8, "bitfield"],
  [8, "union"],
  [6, "packed"],
  [4, "longdouble"],
  [8, "regs"],
];

const NUMERIC_SCALARS = ALL_SCALARS.filter((n) => ["int", "float", "bool", "char"].includes(SCALARS[n].cls) && !SCALARS[n].ld);
const INT_SCALARS = ALL_SCALARS.filter((n) => SCALARS[n].cls === "int");
const SMALL_INT_SCALARS = ["c_char", "c_bool", "c_byte", "c_ubyte", "c_short", "c_ushort", "c_int8", "c_uint8", "c_int16", "c_uint16"];

/** One random by-value signature: a record type S and the prefix scalar arguments. */
export function genByValue(seed, index, opts = {}) {
  const profile = opts.profile ?? rng(mix(seed, index, 0xb7)).weighted(BYVALUE_PROFILES);
  for (let attempt = 0; ; attempt++) {
    const r = rng(mix(seed, index, 0xb71, attempt));
    const ctx = { r, opts: { unnamedBitfields: false, staticForm: true }, prefix: opts.prefix ?? `V${index}`, records: [], nrec: 0, nfield: 0, endian: "native", mode: "byvalue", profile };
    let scalars = NUMERIC_SCALARS.concat(["c_wchar", "c_void_p", "c_char_p"]);
    let maxFields = 5;
    let maxSize = 64;
    let minSize = 1;
    switch (profile) {
      case "sse":
        scalars = r.chance(0.5) ? ["c_float"] : r.chance(0.5) ? ["c_double"] : ["c_float", "c_double"];
        maxFields = 6;
        break;
      case "int":
        scalars = INT_SCALARS;
        maxSize = 24;
        break;
      case "tiny":
        scalars = SMALL_INT_SCALARS.concat(r.chance(0.5) ? ["c_float"] : []);
        maxSize = 16;
        maxFields = 7;
        break;
      case "big":
        minSize = 17;
        maxSize = 72;
        maxFields = 8;
        break;
      case "longdouble":
        scalars = ["c_longdouble", "c_double", "c_int", "c_float", "c_char"];
        maxFields = 3;
        maxSize = 64;
        break;
    }
    if (profile === "regs") {
      // small structs right at the edge of the argument registers (6 integer, 8 SSE)
      scalars = r.pick([["c_longlong", "c_double"], ["c_int", "c_float", "c_double"], ["c_double", "c_int", "c_char"], NUMERIC_SCALARS]);
      maxFields = 3;
      maxSize = 16;
      minSize = 9;
    }
    ctx.scalars = scalars;
    const root = genByValueRecord(ctx, 0, { union: profile === "union" ? true : undefined }, maxFields);
    if (profile === "longdouble" && !ctx.records.some((rec) => rec.fields.some((f) => usesScalar(f.type, "c_longdouble"))) && attempt < 50) continue;
    const size = roughLayout(R(root)).size;
    if ((size < minSize || size > maxSize) && attempt < 200) continue;
    // prefix scalar arguments, to move the structs through the register allocation
    let pre = [];
    if (profile === "regs") {
      const nint = r.pick([4, 5, 5, 6]);
      const nsse = r.pick([0, 1, 2, 6, 7, 8]);
      for (let i = 0; i < nint; i++) pre.push(r.pick(["c_int", "c_longlong", "c_uint8"]));
      for (let i = 0; i < nsse; i++) pre.push(r.pick(["c_double", "c_float"]));
      for (let i = pre.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [pre[i], pre[j]] = [pre[j], pre[i]];
      }
    } else {
      const npre = r.weighted([[4, 0], [3, r.int(1, 3)], [2, r.int(4, 8)]]);
      for (let i = 0; i < npre; i++) pre.push(r.pick(["c_int", "c_double", "c_longlong", "c_float", "c_uint8"]));
    }
    return {
      kind: "byvalue",
      seed,
      index,
      tag: opts.tag ?? String(index), // C function names: f<tag>, g<tag>, ...
      profile,
      root,
      records: ctx.records,
      pre,
      api: r.chance(0.5) ? "func" : "argtypes",
    };
  }
}

function usesScalar(type, name) {
  if (type.k === "s") return type.name === name;
  if (type.k === "a") return usesScalar(type.elem, name);
  return false;
}

function genByValueRecord(ctx, depth, inherit, maxFields) {
  const { r, profile } = ctx;
  const rec = newRecord(ctx, depth, inherit);
  if (depth === 0 && profile === "packed") rec.pack = r.pick([1, 2, 4]);
  else if (!rec.anon && profile !== "sse" && profile !== "tiny" && r.chance(0.04)) rec.pack = r.pick([1, 2, 4, 8]);
  if (rec.anon) rec.pack = inherit.pack;
  if (!rec.anon && r.chance(0.05) && profile !== "tiny") rec.align = r.pick([4, 8, 16]);
  const bitfieldy = profile === "bitfield" || (profile === "mixed" && r.chance(0.1));
  const n = r.int(1, depth === 0 ? maxFields : Math.min(3, maxFields));
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([
      [10, "scalar"],
      [bitfieldy ? 8 : 0, "bit"],
      [bitfieldy ? 1 : 0, "zero"],
      [profile === "tiny" ? 1 : 2, "array"],
      [depth < 2 ? 2 : 0, "record"],
      [depth < 2 && profile !== "tiny" ? 1 : 0, "anon"],
      [profile === "mixed" || profile === "big" ? 1 : 0, "pointer"],
    ]);
    switch (kind) {
      case "scalar":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: S(pickScalar(ctx)) });
        break;
      case "bit": {
        const t = r.pick(BITFIELD_TYPES);
        let w = pickWidth(r, SCALARS[t].size * 8);
        if (SCALARS[t].num64) w = Math.min(w, 52); // keep c_long/c_ulong results exact as numbers
        rec.fields.push({ name: `f${ctx.nfield++}`, type: S(t), bits: w });
        break;
      }
      case "zero":
        rec.fields.push({ name: "", type: S(r.pick(BITFIELD_TYPES)), bits: 0 });
        break;
      case "array": {
        const elem = r.chance(0.85) || depth >= 2 ? S(pickScalar(ctx)) : R(genByValueRecord(ctx, depth + 1, {}, 2));
        rec.fields.push({ name: `f${ctx.nfield++}`, type: A(elem, r.int(1, profile === "tiny" ? 3 : 4)) });
        break;
      }
      case "record":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: R(genByValueRecord(ctx, depth + 1, {}, maxFields)) });
        break;
      case "anon":
        rec.fields.push({ name: `_a${ctx.nfield++}`, type: R(genByValueRecord(ctx, depth + 1, { anon: true, pack: rec.pack }, maxFields)), anon: true });
        break;
      case "pointer":
        rec.fields.push({ name: `f${ctx.nfield++}`, type: P(S(r.pick(["c_int", "c_double"]))) });
        break;
    }
  }
  if (!rec.fields.some((f) => f.name && !f.anon)) rec.fields.push({ name: `f${ctx.nfield++}`, type: S(pickScalar(ctx)) });
  if (rec.union) {
    const members = rec.fields.map((f, i) => [f, i]).filter(([f]) => f.name);
    rec.active = r.pick(members)[1];
  }
  rec.form = pickForm(r, rec, true);
  ctx.records.push(rec);
  return rec;
}

// ------------------------------------------------------------------ C emission

export function cTag(rec) {
  return `${rec.union ? "union" : "struct"} ${rec.name}`;
}

/** C declarator for `type` around `inner` (a name or a nested declarator). */
export function cDecl(type, inner) {
  switch (type.k) {
    case "s":
      return `${SCALARS[type.name].c} ${inner}`;
    case "p":
      return cDecl(type.to, `*${inner}`);
    case "a":
      return cDecl(type.elem, `${inner}[${type.n}]`);
    case "r":
      return `${cTag(type.rec)} ${inner}`;
  }
  throw new Error("bad type");
}

function cBody(rec, indent) {
  const lines = [];
  for (const f of rec.fields) {
    if (f.anon) {
      lines.push(`${indent}${f.type.rec.union ? "union" : "struct"} { /* ${f.name} (${f.type.rec.name}) */`);
      lines.push(...cBody(f.type.rec, indent + "  "));
      lines.push(`${indent}};`);
    } else if (f.bits !== undefined) {
      lines.push(`${indent}${SCALARS[f.type.name].c} ${f.name}${f.name ? " " : ""}: ${f.bits};`);
    } else {
      lines.push(`${indent}${cDecl(f.type, f.name)};`);
    }
  }
  return lines;
}

/** The C definition of one (non-anonymous) record, with its pragmas and attributes. */
export function cRecord(rec) {
  const out = [];
  if (rec.pack) out.push(`#pragma pack(push, ${rec.pack})`);
  if (rec.endian === "big") out.push(`#pragma scalar_storage_order big-endian`);
  out.push(`${cTag(rec)} {`);
  out.push(...cBody(rec, "  "));
  out.push(`}${rec.align ? ` __attribute__((aligned(${rec.align})))` : ""};`);
  if (rec.endian === "big") out.push(`#pragma scalar_storage_order default`);
  if (rec.pack) out.push(`#pragma pack(pop)`);
  return out.join("\n");
}

/** All C definitions a declaration needs (forward declarations first, for pointers). */
export function cDeclarations(decl) {
  const named = decl.records.filter((r) => !r.anon);
  const fwd = named.map((r) => `${cTag(r)};`).join(" ");
  return `${fwd}\n${named.map(cRecord).join("\n")}`;
}

/** A readable description: the C declarations (what a mismatch message shows). */
export function describe(decl) {
  return cDeclarations(decl);
}

/** The tsctypes declaration as JS source (for messages and reproducers). */
export function jsSource(decl) {
  const out = [];
  const t = (type) => {
    switch (type.k) {
      case "s":
        return type.name;
      case "a":
        return `${t(type.elem)}.array(${type.n})`;
      case "p":
        return `POINTER(${t(type.to)})`;
      case "r":
        return type.rec.name;
    }
  };
  for (const rec of decl.records) {
    const base = baseName(rec);
    const fields = rec.fields.map((f) => `[${JSON.stringify(f.name)}, ${t(f.type)}${f.bits !== undefined ? `, ${f.bits}` : ""}]`).join(", ");
    const anon = rec.fields.filter((f) => f.anon).map((f) => f.name);
    if (rec.form === "factory") {
      const map = rec.fields.map((f) => `${f.name}: ${f.bits !== undefined ? `[${t(f.type)}, ${f.bits}]` : t(f.type)}`).join(", ");
      const o = [`name: "${rec.name}"`];
      if (rec.pack) o.push(`pack: ${rec.pack}`);
      if (rec.align) o.push(`align: ${rec.align}`);
      if (anon.length) o.push(`anonymous: ${JSON.stringify(anon)}`);
      out.push(`const ${rec.name} = ${rec.union ? "union" : "struct"}({ ${map} }, { ${o.join(", ")} });`);
      continue;
    }
    out.push(`class ${rec.name} extends ${base} {}${rec.form === "static" ? " // built with static _pack_/_align_/_anonymous_/_fields_ class fields" : ""}`);
    if (rec.pack) out.push(`${rec.name}._pack_ = ${rec.pack};`);
    if (rec.align) out.push(`${rec.name}._align_ = ${rec.align};`);
    if (anon.length) out.push(`${rec.name}._anonymous_ = ${JSON.stringify(anon)};`);
    out.push(`${rec.name}._fields_ = [${fields}];`);
  }
  return out.join("\n");
}

function baseName(rec) {
  const kind = rec.union ? "Union" : "Structure";
  if (rec.endian === "big") return `BigEndian${kind}`;
  if (rec.endian === "little") return `LittleEndian${kind}`;
  return kind;
}

// ------------------------------------------------------------------ tsctypes construction

/** The tsctypes type of a node, given the classes built so far. */
export function jsType(ct, type, classes) {
  switch (type.k) {
    case "s": {
      const T = ct[type.name];
      if (!T) throw new Error(`tsctypes has no ${type.name}`);
      return T;
    }
    case "a":
      return jsType(ct, type.elem, classes).array(type.n);
    case "p":
      return ct.POINTER(jsType(ct, type.to, classes));
    case "r": {
      const cls = classes.get(type.rec.name);
      if (!cls) throw new Error(`internal: ${type.rec.name} not built yet`);
      return cls;
    }
  }
  throw new Error("bad type");
}

/**
 * Build every record of a declaration with tsctypes (innermost first).
 * Returns a Map name -> class. Throws what tsctypes throws.
 */
export function buildClasses(ct, decl) {
  const classes = new Map();
  for (const rec of decl.records) {
    const Base = ct[baseName(rec)];
    if (!Base) throw new Error(`tsctypes has no ${baseName(rec)}`);
    const anon = rec.fields.filter((f) => f.anon).map((f) => f.name);
    if (rec.form === "factory") {
      const map = {};
      for (const f of rec.fields) {
        const T = jsType(ct, f.type, classes);
        map[f.name] = f.bits !== undefined ? [T, f.bits] : T;
      }
      const options = { name: rec.name };
      if (rec.pack) options.pack = rec.pack;
      if (rec.align) options.align = rec.align;
      if (anon.length) options.anonymous = anon;
      classes.set(rec.name, (rec.union ? ct.union : ct.struct)(map, options));
    } else if (rec.form === "static") {
      const fields = rec.fields.map((f) => fieldTuple(ct, f, classes));
      const cls = makeStatic(Base, rec.name, rec.pack, rec.align, anon.length ? anon : undefined, fields);
      classes.set(rec.name, cls);
    } else {
      const cls = { [rec.name]: class extends Base {} }[rec.name];
      classes.set(rec.name, cls); // before _fields_: POINTER(self)
      if (rec.pack) cls._pack_ = rec.pack;
      if (rec.align) cls._align_ = rec.align;
      if (anon.length) cls._anonymous_ = anon;
      cls._fields_ = rec.fields.map((f) => fieldTuple(ct, f, classes));
    }
  }
  return classes;
}

function fieldTuple(ct, f, classes) {
  const T = jsType(ct, f.type, classes);
  return f.bits !== undefined ? [f.name, T, f.bits] : [f.name, T];
}

/** `class X extends Base { static _pack_ = ...; static _fields_ = [...] }` with only the given statics. */
function makeStatic(Base, name, pack, align, anonymous, fields) {
  const key = `${pack ? "p" : ""}${align ? "a" : ""}${anonymous ? "n" : ""}`;
  let holder;
  switch (key) {
    case "":
      holder = { [name]: class extends Base { static _fields_ = fields; } };
      break;
    case "p":
      holder = { [name]: class extends Base { static _pack_ = pack; static _fields_ = fields; } };
      break;
    case "a":
      holder = { [name]: class extends Base { static _align_ = align; static _fields_ = fields; } };
      break;
    case "n":
      holder = { [name]: class extends Base { static _anonymous_ = anonymous; static _fields_ = fields; } };
      break;
    case "pa":
      holder = { [name]: class extends Base { static _pack_ = pack; static _align_ = align; static _fields_ = fields; } };
      break;
    case "pn":
      holder = { [name]: class extends Base { static _pack_ = pack; static _anonymous_ = anonymous; static _fields_ = fields; } };
      break;
    case "an":
      holder = { [name]: class extends Base { static _align_ = align; static _anonymous_ = anonymous; static _fields_ = fields; } };
      break;
    case "pan":
      holder = { [name]: class extends Base { static _pack_ = pack; static _align_ = align; static _anonymous_ = anonymous; static _fields_ = fields; } };
      break;
  }
  return holder[name];
}

// ------------------------------------------------------------------ values and literals

/** C literal for an integer value (BigInt) of a scalar type. */
export function cInt(v) {
  v = BigInt(v);
  if (v === -(1n << 63n)) return "(-9223372036854775807LL - 1)";
  if (v < 0n) return `(${v}LL)`;
  return `${v}ULL`;
}

/** C literal for a double (exact: JS prints the shortest round-trip decimal). */
export function cDouble(x) {
  if (Object.is(x, -0)) return "(-0.0)";
  if (!Number.isFinite(x)) throw new Error("non-finite literal");
  const s = String(x);
  return /[.e]/.test(s) ? `(${s})` : `(${s}.0)`;
}

/** A random double exactly representable as float (if `float`), finite, various magnitudes. */
export function randomReal(r, kind) {
  const shape = r.int(0, 9);
  let x;
  if (shape === 0) x = 0;
  else if (shape === 1) x = r.int(-1000, 1000);
  else if (shape === 2) x = r.int(-(2 ** 20), 2 ** 20) / 1024;
  else if (shape === 3) x = -0;
  else x = (r.float() * 2 - 1) * 2 ** r.int(-30, 40);
  return kind === "c_float" ? Math.fround(x) : x;
}

/** Random integer (BigInt) of the given scalar type; `limit` bounds |v| (for results kept exact). */
export function randomInt(r, name, bits, limit) {
  const s = SCALARS[name];
  const w = bits ?? s.size * 8;
  let v = r.bits(w);
  if (s.signed) v = BigInt.asIntN(w, v);
  if (r.chance(0.2)) v = BigInt(r.int(-3, 3));
  if (s.signed ? false : v < 0n) v = BigInt.asUintN(w, v);
  if (limit !== undefined) {
    const L = BigInt(limit);
    if (v >= L || v <= -L) v = v % L;
  }
  return v;
}

/** What tsctypes reads for an integer value of this type: bigint for 64-bit types, else number. */
export function jsIntValue(name, v) {
  return SCALARS[name].big ? BigInt(v) : Number(v);
}

// ------------------------------------------------------------------ paths

/**
 * Walk a record's fields. Calls visit(kind, info) for:
 *   "member": every named non-bit-field member (nested records, arrays, scalars, pointers), with
 *             cPath (for offsetof), steps (for computing the offset with fieldInfo), type;
 *   "leaf":   every scalar (and c_char array) value; bit fields have bits/signed.
 * Arrays: `elements` = "last" visits element n-1 only, "all" every element.
 * Anonymous members: their fields are reached through the outer record (C11), in JS either directly
 * (promoted, `_anonymous_`) or through the member's own name; `anonAccess(rec, field)` decides.
 */
export function walk(root, { elements = "last", anonAccess = () => "promoted", activeOnly = false }, visit) {
  const rec0 = root;
  const go = (rec, cPrefix, jsPrefix, steps) => {
    rec.fields.forEach((f, fi) => {
      if (!f.name) return;
      if (activeOnly && rec.union && rec.active !== fi) return;
      if (f.anon) {
        const how = anonAccess(rec, f);
        go(f.type.rec, cPrefix, how === "promoted" ? jsPrefix : [...jsPrefix, f.name], [...steps, { rec, field: f.name, anon: true }]);
        return;
      }
      const cPath = cPrefix ? `${cPrefix}.${f.name}` : f.name;
      const js = [...jsPrefix, f.name];
      const st = [...steps, { rec, field: f.name }];
      if (f.bits !== undefined) {
        const s = SCALARS[f.type.name];
        visit("leaf", { cPath, js, steps: st, scalar: f.type.name, bits: f.bits, signed: s.signed, rec, field: f });
        return;
      }
      visitType(f.type, cPath, js, st);
    });
  };
  const visitType = (type, cPath, js, steps) => {
    visit("member", { cPath, js, steps, type });
    if (type.k === "s") visit("leaf", { cPath, js, steps, scalar: type.name, type });
    else if (type.k === "p") visit("leaf", { cPath, js, steps, pointer: true, type });
    else if (type.k === "r") go(type.rec, cPath, js, steps);
    else if (type.k === "a") {
      if (type.elem.k === "s" && (type.elem.name === "c_char" || type.elem.name === "c_wchar")) {
        visit("leaf", { cPath, js, steps, string: type.elem.name, n: type.n, type });
        return;
      }
      const idx = elements === "all" ? [...Array(type.n).keys()] : [type.n - 1];
      for (const i of idx) visitType(type.elem, `${cPath}[${i}]`, [...js, i], [...steps, { index: i, elem: type.elem }]);
    }
  };
  go(rec0, "", [], []);
}

/** Absolute offset of a member path computed with tsctypes' fieldInfo/sizeof. */
export function jsOffset(ct, classes, steps) {
  let off = 0;
  for (const s of steps) {
    if (s.index !== undefined) off += s.index * ct.sizeof(jsType(ct, s.elem, classes));
    else off += ct.fieldInfo(classes.get(s.rec.name), s.field).offset;
  }
  return off;
}

/** Navigate `obj` along js path components except the last; returns [holder, lastKey]. */
export function navigate(obj, js) {
  let o = obj;
  for (let i = 0; i < js.length - 1; i++) o = o[js[i]];
  return [o, js[js.length - 1]];
}

/** Non-zero bytes of a buffer as "i:hh,i:hh" ("-" when all zero). */
export function nonZero(u8) {
  const parts = [];
  for (let i = 0; i < u8.length; i++) if (u8[i]) parts.push(`${i}:${u8[i].toString(16).padStart(2, "0")}`);
  return parts.length ? parts.join(",") : "-";
}

/** A short fingerprint of a text (FNV-1a, hex), to notice when a pinned declaration changes. */
export function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
