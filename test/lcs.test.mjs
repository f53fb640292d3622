// Seed 000 ("Optimizing Python Code with ctypes"): examples/lcs, the longest
// common subsequence of two string lists through a Sequence struct, and the
// recursive Cell struct.
//
// - the example's exact output, in a child process;
// - lcs() in-process on several inputs against a JavaScript reference, with
//   the C library's allocation counter back to 0 after every freeSequence();
// - CELL's layout and its use as a recursive type (a chain built in JS memory
//   and walked through POINTER(CELL)).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as tsctypes from "tsctypes";
import { CDLL, POINTER, Structure, addressof, byref, c_char_p, c_int, pointer, sizeof } from "tsctypes";
import { buildLibrary } from "../examples/build-library.mjs";
import { RUNTIME, gc, runFile, runModule } from "./helpers.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const exampleDir = path.join(root, "examples", "lcs");

class SEQUENCE extends Structure {
  static _fields_ = [
    ["items", POINTER(c_char_p)],
    ["length", c_int],
  ];
}

class CELL extends Structure {}
CELL._fields_ = [
  ["index", c_int],
  ["length", c_int],
  ["prev", POINTER(CELL)],
];

const lib = new CDLL(buildLibrary(exampleDir, "lcs", ["lcs.c"]));
const lcs = lib.func("lcs", POINTER(SEQUENCE), [POINTER(SEQUENCE), POINTER(SEQUENCE)]);
const freeSequence = lib.func("freeSequence", null, [POINTER(SEQUENCE)]);
const live = lib.func("lcs_live_allocations", c_int, []);

function toSequence(list) {
  const items = c_char_p.array(list.length).from(list);
  return new SEQUENCE({ items, length: list.length });
}

/** lcs() through C: the common items, after freeing the C result and checking nothing is left allocated. */
function lcsInC(list1, list2) {
  assert.equal(live(), 0, "no C allocations alive before the call");
  const seq1 = toSequence(list1);
  const seq2 = toSequence(list2);
  const result = lcs(byref(seq1), byref(seq2));
  assert.equal(result.isNull(), false, "lcs() returned NULL");
  const common = result.contents;
  const out = [];
  for (let i = 0; i < common.length; i++) out.push(common.items[i]);
  // one Sequence, its items array (when non-empty) and one copy per item
  assert.equal(live(), out.length === 0 ? 1 : 2 + out.length, "C allocations while the result is alive");
  freeSequence(result);
  assert.equal(live(), 0, "freeSequence() released everything lcs() allocated");
  return out;
}

/** Length of the longest common subsequence (the textbook dynamic programme). */
function lcsLength(a, b) {
  let prev = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = [0];
    for (let j = 1; j <= b.length; j++) row.push(a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]));
    prev = row;
  }
  return prev[b.length];
}

function isSubsequence(sub, list) {
  let k = 0;
  for (const item of list) if (k < sub.length && item === sub[k]) k++;
  return k === sub.length;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("examples/lcs/main.mjs prints the article's result, then the second demo", () => {
  const r = runFile(path.join(exampleDir, "main.mjs"), { cwd: root, timeout: 120_000 });
  if (r.error) throw r.error;
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  // the example console.logs the result array: in the runtime's own format (Bun and Deno quote with ")
  const words = ["My", "name", "is", "Stevens"];
  const printed = runModule(`console.log(${JSON.stringify(words)})`).stdout.trimEnd();
  if (RUNTIME === "node") assert.equal(printed, "[ 'My', 'name', 'is', 'Stevens' ]");
  assert.equal(r.stdout.split("\n")[0], printed);
  assert.equal(
    r.stdout,
    [
      printed,
      "LCS of the strands: GTCGTCGGAAGCCGGCCGAA (20 letters)",
      "C allocations alive before freeSequence: 22",
      "C allocations alive after freeSequence: 0",
      "",
    ].join("\n"),
  );
});

test("lcs() on the article's lists", () => {
  const list1 = ["My", "name", "is", "Sam", "Stevens", "!"];
  const list2 = ["My", "name", "is", "Alex", "Stevens", "."];
  assert.deepEqual(lcsInC(list1, list2), ["My", "name", "is", "Stevens"]);
});

test("lcs() on empty, identical and disjoint lists, and non-ASCII strings", () => {
  assert.deepEqual(lcsInC([], []), []);
  assert.deepEqual(lcsInC([], ["a", "b"]), []);
  assert.deepEqual(lcsInC(["a", "b"], []), []);
  const words = ["the", "quick", "brown", "fox"];
  assert.deepEqual(lcsInC(words, [...words]), words);
  assert.deepEqual(lcsInC(["a", "b", "c"], ["x", "y", "z"]), []);
  assert.deepEqual(lcsInC(["naïve", "日本", "x", "😀"], ["日本", "y", "😀"]), ["日本", "😀"]);
  assert.deepEqual(lcsInC(["", "a", ""], ["", ""]), ["", ""]);
});

test("lcs() of random 200-word lists has the reference length and is common to both", () => {
  const vocabulary = Array.from({ length: 40 }, (_, k) => `w${k}`);
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = random(seed);
    const pick = () => vocabulary[Math.floor(next() * vocabulary.length)];
    const list1 = Array.from({ length: 200 }, pick);
    const list2 = Array.from({ length: 200 }, pick);
    const common = lcsInC(list1, list2);
    assert.equal(common.length, lcsLength(list1, list2), `seed ${seed}: length`);
    assert.ok(common.length > 0, `seed ${seed}: some words in common`);
    assert.ok(isSubsequence(common, list1) && isSubsequence(common, list2), `seed ${seed}: a common subsequence`);
  }
});

test("lcs() through the article's untyped style: restype = POINTER(SEQUENCE), [0]", () => {
  const untyped = new CDLL(buildLibrary(exampleDir, "lcs", ["lcs.c"]));
  untyped.lcs.restype = POINTER(SEQUENCE);
  const seq1 = toSequence(["a", "b", "c", "d"]);
  const seq2 = toSequence(["b", "d", "e"]);
  const result = untyped.lcs(byref(seq1), byref(seq2));
  const common = result[0];
  assert.equal(common.length, 2);
  assert.deepEqual([common.items[0], common.items[1]], ["b", "d"]);
  freeSequence(result);
  assert.equal(live(), 0);
  // NULL arguments: lcs() returns NULL, reading through it throws instead of crashing
  const nothing = untyped.lcs(null, byref(seq2));
  assert.equal(nothing.isNull(), true);
  assert.throws(() => nothing.contents, tsctypes.NullPointerError);
  assert.equal(live(), 0);
});

test("SEQUENCE and CELL have the C compiler's layout (x86-64 / LP64)", { skip: sizeof(POINTER(c_int)) !== 8 }, () => {
  assert.equal(sizeof(SEQUENCE), 16);
  assert.equal(sizeof(CELL), 16);
  assert.equal(tsctypes.alignment(CELL), 8);
  if (typeof tsctypes.fieldInfo === "function") {
    assert.equal(tsctypes.fieldInfo(CELL, "index").offset, 0);
    assert.equal(tsctypes.fieldInfo(CELL, "length").offset, 4);
    assert.equal(tsctypes.fieldInfo(CELL, "prev").offset, 8);
    assert.equal(tsctypes.fieldInfo(CELL, "prev").size, 8);
    assert.equal(tsctypes.fieldInfo(SEQUENCE, "length").offset, 8);
  }
});

test("CELL is recursive: a chain built in JS memory walks through POINTER(CELL)", () => {
  const first = new CELL(0, 1, null);
  const second = new CELL({ index: 1, length: 2, prev: pointer(first) });
  const third = new CELL(2, 3, pointer(second));
  assert.equal(first.prev.isNull(), true);
  assert.equal(third.prev.value, addressof(second));

  const seen = [];
  for (let p = pointer(third); !p.isNull(); p = p.contents.prev) seen.push([p.contents.index, p.contents.length]);
  assert.deepEqual(seen, [
    [2, 3],
    [1, 2],
    [0, 1],
  ]);

  // .contents is a view: a write through the chain lands in the original struct
  third.prev.contents.prev.contents.length = 42;
  assert.equal(first.length, 42);
  assert.throws(() => first.prev.contents, tsctypes.NullPointerError);
});

function collectGarbage() {
  for (let round = 0; round < 3; round++) {
    // garbage of the same sizes, which may reuse freed memory
    Array.from({ length: 2000 }, () => new CELL(-1, -1, null));
    Array.from({ length: 500 }, () => c_char_p.array(4).from(["xxxxxxxxxxxxxxxx", "yyyyyyyy", "zz", "w"]));
    gc();
  }
}

test("a SEQUENCE keeps its items array and the array its strings alive", () => {
  // only the SEQUENCE objects are referenced: the arrays and encoded strings are not
  const words = (n, m) => Array.from({ length: n }, (_, k) => `word-${k % m}`);
  const seq1 = toSequence(words(60, 7));
  const seq2 = toSequence(words(60, 5));
  collectGarbage();
  assert.equal(seq1.items[59], "word-3");
  const result = lcs(byref(seq1), byref(seq2));
  const common = result.contents;
  assert.equal(common.length, lcsLength(words(60, 7), words(60, 5)));
  freeSequence(result);
  assert.equal(live(), 0);
});

test("a CELL chain keeps the cells its pointers point to alive", () => {
  function build(n) {
    let head = new CELL(0, 0, null);
    for (let k = 1; k < n; k++) head = new CELL(k, k * 10, pointer(head));
    return head; // only the last cell is referenced from JS
  }
  const head = build(50);
  collectGarbage();
  let k = 49;
  for (let c = head; ; c = c.prev.contents) {
    assert.deepEqual([c.index, c.length], [k, k * 10]);
    if (c.prev.isNull()) break;
    k--;
  }
  assert.equal(k, 0);
});
