"use strict";
// What the native binaries count, for the tests that check which path a call took: the
// accelerator's fast entries and string writer, and the core's register trampolines. The
// same module instances as require("tsctypes") (dist/cjs), so the same environment's counts.
const { native, accelerator } = require("../dist/cjs/native.js");

module.exports = function counters() {
  const [fast, typed, strings] = accelerator ? accelerator.counters() : [0, 0, 0];
  return { fast, typed, strings, trampoline: native.counters()[0] };
};
