/**
 * The JS half of the crash report (native/core/crash.c): when a fatal signal ends a foreign
 * call made on this thread, the core's signal handler asks `callSite()` where JS made the call,
 * and writes the answer under the native line. Nothing runs per call: the stack is only read
 * at crash time, best effort (the core gives up on a second fault or after a few seconds).
 */
import * as path from "node:path";
import { native } from "../native";

/** tsctypes' own compiled JS: its frames, and those of the marshallers generated from it, are not the caller's. */
const OWN = path.join(__dirname, "..");
/** Frames shown, from the caller outwards. */
const FRAMES = 6;

/** The caller's frames of the running call, one per line, under a heading; "" when there are none. */
function callSite(): string {
  const limit = Error.stackTraceLimit;
  let stack: unknown;
  try {
    Error.stackTraceLimit = 50;
    stack = new Error().stack;
  } catch {
    return "";
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (typeof stack !== "string") return "";
  const all = stack.split("\n").filter((line) => /^\s+at /.test(line));
  // (native frames, such as the core's entry as JavaScriptCore lists it, "at invoke (unknown)", are not the caller's either)
  const callers = all.filter((line) => !line.includes(OWN) && !/\((unknown|native)\)$/.test(line.trim()));
  // (bundled with the program, tsctypes cannot tell its frames apart: then all but this function's)
  const frames = (callers.length ? callers : all.slice(1)).slice(0, FRAMES).map((line) => `    ${line.trim()}`);
  return frames.length ? `tsctypes: the call was made from JS\n${frames.join("\n")}` : "";
}

native.setCrashLocation(callSite);
