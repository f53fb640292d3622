// Layout fuzzer: the C compiler reports sizeof/_Alignof/offsetof of every generated type and
// the bytes a store to each field produces (bit fields: all ones and a value pattern, plus the
// value read back); tsctypes must agree exactly.
import {
  SCALARS, genLayout, walk, cDeclarations, cTag, cInt, cDouble, randomInt, randomReal, rng, mix,
  buildClasses, jsOffset, jsType, navigate, nonZero, jsSource,
} from "./gen.mjs";
import { compile, run } from "./cc.mjs";

const WCHARS = [0x41, 0x7a, 0xe9, 0x3b1, 0x20ac, 0x4e2d];
const NUM_LIMIT = 2n ** 52n;

/** Members (for offsetof) and leaves with their probes, deterministic per layout. */
export function layoutProbes(layout) {
  const r = rng(mix(layout.seed, layout.index, 0x9e0));
  const members = [];
  const leaves = [];
  walk(layout.root, { elements: "last", anonAccess: () => (r.chance(0.6) ? "promoted" : "named") }, (kind, info) => {
    if (kind === "member") members.push(info);
    else {
      const probes = makeProbes(r, info);
      if (probes.length) leaves.push({ ...info, probes });
    }
  });
  return { members, leaves };
}

function makeProbes(r, leaf) {
  if (leaf.pointer) return [];
  if (leaf.string) {
    const len = r.int(0, leaf.n - 1 + (r.chance(0.3) ? 1 : 0));
    let s = "";
    for (let i = 0; i < len; i++) s += leaf.string === "c_wchar" ? String.fromCodePoint(r.pick(WCHARS)) : String.fromCharCode(r.int(0x21, 0x7e));
    return [{ js: s, c: [...s].map((ch, i) => `x.${leaf.cPath}[${i}] = ${ch.codePointAt(0)};`).join(" "), expect: s }];
  }
  const s = SCALARS[leaf.scalar];
  const set = (lit) => `x.${leaf.cPath} = ${lit};`;
  if (leaf.bits !== undefined) {
    const limit = s.num64 ? NUM_LIMIT : undefined;
    const v = randomInt(r, leaf.scalar, leaf.bits, limit);
    const fmt = s.signed ? `printf(" %lld", (long long)x.${leaf.cPath});` : `printf(" %llu", (unsigned long long)x.${leaf.cPath});`;
    return [
      { js: s.big ? -1n : -1, c: set("-1"), readback: fmt, ones: true },
      { js: s.big ? v : Number(v), c: set(cInt(v)), readback: fmt },
    ];
  }
  switch (s.cls) {
    case "int": {
      const v = randomInt(r, leaf.scalar, undefined, s.num64 ? NUM_LIMIT : undefined);
      const js = s.big ? v : Number(v);
      return [{ js, c: set(cInt(v)), expect: js }];
    }
    case "bool":
      return [{ js: true, c: set("1"), expect: true }];
    case "char": {
      const code = r.int(0x21, 0x7e);
      return [{ js: String.fromCharCode(code), c: set(String(code)), expect: String.fromCharCode(code) }];
    }
    case "wchar": {
      const code = r.pick(WCHARS);
      return [{ js: String.fromCodePoint(code), c: set(String(code)), expect: String.fromCodePoint(code) }];
    }
    case "float": {
      const v = randomReal(r, leaf.scalar);
      return [{ js: v, c: set(cDouble(v)), expect: v }];
    }
    case "voidp": {
      const v = r.int(1, 2 ** 30) * 8 + r.int(0, 7);
      return [{ js: v, c: set(`(void *)${v}UL`), expect: v }];
    }
    default:
      return []; // c_char_p: offset only
  }
}

const C_PRELUDE = `#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include <sys/types.h>
static void dump(const void *p, size_t n) {
  const unsigned char *b = p; int first = 1;
  for (size_t i = 0; i < n; i++) if (b[i]) { printf("%s%zu:%02x", first ? "" : ",", i, b[i]); first = 0; }
  if (first) printf("-");
}
`;

/** The C program for a batch of layouts (each with its probes). */
export function layoutProgram(items) {
  const out = [C_PRELUDE];
  items.forEach((it, k) => {
    const { layout, probes } = it;
    const root = cTag(layout.root);
    out.push(`/* ---- layout ${layout.index} */`, cDeclarations(layout));
    out.push(`static void t${k}(void) {`);
    for (const rec of layout.records) {
      if (rec.anon) continue;
      out.push(`  printf("T ${k} ${rec.name} %zu %zu\\n", sizeof(${cTag(rec)}), _Alignof(${cTag(rec)}));`);
    }
    probes.members.forEach((m, mi) => {
      out.push(`  printf("O ${k} ${mi} %zu %zu\\n", offsetof(${root}, ${m.cPath}), sizeof(((${root} *)0)->${m.cPath}));`);
    });
    probes.leaves.forEach((leaf, li) => {
      leaf.probes.forEach((p, pi) => {
        out.push(`  { ${root} x; memset(&x, 0, sizeof x); ${p.c} printf("P ${k} ${li} ${pi} "); dump(&x, sizeof x); ${p.readback ?? ""} printf("\\n"); }`);
      });
    });
    out.push(`}`);
  });
  out.push(`int main(void) {`);
  items.forEach((_, k) => out.push(`  t${k}();`));
  out.push(`  return 0;\n}\n`);
  return out.join("\n");
}

/** Parse the program's output into one result per batch item. */
export function parseLayoutOutput(text, n) {
  const res = Array.from({ length: n }, () => ({ types: new Map(), members: [], probes: new Map() }));
  for (const line of text.split("\n")) {
    if (!line) continue;
    const p = line.split(" ");
    const k = Number(p[1]);
    if (p[0] === "T") res[k].types.set(p[2], { size: Number(p[3]), align: Number(p[4]) });
    else if (p[0] === "O") res[k].members[Number(p[2])] = { offset: Number(p[3]), size: Number(p[4]) };
    else if (p[0] === "P") res[k].probes.set(`${p[2]}/${p[3]}`, { bytes: p[4], readback: p[5] });
    else throw new Error(`bad line from the layout program: ${line}`);
  }
  return res;
}

function show(v) {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

function errText(e) {
  return `${e?.constructor?.name ?? "Error"}: ${e?.message ?? e}`;
}

/** Compare tsctypes with the C results of one layout; returns a list of mismatch strings. */
export function checkLayout(ct, layout, probes, c) {
  const bad = [];
  let classes;
  try {
    classes = buildClasses(ct, layout);
    ct.sizeof(classes.get(layout.root.name)); // force the layout
  } catch (e) {
    bad.push(`declaring the types threw ${errText(e)}`);
    return bad;
  }
  const attempt = (what, fn) => {
    try {
      fn();
    } catch (e) {
      bad.push(`${what}: threw ${errText(e)}`);
    }
  };
  for (const rec of layout.records) {
    if (rec.anon) continue;
    const want = c.types.get(rec.name);
    const cls = classes.get(rec.name);
    attempt(`sizeof(${rec.name})`, () => {
      const got = ct.sizeof(cls);
      if (got !== want.size) bad.push(`sizeof(${rec.name}): C ${want.size}, tsctypes ${got}`);
    });
    attempt(`alignment(${rec.name})`, () => {
      const got = ct.alignment(cls);
      if (got !== want.align) bad.push(`alignment(${rec.name}): C ${want.align}, tsctypes ${got}`);
    });
  }
  const root = layout.root.name;
  probes.members.forEach((m, mi) => {
    const want = c.members[mi];
    attempt(`offsetof(${root}, ${m.cPath})`, () => {
      const got = jsOffset(ct, classes, m.steps);
      if (got !== want.offset) bad.push(`offsetof(${root}, ${m.cPath}): C ${want.offset}, tsctypes ${got} (fieldInfo sums)`);
      const last = m.steps[m.steps.length - 1];
      const size = last.index !== undefined ? ct.sizeof(jsType(ct, last.elem, classes)) : ct.fieldInfo(classes.get(last.rec.name), last.field).size;
      if (size !== want.size) bad.push(`size of ${root}.${m.cPath}: C ${want.size}, tsctypes ${size}`);
      // a field of an anonymous member is also a field of the enclosing record (_anonymous_)
      const ai = m.steps.findIndex((s) => s.anon);
      if (ai >= 0 && last.field !== undefined) {
        let j = ai;
        while (j < m.steps.length && m.steps[j].anon) j++;
        if (j === m.steps.length - 1 && m.steps[j].field !== undefined) {
          const outer = classes.get(m.steps[ai].rec.name);
          const direct = ct.fieldInfo(outer, m.steps[j].field).offset;
          const viaAnon = jsOffset(ct, classes, m.steps.slice(ai));
          if (direct !== viaAnon) bad.push(`fieldInfo(${m.steps[ai].rec.name}, ${JSON.stringify(m.steps[j].field)}).offset ${direct} != anonymous member offset + inner offset ${viaAnon}`);
        }
      }
    });
  });
  const cls = classes.get(root);
  const size = c.types.get(root).size;
  probes.leaves.forEach((leaf, li) => {
    leaf.probes.forEach((p, pi) => {
      const want = c.probes.get(`${li}/${pi}`);
      const where = `${root}.${leaf.cPath}${leaf.bits !== undefined ? ` (bit field ${leaf.scalar}:${leaf.bits})` : ` (${leaf.string ? `${leaf.string} array` : leaf.scalar})`} = ${show(p.js)} [js: .${leaf.js.join(".")}]`;
      let obj;
      try {
        obj = new cls();
        const [holder, key] = navigate(obj, leaf.js);
        holder[key] = p.js;
      } catch (e) {
        bad.push(`${where}: setting threw ${errText(e)}`);
        return;
      }
      let bytes;
      try {
        const u8 = new Uint8Array(size);
        ct.memmove(u8, obj, size);
        bytes = nonZero(u8);
      } catch (e) {
        bad.push(`${where}: memmove threw ${errText(e)}`);
        return;
      }
      if (bytes !== want.bytes) bad.push(`${where}: bytes (offset:hex of non-zero bytes) C ${want.bytes}, tsctypes ${bytes}`);
      // read back
      let expect;
      let expectThrow = false;
      if (p.readback) {
        const s = SCALARS[leaf.scalar];
        const v = BigInt(want.readback);
        if (s.big) expect = v;
        else if (s.num64 && (v > 2n ** 53n || v < -(2n ** 53n))) expectThrow = true;
        else expect = Number(v);
      } else expect = p.expect;
      let got;
      try {
        const [holder, key] = navigate(obj, leaf.js);
        got = holder[key];
      } catch (e) {
        if (!(expectThrow && e instanceof RangeError)) bad.push(`${where}: reading back threw ${errText(e)}${expectThrow ? "" : `, expected ${show(expect)}`}`);
        return;
      }
      // an element of an array of char arrays is the array object (as in ctypes); its .value is the string
      if (leaf.string && typeof leaf.js[leaf.js.length - 1] === "number" && got instanceof ct.CData && typeof got.value === "string") got = got.value;
      if (expectThrow) bad.push(`${where}: reading back gave ${show(got)}, expected a RangeError (${want.readback} is not exact as a number)`);
      else if (!same(got, expect)) bad.push(`${where}: read back ${show(got)} (${typeof got}), expected ${show(expect)} (${typeof expect})`);
      // fieldInfo of a little-endian bit field: offset*8 + bit_offset is the lowest bit set by all ones
      if (p.ones && layout.root.endian !== "big") {
        try {
          const last = leaf.steps[leaf.steps.length - 1];
          const fi = ct.fieldInfo(classes.get(last.rec.name), last.field);
          const base = jsOffset(ct, classes, leaf.steps.slice(0, -1));
          const bits = [];
          if (want.bytes !== "-")
            for (const part of want.bytes.split(",")) {
              const [i, h] = part.split(":");
              const b = parseInt(h, 16);
              for (let j = 0; j < 8; j++) if (b & (1 << j)) bits.push(Number(i) * 8 + j);
            }
          const lowest = bits[0];
          const pos = (base + fi.offset) * 8 + fi.bit_offset;
          const sz = SCALARS[leaf.scalar].size;
          if (fi.bit_size !== leaf.bits || pos !== lowest || fi.size !== sz)
            bad.push(`fieldInfo(${last.rec.name}, ${JSON.stringify(last.field)}) = ${JSON.stringify(fi)}: C puts the field at bits ${lowest}..${bits[bits.length - 1]} (absolute), so expected offset*8+bit_offset = ${lowest - base * 8} relative to the record, bit_size ${leaf.bits}, size ${sz}`);
        } catch (e) {
          bad.push(`fieldInfo of bit field ${leaf.cPath}: threw ${errText(e)}`);
        }
      }
    });
  });
  return bad;
}

/** Work items { seed, index, opts } for layouts [from, from+count) of one seed. */
export function layoutItems(seed, from, count, opts = {}) {
  return Array.from({ length: count }, (_, k) => ({ seed, index: from + k, opts }));
}

/**
 * Generate, compile (one program per batch), run and check the layouts of the work items.
 * Returns { checked, failures: [{ seed, index, c, js, mismatches }] }.
 */
export function runLayouts(ct, { items, dir, batch = 400, onProgress }) {
  const failures = [];
  let checked = 0;
  for (let start = 0; start < items.length; start += batch) {
    const work = items.slice(start, start + batch).map(({ seed, index, opts }) => {
      const layout = genLayout(seed, index, opts ?? {});
      return { layout, probes: layoutProbes(layout) };
    });
    const exe = compile(layoutProgram(work), dir, `layouts_${start}`);
    const results = parseLayoutOutput(run(exe), work.length);
    work.forEach((it, k) => {
      const mismatches = checkLayout(ct, it.layout, it.probes, results[k]);
      checked++;
      if (mismatches.length) failures.push(failureOf(it.layout, mismatches));
    });
    onProgress?.(checked, failures.length);
  }
  return { checked, failures };
}

export function failureOf(layout, mismatches) {
  return { seed: layout.seed, index: layout.index, c: cDeclarations(layout), js: jsSource(layout), mismatches };
}

/** A failure as a readable block. */
export function formatFailure(f, max = 8) {
  const list = f.mismatches.slice(0, max).map((m) => `  - ${m}`).join("\n");
  const more = f.mismatches.length > max ? `\n  ... and ${f.mismatches.length - max} more` : "";
  return `layout seed ${f.seed} #${f.index}:\n${list}${more}\nC:\n${f.c}\ntsctypes:\n${f.js}`;
}
