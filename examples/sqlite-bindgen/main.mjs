// SQLite through bindings that tsctypes-bindgen writes from /usr/include/sqlite3.h:
//
//     npx tsctypes-bindgen sqlite3.h --lib libsqlite3.so.0 -o build/sqlite3.ts
//     node examples/sqlite-bindgen/main.mjs
//
// Needs SQLite's header (libsqlite3-dev) and a C compiler (the preprocessor: $CC, or cc).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { POINTER, byref, c_char_p, cast } from "tsctypes";
import { generateBindings } from "../generate-bindings.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const s = await import(generateBindings(here, "sqlite3", ["sqlite3.h"], "libsqlite3.so.0"));

function check(status, what) {
  if (status !== s.SQLITE_OK) throw new Error(`${what}: ${s.sqlite3_errstr(status)}`);
}

console.log(`SQLite ${s.sqlite3_libversion()} (header ${s.SQLITE_VERSION})`);

// sqlite3 **ppDb: an out-parameter pointer to the opaque struct sqlite3
const db = new (POINTER(s.sqlite3))();
check(s.sqlite3_open(":memory:", byref(db)), "sqlite3_open");

// sqlite3_exec with a row callback (the header's sqlite3_callback typedef is a CFUNCTYPE type)
const onRow = new s.sqlite3_callback((_user, columns, values, names) => {
  console.log(`  row: ${Array.from({ length: columns }, (_, i) => `${names[i]}=${values[i]}`).join(", ")}`);
  return 0;
});
console.log("sqlite3_exec:");
check(s.sqlite3_exec(db, `
  create table planet(name text, moons int);
  insert into planet values ('Mercury', 0), ('Earth', 1), ('Mars', 2), ('Jupiter', 95);
  select name, moons from planet where moons between 1 and 2 order by name`, onRow, null, null), "sqlite3_exec");

// prepare, bind, step, column
const stmt = new (POINTER(s.sqlite3_stmt))();
check(s.sqlite3_prepare_v2(db, "select name, moons from planet where moons >= ? order by moons desc", -1, byref(stmt), null), "sqlite3_prepare_v2");
check(s.sqlite3_bind_int(stmt, 1, 1), "sqlite3_bind_int");
console.log("prepared statement, moons >= 1:");
while (s.sqlite3_step(stmt) === s.SQLITE_ROW) {
  // sqlite3_column_text returns const unsigned char *: read it as a C string
  const name = cast(s.sqlite3_column_text(stmt, 0), c_char_p).value;
  console.log(`  ${name}: ${s.sqlite3_column_int(stmt, 1)}`);
}
check(s.sqlite3_finalize(stmt), "sqlite3_finalize");

// an error, with SQLite's message
const message = new c_char_p();
const status = s.sqlite3_exec(db, "select * from comets", null, null, byref(message));
console.log(`error ${status} (SQLITE_ERROR is ${s.SQLITE_ERROR}): ${message.value}`);
s.sqlite3_free(message);
check(s.sqlite3_close(db), "sqlite3_close");
console.log("closed");
