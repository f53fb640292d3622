// "Optimizing Python Code with ctypes" (Sam Stevens): the longest common
// subsequence of two lists of strings, computed in C and called through a
// Sequence struct, ported line by line from Python's ctypes to tsctypes.
//
//     node examples/lcs/main.mjs
//
// Builds build/liblcs.so from lcs.c first when needed (a C compiler is
// required: $CC, or cc). lcs.c is this project's own implementation of the
// article's interface.
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { CDLL, POINTER, Structure, byref, c_char_p, c_int } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));

// class SEQUENCE(ctypes.Structure):
//     _fields_ = [('items', ctypes.POINTER(ctypes.c_char_p)),
//                 ('length', ctypes.c_int)]
class SEQUENCE extends Structure {
  static _fields_ = [
    ["items", POINTER(c_char_p)],
    ["length", c_int],
  ];
}

// class CELL(ctypes.Structure):
//     pass
//
// CELL._fields_ = [('index', ctypes.c_int), ('length', ctypes.c_int),
//                  ('prev', ctypes.POINTER(CELL))]
class CELL extends Structure {}

CELL._fields_ = [
  ["index", c_int],
  ["length", c_int],
  ["prev", POINTER(CELL)],
];

// def list_to_SEQUENCE(strlist: List[str]) -> SEQUENCE:
//     bytelist = [bytes(s, 'utf-8') for s in strlist]
//     arr = (ctypes.c_char_p * len(bytelist))()
//     arr[:] = bytelist
//     return SEQUENCE(arr, len(bytelist))
function list_to_SEQUENCE(strlist) {
  // Python's bytes end in a hidden NUL; a Buffer doesn't, so add it (or pass the strings themselves).
  const bytelist = strlist.map((s) => Buffer.from(`${s}\0`, "utf-8"));
  const arr = new (c_char_p.array(bytelist.length))();
  bytelist.forEach((b, i) => (arr[i] = b)); // arr[:] = bytelist (the array keeps the bytes alive)
  return new SEQUENCE(arr, bytelist.length); // the SEQUENCE keeps arr alive
}

// def lcs(s1: List[str], s2: List[str]) -> List[str]:
function lcs(s1, s2) {
  const seq1 = list_to_SEQUENCE(s1);
  const seq2 = list_to_SEQUENCE(s2);

  // struct Sequence *lcs(struct Sequence *s1, struct Sequence *s2)
  const result = lcsmodule.lcs(byref(seq1), byref(seq2));
  const common = result[0];

  const ret = [];

  for (let i = 0; i < common.length; i++) {
    ret.push(common.items[i]); // c_char_p elements read as (UTF-8 decoded) strings: no .decode('utf-8')
  }
  // The article calls lcsmodule.freeSequence(common) with the struct itself, which
  // ctypes passes by value; freeSequence takes the pointer, so pass that instead.
  lcsmodule.freeSequence(result);

  return ret;
}

// lcsmodule = ctypes.cdll.LoadLibrary('lcsmodule/lcs.so')
// lcsmodule.lcs.restype = ctypes.POINTER(SEQUENCE)
const lcsmodule = new CDLL(buildLibrary(here, "lcs", ["lcs.c"]));
lcsmodule.lcs.restype = POINTER(SEQUENCE);
lcsmodule.freeSequence.argtypes = [POINTER(SEQUENCE)];
lcsmodule.freeSequence.restype = null;

const list1 = ["My", "name", "is", "Sam", "Stevens", "!"];
const list2 = ["My", "name", "is", "Alex", "Stevens", "."];

const common = lcs(list1, list2);

console.log(common);
// [ 'My', 'name', 'is', 'Stevens' ]

// --- A second run: letters of two DNA strands (the textbook example) --------
// Typed signatures this time, and the C library's allocation counter to show
// that freeSequence() gave everything back.
const lcsTyped = lcsmodule.func("lcs", POINTER(SEQUENCE), [POINTER(SEQUENCE), POINTER(SEQUENCE)]);
const live = lcsmodule.func("lcs_live_allocations", c_int, []);
const strand1 = "ACCGGTCGAGTGCGCGGAAGCCGGCCGAA";
const strand2 = "GTCGTTCGGAATGCCGTTGCTCTGTAAA";
const a = new SEQUENCE({ items: c_char_p.array(strand1.length).from([...strand1]), length: strand1.length });
const b = new SEQUENCE({ items: c_char_p.array(strand2.length).from([...strand2]), length: strand2.length });
const p = lcsTyped(a, b);
const { items, length } = p.contents;
console.log(`LCS of the strands: ${Array.from({ length }, (_, i) => items[i]).join("")} (${length} letters)`);
console.log(`C allocations alive before freeSequence: ${live()}`);
lcsmodule.freeSequence(p);
console.log(`C allocations alive after freeSequence: ${live()}`);
