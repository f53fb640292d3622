// By-value fuzzer: for each random struct/union type T the generated C library has
//   T      f<i>(pre..., T a, int k, T b)              the result computed field by field (then it
//                                                     scribbles over its own copies of a and b)
//   void   h<i>(pre..., const T *a, int k, const T *b, T *out)   the same computation by pointer
//   double g<i>(T a) / gp<i>(const T *a)               a checksum of every field
// and tsctypes must return from f exactly what h writes (every field's value and bytes), g must
// equal gp, and the caller's a and b must be unchanged. Each signature runs in a child process so
// that a crash is reported against its declaration instead of ending the run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import {
  SCALARS, genByValue, walk, cDeclarations, cTag, randomInt, randomReal, rng, mix, buildClasses,
  jsOffset, navigate, jsSource,
} from "./gen.mjs";

const WCHARS = [0x41, 0x7a, 0xe9, 0x3b1, 0x20ac, 0x4e2d];
const LONG_LIMIT = 2n ** 40n; // c_long & co. inputs: results a + b*k + acc stay exact numbers

/** Every value-carrying leaf (all array elements; unions: the active member only). */
export function byValueLeaves(sig) {
  const r = rng(mix(sig.seed, sig.index, 0x1ea));
  const leaves = [];
  walk(sig.root, { elements: "all", activeOnly: true, anonAccess: () => (r.chance(0.6) ? "promoted" : "named") }, (kind, info) => {
    if (kind === "leaf") leaves.push(info);
  });
  return leaves;
}

const ULL = (e) => `(unsigned long long)(${e})`;

function combineLeaf(leaf) {
  const A = `a->${leaf.cPath}`;
  const B = `b->${leaf.cPath}`;
  const R = `r->${leaf.cPath}`;
  if (leaf.string) {
    const n = leaf.n;
    const ch = leaf.string === "c_wchar" ? `(${A}[i] ? (wchar_t)(0x61 + ((unsigned)${A}[i] + (unsigned)${B}[i] + (unsigned)k) % 26) : 0)` : `(${A}[i] ? (char)('a' + ((unsigned char)${A}[i] + (unsigned char)${B}[i] + (unsigned)k) % 26) : 0)`;
    return `for (int i = 0; i < ${n}; i++) ${R}[i] = ${ch};`;
  }
  if (leaf.pointer) return `${R} = (k & 1) ? ${A} : ${B};`;
  const s = SCALARS[leaf.scalar];
  if (leaf.bits !== undefined) return `${R} = ${ULL(A)} + ${ULL(B)} * ${ULL("(long long)k")} + ${ULL("acc")};`;
  switch (s.cls) {
    case "int":
      return `${R} = (${s.c})(${ULL(A)} + ${ULL(B)} * ${ULL("(long long)k")} + ${ULL("acc")});`;
    case "bool":
      return `${R} = ${A} ^ ${B} ^ (k & 1);`;
    case "char":
      return `${R} = (char)('0' + ((unsigned char)${A} + (unsigned char)${B} + (unsigned)k) % 64);`;
    case "wchar":
    case "voidp":
    case "charp":
      return `${R} = (k & 1) ? ${A} : ${B};`;
    case "float":
      return `${R} = ${A} + ${B} * (${s.c})k + (${s.c})acc;`;
  }
  throw new Error(`no combine rule for ${leaf.scalar}`);
}

function checksumLeaf(leaf, w) {
  const A = `a->${leaf.cPath}`;
  if (leaf.string) return `for (int i = 0; i < ${leaf.n}; i++) s += (double)${A}[i] * ${w + 1} * (i + 1);`;
  if (leaf.pointer) return `s += (double)(uintptr_t)${A} * ${w};`;
  const s = SCALARS[leaf.scalar];
  if (s.cls === "voidp" || s.cls === "charp") return `s += (double)(uintptr_t)${A} * ${w};`;
  return `s += (double)${A} * ${w};`;
}

const PRE_C = { c_int: "int", c_double: "double", c_longlong: "long long", c_float: "float", c_uint8: "unsigned char" };

/** The C source of the library for a list of signatures. */
export function byValueLibrary(sigs) {
  const out = [`#include <string.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include <sys/types.h>
__attribute__((noipa)) static void scribble(void *p, int byte, size_t n) { memset(p, byte, n); }
`];
  for (const sig of sigs) {
    const i = sig.tag;
    const T = cTag(sig.root);
    const leaves = byValueLeaves(sig);
    const preParams = sig.pre.map((t, j) => `${PRE_C[t]} p${j}`);
    const acc = ["0LL", ...sig.pre.map((_, j) => `(long long)p${j}`)].join(" + ");
    out.push(`/* ---- signature ${i} (${sig.profile}) */`, cDeclarations(sig));
    out.push(`static void c${i}(const ${T} *a, int k, const ${T} *b, long long acc, ${T} *r) {`);
    out.push(`  memset(r, 0, sizeof *r);`);
    for (const leaf of leaves) out.push(`  ${combineLeaf(leaf)}`);
    out.push(`}`);
    out.push(`static double s${i}(const ${T} *a) {\n  double s = 0;`);
    leaves.forEach((leaf, j) => out.push(`  ${checksumLeaf(leaf, 2 * j + 3)}`));
    out.push(`  return s;\n}`);
    out.push(`${T} f${i}(${[...preParams, `${T} a`, "int k", `${T} b`].join(", ")}) {`);
    out.push(`  long long acc = ${acc};\n  ${T} r;\n  c${i}(&a, k, &b, acc, &r);`);
    out.push(`  scribble(&a, 0xa5, sizeof a);\n  scribble(&b, 0x5a, sizeof b);\n  return r;\n}`);
    out.push(`void h${i}(${[...preParams, `const ${T} *a`, "int k", `const ${T} *b`, `${T} *out`].join(", ")}) {`);
    out.push(`  long long acc = ${acc};\n  c${i}(a, k, b, acc, out);\n}`);
    out.push(`double g${i}(${T} a) { double s = s${i}(&a); scribble(&a, 0xa5, sizeof a); return s; }`);
    out.push(`double gp${i}(const ${T} *a) { return s${i}(a); }`);
  }
  return out.join("\n") + "\n";
}

// ------------------------------------------------------------------ the JS side

function errText(e) {
  return `${e?.constructor?.name ?? "Error"}: ${e?.message ?? e}`;
}

/** A TypeError of tsctypes saying the type cannot be passed by value. */
export function isUnsupported(e) {
  return e instanceof TypeError && /by value|cannot be (passed|described)|not supported|unsupported|cannot be expressed/i.test(String(e.message));
}

function show(v) {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function bytesOf(ct, obj, size) {
  const u8 = new Uint8Array(size);
  ct.memmove(u8, obj, size);
  return u8;
}

function hex(u8) {
  return Array.from(u8, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Random input value for a leaf (what JS assigns). */
function inputValue(ct, r, leaf, keep) {
  if (leaf.string) {
    const len = r.int(0, leaf.n);
    let s = "";
    for (let i = 0; i < len; i++) s += leaf.string === "c_wchar" ? String.fromCodePoint(r.pick(WCHARS)) : String.fromCharCode(r.int(0x61, 0x7a));
    return s;
  }
  if (leaf.pointer) {
    if (r.chance(0.2)) return null;
    const target = new (leaf.type.to.k === "s" ? ct[leaf.type.to.name] : null)();
    keep.push(target);
    return ct.pointer(target);
  }
  const s = SCALARS[leaf.scalar];
  if (leaf.bits !== undefined) {
    const v = randomInt(r, leaf.scalar, leaf.bits);
    return s.big ? v : Number(v);
  }
  switch (s.cls) {
    case "int": {
      let v = randomInt(r, leaf.scalar, undefined, s.num64 ? LONG_LIMIT : undefined);
      return s.big ? v : Number(v);
    }
    case "bool":
      return r.chance(0.5);
    case "char":
      return String.fromCharCode(r.int(0x21, 0x7e));
    case "wchar":
      return String.fromCodePoint(r.pick(WCHARS));
    case "float":
      return randomReal(r, leaf.scalar === "c_float" ? "c_float" : "c_double");
    case "voidp":
      return r.chance(0.2) ? null : r.int(1, 2 ** 30) * 16;
    case "charp": {
      if (r.chance(0.2)) return null;
      let str = "";
      for (let i = r.int(0, 6); i > 0; i--) str += String.fromCharCode(r.int(0x61, 0x7a));
      return str;
    }
  }
  throw new Error(`no input rule for ${leaf.scalar}`);
}

/** A leaf's value in comparable form. */
function readLeaf(ct, obj, leaf) {
  const [holder, key] = navigate(obj, leaf.js);
  const v = holder[key];
  if (leaf.pointer) return v === null ? null : ct.cast(v, ct.c_void_p).value;
  return v;
}

function sameValue(a, b) {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

/**
 * Run one signature against the loaded library. Returns
 * { status: "pass" | "mismatch" | "unsupported", messages: [...] }.
 */
export function runSignature(ct, lib, sig, trials = 3) {
  const i = sig.tag;
  let classes;
  try {
    classes = buildClasses(ct, sig);
  } catch (e) {
    return { status: "mismatch", messages: [`declaring the types threw ${errText(e)}`] };
  }
  const S = classes.get(sig.root.name);
  const pre = sig.pre.map((n) => ct[n]);
  const PS = ct.POINTER(S);
  let f, g, h, gp;
  try {
    h = lib.func(`h${i}`, null, [...pre, PS, ct.c_int, PS, PS]);
    gp = lib.func(`gp${i}`, ct.c_double, [PS]);
  } catch (e) {
    return { status: "mismatch", messages: [`declaring the by-pointer functions threw ${errText(e)}`] };
  }
  try {
    if (sig.api === "func") {
      f = lib.func(`f${i}`, S, [...pre, S, ct.c_int, S]);
      g = lib.func(`g${i}`, ct.c_double, [S]);
    } else {
      f = lib[`f${i}`];
      f.restype = S;
      f.argtypes = [...pre, S, ct.c_int, S];
      g = lib[`g${i}`];
      g.restype = ct.c_double;
      g.argtypes = [S];
    }
  } catch (e) {
    if (isUnsupported(e)) return { status: "unsupported", messages: [errText(e)] };
    return { status: "mismatch", messages: [`declaring f${i}/g${i} threw ${errText(e)}`] };
  }
  const leaves = byValueLeaves(sig);
  const size = ct.sizeof(S);
  const r = rng(mix(sig.seed, sig.index, 0x7a1));
  const bad = [];
  for (let t = 0; t < trials && !bad.length; t++) {
    const keep = [];
    const a = new S();
    const b = new S();
    const inputs = [];
    try {
      for (const obj of [a, b])
        for (const leaf of leaves) {
          const v = inputValue(ct, r, leaf, keep);
          inputs.push(v);
          const [holder, key] = navigate(obj, leaf.js);
          holder[key] = v;
        }
    } catch (e) {
      bad.push(`setting the inputs threw ${errText(e)}`);
      break;
    }
    const k = r.int(0, 100);
    const preArgs = sig.pre.map((n) => (n === "c_longlong" ? BigInt(r.int(0, 1000)) : r.int(0, 200)));
    const before = [hex(bytesOf(ct, a, size)), hex(bytesOf(ct, b, size))];
    let res;
    try {
      res = f(...preArgs, a, k, b);
    } catch (e) {
      if (isUnsupported(e)) return { status: "unsupported", messages: [errText(e)] };
      bad.push(`calling f${i} threw ${errText(e)}`);
      break;
    }
    const out = new S();
    h(...preArgs, ct.byref(a), k, ct.byref(b), ct.byref(out));
    const after = [hex(bytesOf(ct, a, size)), hex(bytesOf(ct, b, size))];
    if (after[0] !== before[0]) bad.push(`argument a changed by the call: ${before[0]} -> ${after[0]}`);
    if (after[1] !== before[1]) bad.push(`argument b changed by the call: ${before[1]} -> ${after[1]}`);
    if (!(res instanceof S)) {
      bad.push(`f${i} returned ${typeof res} ${res?.constructor?.name}, expected a ${sig.root.name} instance`);
      break;
    }
    const rb = bytesOf(ct, res, size);
    const ob = bytesOf(ct, out, size);
    for (const leaf of leaves) {
      let got, want;
      try {
        got = readLeaf(ct, res, leaf);
        want = readLeaf(ct, out, leaf);
      } catch (e) {
        bad.push(`.${leaf.cPath}: reading threw ${errText(e)}`);
        continue;
      }
      if (!sameValue(got, want)) bad.push(`.${leaf.cPath}${leaf.bits !== undefined ? ` (bit field :${leaf.bits})` : ""}: by value ${show(got)}, by pointer ${show(want)}`);
      if (leaf.bits === undefined) {
        try {
          const off = jsOffset(ct, classes, leaf.steps);
          const n = leaf.string ? leaf.n * (leaf.string === "c_wchar" ? 4 : 1) : leaf.pointer ? 8 : SCALARS[leaf.scalar].ld ? 10 : SCALARS[leaf.scalar].size;
          const x = hex(rb.subarray(off, off + n));
          const y = hex(ob.subarray(off, off + n));
          if (x !== y) bad.push(`.${leaf.cPath}: bytes by value ${x}, by pointer ${y}`);
        } catch (e) {
          bad.push(`.${leaf.cPath}: offset threw ${errText(e)}`);
        }
      }
    }
    let gv, gpv;
    try {
      gv = g(a);
      gpv = gp(ct.byref(a));
    } catch (e) {
      if (isUnsupported(e)) return { status: "unsupported", messages: [errText(e)] };
      bad.push(`calling g${i} threw ${errText(e)}`);
      break;
    }
    if (!Object.is(gv, gpv)) bad.push(`g${i}(a) by value ${gv}, gp${i}(&a) by pointer ${gpv}`);
    if (hex(bytesOf(ct, a, size)) !== before[0]) bad.push(`argument a changed by g${i}`);
    if (bad.length) bad.unshift(`trial ${t}: k=${k}, pre=(${preArgs.join(", ")}), inputs a then b: ${inputs.map(show).join(", ")}`);
  }
  return { status: bad.length ? "mismatch" : "pass", messages: bad };
}

/** The C function signature (for messages). */
export function cSignature(sig) {
  const T = cTag(sig.root);
  return `${T} f${sig.tag}(${[...sig.pre.map((t) => PRE_C[t]), `${T} a`, "int k", `${T} b`].join(", ")}); double g${sig.tag}(${T} a);`;
}

export function formatByValueFailure(f, max = 8) {
  const list = f.messages.slice(0, max).map((m) => `  - ${m}`).join("\n");
  const more = f.messages.length > max ? `\n  ... and ${f.messages.length - max} more` : "";
  return `by-value seed ${f.seed} #${f.index} (${f.profile}, ${f.api === "func" ? "lib.func" : "argtypes/restype"}): ${f.status}\n${list}${more}\nC:\n${f.c}\n${f.signature}\ntsctypes:\n${f.js}`;
}

// ------------------------------------------------------------------ child processes

/** The signature of a work item { seed, index, opts }. */
export function itemSignature(item) {
  return genByValue(item.seed, item.index, item.opts ?? {});
}

/** Work items for signatures [from, from+count) of one seed. */
export function rangeItems(seed, from, count, opts = {}) {
  return Array.from({ length: count }, (_, k) => ({ seed, index: from + k, opts }));
}

/**
 * In a child process: read the config { lib, items, from } from stdin, load the library and run
 * the work items items[from...], printing "S <position>" before and "R <json>" after each one.
 */
export function childMain(ct, config = JSON.parse(fs.readFileSync(0, "utf8"))) {
  const lib = new ct.CDLL(config.lib);
  for (let pos = config.from; pos < config.items.length; pos++) {
    process.stdout.write(`S ${pos}\n`);
    let res;
    try {
      res = runSignature(ct, lib, itemSignature(config.items[pos]));
    } catch (e) {
      res = { status: "mismatch", messages: [`the check threw ${errText(e)}\n${e?.stack ?? ""}`] };
    }
    process.stdout.write(`R ${JSON.stringify({ pos, ...res })}\n`);
  }
}

/**
 * In the parent: run the work items in child processes (`node entry --child-byvalue` must call
 * childMain; the config goes through stdin), restarting after a crash. Returns one result per item, with its declarations.
 */
export function runByValueChildren({ entry, lib, items, onProgress }) {
  const results = new Map();
  let next = 0;
  while (next < items.length) {
    const config = { lib, items, from: next };
    const p = spawnSync(process.execPath, [entry, "--child-byvalue"], { input: JSON.stringify(config), encoding: "utf8", maxBuffer: 1 << 28 });
    let started = -1;
    let last = next - 1;
    for (const line of (p.stdout || "").split("\n")) {
      if (line.startsWith("S ")) started = Number(line.slice(2));
      else if (line.startsWith("R ")) {
        const res = JSON.parse(line.slice(2));
        results.set(res.pos, res);
        last = res.pos;
        started = -1;
      }
    }
    const why = `${p.signal ?? `exit ${p.status}`}${p.error ? ` ${p.error.message}` : ""}`;
    const tail = (p.stderr || "").trim().split("\n").slice(-8).join(" | ");
    if (started >= 0) {
      results.set(started, { pos: started, status: "mismatch", crashed: true, messages: [`the process died (${why}) during this signature: ${tail}`] });
      next = started + 1;
    } else if (last + 1 < items.length) {
      if (last + 1 === next) {
        // the child could not even start this one
        results.set(next, { pos: next, status: "mismatch", crashed: true, messages: [`the child process failed (${why}): ${tail}`] });
        next += 1;
      } else next = last + 1;
    } else next = items.length;
    onProgress?.(results.size);
  }
  return items.map((item, pos) => {
    const sig = itemSignature(item);
    return { ...results.get(pos), pos, seed: item.seed, index: item.index, profile: sig.profile, api: sig.api, c: cDeclarations(sig), signature: cSignature(sig), js: jsSource(sig) };
  });
}

export { genByValue };
