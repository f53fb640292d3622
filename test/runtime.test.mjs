// Which native binaries and entries each runtime gets (runtimeInfo()), and that a missing,
// corrupt or mismatched accelerator never stops the library from loading: the core serves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as T from "tsctypes";
import { fixture, runModule } from "./helpers.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// V8 versions whose accelerator has fast API entries (native/v8/v8-fast-api.h)
const VERIFIED_V8 = ["11.3", "12.4", "13.6", "14.6"];
const v8 = process.versions.v8?.split(".").slice(0, 2).join(".");
const isNode = !process.versions.bun && !process.versions.deno && !process.versions.electron;
const capped = process.env.TSCTYPES_ENTRY;

test("runtimeInfo() names the runtime, the core and the entries in use here", () => {
  const info = T.runtimeInfo();
  assert.equal(info.runtime, process.versions.bun ? "bun" : process.versions.deno ? "deno" : "node");
  assert.match(info.core, /tsctypes\.node$/);
  assert.equal(info.napi, Number(process.versions.napi));
  if (isNode && !capped && VERIFIED_V8.includes(v8)) {
    // every Node line we support: the accelerator with V8 fast API entries, the fastest measured there
    assert.match(info.accelerator, new RegExp(`v8-${v8.replace(".", "\\.")}/tsctypes_v8\\.node$`));
    assert.deepEqual(info.entries, { call: "fast", callbackCall: "v8", typed: true, callbacks: "v8", strings: "fast" });
  } else if (!isNode || capped === "napi") {
    // Bun, Deno (and TSCTYPES_ENTRY=napi): the Node-API core only
    assert.equal(info.accelerator, null);
    assert.deepEqual(info.entries, { call: "napi", callbackCall: "napi", typed: false, callbacks: "napi", strings: "js" });
    assert.ok(info.acceleratorNote.length > 0);
  }
});

test("TSCTYPES_ENTRY=v8 keeps the accelerator's plain entry; =napi loads no accelerator (child)", { skip: !isNode && "no accelerator in this runtime" }, () => {
  const script = `import * as T from "tsctypes"; console.log(JSON.stringify(T.runtimeInfo()));`;
  const v8Info = JSON.parse(runModule(script, { env: { TSCTYPES_ENTRY: "v8" } }).stdout);
  assert.equal(v8Info.entries.call, "v8");
  assert.equal(v8Info.entries.typed, false);
  const napiInfo = JSON.parse(runModule(script, { env: { TSCTYPES_ENTRY: "napi" } }).stdout);
  assert.equal(napiInfo.accelerator, null);
  assert.equal(napiInfo.entries.call, "napi");
  assert.match(napiInfo.acceleratorNote, /TSCTYPES_ENTRY=napi/);
});

/**
 * A copy of the built package in a temp folder holding `files`: package-relative path -> bytes,
 * the path of a file to copy, or true for the core in use here.
 */
function packageCopy(files) {
  const dir = mkdtempSync(path.join(tmpdir(), "tsctypes-pkg-"));
  cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  for (const [file, what] of Object.entries(files)) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    if (what === true) copyFileSync(T.runtimeInfo().core, target);
    else if (typeof what === "string") copyFileSync(what, target);
    else writeFileSync(target, what);
  }
  return dir;
}

const BUILT_CORE = path.join("build", "Release", "tsctypes.node");
const PREBUILT_CORE = path.join("prebuilds", `${process.platform}-${process.arch}`, "tsctypes.node");

/** The built core with `accelerator` (bytes or a file to copy) filed as this V8's. */
function withAccelerator(accelerator) {
  return packageCopy({ [BUILT_CORE]: true, [path.join("build", "accelerators", `v8-${v8}`, "tsctypes_v8.node")]: accelerator });
}

/** runtimeInfo() and a real call (cos(0) from libm, a callback through qsort) from the copy at `dir`. */
function infoAndCalls(dir) {
  const r = runModule(`
    import { createRequire } from "node:module";
    const T = createRequire(import.meta.url)(${JSON.stringify(path.join(dir, "dist", "cjs", "index.js"))});
    const cos = new T.CDLL("libm.so.6").func("cos", T.c_double, [T.c_double]);
    const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
    const F = T.CFUNCTYPE(T.c_int, T.c_int);
    let s = 0;
    for (let k = 0; k < 100000; k++) s += cos(0);
    const cb = F((x) => x * 2);
    console.log(JSON.stringify({ info: T.runtimeInfo(), s, applied: lib.func("apply", T.c_int, [F, T.c_int])(cb, 21) }));
  `);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("a corrupt accelerator file: the library loads, says why, and calls go through the core", { skip: !isNode && "no accelerator in this runtime" }, () => {
  const out = infoAndCalls(withAccelerator(Buffer.from("\x7fELF this is not a shared object")));
  assert.equal(out.info.accelerator, null);
  assert.match(out.info.acceleratorNote, /did not load/);
  assert.equal(out.info.entries.call, "napi");
  assert.deepEqual([out.s, out.applied], [100000, 42]);
});

test("an accelerator built for another V8 version is refused, and the core serves", { skip: !isNode && "no accelerator in this runtime" }, () => {
  // the accelerators beside the one in use (a build's or the prebuilt set)
  const mine = T.runtimeInfo().accelerator;
  const dir = mine ? path.dirname(path.dirname(mine)) : path.join(ROOT, "build", "accelerators");
  const others = (existsSync(dir) ? readdirSync(dir) : []).filter((d) => /^v8-\d+\.\d+$/.test(d) && d !== `v8-${v8}`);
  if (others.length === 0) {
    // only this line's accelerator is built here: an empty file stands in for a foreign one
    const out = infoAndCalls(withAccelerator(Buffer.alloc(0)));
    assert.equal(out.info.accelerator, null);
    return;
  }
  for (const other of others) {
    const out = infoAndCalls(withAccelerator(path.join(dir, other, "tsctypes_v8.node")));
    assert.equal(out.info.accelerator, null, `${other} was accepted on V8 ${v8}`);
    assert.match(out.info.acceleratorNote, /did not load|refused to attach/, other);
    assert.equal(out.info.entries.call, "napi");
    assert.deepEqual([out.s, out.applied], [100000, 42]);
  }
});

function loadFrom(dir) {
  return runModule(`
    import { createRequire } from "node:module";
    const T = createRequire(import.meta.url)(${JSON.stringify(path.join(dir, "dist", "cjs", "index.js"))});
    const cos = new T.CDLL("libm.so.6").func("cos", T.c_double, [T.c_double]);
    console.log(JSON.stringify({ core: T.runtimeInfo().core, cos: cos(0) }));
  `);
}

test("the loader takes a build from source first, then the prebuilt core; a corrupt one is passed over", () => {
  const both = packageCopy({ [BUILT_CORE]: true, [PREBUILT_CORE]: true });
  const r1 = loadFrom(both);
  assert.equal(r1.status, 0, r1.stderr);
  assert.deepEqual(JSON.parse(r1.stdout), { core: path.join(both, BUILT_CORE), cos: 1 });

  const corruptBuild = packageCopy({ [BUILT_CORE]: Buffer.from("not a shared object"), [PREBUILT_CORE]: true });
  const r2 = loadFrom(corruptBuild);
  assert.equal(r2.status, 0, r2.stderr);
  assert.deepEqual(JSON.parse(r2.stdout), { core: path.join(corruptBuild, PREBUILT_CORE), cos: 1 });

  const prebuiltOnly = packageCopy({ [PREBUILT_CORE]: true });
  assert.equal(JSON.parse(loadFrom(prebuiltOnly).stdout).core, path.join(prebuiltOnly, PREBUILT_CORE));
});

test("no core that loads: an error naming every file tried and why, and how to build from source (no crash)", () => {
  const dir = packageCopy({ [BUILT_CORE]: Buffer.from("garbage"), [PREBUILT_CORE]: Buffer.alloc(0) });
  const r = loadFrom(dir);
  assert.equal(r.status, 1);
  assert.equal(r.signal, null);
  assert.match(r.stderr, /tsctypes: no native core loads on/);
  assert.match(r.stderr, new RegExp(`${path.join(dir, BUILT_CORE).replace(/[.]/g, "\\.")}: .+`));
  assert.match(r.stderr, /prebuilds\/[a-z0-9-]+\/tsctypes\.node: /);
  assert.match(r.stderr, /--build-from-source/);
});
