// The package as users get it: `npm pack`, then `npm install` of the tarball into a fresh app
// on a machine with no compiler, make or python3 (each fails). The prebuilt binaries must
// serve, from CommonJS and from ESM, with no build step. Runs under the Node that runs the
// suite (CI runs the suite under every Node line); the prebuilt binaries are made first if
// this line's are missing (scripts/prebuild.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childCommand } from "./helpers.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const isNode = !process.versions.bun && !process.versions.deno;
const v8 = process.versions.v8.split(".").slice(0, 2).join(".");
const TARGET = `${process.platform}-${process.arch}`;
const PREBUILDS = path.join(ROOT, "prebuilds", TARGET);
const line = `node${process.versions.node.split(".")[0]}`;

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 600_000, ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** An app folder with a PATH whose compilers, make and python3 all fail. */
function appWithoutTools() {
  const app = mkdtempSync(path.join(tmpdir(), "tsctypes-app-"));
  const shims = path.join(app, "no-tools");
  mkdirSync(shims);
  for (const tool of ["cc", "gcc", "g++", "c++", "clang", "make", "python3", "python"]) {
    const file = path.join(shims, tool);
    writeFileSync(file, `#!/bin/sh\necho "${tool}: not on this machine" >&2\nexit 127\n`);
    chmodSync(file, 0o755);
  }
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  // this Node first, then the shims, then the system (for npm and sh)
  const PATH = [path.dirname(process.execPath), shims, ...(process.env.PATH ?? "").split(path.delimiter)].join(path.delimiter);
  return { app, PATH };
}

test("npm install of the packed package works with no compiler, make or python3; CommonJS and ESM call C", { skip: (!isNode && "npm installs are a Node matter") || (TARGET !== "linux-x64" && `packs and installs on the build host (linux-x64) only; ${TARGET}'s prebuilt binaries are what this whole suite runs against here`) }, () => {
  if (!existsSync(path.join(PREBUILDS, `v8-${v8}`, "tsctypes_v8.node")) || !existsSync(path.join(PREBUILDS, "tsctypes.node"))) {
    run(process.execPath, [path.join(ROOT, "scripts", "prebuild.js"), `--lines=${line}`], { cwd: ROOT, stdio: "inherit" });
  }
  const packDir = mkdtempSync(path.join(tmpdir(), "tsctypes-pack-"));
  // --ignore-scripts: dist/ is current (the suite's pretest built it)
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], { cwd: ROOT });
  const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz")));
  // as npm does by default, and with install scripts off (pnpm's default): the same binaries serve
  for (const scripts of ["run", "ignored"]) {
    const { app, PATH } = appWithoutTools();
    const env = { ...process.env, PATH };
    delete env.npm_config_nodedir;
    delete env.npm_config_build_from_source;
    const install = run("npm", ["install", "--no-audit", "--no-fund", ...(scripts === "ignored" ? ["--ignore-scripts"] : []), tarball], { cwd: app, env });
    assert.doesNotMatch(install.stdout + install.stderr, /gyp|not on this machine/);
    checkCalls(app, env);
  }
});

/** runtimeInfo() and calls from CommonJS and ESM in `app`, where tsctypes is installed. */
function checkCalls(app, env) {

  const [cmd, cjsArgs] = childCommand({ eval: "commonjs" });
  const cjs = run(cmd, [...cjsArgs, `
    const T = require("tsctypes");
    const cos = new T.CDLL("libm.so.6").func("cos", T.c_double, [T.c_double]);
    const info = T.runtimeInfo();
    console.log(JSON.stringify({ cos: cos(0), core: info.core, accelerator: info.accelerator, call: info.entries.call }));
  `], { cwd: app, env });
  const out = JSON.parse(cjs.stdout);
  assert.equal(out.cos, 1);
  assert.equal(out.core, path.join(app, "node_modules", "tsctypes", "prebuilds", TARGET, "tsctypes.node"));
  assert.equal(out.accelerator, path.join(app, "node_modules", "tsctypes", "prebuilds", TARGET, `v8-${v8}`, "tsctypes_v8.node"));
  assert.equal(out.call, "fast");

  const esm = run(cmd, [...childCommand({ eval: "module" })[1], `
    import { CDLL, c_size_t, c_char_p } from "tsctypes";
    const strlen = new CDLL(null).func("strlen", c_size_t, [c_char_p]);
    console.log(strlen("héllo"));
  `], { cwd: app, env });
  assert.equal(esm.stdout.trim(), "6");
}

test("the packed package holds the library, its docs and binaries, and no tests, benches or build leftovers", { skip: !isNode && "npm pack is a Node matter" }, () => {
  const r = run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
  const files = JSON.parse(r.stdout)[0].files.map((f) => f.path);
  for (const f of ["README.md", "LICENSE", "package.json", "dist/cjs/index.js", "dist/esm/index.mjs", "dist/cjs/index.d.ts", "docs/api.md", "binding.gyp", "native/core/addon.c", "scripts/install.js"]) {
    assert.ok(files.includes(f), `${f} is missing from the package`);
  }
  const stray = files.filter((f) => /^(test|bench|examples|\.ci|\.runtimes|build)\//.test(f) || /\.(o|so|log)$/.test(f) || f.startsWith("native/v8/build"));
  assert.deepEqual(stray, []);
  // every README link to docs/ resolves inside the package
  const readme = spawnSync("cat", [path.join(ROOT, "README.md")], { encoding: "utf8" }).stdout;
  for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) assert.ok(files.includes(link), `README links ${link}, which the package lacks`);
});
