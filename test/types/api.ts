// Compile-time tests of the public types (run by `npm test` with tsc --noEmit).
// Each @ts-expect-error line must be an error; if the types got looser, tsc fails.
import {
  CDLL, c_int, c_double, c_float, c_char_p, c_int64, c_uint8, c_void_p, c_size_t, c_bool,
  POINTER, pointer, byref, cast, sizeof, create_string_buffer, malloc, ArgumentError,
} from "tsctypes";

const lib = new CDLL("./libx.so");

// lib.func infers the JS signature from the C types
const add = lib.func("add", c_int, [c_int, c_int]);
const r: number = add(1, 2);
// @ts-expect-error a string is not an int
add(1, "2");
// @ts-expect-error the result is a number, not a string
const bad: string = add(1, 2);

const addf = lib.func("add_f", c_double, [c_double, c_float]);
const f: number = addf(1.5, 2);

const big = lib.func("add64", c_int64, [c_int64, c_int64]);
const b: bigint = big(1n, 2);
// @ts-expect-error 64-bit results are bigint
const notNumber: number = big(1n, 2n);

const strlen = lib.func("strlen", c_size_t, [c_char_p]);
const n: number = strlen("hello");
strlen(null);
strlen(new Uint8Array([65, 0]));
// @ts-expect-error a number is not a char*
strlen(5);

const noop = lib.func("noop", null, []);
const v: void = noop();
const pure = lib.func("add", c_int, [c_int, c_int], { reentrant: false, threads: false });
const pureFlag: boolean | null = pure.reentrant;
// @ts-expect-error reentrant is a boolean
lib.func("add", c_int, [c_int, c_int], { reentrant: "no" });

const setv = lib.func("setv", null, [POINTER(c_int)]);
const cell = c_int(5);
setv(byref(cell));
setv(cell);
setv(new Int32Array(1));
setv(null);
const ptrToCell = pointer(cell);
setv(ptrToCell);
const contents: number = ptrToCell.contents.value;
const elem: number = ptrToCell[0];

const getName = lib.func("name", c_char_p, []);
const name: string | null = getName();

// fundamental types: with and without new, .value typed
const x: number = c_int(3).value;
const y: number = new c_int(3).value;
const z: bigint = c_int64(3).value;
const flag: boolean = c_bool(1).value;
// @ts-expect-error c_int holds a number
const s: string = c_int(3).value;

// arrays
const IntArr = c_int.array(3);
const arr = IntArr(1, 2, 3);
const first: number = arr[0];
const typed = arr.typed;
const fromList = IntArr.from([1, 2, 3]);
const n8 = c_uint8.array(4).from(new Uint8Array(4)).length;

// memory helpers
const sz: number = sizeof(c_int);
const buf = create_string_buffer("hi", 10);
const text: string = buf.value;
{
  using mem = malloc(16);
  const addr: number = mem.address;
}
const asVoid = cast(arr, c_void_p);
const addrValue: number | null = asVoid.value;

// attribute style: argtypes/restype settable
lib.add.argtypes = [c_int, c_int];
lib.add.restype = c_int;
lib.add.errcheck = (res) => res;

const e: TypeError = new ArgumentError("x");

void [r, bad, f, b, notNumber, n, v, contents, elem, name, x, y, z, flag, s, first, typed, fromList, n8, sz, text, addrValue, e];

// ---- structures
import { struct, union, Structure, fieldInfo, c_int32, c_int64 as i64 } from "tsctypes";
const Vec2 = struct({ x: c_double, y: c_double });
const v2 = new Vec2({ x: 1, y: 2 });
const vx: number = v2.x;
// @ts-expect-error a typo in a field name is a compile error
v2.z;
// @ts-expect-error x is a number
const vs: string = v2.x;
const v3 = new Vec2(1, 2);
const v0 = new Vec2();
class Point extends struct({ x: c_int, y: c_int }) {
  norm1(): number { return Math.abs(this.x) + Math.abs(this.y); }
}
const pt: number = new Point({ x: 1, y: -2 }).norm1();
const Mixed = struct({ a: c_int32, b: c_int32, c: i64, flags: [c_int, 3] });
const mc: bigint = new Mixed().c;
const mf: number = new Mixed().flags;
const addVec = lib.func("vec_add", Vec2, [Vec2, Vec2]);
const sum2: number = addVec(v2, { x: 3, y: 4 }).y;
const U = union({ i: c_int, f: c_float });
const uf: number = new U().f;
class P2 extends Structure {
  static override _fields_ = [["x", c_int], ["y", c_int]] as const;
  declare x: number;
  declare y: number;
}
const p2x: number = new P2().x;
const off: number = fieldInfo(Vec2, "y").offset;
const ptrToVec = lib.func("vec_ptr", POINTER(Vec2), []);
const vcx: number = ptrToVec().contents.x;
void [vx, vs, v3, v0, pt, mc, mf, sum2, uf, p2x, off, vcx];

// ctypes' argument protocol: _as_parameter_ objects and adapters in argtypes
class Meters {
  static from_param(v: { meters: number }): number {
    return v.meters;
  }
}
const addMeters = lib.func("add", c_int, [Meters, c_int]);
const am: number = addMeters({ meters: 2 }, { _as_parameter_: 3 });
// @ts-expect-error an adapter takes what its from_param takes
addMeters(2, 3);
const fp: unknown = c_int.from_param(5);
const be: number = c_int.__ctype_be__(1).value;
const sl: number[] = c_int.array(3)(1, 2, 3).slice(0, 2);
void [am, fp, be, sl];

// function pointers from a library symbol, with and without paramflags
import { CFUNCTYPE } from "tsctypes";
const AddProto = CFUNCTYPE(c_int, c_int, c_int, POINTER(c_int));
const fromSymbol = AddProto(["add", lib]);
const fs1: number = fromSymbol(1, 2, null);
const withFlags = AddProto(["divmod", lib], [[1, "a"], [1, "b", 5], [2, "rem"]]);
const wf: unknown = withFlags(17, { b: 5 });
fromSymbol.restype = c_double;
// @ts-expect-error paramflags flags are 0, 1, 2 or 4
AddProto(["divmod", lib], [[3]]);
void [fs1, wf, new CDLL(new URL("file:///lib/libx.so"))];
