/** runtimeInfo(): which runtime this is, which native binaries are loaded and which entries calls use. */
import { binaries, runtimeName, RuntimeName } from "../native";
import { activeEntries, ActiveEntries } from "../call/entries";

export interface RuntimeInfo {
  /** the JS runtime: Node, Bun, Deno, Electron */
  readonly runtime: RuntimeName;
  /** its version (Node's for Node and Electron, Bun's and Deno's own for them) */
  readonly version: string;
  /** the engine's version as the runtime reports it (`process.versions.v8`; Bun reports one though it runs JSC) */
  readonly v8: string | null;
  /** the Node-API version the runtime offers */
  readonly napi: number;
  /** the Node-API core's file */
  readonly core: string;
  /** the V8 accelerator's file, or null when none is loaded */
  readonly accelerator: string | null;
  /** why the accelerator is or is not in use, in words */
  readonly acceleratorNote: string;
  /** which entries calls, callbacks and strings go through */
  readonly entries: ActiveEntries;
}

export function runtimeInfo(): RuntimeInfo {
  const runtime = runtimeName();
  const versions = process.versions as Record<string, string | undefined>;
  return {
    runtime,
    version: (runtime === "bun" ? versions.bun : runtime === "deno" ? versions.deno : versions.node) ?? "",
    v8: versions.v8 ?? null,
    napi: Number(versions.napi ?? 0),
    core: binaries.core,
    accelerator: binaries.accelerator,
    acceleratorNote: binaries.acceleratorNote,
    entries: activeEntries,
  };
}
