/**
 * find_library(name): the Linux equivalent of Python's ctypes.util.find_library,
 * written in plain TypeScript. It never spawns a process (no ldconfig, gcc,
 * ld or objdump); instead it reads the files those tools would read:
 *
 *   1. the glibc dynamic loader cache, /etc/ld.so.cache (binary format parsed below);
 *   2. the directories in LD_LIBRARY_PATH, then the standard library directories,
 *      looking for lib<name>.so* files and reading their ELF DT_SONAME (or, for a
 *      GNU ld script such as /usr/lib/x86_64-linux-gnu/libc.so, the soname of the
 *      shared object the script refers to).
 *
 * The result is a soname such as "libm.so.6" (what the dynamic loader looks up),
 * not a full path, or null when nothing suitable is found. Only libraries for the
 * running architecture are returned (no 32-bit i386 library on x86-64).
 *
 * Like ctypes, `name` is given without the "lib" prefix and ".so" suffix:
 * find_library("m") finds libm, while find_library("libm") looks for "liblibm"
 * and so returns null.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// ---------------------------------------------------------------------------
// Architecture table
// ---------------------------------------------------------------------------

/** ld.so.cache entry flags: low byte = library type, next byte = required ABI. */
const FLAG_ELF_LIBC6 = 0x0003;

interface ArchInfo {
  /** Exact ld.so.cache entry flags for native libraries (FLAG_ELF_LIBC6 | ABI flag). */
  cacheFlags: number;
  /** ELF e_machine value. */
  machine: number;
  /** ELF EI_CLASS: 1 = 32-bit, 2 = 64-bit. */
  elfClass: number;
  /** ELF EI_DATA: 1 = little-endian, 2 = big-endian. */
  elfData: number;
  /** Debian/Ubuntu multiarch triplet (for /lib/<triplet>, /usr/lib/<triplet>). */
  multiarch: string;
}

/** Keyed by process.arch. The cache flags are the glibc FLAG_* values. */
const ARCH_TABLE: Readonly<Record<string, ArchInfo>> = {
  x64: { cacheFlags: FLAG_ELF_LIBC6 | 0x0300 /* X8664_LIB64 */, machine: 62, elfClass: 2, elfData: 1, multiarch: "x86_64-linux-gnu" },
  arm64: { cacheFlags: FLAG_ELF_LIBC6 | 0x0a00 /* AARCH64_LIB64 */, machine: 183, elfClass: 2, elfData: 1, multiarch: "aarch64-linux-gnu" },
  ia32: { cacheFlags: FLAG_ELF_LIBC6 /* no ABI flag */, machine: 3, elfClass: 1, elfData: 1, multiarch: "i386-linux-gnu" },
  arm: { cacheFlags: FLAG_ELF_LIBC6 | 0x0900 /* ARM_LIBHF (hard float) */, machine: 40, elfClass: 1, elfData: 1, multiarch: "arm-linux-gnueabihf" },
  ppc64: { cacheFlags: FLAG_ELF_LIBC6 | 0x0500 /* POWERPC_LIB64 */, machine: 21, elfClass: 2, elfData: 1, multiarch: "powerpc64le-linux-gnu" },
  s390x: { cacheFlags: FLAG_ELF_LIBC6 | 0x0400 /* S390_LIB64 */, machine: 22, elfClass: 2, elfData: 2, multiarch: "s390x-linux-gnu" },
  riscv64: { cacheFlags: FLAG_ELF_LIBC6 | 0x1000 /* RISCV_FLOAT_ABI_DOUBLE */, machine: 243, elfClass: 2, elfData: 1, multiarch: "riscv64-linux-gnu" },
  loong64: { cacheFlags: FLAG_ELF_LIBC6 | 0x1200 /* LARCH_FLOAT_ABI_DOUBLE */, machine: 258, elfClass: 2, elfData: 1, multiarch: "loongarch64-linux-gnu" },
};

/** The running architecture, or undefined if it is not in the table. */
function hostArch(): ArchInfo | undefined {
  return ARCH_TABLE[process.arch];
}

// ---------------------------------------------------------------------------
// ld.so.cache parser
// ---------------------------------------------------------------------------

/** One library entry of the loader cache. */
export interface LdCacheEntry {
  /** Entry flags (FLAG_ELF_LIBC6 | ABI flag). */
  flags: number;
  /** The soname, e.g. "libm.so.6". */
  key: string;
  /** The full path, e.g. "/lib/x86_64-linux-gnu/libm.so.6". */
  value: string;
  /** hwcap field (new format only; 0n otherwise). */
  hwcap: bigint;
}

const OLD_MAGIC = "ld.so-1.7.0"; // 11 bytes, then 1 pad byte, then u32 nlibs
const NEW_MAGIC = "glibc-ld.so.cache1.1"; // 17-byte magic + 3-byte version
const OLD_HEADER_SIZE = 16; // magic[11] + pad + u32 nlibs
const OLD_ENTRY_SIZE = 12; // i32 flags, u32 key, u32 value
const NEW_HEADER_SIZE = 48; // magic+version[20], u32 nlibs, u32 len_strings, u8 flags, pad[3], u32 extension_offset, u32 unused[3]
const NEW_ENTRY_SIZE = 24; // i32 flags, u32 key, u32 value, u32 osversion, u64 hwcap

function hasAscii(buf: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (buf[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** NUL-terminated string at `at`, or null if out of range / unterminated. */
function cString(buf: Uint8Array, at: number): string | null {
  if (at < 0 || at >= buf.length) return null;
  const end = buf.indexOf(0, at);
  if (end < 0) return null;
  return Buffer.from(buf.buffer, buf.byteOffset + at, end - at).toString("utf8");
}

/**
 * Parse an ld.so.cache image. Supports:
 *  - the new format: header "glibc-ld.so.cache" "1.1", then 24-byte entries;
 *    string offsets are relative to the start of this header;
 *  - the old format: header "ld.so-1.7.0", 12-byte entries, then either the new
 *    format (starting at the next 8-byte boundary; used when present) or the
 *    string table (offsets relative to the end of the old entries).
 *
 * Returns only entries whose flags equal `wantFlags` (default: the running
 * architecture's; pass null to get every entry). Malformed input gives [].
 *
 * @internal exported for tests; not part of the public API.
 */
export function parseLdCache(buf: Uint8Array, wantFlags: number | null = hostArch()?.cacheFlags ?? null): LdCacheEntry[] {
  const all: LdCacheEntry[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hostLE = os.endianness() === "LE";

  if (hasAscii(buf, 0, NEW_MAGIC)) {
    parseNew(buf, view, 0, all);
  } else if (hasAscii(buf, 0, OLD_MAGIC) && buf.length >= OLD_HEADER_SIZE) {
    const nlibs = view.getUint32(12, hostLE);
    const entriesEnd = OLD_HEADER_SIZE + nlibs * OLD_ENTRY_SIZE;
    if (entriesEnd > buf.length) return [];
    const newStart = (entriesEnd + 7) & ~7; // aligned to alignof(new header) = 8
    if (hasAscii(buf, newStart, NEW_MAGIC)) {
      parseNew(buf, view, newStart, all);
    } else {
      // Old format only: strings follow the entries.
      for (let i = 0; i < nlibs; i++) {
        const at = OLD_HEADER_SIZE + i * OLD_ENTRY_SIZE;
        const key = cString(buf, entriesEnd + view.getUint32(at + 4, hostLE));
        const value = cString(buf, entriesEnd + view.getUint32(at + 8, hostLE));
        if (key !== null && value !== null) {
          all.push({ flags: view.getInt32(at, hostLE), key, value, hwcap: 0n });
        }
      }
    }
  }
  return wantFlags === null ? all : all.filter((e) => e.flags === wantFlags);
}

function parseNew(buf: Uint8Array, view: DataView, base: number, out: LdCacheEntry[]): void {
  if (base + NEW_HEADER_SIZE > buf.length) return;
  // Header flags byte, low 2 bits: 0 = unknown (assume host), 1 = invalid, 2 = little, 3 = big endian.
  const endian = view.getUint8(base + 28) & 3;
  if (endian === 1) return;
  const le = endian === 0 ? os.endianness() === "LE" : endian === 2;
  const nlibs = view.getUint32(base + 20, le);
  if (base + NEW_HEADER_SIZE + nlibs * NEW_ENTRY_SIZE > buf.length) return;
  for (let i = 0; i < nlibs; i++) {
    const at = base + NEW_HEADER_SIZE + i * NEW_ENTRY_SIZE;
    const key = cString(buf, base + view.getUint32(at + 4, le));
    const value = cString(buf, base + view.getUint32(at + 8, le));
    if (key !== null && value !== null) {
      out.push({ flags: view.getInt32(at, le), key, value, hwcap: view.getBigUint64(at + 16, le) });
    }
  }
}

// Parsed /etc/ld.so.cache, kept per process and re-read when the file changes.
const LD_CACHE_PATH = "/etc/ld.so.cache";
let cached: { mtimeMs: number; size: number; ino: number; entries: LdCacheEntry[] } | null = null;

function loadLdCache(): LdCacheEntry[] {
  try {
    const st = fs.statSync(LD_CACHE_PATH);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size && cached.ino === st.ino) {
      return cached.entries;
    }
    const arch = hostArch();
    const entries = arch ? parseLdCache(fs.readFileSync(LD_CACHE_PATH), arch.cacheFlags) : [];
    cached = { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino, entries };
    return entries;
  } catch {
    cached = null;
    return [];
  }
}

// ---------------------------------------------------------------------------
// Version ordering
// ---------------------------------------------------------------------------

/** True if `file` is "lib<name>.so" or "lib<name>.so.<something>". */
function isCandidate(file: string, name: string): boolean {
  const base = `lib${name}.so`;
  return file === base || (file.startsWith(base + ".") && file.length > base.length + 1);
}

/**
 * Compare the version suffixes of two "lib<name>.so[.X.Y...]" names:
 * numeric parts numerically, other parts as text; no suffix sorts lowest.
 */
function compareVersions(a: string, b: string): number {
  const pa = a.slice(a.indexOf(".so") + 3).split(".").filter((s) => s !== "");
  const pb = b.slice(b.indexOf(".so") + 3).split(".").filter((s) => s !== "");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** The highest-versioned of `names`, or null if empty. */
function highest(names: Iterable<string>): string | null {
  let best: string | null = null;
  for (const n of names) {
    if (best === null || compareVersions(n, best) > 0) best = n;
  }
  return best;
}

// ---------------------------------------------------------------------------
// ELF reader
// ---------------------------------------------------------------------------

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const DT_NULL = 0;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;

/** Read up to `len` bytes at `pos`; returns a shorter buffer at EOF. */
function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = fs.readSync(fd, b, 0, len, pos);
  return n === len ? b : b.subarray(0, n);
}

interface ElfIdent {
  is64: boolean;
  le: boolean;
  machine: number;
}

/** Class, byte order and machine from an ELF header, or null if not ELF. */
function elfIdent(head: Buffer): ElfIdent | null {
  if (head.length < 20 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return null;
  const cls = head[4];
  const data = head[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return null;
  const le = data === 1;
  return { is64: cls === 2, le, machine: le ? head.readUInt16LE(18) : head.readUInt16BE(18) };
}

/**
 * The ELF identity libraries must have to be loadable here: from the table,
 * or for an unlisted architecture, that of the running node executable.
 */
let hostElf: ElfIdent | null | undefined;
function hostElfIdent(): ElfIdent | null {
  if (hostElf === undefined) {
    const a = hostArch();
    if (a) {
      hostElf = { is64: a.elfClass === 2, le: a.elfData === 1, machine: a.machine };
    } else {
      hostElf = null;
      try {
        const fd = fs.openSync(process.execPath, "r");
        try {
          hostElf = elfIdent(readAt(fd, 0, 64));
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        // leave null: no ELF file will be accepted
      }
    }
  }
  return hostElf;
}

function sameElf(a: ElfIdent, b: ElfIdent): boolean {
  return a.is64 === b.is64 && a.le === b.le && a.machine === b.machine;
}

/**
 * Read the DT_SONAME of an ELF shared object (ELF32/ELF64, either byte order).
 * Walks the program headers: PT_DYNAMIC gives the dynamic section, whose
 * DT_STRTAB (a virtual address, mapped to a file offset through the PT_LOAD
 * segments) and DT_SONAME (an offset into that string table) give the name.
 *
 * Returns { ident, soname } (soname null when absent), or null if the file is
 * not a readable ELF file.
 */
function readElf(file: string): { ident: ElfIdent; soname: string | null } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const head = readAt(fd, 0, 64);
    const ident = elfIdent(head);
    if (!ident) return null;
    const { is64, le } = ident;
    if (head.length < (is64 ? 64 : 52)) return null;
    const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    // "Word" = address/offset-sized field (8 bytes in ELF64, 4 in ELF32).
    const word = (b: Buffer, o: number): number =>
      is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(b, o);

    // e_phoff, e_phentsize, e_phnum
    const phoff = is64 ? word(head, 0x20) : u32(head, 0x1c);
    const phentsize = u16(head, is64 ? 0x36 : 0x2a);
    const phnum = u16(head, is64 ? 0x38 : 0x2c);
    if (phentsize < (is64 ? 56 : 32) || phnum === 0) return { ident, soname: null };
    const ph = readAt(fd, phoff, Math.min(phentsize * phnum, 1 << 20));

    const loads: { vaddr: number; offset: number; filesz: number }[] = [];
    let dyn: { offset: number; size: number } | null = null;
    for (let i = 0; i < phnum && (i + 1) * phentsize <= ph.length; i++) {
      const p = i * phentsize;
      const type = u32(ph, p);
      // ELF64 Phdr: type, flags, offset, vaddr, paddr, filesz, ...
      // ELF32 Phdr: type, offset, vaddr, paddr, filesz, ...
      const offset = is64 ? word(ph, p + 8) : u32(ph, p + 4);
      const vaddr = is64 ? word(ph, p + 16) : u32(ph, p + 8);
      const filesz = is64 ? word(ph, p + 32) : u32(ph, p + 16);
      if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
      else if (type === PT_DYNAMIC) dyn = { offset, size: filesz };
    }
    if (!dyn) return { ident, soname: null };

    // Dynamic entries: (d_tag, d_val) pairs of words, terminated by DT_NULL.
    const entSize = is64 ? 16 : 8;
    const d = readAt(fd, dyn.offset, Math.min(dyn.size, 1 << 20));
    let strtab = -1;
    let strsz = 4096;
    let soname = -1;
    for (let o = 0; o + entSize <= d.length; o += entSize) {
      const tag = word(d, o);
      const val = word(d, o + entSize / 2);
      if (tag === DT_NULL) break;
      if (tag === DT_STRTAB) strtab = val;
      else if (tag === DT_STRSZ) strsz = val;
      else if (tag === DT_SONAME) soname = val;
    }
    if (strtab < 0 || soname < 0) return { ident, soname: null };

    const seg = loads.find((l) => strtab >= l.vaddr && strtab < l.vaddr + l.filesz);
    if (!seg || soname >= strsz) return { ident, soname: null };
    const str = readAt(fd, seg.offset + (strtab - seg.vaddr) + soname, Math.min(strsz - soname, 4096));
    const end = str.indexOf(0);
    return { ident, soname: end > 0 ? str.toString("utf8", 0, end) : null };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * DT_SONAME of an ELF shared object, or null (not ELF, unreadable, no soname).
 * Does not check the architecture.
 *
 * @internal exported for tests; not part of the public API.
 */
export function readElfSoname(file: string): string | null {
  return readElf(file)?.soname ?? null;
}

// ---------------------------------------------------------------------------
// GNU ld scripts
// ---------------------------------------------------------------------------

/**
 * Shared objects named in a GNU ld script's GROUP(...) / INPUT(...) commands,
 * those outside AS_NEEDED(...) first. Null if the text is not an ld script.
 */
function ldScriptInputs(text: string): string[] | null {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, " ");
  if (!text.startsWith("/* GNU ld script") && !/\b(GROUP|INPUT)\s*\(/.test(body)) return null;
  const primary: string[] = [];
  const secondary: string[] = [];
  for (const m of body.matchAll(/\b(?:GROUP|INPUT)\s*\(((?:[^()]|\([^()]*\))*)\)/g)) {
    const args = m[1] ?? "";
    // AS_NEEDED ( ... ) members are only used if referenced: try them last.
    const plain = args.replace(/AS_NEEDED\s*\(([^()]*)\)/g, (_all, inner: string) => {
      secondary.push(...inner.split(/[\s,]+/));
      return " ";
    });
    primary.push(...plain.split(/[\s,]+/));
  }
  // Keep file names of shared objects; drop "-lfoo", static archives, blanks.
  // A leading "=" means "relative to the sysroot", which is "/" here.
  return [...primary, ...secondary]
    .map((t) => (t.startsWith("=") ? t.slice(1) : t))
    .filter((t) => t !== "" && !t.startsWith("-") && /\.so(\.|$)/.test(path.basename(t)));
}

// ---------------------------------------------------------------------------
// Directory search
// ---------------------------------------------------------------------------

/**
 * The soname to report for library file `file` (in directory `dir`), if it is
 * usable here: an ELF of the running architecture (its DT_SONAME, else its file
 * name), or an ld script whose first usable shared object gives the answer.
 */
function sonameOf(dir: string, file: string, depth = 0): string | null {
  const full = path.resolve(dir, file);
  const want = hostElfIdent();
  const elf = readElf(full);
  if (elf) {
    if (!want || !sameElf(elf.ident, want)) return null;
    return elf.soname ?? path.basename(full);
  }
  if (depth > 2) return null;
  let text: string;
  try {
    const fd = fs.openSync(full, "r");
    try {
      text = readAt(fd, 0, 8192).toString("latin1");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  for (const input of ldScriptInputs(text) ?? []) {
    const s = sonameOf(path.dirname(full), input, depth + 1);
    if (s !== null) return s;
  }
  return null;
}

/**
 * Search `dirs` in order for lib<name>.so* files of the running architecture.
 * In the first directory that has one, the highest versioned lib<name>.so.N...
 * file wins; plain lib<name>.so (a dev symlink or an ld script) is used only
 * when no versioned file fits. Returns the soname, or null.
 *
 * @internal exported for tests; not part of the public API.
 */
export function findInDirs(name: string, dirs: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const dir of dirs) {
    if (dir === "" || seen.has(dir)) continue;
    seen.add(dir);
    let files: string[];
    try {
      files = fs.readdirSync(dir).filter((f) => isCandidate(f, name));
    } catch {
      continue;
    }
    // Highest version first; "lib<name>.so" (no version) sorts last.
    files.sort((a, b) => compareVersions(b, a));
    for (const f of files) {
      const s = sonameOf(dir, f);
      if (s !== null) return s;
    }
  }
  return null;
}

/** LD_LIBRARY_PATH entries, then the standard and multiarch library directories. */
function searchDirs(): string[] {
  const env = (process.env["LD_LIBRARY_PATH"] ?? "").split(":").filter((d) => d !== "");
  const triplet = hostArch()?.multiarch;
  const multi = triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : [];
  return [...env, ...multi, "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"];
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Find a shared library the way Python's ctypes.util.find_library does on Linux.
 *
 * @param name library name without "lib" prefix or ".so" suffix, e.g. "m", "ffi".
 *   A name that already has the prefix ("libm") is not special-cased, exactly as
 *   in ctypes, so it is looked up as "liblibm" and usually gives null.
 * @returns the soname to pass to the loader (e.g. "libm.so.6"), or null.
 * @throws TypeError if `name` is not a string or contains "/" or a NUL character.
 */
export function find_library(name: string): string | null {
  if (typeof name !== "string") {
    throw new TypeError(`find_library: argument 'name' must be a string, got ${typeof name}`);
  }
  if (name.includes("/") || name.includes("\0")) {
    throw new TypeError(`find_library: argument 'name' must not contain '/' or NUL characters, got ${JSON.stringify(name)}`);
  }
  if (name === "") return null;

  // 1. The loader cache (entries are already filtered to this architecture).
  const fromCache = highest(loadLdCache().filter((e) => isCandidate(e.key, name)).map((e) => e.key));
  if (fromCache !== null) return fromCache;

  // 2. LD_LIBRARY_PATH and the standard directories.
  try {
    return findInDirs(name, searchDirs());
  } catch {
    return null;
  }
}
