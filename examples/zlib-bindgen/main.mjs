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
console.log(`compress2: ${text.length} bytes -> ${packedLen.value} bytes`);

const unpacked = new Uint8Array(text.length);
const unpackedLen = new c_ulong(unpacked.length);
console.log(`uncompress: ${z.uncompress(unpacked, byref(unpackedLen), packed, packedLen.value) === z.Z_OK ? "ok" : "failed"}, ${unpackedLen.value} bytes, same text: ${Buffer.from(unpacked).equals(text)}`);
console.log(`too small a buffer: ${z.zError(z.uncompress(new Uint8Array(16), byref(new c_ulong(16)), packed, packedLen.value))}`);
console.log(`crc32: ${z.crc32(0, text, text.length).toString(16)}, adler32: ${z.adler32(1, text, text.length).toString(16)}`);

// The header's structs are classes: z_stream is the typedef of struct z_stream_s. Streaming, in output
// chunks of 16 bytes. (Node exports its own bundled zlib; tsctypes loads libz.so.1 with RTLD_DEEPBIND so
// that its inner calls, deflateInit_ -> deflateInit2_, stay inside it: see docs/calling.md.)
console.log(`sizeof(z_stream): ${sizeof(z.z_stream)} bytes, the same class as z_stream_s: ${z.z_stream === z.z_stream_s}`);
const stream = new z.z_stream();
if (z.deflateInit_(byref(stream), z.Z_BEST_COMPRESSION, z.ZLIB_VERSION, sizeof(z.z_stream)) !== z.Z_OK) throw new Error(`deflateInit: ${stream.msg}`);
stream.next_in = text;
stream.avail_in = text.length;
const chunks = [];
for (let status = z.Z_OK; status !== z.Z_STREAM_END; ) {
  const chunk = new Uint8Array(16);
  stream.next_out = chunk;
  stream.avail_out = chunk.length;
  status = z.deflate(byref(stream), z.Z_FINISH);
  if (status !== z.Z_OK && status !== z.Z_STREAM_END) throw new Error(`deflate: ${z.zError(status)}`);
  chunks.push(chunk.subarray(0, chunk.length - stream.avail_out));
}
z.deflateEnd(byref(stream));
const streamed = Buffer.concat(chunks);
console.log(`deflate in ${chunks.length} chunks: ${stream.total_in} -> ${stream.total_out} bytes, the same bytes as compress2: ${streamed.equals(packed.subarray(0, Number(packedLen.value)))}`);
