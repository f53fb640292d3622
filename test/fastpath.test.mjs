// The register path against libffi: random register-shaped (and some
// too-wide) signatures, generated as C, called in this process (register path where
// eligible) and in a child with TSCTYPES_LIBFFI_ONLY=1 (libffi only); the
// results must match each other and the value computed in JS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { COUNTERS, NO_FAST_API, RUNTIME, SCALARS, rng, runScript } from "./helpers.mjs";

const { schar, uchar, short, ushort, int, uint, longlong, float, double, bool } = SCALARS;
const TYPES = [schar, uchar, short, ushort, int, uint, longlong, float, double, bool];
const RETURNS = ["double", "float", "long long", "int", "short", "unsigned char", "_Bool", "void"];

// Each function returns a weighted sum of its arguments (weights 1..n) in its return type.
function generate(count, seed) {
  const r = rng(seed);
  const sigs = [];
  for (let i = 0; i < count; i++) {
    const n = r.int(0, i % 10 === 0 ? 18 : 12);
    const args = Array.from({ length: n }, () => r.pick(TYPES));
    const ret = r.pick(RETURNS);
    const values = args.map((a) => a.gen(r));
    sigs.push({ name: `f${i}`, args, ret, values });
  }
  const c = sigs
    .map((s) => {
      const params = s.args.map((a, k) => `${a.c} a${k}`).join(", ") || "void";
      const sum = s.args.map((_, k) => `(double)a${k} * ${k + 1}`).join(" + ") || "0";
      if (s.ret === "void") return `double last_${s.name};\nvoid ${s.name}(${params}) { last_${s.name} = ${sum}; }`;
      return `${s.ret} ${s.name}(${params}) { return (${s.ret})(${sum}); }`;
    })
    .join("\n");
  return { sigs, c };
}

const { sigs, c } = generate(300, 20261121);
const dir = mkdtempSync(path.join(tmpdir(), "tsctypes-fastpath-"));
const lib = path.join(dir, "libshapes.so");
writeFileSync(path.join(dir, "shapes.c"), c);
const cc = spawnSync(process.env.CC || "cc", ["-shared", "-fPIC", "-O1", "-o", lib, path.join(dir, "shapes.c")], { encoding: "utf8" });
assert.equal(cc.status, 0, cc.stderr);

const script = `
const T = require("tsctypes");
const sigs = ${JSON.stringify(sigs.map((s) => ({ name: s.name, args: s.args.map((a) => a.t), ret: s.ret })))};
const values = JSON.parse(process.argv.at(-1), (k, v) => (typeof v === "string" && v.endsWith("n") ? BigInt(v.slice(0, -1)) : v));
const retType = { double: T.c_double, float: T.c_float, "long long": T.c_longlong, int: T.c_int, short: T.c_short, "unsigned char": T.c_ubyte, _Bool: T.c_bool, void: null };
const lib = new T.CDLL(${JSON.stringify(lib)});
// HOT=1: call each function until V8 has optimized its marshaller and the call went through
// a V8 fast API entry (counted natively: the slab's in counters().fast, typed ones in .typed),
// then keep that call's result and which entry took it
const hot = process.env.HOT === "1";
const counters = require(${JSON.stringify(COUNTERS)});
const fastTotal = () => counters().fast + counters().typed;
let notFast = 0;
const entries = [];
const out = sigs.map((s, i) => {
  const f = lib.func(s.name, retType[s.ret], s.args.map((a) => T[a]));
  let r = f(...values[i]);
  if (hot) {
    const before = counters();
    for (let k = 0; k < 400000 && fastTotal() === before.fast + before.typed; k++) r = f(...values[i]);
    const after = counters();
    if (after.typed > before.typed) entries.push("typed");
    else if (after.fast > before.fast) entries.push("slab");
    else notFast++;
  }
  const v = s.ret === "void" ? T.c_double.in_dll(lib, "last_" + s.name).value : r;
  return typeof v === "bigint" ? v.toString() + "n" : v;
});
if (notFast) throw new Error(notFast + " signatures never took a V8 fast API entry");
if (hot) out.push(entries);
process.stdout.write(JSON.stringify(out));
`;

function run(env) {
  const argv = JSON.stringify(sigs.map((s) => s.values), (k, v) => (typeof v === "bigint" ? `${v}n` : v));
  const r = runScript(script, { argv: [argv], env });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("300 random signatures give the same results on the register path and on libffi", () => {
  const fast = run({});
  const ffi = run({ TSCTYPES_LIBFFI_ONLY: "1" });
  assert.equal(fast.length, sigs.length);
  for (let i = 0; i < sigs.length; i++) {
    assert.deepEqual(fast[i], ffi[i], `${sigs[i].name}(${sigs[i].args.map((a) => a.t)}) -> ${sigs[i].ret}`);
  }
});

test("the Node-API entry (TSCTYPES_ENTRY=napi) gives the same results as the V8 entry", () => {
  assert.deepEqual(run({ TSCTYPES_ENTRY: "napi" }), run({ TSCTYPES_ENTRY: "v8" }));
  // and the V8 entries are the ones in use by default on Node
  const r = runScript("process.stdout.write(require('tsctypes').runtimeInfo().entries.callbackCall)", { env: { TSCTYPES_ENTRY: "" } });
  assert.equal(r.stdout, RUNTIME === "node" ? "v8" : "napi", r.stderr);
});

/** Whether a signature takes a typed entry (src/abi/typed.ts, and the shapes native/v8/typed.cc has): up to 6 int32-class and floating-point
 * arguments, at most 4 of them floating-point and all of one kind, and a void or 32-bit-or-narrower result. */
function typedEligible(s) {
  const floats = s.args.filter((a) => a.t === "c_float" || a.t === "c_double");
  return (
    s.args.length <= 6 &&
    !s.args.some((a) => a.t === "c_longlong") &&
    floats.length <= 4 &&
    new Set(floats.map((a) => a.t)).size <= 1 &&
    s.ret !== "long long"
  );
}

test("the V8 fast API entries give the same results, for every signature, once V8 calls them", { skip: NO_FAST_API }, () => {
  const hot = run({ HOT: "1" });
  const entries = hot.pop();
  const ffi = run({ TSCTYPES_LIBFFI_ONLY: "1" });
  for (let i = 0; i < sigs.length; i++) {
    const what = `${sigs[i].name}(${sigs[i].args.map((a) => a.t)}) -> ${sigs[i].ret}`;
    assert.deepEqual(hot[i], ffi[i], what);
    assert.equal(entries[i], typedEligible(sigs[i]) ? "typed" : "slab", what);
  }
  // both kinds are well represented in the sample
  assert.ok(entries.filter((e) => e === "typed").length >= 40);
  assert.ok(entries.filter((e) => e === "slab").length >= 40);
});

test("fast-path results equal the values computed in JS", () => {
  const fast = run({});
  for (let i = 0; i < sigs.length; i++) {
    const s = sigs[i];
    if (s.ret !== "double" && s.ret !== "void") continue;
    // double accumulation of exactly representable terms, in C's order
    let sum = 0;
    s.values.forEach((v, k) => (sum += Number(typeof v === "boolean" ? Number(v) : v) * (k + 1)));
    if (s.values.length === 0) sum = 0;
    assert.equal(fast[i], sum, `${s.name}`);
  }
});
