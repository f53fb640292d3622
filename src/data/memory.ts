/**
 * Addresses of JS-owned memory and views over C-owned memory.
 * An ArrayBuffer's backing store never moves once allocated, so its address is
 * fetched from the native core once and cached.
 */
import { native } from "../native";
import { describeValue, NullPointerError } from "../errors";
import { POINTER_SIZE } from "../types/platform";

// The address is cached on the buffer itself under a private symbol (one
// property load on the hot path); buffers that refuse new properties use a WeakMap.
const ADDRESS_OF_BUFFER = Symbol("tsctypes.bufferAddress");
const addressCache = new WeakMap<ArrayBuffer | SharedArrayBuffer, number>();
type Tagged = { [ADDRESS_OF_BUFFER]?: number };

/** Address of the first byte of an ArrayBuffer. */
export function bufferAddress(buffer: ArrayBuffer | SharedArrayBuffer): number {
  const a = (buffer as Tagged)[ADDRESS_OF_BUFFER];
  // zero length: maybe detached; never trust a cached address for it
  if (a !== undefined && buffer.byteLength !== 0) return a;
  return lookupBufferAddress(buffer);
}

function lookupBufferAddress(buffer: ArrayBuffer | SharedArrayBuffer): number {
  const cached = addressCache.get(buffer);
  if (cached !== undefined && buffer.byteLength !== 0) return cached;
  checkAttached(buffer);
  // Node-API reads the memory of ArrayBuffers and of views: a SharedArrayBuffer's through a view of it
  const a = isShared(buffer) ? native.addressOf(new Uint8Array(buffer)) : native.addressOf(buffer);
  if (buffer.byteLength !== 0) rememberAddress(buffer, a);
  return a;
}

function isShared(buffer: ArrayBuffer | SharedArrayBuffer): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}

/** Throws TypeError if the memory of `v` (a buffer or a view) is a detached ArrayBuffer; `what` names it. */
export function checkAttached(v: ArrayBuffer | ArrayBufferView | SharedArrayBuffer, what?: string): void {
  const buffer = ArrayBuffer.isView(v) ? v.buffer : v;
  if (buffer.byteLength !== 0 || !isDetached(buffer)) return;
  const detached = "the ArrayBuffer is detached (transferred by transfer() or structuredClone), so there is no memory to point at";
  throw new TypeError(what === undefined ? detached : `${what}: ${detached}`);
}

/** Whether an (empty) buffer is detached: `detached` where the runtime has it, else whether a view of it can be made. */
function isDetached(buffer: ArrayBuffer | SharedArrayBuffer): boolean {
  const detached = (buffer as { detached?: boolean }).detached;
  if (typeof detached === "boolean") return detached;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function rememberAddress(buffer: ArrayBuffer | SharedArrayBuffer, address: number): void {
  if (Object.isExtensible(buffer)) Object.defineProperty(buffer, ADDRESS_OF_BUFFER, { value: address, writable: true });
  else addressCache.set(buffer, address);
}

const ADDRESS_OF_VIEW = Symbol("tsctypes.viewAddress");
type TaggedView = ArrayBufferView & { [ADDRESS_OF_VIEW]?: number };

/**
 * Address of the first byte of a typed array, DataView or Buffer (its offset included); cached on the view.
 * `orElse` (a call argument's checked converter) takes empty views instead, so that a detached
 * buffer's error names the argument.
 */
export function viewAddress(view: ArrayBufferView, orElse?: (view: ArrayBufferView) => number): number {
  const a = (view as TaggedView)[ADDRESS_OF_VIEW];
  if (a !== undefined && view.byteLength !== 0) return a;
  if (orElse !== undefined && view.byteLength === 0) return orElse(view);
  const address = bufferAddress(view.buffer) + view.byteOffset;
  if (view.byteLength !== 0 && Object.isExtensible(view) && !isResizableBacked(view))
    Object.defineProperty(view, ADDRESS_OF_VIEW, { value: address, writable: true });
  return address;
}

/** Length-tracking views of resizable buffers can move their byteOffset semantics; don't cache those. */
function isResizableBacked(view: ArrayBufferView): boolean {
  return (view.buffer as ArrayBuffer & { resizable?: boolean }).resizable === true;
}

const foreignBuffers = new WeakSet<ArrayBufferLike>();

/** A DataView over `size` bytes of C memory at `address` (owning nothing). */
export function foreignView(address: number, size: number, what: string): DataView {
  checkAddress(address, what);
  if (address === 0) throw new NullPointerError(`${what}: NULL pointer`);
  return new DataView(foreignBuffer(address, size));
}

/** An external buffer over `size` bytes of C memory at `address` (owning nothing). */
function foreignBuffer(address: number, size: number): ArrayBuffer {
  const buffer = native.view(address, size);
  rememberAddress(buffer, address);
  foreignBuffers.add(buffer);
  return buffer;
}

/** The window of `span` bytes of C memory from `base` in `cache` (made by `wrap` if new); a full cache starts over. */
function cachedWindow<T>(cache: Map<number, T>, capacity: number, base: number, span: number, wrap: (buffer: ArrayBuffer) => T): T {
  let window = cache.get(base);
  if (window === undefined) {
    if (cache.size >= capacity) cache.clear();
    window = wrap(foreignBuffer(base, span));
    cache.set(base, window);
  }
  return window;
}

// Reading C memory through pointers makes many small views; they come from
// cached views of 64 KiB windows (plus an overlap, so objects straddling a
// window edge fit), so a dereference usually allocates nothing native.
const WINDOW = 1 << 16;
const WINDOW_SPAN = WINDOW + 4096;
const windows = new Map<number, DataView>();
let windowOffset = 0;
// the last window used: most dereferences hit it, and a Map keyed by large numbers is not cheap
let lastWindowBase = -1;
let lastWindow: DataView | null = null;

/**
 * A DataView containing `size` bytes of C memory at `address`; the bytes start
 * at `foreignOffset()` in it. Throws NullPointerError for NULL.
 */
export function foreignAt(address: number, size: number, what: string): DataView {
  const base = address - (address % WINDOW);
  const off = address - base;
  if (base === lastWindowBase && off + size <= WINDOW_SPAN) {
    windowOffset = off;
    return lastWindow!;
  }
  if (base === 0 || off + size > WINDOW_SPAN || !Number.isSafeInteger(address)) {
    windowOffset = 0;
    return foreignView(address, size, what);
  }
  const view = cachedWindow(windows, 256, base, WINDOW_SPAN, (buffer) => new DataView(buffer));
  lastWindowBase = base;
  lastWindow = view;
  windowOffset = off;
  return view;
}

/**
 * Large windows for element views (see callback pointer arguments in pointer.ts): 1 GiB
 * views of C memory starting at 512 MiB boundaries, so a view from any address in one
 * reaches at least 512 MiB further. A window is an external buffer: it costs no memory,
 * but V8 counts its size as external memory (one garbage collection when it is made).
 */
const ELEMENT_WINDOW_ALIGN = 2 ** 29;
const PAGE = 4096;
export const ELEMENT_WINDOW_SPAN = 2 ** 30;
const elementWindows = new Map<number, ArrayBuffer>();
let lastElementBase = -1;
let lastElementWindow: ArrayBuffer | null = null;
let elementOffset = 0;

/**
 * The element window containing `address` (its offset there: `elementWindowOffset()`),
 * or null where none can be made (NULL or an inexact address).
 */
export function elementWindow(address: number): ArrayBuffer | null {
  // the lowest region starts at one page: no view begins at NULL (non-PIE executables put
  // their malloc heap down there, so it is a region in common use)
  if (address < PAGE || !Number.isSafeInteger(address)) return null;
  const base = address < ELEMENT_WINDOW_ALIGN ? PAGE : address - (address % ELEMENT_WINDOW_ALIGN);
  if (base === lastElementBase) {
    elementOffset = address - base;
    return lastElementWindow;
  }
  const window = cachedWindow(elementWindows, 16, base, ELEMENT_WINDOW_SPAN, (buffer) => buffer);
  lastElementBase = base;
  lastElementWindow = window;
  elementOffset = address - base;
  return window;
}

/** The offset of the last elementWindow() address in its window. */
export function elementWindowOffset(): number {
  return elementOffset;
}

/** The offset of the last foreignAt() address in its view. */
export function foreignOffset(): number {
  return windowOffset;
}

/** Whether a buffer views C memory (made by foreignView) rather than JS-owned memory. */
export function isForeign(buffer: ArrayBufferLike): boolean {
  return foreignBuffers.has(buffer);
}

/** Throws unless `address` is a valid address number. */
export function checkAddress(address: unknown, what: string): asserts address is number {
  if (typeof address !== "number" || !Number.isSafeInteger(address) || address < 0)
    throw new TypeError(`${what}: expected an address (a non-negative integer number), got ${describeValue(address)}`);
}

/** An address given as number or bigint, checked to be exact. */
export function toAddress(v: number | bigint, what: string): number {
  if (typeof v === "bigint") {
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new RangeError(`${what}: address ${v} is outside the range a number holds exactly`);
    return Number(v);
  }
  checkAddress(v, what);
  return v;
}

export function isBinary(v: unknown): v is ArrayBuffer | ArrayBufferView | SharedArrayBuffer {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v) || (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer);
}

/** Address of an ArrayBuffer / SharedArrayBuffer / view. */
export function binaryAddress(v: ArrayBuffer | ArrayBufferView | SharedArrayBuffer): number {
  return ArrayBuffer.isView(v) ? viewAddress(v) : bufferAddress(v);
}

const TWO_32 = 4294967296;

/** Read a pointer-sized address stored at `offset` (64-bit platforms: 8 bytes). */
export function loadAddress(view: DataView, offset: number, le: boolean): number {
  if (POINTER_SIZE === 4) return view.getUint32(offset, le);
  const lo = view.getUint32(offset + (le ? 0 : 4), le);
  const hi = view.getUint32(offset + (le ? 4 : 0), le);
  return hi * TWO_32 + lo;
}

export function storeAddress(view: DataView, offset: number, address: number, le: boolean): void {
  if (POINTER_SIZE === 4) {
    view.setUint32(offset, address, le);
    return;
  }
  view.setUint32(offset + (le ? 0 : 4), address >>> 0, le);
  view.setUint32(offset + (le ? 4 : 0), Math.floor(address / TWO_32) >>> 0, le);
}

// Small C data objects share pooled ArrayBuffers (like Node's Buffer pool):
// one ArrayBuffer allocation costs far more than the object itself. A chunk is
// freed when every object in it is gone. Fresh chunks are zeroed and every slot
// is handed out once, so new objects start zeroed. 64 KB: with 16 KB, making chunks cost a loop of
// struct results several ns per call (a live small object keeps its whole chunk alive).
const POOL_CHUNK = 65536;
const POOL_MAX_OBJECT = 512;
/**
 * A pool chunk's DataView also carries 64-bit integer arrays over its buffer (`i64`, `u64`):
 * an aligned 64-bit field reads through them at a third of the cost of DataView.getBigInt64
 * (struct accessors use them when present).
 */
function newPoolView(): DataView {
  const buffer = new ArrayBuffer(POOL_CHUNK);
  const view = new DataView(buffer) as DataView & { i64: BigInt64Array; u64: BigUint64Array };
  view.i64 = new BigInt64Array(buffer);
  view.u64 = new BigUint64Array(buffer);
  return view;
}

let poolView = newPoolView();
let poolAddress = -1; // fetched on first need, once per chunk
let poolTop = 0;
// The view of the last allocation: the pool's, or (lastInPool false) an object's own. A flag rather
// than storing poolView again: a young DataView stored into the module's (old) scope costs a write
// barrier call per allocation.
let lastInPool = true;
let lastView = poolView;

/**
 * Zeroed memory for a new C data object of `size` bytes aligned to `align`:
 * returns its offset in `allocatedView()` (valid until the next allocation).
 */
export function allocateData(size: number, align: number): number {
  if (align > 16) {
    // over-aligned types (_align_ 32, ...): place the object inside a larger buffer
    lastView = new DataView(new ArrayBuffer(size + align));
    lastInPool = false;
    const address = bufferAddress(lastView.buffer);
    return (align - (address % align)) % align;
  }
  if (size > POOL_MAX_OBJECT) {
    lastView = new DataView(new ArrayBuffer(size));
    lastInPool = false;
    return 0;
  }
  const a = Math.max(8, Math.min(align, 16));
  let off = (poolTop + a - 1) & ~(a - 1);
  // reserve at least 16 bytes: libffi may store whole registers when returning small structs
  const reserve = Math.max(16, (size + 7) & ~7);
  if (off + reserve > POOL_CHUNK) {
    poolView = newPoolView();
    poolAddress = -1;
    off = 0;
  }
  poolTop = off + reserve;
  lastInPool = true;
  return off;
}

/** The DataView the last allocateData() offset refers to. */
export function allocatedView(): DataView {
  return lastInPool ? poolView : lastView;
}

/** Address of the start of allocatedView(). */
export function allocatedViewAddress(): number {
  if (!lastInPool) return bufferAddress(lastView.buffer);
  if (poolAddress < 0) poolAddress = bufferAddress(poolView.buffer);
  return poolAddress;
}
