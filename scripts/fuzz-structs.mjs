#!/usr/bin/env node
// The struct fuzzers at full size (the test suite runs a small fixed-seed sample of each):
//   node scripts/fuzz-structs.mjs [--layouts N] [--byvalue M] [--seed S] [--show K] [--keep]
// Layouts: N random struct/union declarations (default 2000), compiled with `cc` ($CC) in
// batches; sizeof, alignment, field offsets, the bytes every store produces and the values read
// back must equal the compiler's. By value: M random signatures (default 500) passed to and
// returned from generated C functions, every field checked against the same computation done by
// pointer; types tsctypes refuses with a "cannot be passed by value" TypeError count as unsupported.
// Prints the counts and the first K mismatching declarations (default 3); exits 1 on a mismatch.
// Needs a built tsctypes (npm run build:ts). --seed reproduces a run; without it a seed is drawn.
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as ct from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const fuzz = (name) => import(path.join(root, "test", "struct-fuzz", name));

const { childMain, byValueLibrary, runByValueChildren, rangeItems, itemSignature, formatByValueFailure } = await fuzz("byvalue.mjs");

if (process.argv.includes("--child-byvalue")) {
  childMain(ct);
} else {
  await main();
}

function parseArgs(argv) {
  const o = { layouts: 2000, byvalue: 500, seed: null, show: 3, keep: false, batch: 250 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === "--layouts") o.layouts = num();
    else if (a === "--byvalue") o.byvalue = num();
    else if (a === "--seed") o.seed = num();
    else if (a === "--show") o.show = num();
    else if (a === "--batch") o.batch = Math.max(1, num());
    else if (a === "--keep") o.keep = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node scripts/fuzz-structs.mjs [--layouts N] [--byvalue M] [--seed S] [--show K] [--batch B] [--keep]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.seed === null) o.seed = Math.floor(Math.random() * 2 ** 31);
  return o;
}

async function main() {
  const { runLayouts, layoutItems, formatFailure } = await fuzz("layout.mjs");
  const { CC, compile, tempDir, cleanup } = await fuzz("cc.mjs");
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (o.keep) process.env.STRUCT_FUZZ_KEEP = "1";
  const dir = tempDir();
  console.log(`struct fuzz: seed ${o.seed} (rerun with --seed ${o.seed}), compiler ${CC}${o.keep ? `, files kept in ${dir}` : ""}`);
  let failed = false;
  const t0 = Date.now();

  // ---------------------------------------------------------------- layouts
  if (o.layouts > 0) {
    const { checked, failures } = runLayouts(ct, {
      items: layoutItems(o.seed, 0, o.layouts),
      dir,
      batch: o.batch,
      onProgress: (n, bad) => process.stderr.write(`\r  layouts ${n}/${o.layouts}, ${bad} mismatching`),
    });
    process.stderr.write("\n");
    const total = failures.reduce((s, f) => s + f.mismatches.length, 0);
    console.log(`layouts: ${checked} checked, ${failures.length} mismatching declarations (${total} mismatches)`);
    if (failures.length) {
      failed = true;
      console.log(summarize(failures.flatMap((f) => f.mismatches)));
      for (const f of failures.slice(0, o.show)) console.log(`\n${formatFailure(f)}`);
      if (failures.length > o.show) console.log(`\n... ${failures.length - o.show} more: ${failures.slice(o.show, o.show + 40).map((f) => `#${f.index}`).join(" ")}${failures.length > o.show + 40 ? " ..." : ""}`);
    }
  }

  // ---------------------------------------------------------------- by value
  if (o.byvalue > 0) {
    const items = rangeItems(o.seed, 0, o.byvalue);
    const results = [];
    for (let start = 0; start < items.length; start += o.batch) {
      const part = items.slice(start, start + o.batch);
      const lib = compile(byValueLibrary(part.map(itemSignature)), dir, `byvalue_${start}`, { shared: true, opt: "-O1" });
      results.push(
        ...runByValueChildren({
          entry: fileURLToPath(import.meta.url),
          lib,
          items: part,
          onProgress: (n) => process.stderr.write(`\r  by value ${start + n}/${o.byvalue}`),
        }),
      );
    }
    process.stderr.write("\n");
    const pass = results.filter((r) => r.status === "pass");
    const bad = results.filter((r) => r.status === "mismatch");
    const crashed = bad.filter((r) => r.crashed);
    const unsupported = results.filter((r) => r.status === "unsupported");
    console.log(`by value: ${results.length} signatures, ${pass.length + bad.length} checked, ${pass.length} passed, ${bad.length} mismatches${crashed.length ? ` (${crashed.length} crashed the process)` : ""}, ${unsupported.length} unsupported`);
    const byProfile = new Map();
    for (const r of results) {
      const p = byProfile.get(r.profile) ?? { pass: 0, mismatch: 0, unsupported: 0 };
      p[r.status]++;
      byProfile.set(r.profile, p);
    }
    console.log(
      "  by profile: " +
        [...byProfile].sort().map(([name, p]) => `${name} ${p.pass}/${p.mismatch}/${p.unsupported}`).join(", ") +
        "  (passed/mismatches/unsupported)",
    );
    if (unsupported.length) {
      const reasons = new Map();
      for (const r of unsupported) {
        const why = r.messages[0].replace(/^TypeError: \S+ /, "").replace(/; pass a pointer.*$/, "");
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
      console.log("  unsupported because:");
      for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`    ${n} × ${why}`);
    }
    if (bad.length) {
      failed = true;
      for (const r of bad.slice(0, o.show)) console.log(`\n${formatByValueFailure(r)}`);
      if (bad.length > o.show) console.log(`\n... ${bad.length - o.show} more: ${bad.slice(o.show, o.show + 40).map((r) => `#${r.index}`).join(" ")}`);
    }
  }

  cleanup(dir);
  console.log(`\n${failed ? "MISMATCHES FOUND" : "all checked declarations agree with the compiler"} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exitCode = failed ? 1 : 0;
}

/** Mismatch kinds with counts (numbers and type names folded). */
function summarize(messages) {
  const kinds = new Map();
  for (const m of messages) {
    const k = m
      .replace(/\b[LPV]\d+(_\d+)+\b/g, "T")
      .replace(/\[js: [^\]]*\]/g, "")
      .replace(/-?\d+(\.\d+)?(e[-+]?\d+)?n?/g, "#")
      .replace(/"[^"]*"/g, '"…"')
      .replace(/(C|tsctypes|by value|by pointer) [0-9a-f:,#-]+/g, "$1 …")
      .replace(/(bytes \(offset:hex of non-zero bytes\)).*$/, "$1 differ")
      .slice(0, 140);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => `  ${String(n).padStart(5)} × ${k}`).join("\n");
}
