// docs/types.md "Types in TypeScript" (issue 13): the run time agrees with the TypeScript types — types
// that are one C type (c_int32 is c_int) are interchangeable for pointers and arrays, others are not;
// c_char arrays in structures are strings; elements and contents of structure classes are the class —
// and the TypeScript compiler's messages name the C types (test/types/c-types.ts checks what compiles).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import {
  CDLL, POINTER, pointer, byref, struct, Structure, BigEndianStructure,
  c_int, c_int32, c_uint, c_uint32, c_short, c_int16, c_longlong, c_int64, c_char, c_wchar,
} from "tsctypes";
import { fixture } from "./helpers.mjs";

const memory = new CDLL(fixture("memory"));
const shapes = new CDLL(fixture("structs"));
const sum = memory.func("sum", c_int, [POINTER(c_int), c_int]);
const read_int = memory.func("read_int", c_int, [POINTER(c_int)]);
const write_int = memory.func("write_int", null, [POINTER(c_int), c_int]);
const sum_i64 = memory.func("sum_i64", c_longlong, [POINTER(c_longlong), c_int]);

test("c_int32 is c_int for pointers, byref, arrays and contents (int32_t is int)", () => {
  assert.equal(read_int(pointer(c_int32(7))), 7);
  const cell = c_int32(0);
  write_int(byref(cell), 41);
  assert.equal(cell.value, 41);
  assert.equal(sum(c_int32.array(3)(1, 2, 3), 3), 6);
  assert.equal(sum(byref(c_int32.array(3)(4, 5, 6), 4), 2), 11);
  assert.equal(read_int(POINTER(c_int32)(c_int32(9))), 9);
  const p = POINTER(c_int)();
  p.contents = c_int32(12);
  assert.equal(p.contents.value, 12);
  // and the other way round: a c_int where c_int32 is declared
  const read_int32 = memory.func("read_int", c_int, [POINTER(c_int32)]);
  assert.equal(read_int32(pointer(c_int(5))), 5);
  assert.equal(memory.func("read_int", c_int, [POINTER(c_uint32)])(pointer(c_uint(6))), 6);
  assert.equal(POINTER(c_int16)(c_short(-3)).contents.value, -3);
});

test("pointers to c_int32 pointers are pointers to c_int pointers (int32_t ** is int **)", () => {
  const read_via_pp = memory.func("read_via_pp", c_int, [POINTER(POINTER(c_int))]);
  assert.equal(read_via_pp(pointer(pointer(c_int32(8)))), 8);
  assert.equal(read_via_pp(byref(POINTER(c_int32)(c_int32(9)))), 9);
  const pp = POINTER(POINTER(c_int))();
  pp.contents = pointer(c_int32(10));
  assert.equal(pp.contents.contents.value, 10);
});

test("a pointer to a structure without its _fields_ yet is refused for an int * as any other pointer is", () => {
  class Later extends Structure {}
  assert.throws(() => read_int(POINTER(Later)()), { name: "ArgumentError", message: "read_int(): argument 1: expected LP_c_int, got LP_Later instance" });
});

test("a c_int32 array fills a c_int array field; another element type or length does not", () => {
  const Holder = struct({ values: c_int.array(3) });
  const h = new Holder({ values: c_int32.array(3)(7, 8, 9) });
  assert.deepEqual(h.values.toArray(), [7, 8, 9]);
  assert.throws(() => new Holder({ values: c_uint.array(3)(1, 2, 3) }), { name: "TypeError", message: "Struct.values: expected c_int_Array_3, got c_uint_Array_3" });
  assert.throws(() => new Holder({ values: c_int32.array(2)(1, 2) }), { name: "TypeError", message: "Struct.values: expected c_int_Array_3, got c_int32_Array_2" });
});

test("types that are different C types stay apart at run time", () => {
  assert.throws(() => read_int(pointer(c_uint(1))), { name: "ArgumentError", message: "read_int(): argument 1: expected LP_c_int, got LP_c_uint instance" });
  assert.throws(() => read_int(byref(c_uint(1))), {
    name: "ArgumentError",
    message: "read_int(): argument 1: expected LP_c_int, got ByRef instance (expected byref() of a c_int, got byref() of c_uint)",
  });
  assert.throws(() => sum(c_uint32.array(2)(1, 2), 2), { name: "ArgumentError", message: "sum(): argument 1: expected LP_c_int, got c_uint32_Array_2 instance" });
  // int64_t is long on Linux, not long long
  assert.throws(() => sum_i64(pointer(c_int64(1n)), 1), { name: "ArgumentError", message: "sum_i64(): argument 1: expected LP_c_longlong, got LP_c_int64 instance" });
  assert.equal(sum_i64(pointer(c_longlong(5n)), 1), 5n);
  const p = POINTER(c_int)();
  assert.throws(() => (p.contents = c_uint(1)), { name: "TypeError", message: "LP_c_int.contents: expected a c_int instance, got c_uint instance" });
});

test("an int array in a big-endian structure is not c_int memory for an int *", () => {
  class Big extends BigEndianStructure {
    static _fields_ = [["values", c_int32.array(2)]];
  }
  const b = new Big({ values: [1, 2] });
  assert.deepEqual(b.values.toArray(), [1, 2]);
  assert.throws(() => sum(b.values, 2), { name: "ArgumentError", message: "sum(): argument 1: expected LP_c_int, got c_int32_Array_2 instance" });
});

test("c_char and c_wchar array fields read and write as strings, as their TypeScript types say", () => {
  const Named = struct({ id: c_int, name: c_char.array(8), wide: c_wchar.array(4) });
  const n = new Named({ name: "abc", wide: "wé" });
  assert.equal(n.name, "abc");
  assert.equal(n.wide, "wé");
  assert.equal(n.name.value, undefined);
  n.name = "renamed";
  assert.equal(n.name, "renamed");
  assert.equal(new Named(1, "pos").name, "pos");
  assert.deepEqual(new Named(2, "x", "y").toObject(), { id: 2, name: "x", wide: "y" });
  assert.throws(() => (n.name = "123456789"), { name: "RangeError", message: "Struct.name: string of 9 bytes is too long for 8 bytes" });
  assert.throws(() => (n.name = 5), { name: "TypeError" });
});

test("elements and contents of a structure class are instances of that class", () => {
  class Point extends Structure {
    static _fields_ = [["x", c_int], ["y", c_int]];
    norm1() {
      return Math.abs(this.x) + Math.abs(this.y);
    }
  }
  const points = Point.array(2)({ x: 1, y: -2 }, { x: 3, y: 4 });
  assert.ok(points[1] instanceof Point);
  assert.equal(points[0].norm1(), 3);
  const p = pointer(points[0]);
  assert.ok(p.contents instanceof Point);
  assert.ok(p[1] instanceof Point);
  assert.equal(p[1].norm1(), 7);
  const point_sum = shapes.func("point_sum", c_int, [POINTER(Point)]);
  assert.equal(point_sum(points), -1);
  assert.equal(point_sum(byref(points, 8)), 7);
});

// ---------------------------------------------------------------- the compiler's messages

const typesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "types");

/** The TypeScript compiler's first message line for each line of `source` that has an error, compiled as test/types/*.ts is. */
function compileErrors(source) {
  const file = path.join(typesDir, "__messages__.ts");
  const config = ts.getParsedCommandLineOfConfigFile(path.join(typesDir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
  const host = ts.createCompilerHost(config.options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => f === file || fileExists(f);
  host.readFile = (f) => (f === file ? source : readFile(f));
  const program = ts.createProgram([file], config.options, host);
  const sourceFile = program.getSourceFile(file);
  const errors = new Map();
  for (const d of ts.getPreEmitDiagnostics(program, sourceFile)) {
    const line = sourceFile.getLineAndCharacterOfPosition(d.start).line + 1;
    assert.ok(!errors.has(line), `one error per line: line ${line}`);
    errors.set(line, ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0]);
  }
  return errors;
}

test("the TypeScript compiler names the C types in its errors", () => {
  const lines = [
    `import { CDLL, POINTER, pointer, byref, Structure, c_int, c_double } from "tsctypes";`,
    `const lib = new CDLL("./libx.so");`,
    `const add = lib.func("add", c_int, [c_int, c_int]);`,
    `const takesIntPtr = lib.func("f", null, [POINTER(c_int)]);`,
    `class Point extends Structure { static override _fields_ = [["x", c_int]] as const; declare x: number; }`,
    `add(c_double(2), 1);`,
    `takesIntPtr(pointer(c_double(1)));`,
    `takesIntPtr(c_double.array(3)());`,
    `takesIntPtr(byref(c_double()));`,
    `const i: c_int = c_double(1);`,
    `const q: c_int = POINTER(Point)()[0];`,
    `const p: Point = POINTER(Point)()[0]; const e: Point = Point.array(2)()[1]; const c: Point = POINTER(Point)().contents;`,
    `add(2, 1); add(c_int(2), 1); takesIntPtr(pointer(c_int(1))); takesIntPtr(c_int.array(3)()); takesIntPtr(byref(c_int())); takesIntPtr(new Int32Array(1)); takesIntPtr(null);`,
  ];
  const errors = compileErrors(lines.join("\n"));
  assert.deepEqual([...errors.keys()], [6, 7, 8, 9, 10, 11], "the misuses, and only they, are errors");
  // the order of a union's members in a message is the compiler's own; what matters is what they are called
  const pointerArg = /^'(?=.*\bc_int\b)(?=.*\bPointerTo<c_int>)(?=.*\bArrayOf<c_int>)(?=.*\bInt32Array\b)[^']*'\.$/;
  const argument = (source, message) => {
    const prefix = `Argument of type '${source}' is not assignable to parameter of type `;
    assert.ok(message.startsWith(prefix), message);
    assert.match(message.slice(prefix.length), pointerArg);
  };
  // (an argument may also be an object whose _as_parameter_ is one of those, as in ctypes)
  assert.equal(errors.get(6), "Argument of type 'c_double' is not assignable to parameter of type 'number | bigint | c_int | AsParameter<number | bigint | c_int>'.");
  argument("PointerTo<c_double>", errors.get(7));
  argument("ArrayOf<c_double>", errors.get(8));
  argument("ByRef<c_double>", errors.get(9));
  assert.equal(errors.get(10), "Type 'c_double' is not assignable to type 'c_int'.");
  assert.match(errors.get(11), /^Type 'Point' is (not assignable to|missing the following properties from) type 'c_int'/);
  for (const message of errors.values()) assert.doesNotMatch(message, /SimpleType|SimpleInstance|number, Int/);
});
