// Memory that must not grow: repeated callbacks, library cycles and async calls, in child
// processes (bench/memory.js --child: the same work three times, the growth over the third round
// measured between two collections). The counts are small; each bound is several times the
// noise and below what the code before these fixes grew by over the same count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { RUNTIME, fixture, runScript } from "./helpers.mjs";

const { measure } = createRequire(import.meta.url)("../bench/memory.js");
const onlyNode = RUNTIME !== "node" && "the scenarios run under node with V8 flags (bench/memory.js)";
const MB = 1; // (measure() reports megabytes)

test("20k callbacks made and closed: RSS grows by less than 3 MB (was ~5.5 MB: nothing was ever freed)", { skip: onlyNode }, () => {
  const r = measure("callbacks_close", 20_000);
  assert.ok(r.rss < 3 * MB, `RSS grew by ${r.rss.toFixed(1)} MB`);
});

// (the scenario collects every 10k callbacks, so that as many are alive at once in every round: left to
// V8, that peak, and RSS with it, differed by up to 23 MB between rounds on Node 24; the old code grew by
// ~16 MB per 60k however the collections fell)
test("callbacks left to the GC, 60k: RSS grows by less than 4 MB (was ~16 MB)", { skip: onlyNode }, () => {
  const r = measure("callbacks_gc", 60_000);
  assert.ok(r.rss < 4 * MB, `RSS grew by ${r.rss.toFixed(1)} MB`);
});

test("500 cycles of open, two calls, close: the heap grows by less than 1.5 MB (was ~3.8 MB: the marshallers were never collected)", { skip: onlyNode }, () => {
  const r = measure("libraries", 500);
  assert.ok(r.heap < 1.5 * MB, `the heap grew by ${r.heap.toFixed(1)} MB`);
});

test("2,000 struct types, each with a by-value function called once: the heap grows by less than 1.5 MB (their marshallers share a bounded number of code copies)", { skip: onlyNode }, () => {
  const r = measure("struct_types", 2_000);
  assert.ok(r.heap < 1.5 * MB, `the heap grew by ${r.heap.toFixed(1)} MB`);
});

test("20k async calls, 1,000 in flight: job buffers under 256 bytes per call in flight (was 2,616), RSS grows by less than 4 MB", { skip: onlyNode }, () => {
  const r = measure("async", 20_000);
  assert.ok(r.inFlightBytes > 0 && r.inFlightBytes < 256, `job buffers: ${r.inFlightBytes} bytes per call in flight`);
  assert.ok(r.rss < 4 * MB, `RSS grew by ${r.rss.toFixed(1)} MB`);
});

test("closed callbacks' addresses are reused only after the quarantine: a stale one is reported until then", () => {
  const script = `
    const { CDLL, CFUNCTYPE, c_int, c_void_p } = require("tsctypes");
    const lib = new CDLL(${JSON.stringify(fixture("threads"))});
    const F = CFUNCTYPE(c_int, c_int);
    const apply = lib.func("apply", c_int, [c_void_p, c_int]); // (an address: C holding a stale pointer)
    const first = F((x) => x + 1);
    const stale = first.address;
    first.close();
    const seen = new Set([stale]);
    for (let i = 0; i < 511; i++) { const cb = F((x) => x); seen.add(cb.address); cb.close(); }
    const reported = apply(stale, 41); // 511 later closes: still in the quarantine
    for (let i = 0; i < 1500; i++) { const cb = F((x) => x); seen.add(cb.address); cb.close(); }
    process.stdout.write(JSON.stringify([reported, seen.size < 1000]));
  `;
  const r = runScript(script);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [0, true]);
  assert.equal(r.stderr.match(/C called a closed callback c_int\(\*\)\(c_int\); it returns zero/g)?.length, 1, r.stderr);
});
