// The walk-through "Unlocking Performance and Interoperability: Delving into
// Python's Ctypes Module", ported line by line from Python's ctypes to tsctypes.
//
//     node examples/clibrary/main.mjs
//
// Builds build/libclibrary.so from clibrary.c first when needed (a C compiler
// is required: $CC, or cc).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { CDLL, POINTER, byref, c_int, c_uint } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));


// lib = ctypes.CDLL("./clibrary.so")
const lib = new CDLL(buildLibrary(here, "clibrary", ["clibrary.c"]));

// --- Step 4: define argument and return types, then call -------------------
lib.add_numbers.argtypes = [c_int, c_int];
lib.add_numbers.restype = c_int;
const result = lib.add_numbers(5, 7);
console.log(`Result of addition: ${result}`);

// --- Signed and unsigned ----------------------------------------------------
lib.get_unsigned_value.argtypes = [c_uint];
lib.get_unsigned_value.restype = c_uint;
const largeUnsignedNumber = 4294967295; // max value of a 32-bit unsigned int
const resultUnsigned = lib.get_unsigned_value(largeUnsignedNumber);
console.log(`Unsigned value from C: ${resultUnsigned}`);
// The same bits read back with a signed restype: the mismatch the article warns about.
const asSigned = lib.func("get_unsigned_value", c_int, [c_uint]);
console.log(`Read back as a signed c_int instead: ${asSigned(largeUnsignedNumber)}`);

// --- Modifying a value through a pointer -----------------------------------
lib.modify_value.argtypes = [POINTER(c_int)];
lib.modify_value.restype = null; // void
const num = c_int(10);
console.log("Before modification:", num.value);
lib.modify_value(byref(num));
console.log("After modification:", num.value);

// --- Dynamic array allocation and pointer return ---------------------------
lib.allocate_array.restype = POINTER(c_int);
lib.allocate_array.argtypes = [c_int];
const size = 5;
const arrPtr = lib.allocate_array(size);
console.log("Array elements received from C:");
for (let i = 0; i < size; i++) console.log(arrPtr[i]);
lib.free_array.argtypes = [POINTER(c_int)];
lib.free_array.restype = null;
lib.free_array(arrPtr); // memory C allocated goes back to C

// --- Filling an array and getting a count with pointers --------------------
lib.fill_array.argtypes = [POINTER(c_int), POINTER(c_int)];
lib.fill_array.restype = null;
const ArrayType = c_int.array(10); // ctypes.c_int * 10
const array = new ArrayType();
const count = c_int();
lib.fill_array(array, byref(count));
const filled = Array.from({ length: count.value }, (_, i) => array[i]);
console.log(`Filled array: [${filled.join(", ")}]`);
console.log("Count:", count.value);

// --- Dynamic allocation and explicit deallocation --------------------------
// Typed signatures: get_array is (size: number) => pointer, free_array is (arr) => void.
const get_array = lib.func("get_array", POINTER(c_int), [c_int]);
const free_array = lib.func("free_array", null, [POINTER(c_int)]);
const arraySize = 4;
const arr = get_array(arraySize);
console.log("Elements received from C-allocated array:");
for (let i = 0; i < arraySize; i++) console.log(arr[i]);
free_array(arr);
console.log("\nMemory successfully freed.");
