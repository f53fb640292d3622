// Callbacks through register trampolines against libffi closures: random
// signatures (register-shaped ones and some too wide for the registers, plus a set
// too wide for the registers of any ABI whatever its register counts), each
// called from C with known values, in this process's default mode (trampolines
// where the signature fits) and in a child with TSCTYPES_LIBFFI_ONLY=1
// (libffi closures only). The arguments the JS function receives and the result
// C gets back must be exactly the values sent, in both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { COUNTERS, SCALARS, rng, runScript } from "./helpers.mjs";

const TYPES = Object.values(SCALARS);
const VOID = { c: "void", t: null };

const FLOAT_TYPES = TYPES.filter((a) => a.t === "c_float" || a.t === "c_double");
const INT_TYPES = TYPES.filter((a) => !FLOAT_TYPES.includes(a));

// call_fK(cb, a0, ...) calls cb(a0, ...) and returns what it returned. After the `count` random
// signatures, `wide` more from the same generator, each with 9-12 integer-class or 9-12
// floating-point arguments (alternately) among 0-6 others: more than any ABI here has
// registers for (x86-64: 6 and 8; AArch64: 8 and 8), so libffi serves them everywhere.
function generate(count, wide, seed) {
  const r = rng(seed);
  const sigs = [];
  const push = (i, args) => {
    const ret = r.int(0, 9) === 0 ? VOID : r.pick(TYPES);
    sigs.push({ name: `call_f${i}`, args, ret, values: args.map((a) => a.gen(r)), result: ret.t ? ret.gen(r) : null });
  };
  for (let i = 0; i < count; i++) {
    const n = r.int(0, i % 8 === 0 ? 16 : 9);
    push(i, Array.from({ length: n }, () => r.pick(TYPES)));
  }
  for (let i = count; i < count + wide; i++) {
    const [many, others] = i % 2 ? [FLOAT_TYPES, INT_TYPES] : [INT_TYPES, FLOAT_TYPES];
    const args = Array.from({ length: r.int(9, 12) }, () => r.pick(many));
    for (let k = r.int(0, 6); k > 0; k--) args.splice(r.int(0, args.length), 0, r.pick(others));
    push(i, args);
  }
  const c = sigs
    .map((s) => {
      const params = s.args.map((a, k) => `${a.c} a${k}`);
      const cbType = `${s.ret.c} (*cb)(${s.args.map((a) => a.c).join(", ") || "void"})`;
      const call = `cb(${s.args.map((_, k) => `a${k}`).join(", ")})`;
      return `${s.ret.c} ${s.name}(${[cbType, ...params].join(", ")}) { ${s.ret.t ? "return " : ""}${call}; }`;
    })
    .join("\n");
  return { sigs, c: c + "\nint apply_int(int (*cb)(int), int x) { return cb(x); }\n" };
}

const RANDOM = 160;
const WIDE = 24;
const { sigs, c } = generate(RANDOM, WIDE, 20261122);
const dir = mkdtempSync(path.join(tmpdir(), "tsctypes-cbshapes-"));
const lib = path.join(dir, "libcbshapes.so");
writeFileSync(path.join(dir, "cbshapes.c"), c);
const cc = spawnSync(process.env.CC || "cc", ["-shared", "-fPIC", "-O1", "-o", lib, path.join(dir, "cbshapes.c")], { encoding: "utf8" });
assert.equal(cc.status, 0, cc.stderr);

const encode = (v) => JSON.stringify(v, (k, x) => (typeof x === "bigint" ? `${x}n` : x));
const decode = (text) => JSON.parse(text, (k, x) => (typeof x === "string" && /^-?\d+n$/.test(x) ? BigInt(x.slice(0, -1)) : x));

const script = `
const T = require("tsctypes");
const counters = require(${JSON.stringify(COUNTERS)});
const decode = ${decode.toString()};
const encode = ${encode.toString()};
const sigs = decode(process.argv.at(-1));
const lib = new T.CDLL(${JSON.stringify(lib)});
const out = sigs.map((s) => {
  const restype = s.ret === null ? null : T[s.ret];
  const Cb = T.CFUNCTYPE(restype, ...s.args.map((a) => T[a]));
  let received = null;
  const cb = Cb((...args) => { received = args; return s.result ?? undefined; });
  const f = lib.func(s.name, restype, [Cb, ...s.args.map((a) => T[a])]);
  const before = counters().trampoline;
  const result = f(cb, ...s.values);
  const trampoline = counters().trampoline - before;
  cb.close();
  return { received, result: result ?? null, trampoline };
});
process.stdout.write(encode(out));
`;

function run(env) {
  const input = sigs.map((s) => ({ name: s.name, args: s.args.map((a) => a.t), ret: s.ret.t, values: s.values, result: s.result }));
  const r = runScript(script, { argv: [encode(input)], env });
  assert.equal(r.status, 0, r.stderr);
  return decode(r.stdout);
}

/** Whether a signature's arguments all travel in registers on this platform (src/abi/registers.ts). */
function registerShaped(s) {
  const floats = s.args.filter((a) => a.t === "c_float" || a.t === "c_double").length;
  const intRegs = process.arch === "arm64" ? 8 : 6;
  return s.args.length - floats <= intRegs && floats <= 8;
}
const trampolinesHere = (process.arch === "x64" || process.arch === "arm64") && process.platform !== "win32" && process.platform !== "darwin";

test(`${RANDOM} random callback signatures and ${WIDE} too wide for any register set: C passes exact arguments and gets exact results, through trampolines and through libffi`, () => {
  const fast = run({});
  const ffi = run({ TSCTYPES_LIBFFI_ONLY: "1" });
  let trampolines = 0;
  for (let i = 0; i < sigs.length; i++) {
    const s = sigs[i];
    const what = `${s.ret.c} (*)(${s.args.map((a) => a.c).join(", ")})`;
    for (const [mode, got] of [["default", fast[i]], ["libffi", ffi[i]]]) {
      assert.deepEqual(got.received, s.values, `${mode}: the arguments ${what} received`);
      assert.deepEqual(got.result, s.result, `${mode}: the result C got back from ${what}`);
    }
    assert.equal(ffi[i].trampoline, 0, `libffi only: ${what}`);
    assert.equal(fast[i].trampoline, trampolinesHere && registerShaped(s) ? 1 : 0, `which way C reached ${what}`);
    trampolines += fast[i].trampoline;
  }
  // both kinds are well represented in the sample, whatever the platform's register counts
  // (of the random ones, 29 are too wide for x86-64's 6 integer registers, 9 for AArch64's 8)
  if (trampolinesHere) assert.ok(trampolines >= 100 && sigs.length - trampolines >= WIDE + 5, `${trampolines} of ${sigs.length} through trampolines`);
});

test("after the register trampolines run out, callbacks still work (libffi closures); closed ones stay reported", { skip: !trampolinesHere && "no register trampolines on this platform" }, () => {
  const code = `
const T = require("tsctypes");
const counters = require(${JSON.stringify(COUNTERS)});
const lib = new T.CDLL(${JSON.stringify(lib)});
const F = T.CFUNCTYPE(T.c_int, T.c_int);
const apply = lib.func("apply_int", T.c_int, [F, T.c_int]);
const made = [];
const addresses = [];
for (let k = 0; k < 1100; k++) {
  const cb = F((x) => x * 2 + k);
  made.push(cb);
  addresses.push(cb.address);
}
const counts = [];
for (const k of [0, 1022, 1024, 1098]) {
  const before = counters().trampoline;
  counts.push([k, apply(made[k], 21), counters().trampoline - before]);
}
// C calling closed ones (a trampoline's, a closure's) by their old addresses: reported, zero
made[1].close();
made[1099].close();
counts.push([1, apply(addresses[1], 21)], [1099, apply(addresses[1099], 21)]);
process.stdout.write(JSON.stringify(counts));
`;
  const r = runScript(code);
  assert.equal(r.status, 0, r.stderr);
  // (slots are process-wide: earlier callbacks of this process, if any, used some)
  assert.deepEqual(JSON.parse(r.stdout), [
    [0, 42, 1],
    [1022, 42 + 1022, 1],
    [1024, 42 + 1024, 0],
    [1098, 42 + 1098, 0],
    [1, 0],
    [1099, 0],
  ]);
  assert.equal(r.stderr.match(/C called a closed callback c_int\(\*\)\(c_int\); it returns zero/g)?.length, 2, r.stderr);
});
