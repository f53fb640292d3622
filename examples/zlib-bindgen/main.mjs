// zlib through bindings that tsctypes-bindgen writes from /usr/include/zlib.h:
//
//     npx tsctypes-bindgen zlib.h --lib libz.so.1 -o build/zlib.ts
//     node examples/zlib-bindgen/main.mjs
//
// Needs zlib's header (zlib1g-dev) and a C compiler (the preprocessor: $CC, or cc).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { byref, c_ulong, sizeof } from "tsctypes";
import { generateBindings } from "../generate-bindings.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const z = await import(generateBindings(here, "zlib", ["zlib.h"], "libz.so.1"));

console.log(`zlib ${z.zlibVersion()} (header ${z.ZLIB_VERSION})`);

const text = Buffer.from("To be, or not to be, that is the question. ".repeat(8));
const packed = new Uint8Array(z.compressBound(text.length));
const packedLen = new c_ulong(packed.length); // uLongf *destLen: in the buffer's size, out the bytes written
const status = z.compress2(packed, byref(packedLen), text, text.length, z.Z_BEST_COMPRESSION);
if (status !== z.Z_OK) throw new Error(`compress2: ${z.zError(status)}`);
// (the exact size depends on the zlib build: under Node, libz.so.1's inner calls reach Node's own zlib, see above)
console.log(`compress2: ${text.length} bytes -> ${packedLen.value} bytes`);

const unpacked = new Uint8Array(text.length);
const unpackedLen = new c_ulong(unpacked.length);
console.log(`uncompress: ${z.uncompress(unpacked, byref(unpackedLen), packed, packedLen.value) === z.Z_OK ? "ok" : "failed"}, ${unpackedLen.value} bytes, same text: ${Buffer.from(unpacked).equals(text)}`);
console.log(`too small a buffer: ${z.zError(z.uncompress(new Uint8Array(16), byref(new c_ulong(16)), packed, packedLen.value))}`);
console.log(`crc32: ${z.crc32(0, text, text.length).toString(16)}, adler32: ${z.adler32(1, text, text.length).toString(16)}`);

// The header's structs are classes: z_stream is the typedef of struct z_stream_s. (This example stays with
// zlib's one-call functions: node exports its own bundled zlib's symbols, and libz.so.1's internal calls
// (deflateInit_ -> deflateInit2_) bind to those, so a z_stream would be set up by one zlib build and
// used by another.)
console.log(`sizeof(z_stream): ${sizeof(z.z_stream)} bytes, the same class as z_stream_s: ${z.z_stream === z.z_stream_s}`);
