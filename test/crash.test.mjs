// Crash reports: a fatal signal inside a foreign call is reported on stderr (which
// function, its signature, which library) and the process still dies by that signal.
// Every crash runs in a child process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RUNTIME, fixture, runModule } from "./helpers.mjs";

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
