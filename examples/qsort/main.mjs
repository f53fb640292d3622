// libc's qsort() with JavaScript comparators: the callback example of the Python
// ctypes documentation ("Callback functions"), then an array of structs sorted
// by two different keys, then 10,000 random ints.
//
//     node examples/qsort/main.mjs
//
// No C to build: qsort comes from the C library the process already has.
import { CDLL, CFUNCTYPE, POINTER, find_library, sizeof, struct, c_char, c_int, c_size_t, c_void_p } from "tsctypes";

// libc = CDLL(find_library("c")); qsort = libc.qsort; qsort.restype = None
const libc = new CDLL(find_library("c"));
const qsort = libc.qsort;
qsort.restype = null;

// CMPFUNC = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
const CMPFUNC = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int));
// def py_cmp_func(a, b): return a[0] - b[0]
const cmp_func = CMPFUNC((a, b) => a[0] - b[0]);

// ia = (c_int * 8)(5, 1, 4, 2, 3, -7, 12, 0)
const ia = c_int.array(8)(5, 1, 4, 2, 3, -7, 12, 0);
console.log(`before: [${ia.toArray().join(", ")}]`);
// qsort(ia, len(ia), sizeof(c_int), CMPFUNC(py_cmp_func))
qsort(ia, ia.length, sizeof(c_int), cmp_func);
console.log(`after:  [${ia.toArray().join(", ")}]`);

// a plain JS function works too where the parameter is declared: it is wrapped once and cached
qsort.argtypes = [c_void_p, c_size_t, c_size_t, CMPFUNC];
const descending = (a, b) => b[0] - a[0];
qsort(ia, ia.length, sizeof(c_int), descending);
console.log(`descending: [${ia.toArray().join(", ")}]`);

// ---------------------------------------------------------------- structs
// struct Person { char name[16]; int born; };
const Person = struct({ name: c_char.array(16), born: c_int }, { name: "Person" });
const PersonCmp = CFUNCTYPE(c_int, POINTER(Person), POINTER(Person));
const sortPeople = libc.func("qsort", null, [POINTER(Person), c_size_t, c_size_t, PersonCmp]);

const people = Person.array(5)(
  { name: "Grace", born: 1906 },
  { name: "Ada", born: 1815 },
  { name: "Alan", born: 1912 },
  { name: "Linus", born: 1969 },
  { name: "Barbara", born: 1939 },
);
const show = (title) => {
  console.log(title);
  for (const p of people) console.log(`  ${p.name} ${p.born}`);
};

// the comparator sees pointers into the array being sorted: p[0] (or p.contents) is that element, no copy
sortPeople(people, people.length, sizeof(Person), (a, b) => a[0].born - b[0].born);
show("people by year of birth:");
sortPeople(people, people.length, sizeof(Person), (a, b) => (a.contents.name < b.contents.name ? -1 : a.contents.name > b.contents.name ? 1 : 0));
show("people by name:");

// ---------------------------------------------------------------- 10,000 random ints in an Int32Array
// a[0] - b[0] can overflow a C int for values this far apart (the result wraps and the sort
// goes wrong): compare instead of subtracting
const N = 10_000;
const data = new Int32Array(N);
let seed = 12345;
for (let i = 0; i < N; i++) data[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) - 2 ** 31;
let comparisons = 0;
const compare = CMPFUNC((a, b) => {
  comparisons++;
  const x = a[0];
  const y = b[0];
  return x < y ? -1 : x > y ? 1 : 0;
});
const t0 = performance.now();
qsort(data, N, 4, compare);
const elapsed = performance.now() - t0;
const sorted = data.every((v, i) => i === 0 || data[i - 1] <= v);
console.log(`${N} random ints sorted: ${sorted}`);
console.log(`(${comparisons} comparisons, ${elapsed.toFixed(1)} ms)`);
