// Runs each seed example (examples/*/main.mjs) in a child process and checks
// its exact output, then examples/run-all.js itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { CDLL, POINTER, c_int } from "tsctypes";
import { runFile } from "./helpers.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const examples = path.join(root, "examples");

/** Run a script under this runtime from the repository root; returns { status, stdout, stderr, lines }. */
function run(script, cwd = root) {
  const r = runFile(script, { cwd, timeout: 120_000 });
  if (r.error) throw r.error;
  const lines = r.stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, lines };
}

// Under qemu (scripts/test-arm64.js) the emulated arm64 sysroot has no zlib or SQLite: the bindgen
// examples (and run-all, which runs them) are tested by the host's runs.
const NO_BINDGEN_LIBRARIES = Boolean(process.env.TSCTYPES_CROSS_QEMU) && "the emulated arm64 sysroot has no zlib or SQLite";

test("examples/clibrary/main.mjs prints the article's expected outputs", () => {
  const r = run(path.join(examples, "clibrary", "main.mjs"));
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  assert.deepEqual(r.lines, [
    "Result of addition: 12",
    "Unsigned value from C: 4294967295",
    "Read back as a signed c_int instead: -1",
    "Before modification: 10",
    "After modification: 99",
    "Array elements received from C:",
    "1",
    "2",
    "3",
    "4",
    "5",
    "Filled array: [0, 10, 20, 30, 40]",
    "Count: 5",
    "Elements received from C-allocated array:",
    "0",
    "1",
    "2",
    "3",
    "",
    "Memory successfully freed.",
  ]);
});

test("examples/clibrary also builds the thread example's square() and safe_add()", () => {
  const so = path.join(examples, "clibrary", "build", "libclibrary.so");
  if (!fs.existsSync(so)) run(path.join(examples, "clibrary", "main.mjs"));
  const lib = new CDLL(so);
  const square = lib.func("square", c_int, [c_int]);
  const safe_add = lib.func("safe_add", c_int, [c_int, c_int]);
  const results = [1, 2, 3, 4, 5].map((n) => safe_add(square(n), 10));
  assert.deepEqual(results, [11, 14, 19, 26, 35]);
  assert.equal(lib.allocate_array(0), 0, "allocate_array(0) returns NULL");
  const get_array = lib.func("get_array", POINTER(c_int), [c_int]);
  assert.equal(get_array(-1).isNull(), true);
  lib.close();
});

test("examples/mymath/main.mjs replays the article's session", () => {
  const r = run(path.join(examples, "mymath", "main.mjs"));
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);

  // The messages of the two ArgumentErrors the session shows, made here the same way.
  const math = new CDLL(path.join(examples, "mymath", "build", "libmymath.so"));
  const messageOf = (fn) => {
    try {
      fn();
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
    return "(no error)";
  };
  const floatError = messageOf(() => math.add_float(3.5, 4.5));
  math.add_int_array.argtypes = [POINTER(c_int), POINTER(c_int), POINTER(c_int), c_int];
  const pointerError = messageOf(() => math.add_int_array(new Float64Array(3), new Int32Array(3), new Int32Array(3), 3));
  assert.match(floatError, /^ArgumentError: add_float\(\): argument 1: /);
  assert.match(pointerError, /^ArgumentError: add_int_array\(\): argument 1: /);
  math.close();

  const garbage = /^-?\d+$/; // an int read from a register C did not set: any value
  const expected = [
    "> math.add_int(3, 4)",
    "7",
    "> math.add_float(3, 4)",
    garbage,
    "// garbage: 3 and 4 went to C as ints, add_float read its floats from registers nobody set,",
    "// and its float result was read back as an int (the default restype is c_int)",
    "> math.add_float(3.5, 4.5)",
    "// (in JavaScript 3.0 is just the integer 3, so the article's 3.0 and 4.0 become 3.5 and 4.5)",
    floatError,
    "> math.add_float(c_float(3), c_float(4))",
    garbage,
    "// garbage again: the arguments are right now, but the float result is still read as an int",
    "> math.add_float.restype = c_float",
    "> math.add_float(c_float(3), c_float(4))",
    "7",
    "> math.add_float.argtypes = [c_float, c_float]",
    "> math.add_float(3, 4)",
    "7",
    "> three = c_int(3); four = c_int(4); res = c_int()",
    "> math.add_int_ref(byref(three), byref(four), byref(res))",
    "0",
    "> res.value",
    "7",
    "> threeF = c_float(3); fourF = c_float(4); resF = c_float()",
    "> math.add_float_ref(byref(threeF), byref(fourF), byref(resF))",
    "0",
    "> resF.value",
    "7",
    "> addFloatRef(1.25, 2.5)",
    "3.75",
    "> in1 = c_int.array(3)(1, 2, -5); in2 = c_int.array(3)(-1, 3, 3); out = c_int.array(3)(0, 0, 0)",
    "> math.add_int_array(in1, in2, out, c_int(3))",
    "> [out[0], out[1], out[2]]",
    "[0, 5, -2]",
    "> math.add_float_array(f1, f2, fout, 3)   // c_float arrays",
    "[0.5, 5.5, -1.75]",
    "> math.dot_product(in1, in2, 3)",
    "-10",
    "// NumPy arrays become TypedArrays: passed to C directly, zero copy",
    "> intp = POINTER(c_int)",
    "> np1 = new Int32Array([1, 2, -5]); np2 = new Int32Array([-1, 3, 3]); npOut = new Int32Array(3)",
    "> math.add_int_array(np1, np2, npOut, 3)",
    "> npOut",
    "Int32Array(3) [ 0, 5, -2 ]",
    "// the result is a plain Int32Array, ready for any other JavaScript code:",
    "> npOut.reduce((sum, x) => sum + x, 0)",
    "3",
    "// a declared int* refuses a TypedArray of another element type:",
    "> math.add_int_array(new Float64Array(3), np2, npOut, 3)",
    pointerError,
    "// c_void_p parameters take any memory, like the article's remark a)",
    '> addVoid = math.func("add_int_array", null, [c_void_p, c_void_p, c_void_p, c_int])',
    "> addVoid(np1.subarray(1), np2.subarray(1), npOut, 2)",
    "> npOut",
    "Int32Array(3) [ 5, -2, -2 ]",
    "// and the other way round: .typed is a zero-copy TypedArray over C data",
    "> in1.typed.set([10, 20, 30]); math.add_int_array(in1, in2, out, 3); out.typed",
    "Int32Array(3) [ 9, 23, 33 ]",
    "> math.dot_product(in1.typed, in2.typed, 3)",
    "140",
  ];
  assert.equal(r.lines.length, expected.length, `output:\n${r.stdout}`);
  expected.forEach((want, i) => {
    if (want instanceof RegExp) assert.match(r.lines[i], want, `line ${i + 1}`);
    else assert.equal(r.lines[i], want, `line ${i + 1}`);
  });
});

test("examples/run-all.js runs every example and passes", { skip: NO_BINDGEN_LIBRARIES }, () => {
  const r = run(path.join(examples, "run-all.js"));
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.lines.includes("=== clibrary (examples/clibrary/main.mjs) ==="));
  assert.ok(r.lines.includes("=== mymath (examples/mymath/main.mjs) ==="));
  assert.ok(r.lines.includes("Memory successfully freed."));
  assert.ok(r.lines.includes("=== lcs/main-cdef.mjs (examples/lcs/main-cdef.mjs) ==="), "second variants of an example run too");
  const summary = r.lines.at(-1);
  const m = /^(\d+) of (\d+) examples passed$/.exec(summary);
  assert.ok(m && m[1] === m[2] && Number(m[2]) >= 2, summary);
});

test("examples/run-all.js fails when an example exits non-zero", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsctypes-run-all-"));
  try {
    fs.copyFileSync(path.join(examples, "run-all.js"), path.join(dir, "run-all.js"));
    // run-all.js is CommonJS, as the repository's package.json says for examples/ (Deno needs it said)
    fs.writeFileSync(path.join(dir, "package.json"), '{ "type": "commonjs" }\n');
    fs.mkdirSync(path.join(dir, "good"));
    fs.writeFileSync(path.join(dir, "good", "main.mjs"), 'console.log("good ran");\n');
    fs.mkdirSync(path.join(dir, "bad"));
    fs.writeFileSync(path.join(dir, "bad", "main.mjs"), "process.exit(3);\n");
    const r = run(path.join(dir, "run-all.js"), dir);
    assert.equal(r.status, 1);
    assert.ok(r.lines.includes("good ran"), "the other examples still run");
    assert.match(r.stderr, /run-all: bad: exit code 3/);
    assert.equal(r.lines.at(-1), "1 of 2 examples passed; failed: bad");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/lcs/main-cdef.mjs: the LCS example declared with cdef() gives main.mjs's answers", () => {
  const r = run(path.join(examples, "lcs", "main-cdef.mjs"));
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  assert.deepEqual(r.lines, ["LCS of the words: My name is Stevens", "LCS of the strands: GTCGTCGGAAGCCGGCCGAA (20 letters)", "C allocations alive after freeSequence: 0"]);
});

/** Run a bindgen example: its first line names the library's version and the header's (the same), then `lines`. */
function checkBindgenExample(name, library, lines) {
  const r = run(path.join(examples, name, "main.mjs"));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.lines[0], new RegExp(`^${library} (\\d+\\.\\d+\\.\\d+) \\(header \\1\\)$`));
  // (a RegExp for a line whose numbers depend on the library's build)
  assert.equal(r.lines.length - 1, lines.length, r.stdout);
  lines.forEach((line, i) => (line instanceof RegExp ? assert.match(r.lines[i + 1], line) : assert.equal(r.lines[i + 1], line)));
}

test("examples/zlib-bindgen/main.mjs calls zlib through bindings generated from zlib.h", { skip: NO_BINDGEN_LIBRARIES }, () => {
  checkBindgenExample("zlib-bindgen", "zlib", [
    /^compress2: 344 bytes -> [1-9]\d bytes$/,
    "uncompress: ok, 344 bytes, same text: true",
    "too small a buffer: buffer error",
    "crc32: c6637f9a, adler32: a5137391",
    "sizeof(z_stream): 112 bytes, the same class as z_stream_s: true",
    /^deflate in [2-9] chunks: 344 -> [1-9]\d bytes, the same bytes as compress2: true$/,
  ]);
});

test("examples/sqlite-bindgen/main.mjs calls SQLite through bindings generated from sqlite3.h", { skip: NO_BINDGEN_LIBRARIES }, () => {
  checkBindgenExample("sqlite-bindgen", "SQLite", [
    "sqlite3_exec:",
    "  row: name=Earth, moons=1",
    "  row: name=Mars, moons=2",
    "prepared statement, moons >= 1:",
    "  Jupiter: 95",
    "  Mars: 2",
    "  Earth: 1",
    "error 1 (SQLITE_ERROR is 1): no such table: comets",
    "closed",
  ]);
});
