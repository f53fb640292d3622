/** Loading shared libraries: CDLL, cdll.LoadLibrary, symbol lookup, closing. */
import { fileURLToPath } from "node:url";
import { constants, native } from "../native";
import { LibraryLoadError, SymbolNotFoundError, describeValue } from "../errors";
import { SymbolSource } from "../data/cdata";
import { ForeignFunction, FuncOptions, FunctionOwner, makeFixedFunction, makeForeignFunction } from "../call/function";
import { CDeclarations, CPrototype, CTypeMap, parsePrototype } from "../cdecl";

/** dlopen modes, as the platform defines them (read from the native core). */
export const RTLD_LAZY = constants.dlopen.RTLD_LAZY;
export const RTLD_NOW = constants.dlopen.RTLD_NOW;
export const RTLD_LOCAL = constants.dlopen.RTLD_LOCAL;
export const RTLD_GLOBAL = constants.dlopen.RTLD_GLOBAL;
/** glibc's RTLD_DEEPBIND (0 where the platform has none): the library's own symbols come before the program's. */
export const RTLD_DEEPBIND = constants.dlopen.RTLD_DEEPBIND ?? 0;
export const DEFAULT_MODE = RTLD_LOCAL;

export interface CDLLOptions {
  /** dlopen flags: RTLD_GLOBAL / RTLD_LOCAL / RTLD_DEEPBIND (RTLD_NOW is always added, as in ctypes). Without it, a library that defines functions the program also exports is loaded with RTLD_DEEPBIND (docs/calling.md) */
  mode?: number;
  /** swap errno with a private copy around each call (get_errno / set_errno) */
  use_errno?: boolean;
}

/** A `file:` URL as a library path (`new CDLL(new URL("./libx.so", import.meta.url))`). */
function libraryPathOfURL(url: URL): string {
  if (url.protocol !== "file:") throw new TypeError(`CDLL(): a library URL must be a file: URL, got ${JSON.stringify(url.href)}`);
  return fileURLToPath(url);
}

/** `lib.bind(declarations, options)`: the options of each function, and what to do about symbols the library lacks. */
export interface BindOptions extends FuncOptions {
  /** leave out prototypes whose symbols the library does not export (default: a SymbolNotFoundError naming them) */
  skipMissing?: boolean;
}

const RESERVED = new Set(["then", "toJSON", "constructor", "inspect", "valueOf", "toString"]);

/**
 * dlopen with the default mode: where a library defines functions the program already exports (Node
 * exports the zlib, OpenSSL, libuv, ... it bundles), the library's calls to its own functions would bind
 * to the program's copies: other versions, with other internal layouts (wrong results, then a crash).
 * Such a library is loaded again with RTLD_DEEPBIND, so that it binds to itself and its own dependencies
 * first. A library the process has loaded already keeps its bindings; an explicit `mode` is always kept.
 */
function openDefault(name: string | null, mode: number): number | string {
  const { RTLD_NOLOAD } = constants.dlopen;
  if (name === null || !RTLD_DEEPBIND || RTLD_NOLOAD === undefined) return native.dlopen(name, mode);
  const loaded = native.dlopen(name, RTLD_NOLOAD | RTLD_LAZY);
  if (typeof loaded === "number") return loaded;
  const handle = native.dlopen(name, mode);
  if (typeof handle === "string" || native.shadowedExports(handle, 1).length === 0) return handle;
  native.dlclose(handle);
  return native.dlopen(name, mode | RTLD_DEEPBIND);
}

/** A loaded shared library. Functions are reachable as properties (`lib.add`) or with a fixed signature (`lib.func(...)`). */
export class CDLL implements SymbolSource, FunctionOwner, Disposable {
  /** the name given to the constructor (null = the running program) */
  readonly _name: string | null;
  /** @internal */
  _handle: number;
  /** @internal */
  readonly _functions = new Map<string, ForeignFunction>();
  /** @internal */
  readonly _plans = new Set<number>();
  /** @internal async calls in flight: the library stays loaded until they end */
  _jobs = 0;
  /** @internal the handle close() left to unload (0: none) */
  _unloading = 0;
  readonly useErrno: boolean;
  [name: string]: unknown;

  constructor(path: string | URL | null, options: CDLLOptions = {}) {
    const name = path instanceof URL ? libraryPathOfURL(path) : path;
    if (name !== null && typeof name !== "string") throw new TypeError(`CDLL(): argument 1 must be a library path or name (string), a file: URL or null, got ${describeValue(name)}`);
    if (name !== null && name.includes("\0")) throw new TypeError(`CDLL(): the library name contains a NUL character: ${JSON.stringify(name)}`);
    if (options === null || typeof options !== "object") throw new TypeError(`CDLL(): options must be an object, got ${describeValue(options)}`);
    const mode = options.mode ?? DEFAULT_MODE;
    if (!Number.isInteger(mode)) throw new TypeError(`CDLL(): options.mode must be an integer (RTLD_GLOBAL, RTLD_LOCAL), got ${describeValue(mode)}`);
    const r = options.mode === undefined ? openDefault(name, mode | RTLD_NOW) : native.dlopen(name, mode | RTLD_NOW);
    if (typeof r === "string") throw new LibraryLoadError(name, r);
    this._name = name;
    this._handle = r;
    this.useErrno = options.use_errno === true;
  }

  /** "libm.so.6" style name for messages. */
  get displayName(): string {
    return this._name === null ? "(main program)" : this._name;
  }

  get name(): string | null {
    return this._name;
  }

  /** The address of an exported symbol; throws SymbolNotFoundError. */
  symbolAddress(symbol: string): number {
    if (typeof symbol !== "string") throw new TypeError(`symbol name must be a string, got ${describeValue(symbol)}`);
    if (symbol.includes("\0")) throw new TypeError(`symbol name contains a NUL character: ${JSON.stringify(symbol)}`);
    this.checkOpen(symbol);
    const a = native.dlsym(this._handle, symbol);
    if (a === null) throw new SymbolNotFoundError(symbol, this.displayName);
    return a;
  }

  /** The function object for `symbol` with settable argtypes / restype / errcheck (cached per name). */
  function(symbol: string): ForeignFunction {
    let f = this._functions.get(symbol);
    if (!f) {
      f = makeForeignFunction(symbol, this.symbolAddress(symbol), this);
      this._functions.set(symbol, f);
    }
    return f;
  }

  /**
   * A function with a fixed signature, typed for TypeScript: `func("add", c_int, [c_int, c_int])`, or from a
   * C prototype (any first argument with a "("): `func("int add(int a, int b)", typeMap?, options?)`.
   */
  func(symbol: string, restype: unknown, argtypes: readonly unknown[], options?: FuncOptions): ForeignFunction;
  func(prototype: string, types?: CTypeMap, options?: FuncOptions): ForeignFunction;
  func(symbol: string, restype?: unknown, argtypes?: unknown, options?: FuncOptions): ForeignFunction {
    if (typeof symbol === "string" && symbol.includes("(")) return this.funcOfPrototype(parsePrototype(symbol, (restype ?? {}) as CTypeMap, "lib.func()"), argtypes as FuncOptions | undefined);
    if (!Array.isArray(argtypes)) throw new TypeError(`func(${JSON.stringify(symbol)}): argtypes must be an array, got ${describeValue(argtypes)}`);
    return makeFixedFunction(symbol, this.symbolAddress(symbol), this, restype, argtypes, options);
  }

  /**
   * `lib.bind(cdef(source))`: the declared prototypes as functions, by name. A prototype whose symbol
   * the library does not export is a SymbolNotFoundError naming every such symbol, unless
   * `skipMissing` leaves them out.
   */
  bind(declarations: CDeclarations, options: BindOptions = {}): Record<string, ForeignFunction> {
    const functions = (declarations as Partial<CDeclarations> | null)?.functions;
    if (functions === null || typeof functions !== "object") throw new TypeError(`lib.bind(): expected the result of cdef(), got ${describeValue(declarations)}`);
    const all = Object.values(functions);
    const missing = new Set(all.filter((p) => !this.exports(p.name)).map((p) => p.name));
    if (missing.size > 0 && options.skipMissing !== true) {
      const names = [...missing];
      const e = new SymbolNotFoundError(names[0], this.displayName);
      e.message = `lib.bind(): ${names.map((n) => JSON.stringify(n)).join(", ")} not found in library ${this.displayName} (pass { skipMissing: true } to leave ${names.length > 1 ? "them" : "it"} out)`;
      throw e;
    }
    const bound: Record<string, ForeignFunction> = {};
    for (const p of all) if (!missing.has(p.name)) bound[p.name] = this.funcOfPrototype(p, options);
    return bound;
  }

  /** @internal the same call `func(name, restype, argtypes)` makes: a variadic prototype's extra arguments are typed per call */
  private funcOfPrototype(p: CPrototype, options?: FuncOptions): ForeignFunction {
    return makeFixedFunction(p.name, this.symbolAddress(p.name), this, p.restype, p.argtypes, options);
  }

  private exports(symbol: string): boolean {
    this.checkOpen(symbol);
    return native.dlsym(this._handle, symbol) !== null;
  }

  /** @internal */
  registerPlan(planId: number): void {
    if (this._handle === 0) native.planDisable(planId);
    this._plans.add(planId);
  }

  /** @internal the plan is being freed; its id may be reused by another library */
  forgetPlan(planId: number): void {
    this._plans.delete(planId);
  }

  /** @internal an async call of this library started */
  jobStarted(): void {
    this._jobs++;
  }

  /** @internal an async call of this library ended */
  jobEnded(): void {
    if (--this._jobs === 0 && this._unloading !== 0) this.unloadWhenIdle(true);
  }

  /** @internal */
  checkOpen(what: string): void {
    if (this._handle === 0) throw Object.assign(new Error(`${what}: library ${this.displayName} is closed`), { code: "ERR_LIBRARY_CLOSED" });
  }

  get closed(): boolean {
    return this._handle === 0;
  }

  /**
   * Close the library: its functions throw from now on instead of calling into unmapped code.
   * The code is unloaded (dlclose) once nothing can still be running it: right away, or when
   * the last async call of the library in flight has ended, or (close() called by a callback)
   * once the call into C that led to the callback has returned.
   */
  close(): void {
    if (this._handle === 0) return;
    for (const id of this._plans) native.planDisable(id);
    this._plans.clear();
    this._unloading = this._handle;
    this._handle = 0;
    this.unloadWhenIdle(false);
  }

  /** dlclose, unless code of the library may still be running; `later`: not called by close() (failures are warnings). */
  private unloadWhenIdle(later: boolean): void {
    if (this._unloading === 0 || this._jobs > 0) return;
    if (native.inForeignCall()) {
      setImmediate(() => this.unloadWhenIdle(true));
      return;
    }
    const h = this._unloading;
    this._unloading = 0;
    try {
      native.dlclose(h);
    } catch (e) {
      if (!later) throw e;
      process.emitWarning(`tsctypes: unloading ${this.displayName}: ${(e as Error).message}`);
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  toString(): string {
    return `<CDLL ${JSON.stringify(this.displayName)}${this.closed ? " (closed)" : ""}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Attribute-style access for symbols (lib.add_numbers): a Proxy ending CDLL.prototype's chain is
 * reached only by names the library object and its class lack. It makes the function a property
 * of the library itself, so later lookups are ordinary property loads, not a trap per call.
 */
Object.setPrototypeOf(
  CDLL.prototype,
  new Proxy(Object.prototype, {
    get(target, key, receiver) {
      if (typeof key !== "string" || key in target || RESERVED.has(key) || !(receiver instanceof CDLL)) return Reflect.get(target, key, receiver);
      const f = receiver.function(key);
      Object.defineProperty(receiver, key, { value: f, writable: true, configurable: true });
      return f;
    },
  }),
);
