#!/usr/bin/env node
"use strict";
// Writes TypeScript bindings for C headers: see docs/declarations.md, "tsctypes-bindgen".
process.exitCode = require("../dist/cjs/bindgen/cli.js").main(process.argv.slice(2));
