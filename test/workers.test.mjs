// Issue 4 item 7: worker_threads. Several workers each load the fixture library and make
// synchronous calls, callback calls, async calls and { threads: true } calls at the same time as
// the main thread; callbacks created in a worker run in that worker; a worker that exits (or is
// terminated mid-call) frees its state and the main thread keeps working.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, threadId } from "node:worker_threads";
import { CDLL, CFUNCTYPE, struct, c_int, c_longlong } from "tsctypes";
import { childCommand, fixture, runModule } from "./helpers.mjs";

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const LIB = fixture("threads");
const lib = new CDLL(LIB);

const TCB = CFUNCTYPE(c_int, c_int, c_int);
const F_int = CFUNCTYPE(c_int, c_int);
const apply = lib.func("apply", c_int, [F_int, c_int]);
const sleep_then = lib.func("sleep_then", c_int, [c_int, c_int]);
const run_threads = lib.func("run_threads", c_longlong, [c_int, c_int, TCB]);
const run_threads_t = lib.func("run_threads", c_longlong, [c_int, c_int, TCB], { threads: true });
const in_thread = lib.func("in_thread", c_longlong, [TCB, c_int, c_int]);
const thread_id = lib.func("thread_id", c_longlong, []);

/** The work every worker (and the main thread) does: returns a JSON-able summary. */
const WORKLOAD = `
async function workload(T, lib, k, myThreadId) {
  const { CFUNCTYPE, struct, c_int, c_longlong } = T;
  const TCB = CFUNCTYPE(c_int, c_int, c_int);
  const F = CFUNCTYPE(c_int, c_int);
  const Pt = struct({ x: c_int, y: c_int });
  const apply = lib.func("apply", c_int, [F, c_int]);
  const cb_pt_sum = lib.func("cb_pt_sum", c_int, [CFUNCTYPE(Pt, Pt, c_int), c_int, c_int, c_int]);
  const sleep_then = lib.func("sleep_then", c_int, [c_int, c_int]);
  const run_threads = lib.func("run_threads", c_longlong, [c_int, c_int, TCB]);
  const run_threads_t = lib.func("run_threads", c_longlong, [c_int, c_int, TCB], { threads: true });
  const in_thread = lib.func("in_thread", c_longlong, [TCB, c_int, c_int]);
  const spin = lib.func("spin", T.c_uint, [T.c_uint, T.c_uint]);
  const out = {};
  out.sync = sleep_then(0, k);
  let s = 0;
  const cb = F((x) => x * k);
  for (let i = 0; i < 2000; i++) s += apply(cb, i);
  out.callbacks = s;
  out.nested = apply((x) => apply((y) => y + k, x) * 2, 1);
  out.struct = cb_pt_sum((p, m) => new Pt({ x: p.x * m, y: p.y * m }), k, k + 1, 10);
  const ps = [sleep_then.async(50, k * 10), spin.async(200000, k)];
  out.async = await Promise.all(ps);
  out.spinSync = spin(200000, k);
  const threads = new Set();
  out.cThreads = Number(await run_threads.async(3, 50, (t, i) => (threads.add(myThreadId()), k)));
  out.callbackThreads = [...threads];
  out.threaded = Number(run_threads_t(2, 25, (t, i) => k));
  out.single = Number(await in_thread.async((a, b) => a * b, k, 7));
  return out;
}
`;

function expected(k) {
  return {
    sync: k,
    callbacks: k * (1999 * 2000) / 2,
    nested: (1 + k) * 2,
    struct: k * 10 * 1000 + (k + 1) * 10,
    async: [k * 10, null],
    spinSync: null,
    cThreads: 150 * k,
    threaded: 50 * k,
    single: 7 * k,
  };
}

/** Start a worker running `body` (CommonJS, with T = tsctypes, lib = the fixture, workload()). */
function startWorker(body, workerData = {}) {
  const src = `
    const { parentPort, workerData, threadId } = require("node:worker_threads");
    const T = require(${JSON.stringify(ROOT)});
    const lib = new T.CDLL(${JSON.stringify(LIB)});
    ${WORKLOAD}
    (async () => { ${body} })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  return new Worker(src, { eval: true, workerData });
}

/** The first message of a worker (rejects on an error event or an early exit). */
function firstMessage(w) {
  return new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", reject);
    w.once("exit", (code) => reject(new Error(`worker exited (${code}) before answering`)));
  });
}

const workload = new Function("return " + WORKLOAD.trim())();

describe("worker_threads", () => {
  test("four workers and the main thread call functions, callbacks and async calls at the same time", async () => {
    // each worker stays alive until terminated: a finished worker's thread may exit (Deno's do), and a
    // thread started after it may get the same pthread_self() value
    const workers = [1, 2, 3, 4].map((k) =>
      startWorker(`parentPort.on("message", () => {}); parentPort.postMessage({ threadId, tid: String(lib.func("thread_id", T.c_longlong, [])()), result: await workload(T, lib, workerData.k, () => threadId) });`, { k }),
    );
    const answers = workers.map(firstMessage);
    // the main thread works meanwhile
    const T = await import("tsctypes");
    const mine = await workload(T, lib, 9, () => threadId);
    const results = await Promise.all(answers);
    await Promise.all(workers.map((w) => w.terminate()));

    const spin = lib.func("spin", T.c_uint, [T.c_uint, T.c_uint]);
    const check = (r, k, tid) => {
      const e = expected(k);
      e.async[1] = spin(200000, k);
      e.spinSync = e.async[1];
      assert.deepEqual({ ...r, callbackThreads: undefined }, { ...e, callbackThreads: undefined });
      assert.deepEqual(r.callbackThreads, [tid], "callbacks from C threads ran on the thread that made them");
    };
    check(mine, 9, threadId);
    results.forEach((m, i) => {
      assert.equal(m.error, undefined, m.error);
      check(m.result, i + 1, m.threadId);
    });
    // every worker is its own OS thread
    const tids = new Set(results.map((m) => m.tid));
    tids.add(String(thread_id()));
    assert.equal(tids.size, 5);
  });

  test("callbacks created in a worker run in that worker, also when C threads call them", async () => {
    const w = startWorker(`
      const F = T.CFUNCTYPE(T.c_int, T.c_int, T.c_int);
      const tid = lib.func("thread_id", T.c_longlong, []);
      const mine = String(tid());
      const seen = new Set();
      const cb = F((a, b) => { seen.add(String(tid()) + "/" + threadId); return a + b; });
      const run = lib.func("run_threads", T.c_longlong, [T.c_int, T.c_int, F]);
      const sum = Number(await run.async(4, 10, cb)) + Number(lib.func("run_threads", T.c_longlong, [T.c_int, T.c_int, F], { threads: true })(2, 5, cb));
      parentPort.postMessage({ mine: mine + "/" + threadId, seen: [...seen], sum });
    `);
    const m = await firstMessage(w);
    await w.terminate();
    assert.equal(m.error, undefined, m.error);
    assert.deepEqual(m.seen, [m.mine]);
    assert.notEqual(m.mine.split("/")[0], String(thread_id()));
    assert.equal(m.sum, 10 * (0 + 1 + 2 + 3) + 4 * 45 + 5 * (0 + 1) + 2 * 10);
  });

  test("a worker terminated during an async call, and one during C-thread callbacks: the main thread keeps working", async () => {
    for (const body of [
      `lib.func("sleep_then", T.c_int, [T.c_int, T.c_int]).async(300, 1); parentPort.postMessage("started");`,
      `lib.func("run_threads", T.c_longlong, [T.c_int, T.c_int, T.CFUNCTYPE(T.c_int, T.c_int, T.c_int)]).async(2, 200, (t, i) => { const u = Date.now() + 1; while (Date.now() < u); return 1; }); parentPort.postMessage("started");`,
    ]) {
      const w = startWorker(body);
      assert.equal(await firstMessage(w), "started");
      await new Promise((r) => setTimeout(r, 50));
      await w.terminate();
      assert.equal(await sleep_then.async(20, 5), 5);
      assert.equal(sleep_then(0, 6), 6);
      assert.equal(apply((x) => x + 1, 6), 7);
      assert.equal(await run_threads.async(2, 10, () => 1), 20n);
      assert.equal(run_threads_t(2, 10, () => 2), 40n);
    }
  });

  test("workers that exit normally, one after another, each loading and calling (state freed; child process)", () => {
    const script = `
      import { Worker } from "node:worker_threads";
      const src = \`
        const { parentPort } = require("node:worker_threads");
        const T = require(${JSON.stringify(ROOT)});
        const lib = new T.CDLL(${JSON.stringify(LIB)});
        const F = T.CFUNCTYPE(T.c_int, T.c_int);
        const apply = lib.func("apply", T.c_int, [F, T.c_int]);
        const cbs = Array.from({ length: 50 }, (_, i) => F((x) => x + i));
        let s = 0;
        for (const cb of cbs) s += apply(cb, 1);
        lib.func("sleep_then", T.c_int, [T.c_int, T.c_int]).async(1, s).then((v) => parentPort.postMessage(v));
      \`;
      let total = 0;
      for (let i = 0; i < 12; i++) {
        const w = new Worker(src, { eval: true, execArgv: [] });
        // listen for the exit first: Node may deliver the last message and the exit in one turn
        const exited = new Promise((resolve) => w.once("exit", resolve));
        total += await new Promise((resolve, reject) => { w.once("message", resolve); w.once("error", reject); });
        await exited;
      }
      console.log(total);
    `;
    const r = runModule(script, { timeout: 120_000 });
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${12 * (50 + (49 * 50) / 2)}\n`);
  });

  test("a worker exits while C still holds its callback: a later call from C is reported and returns zero (child)", () => {
    const script = `
      import { Worker } from "node:worker_threads";
      import * as T from "tsctypes";
      const w = new Worker(\`
        const { parentPort } = require("node:worker_threads");
        const T = require(${JSON.stringify(ROOT)});
        const lib = new T.CDLL(${JSON.stringify(LIB)});
        const F = T.CFUNCTYPE(T.c_int, T.c_int);
        globalThis.cb = F((x) => x + 1);
        lib.func("register_handler", null, [F])(globalThis.cb);
        parentPort.postMessage(lib.func("trigger", T.c_int, [T.c_int])(1));
      \`, { eval: true, execArgv: [] });
      console.log(await new Promise((r) => w.once("message", r)));
      await w.terminate();
      const lib = new T.CDLL(${JSON.stringify(LIB)});
      const trigger = lib.func("trigger", T.c_int, [T.c_int]);
      // Deno settles terminate() before the worker's environment has ended: until then the
      // worker still runs the callback (2); then C gets zero
      let r = trigger(1);
      for (const until = Date.now() + 10_000; r === 2 && Date.now() < until; r = trigger(1)) await new Promise((ok) => setTimeout(ok, 20));
      console.log(r);
    `;
    const r = runModule(script, { timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "2\n0\n");
    assert.equal(r.stderr, "tsctypes: C called callback c_int(*)(c_int) after its environment (thread/worker) ended; it returns zero\n");
  });

  // Once a library bug: when a worker's environment ended, its State was freed while the worker's
  // Callback structs kept pointing at it (cb->st), and a later C call read the freed State.
  // valgrind shows any such invalid read.
  const valgrind = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  const skipValgrind = (valgrind.status !== 0 && "valgrind not installed") ||
    (process.env.TSCTYPES_CROSS_QEMU && "valgrind runs host programs only, and this Node is an emulated arm64 one (scripts/cross.js)");
  test("no use of a freed worker State when C calls the dead worker's callback (valgrind)", { skip: skipValgrind, timeout: 600_000 }, () => {
    const script = `
      import { Worker } from "node:worker_threads";
      import * as T from "tsctypes";
      const w = new Worker(\`
        const { parentPort } = require("node:worker_threads");
        const T = require(${JSON.stringify(ROOT)});
        const lib = new T.CDLL(${JSON.stringify(LIB)});
        const F = T.CFUNCTYPE(T.c_int, T.c_int);
        globalThis.cb = F((x) => x + 1);
        lib.func("register_handler", null, [F])(globalThis.cb);
        parentPort.postMessage(lib.func("trigger", T.c_int, [T.c_int])(1));
      \`, { eval: true, execArgv: [] });
      console.log(await new Promise((r) => w.once("message", r)));
      await w.terminate();
      const lib = new T.CDLL(${JSON.stringify(LIB)});
      const trigger = lib.func("trigger", T.c_int, [T.c_int]);
      // (as above: until the worker's environment has ended, the worker still runs its callback)
      let r = trigger(1);
      for (const until = Date.now() + 60_000; r === 2 && Date.now() < until; r = trigger(1)) await new Promise((ok) => setTimeout(ok, 20));
      console.log(r);
    `;
    const [cmd, args] = childCommand({ eval: "module" });
    const r = spawnSync("valgrind", ["-q", "--error-exitcode=99", cmd, ...args, script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 580_000,
    });
    assert.equal(r.stdout, "2\n0\n", `status ${r.status}, signal ${r.signal}; stderr:\n${r.stderr.split("\n").slice(-30).join("\n")}`);
    const invalid = r.stderr.split("\n").filter((l) => /Invalid (read|write)/.test(l));
    assert.deepEqual(invalid, [], r.stderr.split("\n").slice(0, 30).join("\n"));
  });
});
