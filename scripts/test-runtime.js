"use strict";
// Runs the test suite (test/*.test.mjs, node:test files) under one runtime with that runtime's
// own test runner, and ends with one line of totals:
//
//   node scripts/test-runtime.js <bun|deno|node20|node22|node24|node26> [test files...]
//   ...
//   bun: 612 passed, 0 failed, 12 skipped
//
// Exit code 1 on any failure (a failed test, or a file that did not run to its end).
// Bun and Deno run one file per runner process, as `node --test` does (each file gets a fresh
// process: native state such as the callback trampolines is per process); a Node line runs
// `node --test --test-concurrency=1` over all files, with that node first on PATH. The commands
// come from scripts/runtimes.js. Build first: `npm run build:ts && node test/fixtures/build.js`.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const runtimes = require("./runtimes.js");

const REPO = path.resolve(__dirname, "..");
// a file that runs longer than this is stopped and counted as failed
const FILE_TIMEOUT_MS = 30 * 60 * 1000;

/** Runs cmd, echoing its output as it comes; resolves { code, signal, stdout, stderr }. */
function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), FILE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// bun test: the summary (on stderr) has lines " 39 pass", " 2 skip", " 0 fail" (and " 1 todo").
function countBun({ stdout, stderr }) {
  const out = { passed: 0, failed: 0, skipped: 0, seen: false };
  for (const m of (stderr + "\n" + stdout).matchAll(/^\s*(\d+) (pass|fail|skip|todo)$/gm)) {
    const n = Number(m[1]);
    out.seen = true;
    if (m[2] === "pass") out.passed += n;
    else if (m[2] === "fail") out.failed += n;
    else out.skipped += n;
  }
  return out;
}

// deno test: one line per test, "name ... ok (5ms)" / "... FAILED (5ms)" / "... ignored (0ms)",
// indented two spaces per level of nesting. A describe() prints "name ..." when it starts and
// its result line after its tests: only the leaves are counted, as node --test counts tests.
// A describe that fails without a failed test inside (a hook) counts as one failure.
function countDeno({ stdout }) {
  const out = { passed: 0, failed: 0, skipped: 0, seen: false };
  const open = []; // describes whose tests are being reported: { indent, name, failedInside }
  const body = stdout.split(/^ ERRORS $/m)[0];
  for (const line of body.split("\n")) {
    const started = /^( *)(\S.*) \.\.\.$/.exec(line);
    if (started) {
      open.push({ indent: started[1].length, name: started[2], failedInside: false });
      continue;
    }
    const done = /^( *)(\S.*) \.\.\. (ok|FAILED|ignored)\b/.exec(line);
    if (!done) continue;
    out.seen = true;
    const indent = done[1].length;
    const top = open.at(-1);
    if (top && top.indent === indent && top.name === done[2]) {
      open.pop();
      if (done[3] === "FAILED" && !top.failedInside) out.failed++;
      if (done[3] === "FAILED" && open.length) open.at(-1).failedInside = true;
      continue;
    }
    if (done[3] === "ok") out.passed++;
    else if (done[3] === "ignored") out.skipped++;
    else {
      out.failed++;
      if (top) top.failedInside = true;
    }
  }
  // the closing line, e.g. "ok | 5 passed (19 steps) | 0 failed | 3 ignored (1s)"
  if (!/^(ok|FAILED) \| /m.test(stdout)) out.seen = false;
  return out;
}

// node --test: the summary lines "ℹ pass 693" (spec reporter) or "# pass 693" (tap).
function countNode({ stdout }) {
  const out = { passed: 0, failed: 0, skipped: 0, seen: false };
  for (const m of stdout.matchAll(/^(?:ℹ|#) (pass|fail|skipped|todo|cancelled) (\d+)$/gm)) {
    const n = Number(m[2]);
    out.seen = true;
    if (m[1] === "pass") out.passed += n;
    else if (m[1] === "fail" || m[1] === "cancelled") out.failed += n;
    else out.skipped += n;
  }
  return out;
}

async function main() {
  const [name, ...only] = process.argv.slice(2);
  if (!name || !runtimes.RUNTIMES[name]) {
    console.error(`usage: node scripts/test-runtime.js <${Object.keys(runtimes.RUNTIMES).join("|")}> [test files...]`);
    process.exit(2);
  }
  if (!runtimes.isInstalled(name)) {
    console.error(`test-runtime: ${name} is not installed: node scripts/runtimes.js install ${name}`);
    process.exit(2);
  }
  const kind = runtimes.RUNTIMES[name].kind;
  const files = (only.length ? only : fs.readdirSync(path.join(REPO, "test")).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => path.join("test", f)))
    // bun test takes a path only when it starts with ./ or /
    .map((f) => (path.isAbsolute(f) ? f : `./${path.relative(REPO, path.resolve(f))}`));

  const exe = runtimes.runtimePath(name);
  // this runtime first on PATH, for anything that starts `node` (or `bun`, `deno`) by name
  const env = { ...process.env, PATH: `${path.dirname(exe)}${path.delimiter}${process.env.PATH || ""}` };
  if (kind === "deno") env.NO_COLOR = "1"; // plain result lines to count

  const total = { passed: 0, failed: 0, skipped: 0 };
  const broken = [];
  const batches = kind === "node" ? [files] : files.map((f) => [f]);
  for (const batch of batches) {
    const [cmd, args] = runtimes.testCommand(name, batch);
    if (batches.length > 1) console.log(`\n=== ${name}: ${batch.join(" ")}`);
    const r = await run(cmd, args, env);
    const count = { node: countNode, bun: countBun, deno: countDeno }[kind](r);
    total.passed += count.passed;
    total.failed += count.failed;
    total.skipped += count.skipped;
    const label = batch.length === 1 ? batch[0] : "the suite";
    if (r.code !== 0 || !count.seen) {
      // a file that crashed, timed out or failed outside a test: one failure if none was counted
      if (count.failed === 0) total.failed++;
      broken.push(`${label} (${r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`}${count.seen ? "" : ", no totals"})`);
    }
  }
  console.log("");
  if (broken.length) console.log(`${name}: failed: ${broken.join(", ")}`);
  console.log(`${name}: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`test-runtime: ${e.stack || e}`);
  process.exit(2);
});
