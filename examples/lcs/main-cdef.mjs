// The same longest common subsequence as main.mjs, declared from C text with cdef() instead of
// Structure classes written by hand: the declarations are lcs.c's interface as its comment gives it.
//
//     node examples/lcs/main-cdef.mjs
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildLibrary } from "../build-library.mjs";
import { CDLL, c_char_p, cdef } from "tsctypes";

const here = path.dirname(fileURLToPath(import.meta.url));

const decls = cdef(`
  struct Sequence { char **items; int length; };
  struct Sequence *lcs(struct Sequence *s1, struct Sequence *s2);
  void freeSequence(struct Sequence *seq);
  int lcs_live_allocations(void);
`);
const Sequence = decls.types.Sequence; // a Structure class: _fields_ [["items", POINTER(c_char_p)], ["length", c_int]]
const lcsmodule = new CDLL(buildLibrary(here, "lcs", ["lcs.c"]));
const { lcs, freeSequence, lcs_live_allocations } = lcsmodule.bind(decls);

function toSequence(strings) {
  return new Sequence({ items: c_char_p.array(strings.length).from(strings), length: strings.length });
}

function commonSubsequence(s1, s2) {
  const result = lcs(toSequence(s1), toSequence(s2));
  const { items, length } = result.contents;
  const common = Array.from({ length }, (_, i) => items[i]);
  freeSequence(result);
  return common;
}

console.log(`LCS of the words: ${commonSubsequence(["My", "name", "is", "Sam", "Stevens", "!"], ["My", "name", "is", "Alex", "Stevens", "."]).join(" ")}`);
// LCS of the words: My name is Stevens
const common = commonSubsequence([..."ACCGGTCGAGTGCGCGGAAGCCGGCCGAA"], [..."GTCGTTCGGAATGCCGTTGCTCTGTAAA"]);
console.log(`LCS of the strands: ${common.join("")} (${common.length} letters)`);
console.log(`C allocations alive after freeSequence: ${lcs_live_allocations()}`);
