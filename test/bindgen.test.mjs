// tsctypes-bindgen golden tests: bindings generated from the headers installed here (zlib.h, sqlite3.h,
// uuid/uuid.h, png.h) and from test/fixtures/bindgen/demo.h type-check under tsc --strict, load, and call the
// real libraries; verifyLayout agrees with the C compiler on every structure they define.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as zlib from "node:zlib";
import { POINTER, byref, c_char_p, c_double, c_ulong, cast, create_string_buffer, sizeof, verifyLayout, Structure, Union } from "tsctypes";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "tsctypes-bindgen.js");
const out = path.join(root, "test", "fixtures", "build", "bindgen");
const demoDir = path.join(root, "test", "fixtures", "bindgen");

const HEADERS = {
  zlib: { headers: ["zlib.h"], lib: "libz.so.1" },
  sqlite3: { headers: ["sqlite3.h"], lib: "libsqlite3.so.0" },
  uuid: { headers: ["uuid/uuid.h"], lib: "libuuid.so.1" },
  png: { headers: ["png.h"], lib: "libpng16.so.16" },
  demo: { headers: [path.join(demoDir, "demo.h")], lib: "z", args: ["-I", path.join(demoDir, "inc"), "-D", "DEMO_SET=42", "--exclude", "^demo_skip"] },
};

function bindgen(args) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
}

// Under qemu (scripts/test-arm64.js) the arm64 sysroot has none of the four libraries, and the
// generator itself runs on the host: bindgen is tested by the host's runs.
const CROSS = Boolean(process.env.TSCTYPES_CROSS_QEMU) && "the emulated arm64 sysroot has no zlib, SQLite, uuid or png to bind";
const modules = {};
const sources = {};
let tsc;

before(async () => {
  if (CROSS) return;
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [name, h] of Object.entries(HEADERS)) {
    const r = bindgen([...h.headers, "--lib", h.lib, ...(h.args ?? []), "-o", path.join(out, `${name}.mts`)]);
    assert.equal(r.status, 0, `bindgen ${name}: ${r.stderr}`);
    sources[name] = fs.readFileSync(path.join(out, `${name}.mts`), "utf8");
  }
  // strict, and emitted as ES modules that import "tsctypes" (this package, by self-reference)
  fs.writeFileSync(path.join(out, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module: "node16", moduleResolution: "node16", lib: ["ES2022", "ESNext.Disposable"], types: [], strict: true, skipLibCheck: true, rootDir: ".", outDir: "js" },
    include: ["*.mts"],
  }));
  tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out], { encoding: "utf8" });
  if (tsc.status === 0) for (const name of Object.keys(HEADERS)) modules[name] = await import(pathToFileURL(path.join(out, "js", `${name}.mjs`)).href);
});

test("the generated modules type-check under tsc --strict", { skip: CROSS }, () => {
  assert.equal(tsc.stdout + tsc.stderr, "");
  assert.equal(tsc.status, 0);
});

/** crc32 as node:zlib computes it (since Node 22.2 / 20.15), else the bitwise definition */
function referenceCrc32(bytes) {
  if (typeof zlib.crc32 === "function") return zlib.crc32(bytes);
  let c = ~0 >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

test("zlib: compress2/uncompress round trip, crc32 as node:zlib computes it, #define constants", { skip: CROSS }, () => {
  const z = modules.zlib;
  const input = Buffer.from("tsctypes-bindgen wrote these bindings. ".repeat(50));
  const bound = z.compressBound(input.length);
  assert.ok(bound >= input.length);
  const packed = new Uint8Array(bound);
  const packedLen = new c_ulong(bound);
  assert.equal(z.compress2(packed, byref(packedLen), input, input.length, z.Z_BEST_COMPRESSION), z.Z_OK);
  assert.ok(packedLen.value < input.length / 10, `compressed to ${packedLen.value} bytes`);
  assert.deepEqual(zlib.inflateSync(packed.subarray(0, packedLen.value)), input);
  const back = new Uint8Array(input.length);
  const backLen = new c_ulong(back.length);
  assert.equal(z.uncompress(back, byref(backLen), packed, packedLen.value), z.Z_OK);
  assert.equal(backLen.value, input.length);
  assert.deepEqual(Buffer.from(back), input);
  // a buffer too small is zlib's Z_BUF_ERROR (-5), read from the header
  assert.equal(z.Z_BUF_ERROR, -5);
  assert.equal(z.uncompress(new Uint8Array(10), byref(new c_ulong(10)), packed, packedLen.value), z.Z_BUF_ERROR);
  assert.equal(z.crc32(0, input, input.length), referenceCrc32(input));
  assert.equal(z.ZLIB_VERSION, z.zlibVersion());
  assert.equal(sizeof(z.z_stream), sizeof(z.z_stream_s));
  assert.equal(z.z_stream, z.z_stream_s);
  // a variadic function (gzprintf(gzFile, const char *, ...)), into a gzip file node:zlib reads back
  const file = path.join(out, "gzprintf.gz");
  const gz = z.gzopen(file, "wb");
  assert.equal(z.gzprintf(gz, "%s %d %.1f", "printed", 42, c_double(2.5)), "printed 42 2.5".length);
  assert.equal(z.gzclose(gz), z.Z_OK);
  assert.equal(zlib.gunzipSync(fs.readFileSync(file)).toString(), "printed 42 2.5");
});

test("SQLite: open :memory:, exec with a row callback, prepare/step/column, close", { skip: CROSS }, () => {
  const s = modules.sqlite3;
  const db = new (POINTER(s.sqlite3))();
  assert.equal(s.sqlite3_open(":memory:", byref(db)), s.SQLITE_OK);
  const rows = [];
  const onRow = new s.sqlite3_callback((_user, n, values, names) => {
    const row = {};
    for (let i = 0; i < n; i++) row[names[i]] = values[i];
    rows.push(row);
    return 0;
  });
  assert.equal(s.sqlite3_exec(db, "create table t(a int, b text); insert into t values (1, 'one'), (2, null); select a, b from t order by a", onRow, null, null), s.SQLITE_OK);
  assert.deepEqual(rows, [{ a: "1", b: "one" }, { a: "2", b: null }]);
  const errmsg = new c_char_p();
  assert.equal(s.sqlite3_exec(db, "select * from missing", null, null, byref(errmsg)), s.SQLITE_ERROR);
  assert.equal(errmsg.value, "no such table: missing");
  s.sqlite3_free(errmsg);
  const stmt = new (POINTER(s.sqlite3_stmt))();
  assert.equal(s.sqlite3_prepare_v2(db, "select a * 10, b from t where a >= ? order by a", -1, byref(stmt), null), s.SQLITE_OK);
  assert.equal(s.sqlite3_bind_int(stmt, 1, 1), s.SQLITE_OK);
  const got = [];
  while (s.sqlite3_step(stmt) === s.SQLITE_ROW)
    got.push([s.sqlite3_column_int(stmt, 0), s.sqlite3_column_type(stmt, 1) === s.SQLITE_NULL ? null : cast(s.sqlite3_column_text(stmt, 1), c_char_p).value]);
  assert.deepEqual(got, [[10, "one"], [20, null]]);
  assert.equal(s.sqlite3_finalize(stmt), s.SQLITE_OK);
  assert.equal(s.sqlite3_close(db), s.SQLITE_OK);
  // a variadic function: the declared parameters, then values typed per call
  const text = create_string_buffer(32);
  s.sqlite3_snprintf(32, text, "%d|%s|%.2f|%lld", 7, "seven", c_double(7.5), 7n);
  assert.equal(text.value, "7|seven|7.50|7");
  assert.equal(s.sqlite3_libversion(), s.SQLITE_VERSION);
  assert.equal(s.sqlite3_libversion_number(), s.SQLITE_VERSION_NUMBER);
});

test("uuid: uuid_generate + uuid_unparse give the 36-character form; uuid_parse reads it back", { skip: CROSS }, () => {
  const u = modules.uuid;
  const id = new u.uuid_t();
  u.uuid_generate(id);
  const text = create_string_buffer(37);
  u.uuid_unparse(id, text);
  assert.match(text.value, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const parsed = new u.uuid_t();
  assert.equal(u.uuid_parse(text.value, parsed), 0);
  assert.equal(u.uuid_compare(id, parsed), 0);
  assert.equal(u.uuid_parse("not a uuid", parsed), -1);
});

test("libpng: the library's version is the header's", { skip: CROSS }, () => {
  const p = modules.png;
  assert.equal(p.png_access_version_number(), p.PNG_LIBPNG_VER);
  assert.equal(p.png_get_libpng_ver(null), p.PNG_LIBPNG_VER_STRING);
  assert.equal(typeof p.png_create_read_struct, "function");
});

test("demo.h: #define constants (-D passed through), enums, dependencies from other headers, --exclude", { skip: CROSS }, () => {
  const d = modules.demo;
  assert.deepEqual([d.DEMO_A, d.DEMO_B, d.DEMO_NAME, d.DEMO_RATIO, d.DEMO_NEG, d.DEMO_FROM_CMDLINE], [3, 13, "demo\n", 1.5, -2500, 42]);
  assert.deepEqual(d.demo_mode, { DEMO_OFF: 0, DEMO_ON: 4, DEMO_AUTO: 5 });
  assert.equal(d.DEMO_AUTO, 5);
  // dep_box comes from demo_dep.h because demo_pair holds one; nothing else of demo_dep.h is generated
  assert.ok(d.dep_box.prototype instanceof Structure);
  assert.equal(d.dep_unused, undefined);
  assert.equal(d.dep_function, undefined);
  assert.equal(d.demo_skip_me, undefined);
  assert.doesNotMatch(sources.demo, /demo_skip/);
  const pair = new d.demo_pair({ box: { w: 2, h: 3 }, flag: 1, level: 5, i: 7 });
  assert.deepEqual([pair.box.w, pair.box.h, pair.flag, pair.level, pair.i], [2, 3, 1, 5, 7]);
  const bytes = Buffer.from("Wikipedia");
  assert.equal(d.adler32(1, bytes, bytes.length), 0x11e60398);
});

test("demo.h: what bindgen cannot express is a comment naming it, with the reason", { skip: CROSS }, () => {
  const notes = sources.demo.slice(sources.demo.indexOf("// ---- Not expressible")).split("\n").filter(Boolean).slice(1);
  assert.deepEqual(notes, [
    "// demo_wide: __int128 has no tsctypes type",
    "// demo_quad: _Float128 has no tsctypes type",
    "// demo_printf: not exported by z",
    "// demo_uses: not exported by z",
    "// DEMO_H: macro without a value",
    "// DEMO_MAX: function-like macro DEMO_MAX(a,b)",
    "// DEMO_CAST: macro DEMO_CAST = ((demo_fn)0): not a constant expression (a cast in a constant expression must be to an integer type, not CFUNCTYPE(c_int(c_int)))",
  ]);
  assert.equal(modules.demo.demo_wide, undefined);
  assert.equal(modules.demo.demo_printf, undefined);
});

test("verifyLayout agrees with the C compiler on every structure and union the bindings define", { skip: CROSS }, () => {
  for (const [name, h] of Object.entries(HEADERS)) {
    const records = Object.fromEntries(Object.entries(modules[name]).filter(([, v]) => typeof v === "function" && (v.prototype instanceof Structure || v.prototype instanceof Union) && v._fields_ !== undefined));
    if (name === "demo") delete records.demo_pair__anon0; // C has no name for an anonymous member's type
    assert.ok(Object.keys(records).length > 0 || name === "uuid", `${name}: no structures`);
    if (Object.keys(records).length === 0) continue;
    const includeDirs = name === "demo" ? [path.join(demoDir, "inc")] : [];
    assert.deepEqual(verifyLayout(records, { headers: h.headers, includeDirs }), [], name);
  }
});

test("bad command lines: usage errors exit 2 naming what is missing, a failing preprocessor exits 1 with its message", { skip: CROSS }, () => {
  const noLib = bindgen(["zlib.h", "-o", path.join(out, "x.ts")]);
  assert.equal(noLib.status, 2);
  assert.match(noLib.stderr, /^tsctypes-bindgen: --lib NAME is required/);
  assert.match(noLib.stderr, /usage: tsctypes-bindgen HEADER\.\.\./);
  const badRegex = bindgen(["zlib.h", "--lib", "z", "--include", "(", "-o", path.join(out, "x.ts")]);
  assert.equal(badRegex.status, 2);
  assert.match(badRegex.stderr, /--include "\(": Invalid regular expression/);
  assert.equal(bindgen(["zlib.h", "--lib", "z", "--frobnicate", "-o", "x.ts"]).stderr.split("\n")[0], "tsctypes-bindgen: unknown option --frobnicate");
  const missing = bindgen(["no_such_header_here.h", "--lib", "z", "-o", path.join(out, "x.ts")]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /the C preprocessor failed.*\n.*no_such_header_here\.h/);
  assert.equal(fs.existsSync(path.join(out, "x.ts")), false);
});
