// Crash reports: a fatal signal inside a foreign call is reported on stderr (which
// function, its signature, which library) and the process still dies by that signal.
// Every crash runs in a child process.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { COUNTERS, NO_FAST_API, RUNTIME, fixture, runFile, runModule } from "./helpers.mjs";

const CALLS = fixture("calls");
const isPosix = process.platform !== "win32";

/**
 * Why a test that needs this runtime to die by `signal` sent to it (kill(), raise()) cannot run
 * here, or false. Node and Bun die by it; Deno's own SIGSEGV and SIGBUS handler returns when no
 * fault caused the signal, so Deno runs on (without tsctypes as well). Faults kill it as usual.
 */
function survivesSent(signal) {
  if (!isPosix) return "not POSIX";
  const r = runModule(`process.kill(process.pid, "${signal}"); setTimeout(() => {}, 5000);`, { timeout: 30000 });
  return r.signal === signal ? false : `${RUNTIME} survives a ${signal} sent to it (exit ${r.status}), also without tsctypes`;
}
const SENT_SEGV = survivesSent("SIGSEGV");
const SENT_BUS = survivesSent("SIGBUS");

/** Run an ESM snippet in a child node, with `T` (tsctypes) and `LIB` (the calls fixture). */
function runChild(body) {
  const script = `import * as T from "tsctypes";\nconst LIB = ${JSON.stringify(CALLS)};\n${body}\n`;
  return runModule(script, { timeout: 30000, env: { NODE_OPTIONS: "" } });
}

/**
 * Run `body` as a script file (so that frames name a file and a line) in a child: `T` is
 * tsctypes, `LIB` the calls fixture. The line marked `// <- call` is the call site the report
 * must show. Returns the child's result, the file and that line.
 */
/** Bun: frames as JavaScriptCore gives them. */
const JAVASCRIPTCORE = typeof globalThis.Bun !== "undefined";

function runChildFile(name, body, env = {}) {
  const file = path.join(path.dirname(CALLS), `crash-${name}.mjs`);
  const text = `import * as T from "tsctypes";\nconst LIB = ${JSON.stringify(CALLS)};\n${body}\n`;
  fs.writeFileSync(file, text);
  const line = text.split("\n").findIndex((l) => l.includes("// <- call")) + 1;
  assert.ok(line > 0, "the body marks its call site");
  const r = runFile(file, { timeout: 30000, env: { NODE_OPTIONS: "", ...env } });
  return { r, site: `${path.basename(file)}:${line}:` };
}

/** The report's JS part: the heading, then the call site as the first frame. */
function assertCallSite(stderr, site, ...orSites) {
  const lines = stderr.split("\n");
  const at = lines.indexOf("tsctypes: the call was made from JS");
  assert.ok(at > 0, stderr);
  assert.match(lines[at - 1], /^tsctypes: .* inside foreign call /, stderr);
  assert.match(lines[at + 1], /^ {4}at /, stderr);
  assert.ok([site, ...orSites].some((s) => lines[at + 1].includes(s)), `first frame ${lines[at + 1]}, expected ${site}`);
  assert.ok(!stderr.includes(path.join("dist", "cjs")), `tsctypes' own frames are left out: ${stderr}`);
}

test("the child-process harness itself works (a clean exit prints nothing from tsctypes)", () => {
  const r = runChild(`const lib = new T.CDLL(LIB); console.log(lib.add_ints(2, 3));`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.signal, null);
  assert.equal(r.stdout, "5\n");
  assert.ok(!r.stderr.includes("tsctypes:"), r.stderr);
});

test("NULL dereference in C: dies by SIGSEGV, stderr names the function, signature and library", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    const f = lib.func("crash_null_read", T.c_int, []);
    console.log("before");
    f();
    console.log("after");
  `);
  assert.equal(r.status, null, `exit status ${r.status}; stderr: ${r.stderr}`);
  assert.equal(r.signal, "SIGSEGV");
  assert.equal(r.stdout, "before\n");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.ok(r.stderr.includes("SIGSEGV"), r.stderr);
  assert.ok(r.stderr.includes("inside foreign call"), r.stderr);
  assert.match(r.stderr, /crash_null_read\(\)\s*->\s*c_int/);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
  // the faulting address: NULL
  assert.match(r.stderr, /at address 0x0\b/);
});

test("NULL dereference through an attribute-style function without argtypes", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.crash_null_read();
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGSEGV");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.ok(r.stderr.includes("crash_null_read"), r.stderr);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
});

test("integer division by zero: dies by SIGFPE, stderr names the function with its argument types", { skip: !isPosix || process.arch !== "x64" }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    const div = lib.func("crash_divide_by_zero", T.c_int, [T.c_int]);
    div(7);
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGFPE");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.ok(r.stderr.includes("SIGFPE"), r.stderr);
  assert.match(r.stderr, /crash_divide_by_zero\(c_int\)\s*->\s*c_int/);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
});

test("raise(SIGBUS) inside C: dies by SIGBUS, reported with the void signature", { skip: SENT_BUS }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    const bus = lib.func("crash_raise_bus", null, []);
    bus();
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGBUS");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.ok(r.stderr.includes("SIGBUS"), r.stderr);
  assert.match(r.stderr, /crash_raise_bus\(\)\s*->\s*void/);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
});

test("an illegal instruction (__builtin_trap) dies by SIGILL and is reported", { skip: !isPosix || process.arch !== "x64" }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.crash_trap.restype = null;
    lib.crash_trap();
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGILL");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.ok(r.stderr.includes("SIGILL"), r.stderr);
  assert.match(r.stderr, /crash_trap\(\)\s*->\s*void/);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
});

test("a crash in a function of the main program (CDLL(null)) names it and the main program", { skip: process.platform !== "linux" || SENT_SEGV }, () => {
  const r = runChild(`
    const self = T.CDLL(null);
    const raise = self.func("raise", T.c_int, [T.c_int]);
    raise(11); // SIGSEGV
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGSEGV");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.match(r.stderr, /raise\(c_int\)\s*->\s*c_int/);
  assert.ok(r.stderr.includes("main program"), r.stderr);
});

test("a crash inside a variadic call names the call's full signature (fixed and variadic part)", { skip: process.platform !== "linux" }, () => {
  const r = runChild(`
    const libc = new T.CDLL("libc.so.6");
    libc.snprintf.argtypes = [T.c_char_p, T.c_size_t, T.c_char_p];
    const buf = T.create_string_buffer(64);
    console.log(libc.snprintf(buf, 64, "%d", 42), buf.value);
    libc.snprintf(buf, 64, "%s", T.c_void_p(16)); // reads a string at address 16
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.equal(r.stdout, "2 42\n");
  assert.ok(r.stderr.includes("tsctypes:"), r.stderr);
  assert.match(r.stderr, /snprintf\(c_char_p, c_size_t, c_char_p, c_void_p\)\s*->\s*c_int/);
  assert.ok(r.stderr.includes("libc.so.6"), r.stderr);
});

test("a crash after other calls names the crashing function, not an earlier one", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    const add = lib.func("add_ints", T.c_int, [T.c_int, T.c_int]);
    for (let i = 0; i < 1000; i++) add(i, 1);
    lib.func("crash_null_read", T.c_int, [])();
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.ok(r.stderr.includes("crash_null_read"), r.stderr);
  assert.ok(!r.stderr.includes("add_ints"), r.stderr);
});

test("a crash inside a hot call (a V8 fast entry: typed, and the slab's) names that call", { skip: !isPosix }, () => {
  for (const [name, type, of] of [["crash_when_zero", "c_int", "(k) => k"], ["crash_when_zero_ll", "c_longlong", "(k) => BigInt(k)"]]) {
    const r = runChild(`
      const lib = new T.CDLL(LIB);
      const add = lib.func("add_ints", T.c_int, [T.c_int, T.c_int]);
      const f = lib.func("${name}", T.${type}, [T.${type}]);
      const of = ${of};
      // hot before the crash: 300000 calls (add_ints as well, so the last call before is another one)
      for (let k = 300000; k >= 0; k--) { add(k, 1); f(of(k)); }
    `);
    assert.equal(r.signal, "SIGSEGV", r.stderr);
    assert.match(r.stderr, new RegExp(`inside foreign call ${name}\\(${type}\\) -> ${type}`));
    assert.ok(!r.stderr.includes("add_ints"), r.stderr);
  }
});

test("a SIGSEGV after many hot calls, outside any, is not attributed to one", { skip: SENT_SEGV }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    const add = lib.func("add_ints", T.c_int, [T.c_int, T.c_int]);
    const ll = lib.func("crash_when_zero_ll", T.c_longlong, [T.c_longlong]);
    for (let k = 1; k < 300000; k++) { add(k, 1); ll(BigInt(k)); }
    process.kill(process.pid, "SIGSEGV");
    setTimeout(() => {}, 5000);
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.ok(!r.stderr.includes("inside foreign call"), r.stderr);
});

test("a SIGSEGV outside a foreign call is not attributed to one", { skip: SENT_SEGV }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.add_ints(1, 2);
    process.kill(process.pid, "SIGSEGV");
    setTimeout(() => {}, 5000);
  `);
  assert.equal(r.status, null, `exit status ${r.status}; stderr: ${r.stderr}`);
  assert.equal(r.signal, "SIGSEGV");
  assert.ok(!r.stderr.includes("inside foreign call"), r.stderr);
  assert.ok(!r.stderr.includes("add_ints"), r.stderr);
});

test("a SIGFPE sent from outside while no call runs is not attributed either", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.func("add_ints", T.c_int, [T.c_int, T.c_int])(1, 2);
    process.kill(process.pid, "SIGFPE");
    setTimeout(() => {}, 5000);
  `);
  assert.equal(r.status, null, r.stderr);
  assert.equal(r.signal, "SIGFPE");
  assert.ok(!r.stderr.includes("inside foreign call"), r.stderr);
});

test("abort() inside C: dies by SIGABRT, stderr names the function and the JS call site", { skip: !isPosix }, () => {
  const { r, site } = runChildFile("abort", `
    const lib = new T.CDLL(LIB);
    const f = lib.func("crash_abort", null, []);
    console.log("before");
    f(); // <- call
    console.log("after");
  `);
  assert.equal(r.status, null, `exit status ${r.status}; stderr: ${r.stderr}`);
  assert.equal(r.signal, "SIGABRT");
  assert.equal(r.stdout, "before\n");
  assert.match(r.stderr, /tsctypes: SIGABRT \(abort\) inside foreign call crash_abort\(\)\s*->\s*void from /);
  assert.ok(r.stderr.includes(CALLS), r.stderr);
  assertCallSite(r.stderr, site);
});

test("abort() sent from outside while no call runs is not attributed", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.func("add_ints", T.c_int, [T.c_int, T.c_int])(1, 2);
    process.kill(process.pid, "SIGABRT");
    setTimeout(() => {}, 5000);
  `);
  assert.equal(r.signal, "SIGABRT", r.stderr);
  assert.ok(!r.stderr.includes("tsctypes:"), r.stderr);
});

// Every entry: the accelerator's (on Node), the Node-API core's, and libffi for every plan.
const ENTRIES = [{}, { TSCTYPES_ENTRY: "napi" }, { TSCTYPES_LIBFFI_ONLY: "1" }];

test("every crash report names the JS call site: SIGSEGV, SIGFPE, SIGILL, through each entry", { skip: !isPosix || process.arch !== "x64" }, () => {
  for (const env of ENTRIES) {
    for (const [name, call, signal] of [
      ["segv", `lib.func("crash_null_read", T.c_int, [])()`, "SIGSEGV"],
      ["segv-attr", `lib.crash_null_read()`, "SIGSEGV"],
      ["fpe", `lib.func("crash_divide_by_zero", T.c_int, [T.c_int])(7)`, "SIGFPE"],
      ["ill", `lib.func("crash_trap", null, [])()`, "SIGILL"],
    ]) {
      const { r, site } = runChildFile(name, `
        const lib = new T.CDLL(LIB);
        function inner() {
          // (not in tail position: JavaScriptCore drops the frames of strict-mode tail calls)
          const result = ${call}; // <- call
          return result;
        }
        inner();
      `, env);
      const what = `${name} ${JSON.stringify(env)}`;
      assert.equal(r.signal, signal, `${what}: ${r.stderr}`);
      if (JAVASCRIPTCORE) {
        // Bun's stack, read inside a native call, can lack the frame of the function making it
        // (here inner's): the first frame is then where inner() was called, the next line out
        assertCallSite(r.stderr, site, site.replace(/:(\d+):$/, (_, n) => `:${Number(n) + 3}:`));
      } else {
        assertCallSite(r.stderr, site);
        // the frames go on outwards: inner() was called from the script's top level
        assert.match(r.stderr, /^ {4}at inner \(/m, what);
      }
    }
  }
});

test("a crash in a nested call (a foreign call made by a JS callback) names the nested call and its JS site", { skip: !isPosix }, () => {
  const { r, site } = runChildFile("nested", `
    const lib = new T.CDLL(${JSON.stringify(fixture("threads"))});
    const calls = new T.CDLL(LIB);
    const apply = lib.func("apply", T.c_int, [T.CFUNCTYPE(T.c_int, T.c_int), T.c_int]);
    const crash = calls.func("crash_when_zero", T.c_int, [T.c_int]);
    apply((x) => crash(x - 3), 3); // <- call
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_when_zero\(c_int\) -> c_int/);
  assert.ok(!r.stderr.includes("inside foreign call apply"), r.stderr);
  assertCallSite(r.stderr, site);
});

test("a crash in a worker thread's call names the worker's JS call site", { skip: !isPosix }, () => {
  const { r, site } = runChildFile("worker", `
    import { Worker, isMainThread } from "node:worker_threads";
    if (isMainThread) {
      new Worker(new URL(import.meta.url));
    } else {
      const lib = new T.CDLL(LIB);
      lib.func("crash_null_read", T.c_int, [])(); // <- call
    }
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_null_read\(\) -> c_int/);
  assertCallSite(r.stderr, site);
});

test("a crash in an async call says so: its thread has no JS stack", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    await lib.func("crash_null_read", T.c_int, []).async();
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_null_read\(\) -> c_int/);
  assert.ok(r.stderr.includes("tsctypes: it was an async call (.async()), run on a pool thread: no JS stack to show\n"), r.stderr);
  assert.ok(!r.stderr.includes("the call was made from JS"), r.stderr);
});

test("a crash in a { threads: true } call says so", { skip: !isPosix }, () => {
  const r = runChild(`
    const lib = new T.CDLL(LIB);
    lib.func("crash_null_read", T.c_int, [], { threads: true })();
  `);
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_null_read\(\) -> c_int/);
  assert.ok(r.stderr.includes("tsctypes: it was a { threads: true } call, run on a thread of its own: no JS stack to show\n"), r.stderr);
});

test("a hot call's crash: a V8 fast call says it has no JS stack; the other entries name the site", {
  skip: !isPosix || (Boolean(process.env.TSCTYPES_CROSS_QEMU) && "under qemu V8 does not optimize the child's loop before its crash (emulated timing)"),
}, () => {
  for (const env of ENTRIES) {
    const fast = env.TSCTYPES_ENTRY !== "napi" && !NO_FAST_API;
    // The crash comes once V8 has made 1,000 of the calls fast: its optimizing compiler runs on another
    // thread, so how many calls that takes depends on the machine's load. Without fast entries, after 300,000.
    const { r, site } = runChildFile("hot", `
      import { createRequire } from "node:module";
      const counters = createRequire(import.meta.url)(${JSON.stringify(COUNTERS)});
      const fastCalls = () => { const c = counters(); return c.fast + c.typed; };
      const lib = new T.CDLL(LIB);
      const f = lib.func("crash_when_zero", T.c_int, [T.c_int]);
      const start = fastCalls(), limit = ${fast ? 20_000_000 : 300_000};
      let zero = 0;
      for (let k = 0; k <= limit; k++) {
        zero |= +(fastCalls() - start >= 1000 || k === limit);
        f(1 - zero); // <- call
      }
    `, env);
    assert.equal(r.signal, "SIGSEGV", r.stderr);
    assert.match(r.stderr, /inside foreign call crash_when_zero\(c_int\) -> c_int/);
    if (fast)
      assert.ok(r.stderr.includes("tsctypes: it was a V8 fast call from optimized JS, which must not run JS: no JS stack to show\n"), r.stderr);
    else assertCallSite(r.stderr, site);
  }
});

test("getting the JS call site cannot keep a crashing process alive: stuck JS is given up after a few seconds", { skip: !isPosix }, () => {
  const { r } = runChildFile("stuck-location", `
    const lib = new T.CDLL(LIB);
    const f = lib.func("crash_null_read", T.c_int, []);
    Error.prepareStackTrace = () => { for (;;); };
    f(); // <- call
  `, { TSCTYPES_ENTRY: "napi" });
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_null_read\(\) -> c_int/);
  assert.ok(r.stderr.includes("tsctypes: (no JS location: it took too long)\n"), r.stderr);
});

test("a location that throws leaves the report without it; the process still dies by the signal", { skip: !isPosix }, () => {
  const { r } = runChildFile("throwing-location", `
    const lib = new T.CDLL(LIB);
    const f = lib.func("crash_null_read", T.c_int, []);
    Error.prepareStackTrace = () => { throw new Error("no"); };
    f(); // <- call
  `, { TSCTYPES_ENTRY: "napi" });
  assert.equal(r.signal, "SIGSEGV", r.stderr);
  assert.match(r.stderr, /inside foreign call crash_null_read\(\) -> c_int from /);
  assert.ok(!r.stderr.includes("the call was made from JS"), r.stderr);
  assert.ok(!r.stderr.includes("no JS location"), r.stderr); // (JS threw: no second fault, no wait)
});
