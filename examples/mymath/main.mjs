// "Python and C interaction: Part II - Ctypes", the interactive session replayed
// with tsctypes. Lines starting with "> " are what was typed, the lines after
// them what came back, "//" lines explain.
//
//     node examples/mymath/main.mjs
//
// Builds build/libmymath.so from add_two.c and arrays.c first when needed
// ($CC, or cc).
import * as path from "node:path";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { ArgumentError, CDLL, POINTER, byref, c_float, c_int, c_void_p } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));

const typed = (code) => console.log(`> ${code}`);
const say = (text) => console.log(`// ${text}`);
const list = (values) => `[${Array.from(values).join(", ")}]`;

// >>> import ctypes as C
// >>> math = C.CDLL('./libmymath.so')
const math = new CDLL(buildLibrary(here, "mymath", ["add_two.c", "arrays.c"]));

// ----------------------------------------------------------------- integers
typed("math.add_int(3, 4)");
console.log(math.add_int(3, 4));

// ----------------------------------------------------------------- floats
typed("math.add_float(3, 4)");
console.log(math.add_float(3, 4));
say("garbage: 3 and 4 went to C as ints, add_float read its floats from registers nobody set,");
say("and its float result was read back as an int (the default restype is c_int)");

typed("math.add_float(3.5, 4.5)");
say("(in JavaScript 3.0 is just the integer 3, so the article's 3.0 and 4.0 become 3.5 and 4.5)");
try {
  math.add_float(3.5, 4.5);
  console.log("(no error?)");
} catch (e) {
  if (!(e instanceof ArgumentError)) throw e;
  console.log(`${e.name}: ${e.message}`);
}

typed("math.add_float(c_float(3), c_float(4))");
console.log(math.add_float(c_float(3), c_float(4)));
say("garbage again: the arguments are right now, but the float result is still read as an int");

typed("math.add_float.restype = c_float");
math.add_float.restype = c_float;
typed("math.add_float(c_float(3), c_float(4))");
console.log(math.add_float(c_float(3), c_float(4)));

typed("math.add_float.argtypes = [c_float, c_float]");
math.add_float.argtypes = [c_float, c_float];
typed("math.add_float(3, 4)");
console.log(math.add_float(3, 4));

// ----------------------------------------------------------------- by reference
typed("three = c_int(3); four = c_int(4); res = c_int()");
const three = c_int(3);
const four = c_int(4);
const res = c_int();
typed("math.add_int_ref(byref(three), byref(four), byref(res))");
console.log(math.add_int_ref(byref(three), byref(four), byref(res)));
typed("res.value");
console.log(res.value);

typed("threeF = c_float(3); fourF = c_float(4); resF = c_float()");
const threeF = c_float(3);
const fourF = c_float(4);
const resF = c_float();
typed("math.add_float_ref(byref(threeF), byref(fourF), byref(resF))");
console.log(math.add_float_ref(byref(threeF), byref(fourF), byref(resF)));
typed("resF.value");
console.log(resF.value);

// The wrapper that hides the by-reference call from its users.
function addFloatRef(a, b) {
  const aC = c_float(a);
  const bC = c_float(b);
  const resC = c_float();
  math.add_float_ref(byref(aC), byref(bC), byref(resC));
  return resC.value;
}
typed("addFloatRef(1.25, 2.5)");
console.log(addFloatRef(1.25, 2.5));

// ----------------------------------------------------------------- arrays
typed("in1 = c_int.array(3)(1, 2, -5); in2 = c_int.array(3)(-1, 3, 3); out = c_int.array(3)(0, 0, 0)");
const IntArray3 = c_int.array(3); // ctypes: C.c_int * 3
const in1 = IntArray3(1, 2, -5);
const in2 = IntArray3(-1, 3, 3);
const out = IntArray3(0, 0, 0);
typed("math.add_int_array(in1, in2, out, c_int(3))");
math.add_int_array(in1, in2, out, c_int(3));
typed("[out[0], out[1], out[2]]");
console.log(list([out[0], out[1], out[2]]));

typed("math.add_float_array(f1, f2, fout, 3)   // c_float arrays");
const FloatArray3 = c_float.array(3);
const fout = FloatArray3();
math.add_float_array(FloatArray3(1.5, 2.5, -5), FloatArray3(-1, 3, 3.25), fout, 3);
console.log(list(fout));

typed("math.dot_product(in1, in2, 3)");
console.log(math.dot_product(in1, in2, 3));

// ----------------------------------------------------------------- the NumPy part: typed arrays
say("NumPy arrays become TypedArrays: passed to C directly, zero copy");
typed("intp = POINTER(c_int)");
const intp = POINTER(c_int);
math.add_int_array.argtypes = [intp, intp, intp, c_int];
math.add_int_array.restype = null;
typed("np1 = new Int32Array([1, 2, -5]); np2 = new Int32Array([-1, 3, 3]); npOut = new Int32Array(3)");
const np1 = new Int32Array([1, 2, -5]);
const np2 = new Int32Array([-1, 3, 3]);
const npOut = new Int32Array(3);
typed("math.add_int_array(np1, np2, npOut, 3)");
math.add_int_array(np1, np2, npOut, 3);
typed("npOut");
console.log(inspect(npOut));
say("the result is a plain Int32Array, ready for any other JavaScript code:");
typed("npOut.reduce((sum, x) => sum + x, 0)");
console.log(npOut.reduce((sum, x) => sum + x, 0));

say("a declared int* refuses a TypedArray of another element type:");
typed("math.add_int_array(new Float64Array(3), np2, npOut, 3)");
try {
  math.add_int_array(new Float64Array(3), np2, npOut, 3);
  console.log("(no error?)");
} catch (e) {
  if (!(e instanceof ArgumentError)) throw e;
  console.log(`${e.name}: ${e.message}`);
}

say("c_void_p parameters take any memory, like the article's remark a)");
typed('addVoid = math.func("add_int_array", null, [c_void_p, c_void_p, c_void_p, c_int])');
const addVoid = math.func("add_int_array", null, [c_void_p, c_void_p, c_void_p, c_int]);
typed("addVoid(np1.subarray(1), np2.subarray(1), npOut, 2)");
addVoid(np1.subarray(1), np2.subarray(1), npOut, 2);
typed("npOut");
console.log(inspect(npOut));

say("and the other way round: .typed is a zero-copy TypedArray over C data");
typed("in1.typed.set([10, 20, 30]); math.add_int_array(in1, in2, out, 3); out.typed");
in1.typed.set([10, 20, 30]);
math.add_int_array(in1, in2, out, 3);
console.log(inspect(out.typed));
typed("math.dot_product(in1.typed, in2.typed, 3)");
console.log(math.dot_product(in1.typed, in2.typed, 3));
