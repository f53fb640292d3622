#!/usr/bin/env node
'use strict';
// The per-Node-line table: tsctypes against koffi on each Node line (20, 22,
// 24, 26), node:ffi on Node 26, and tsctypes with TSCTYPES_ENTRY=napi (the
// core's Node-API entry, no V8 accelerator) on each line, to show what the
// accelerator buys there.
//
//   node bench/lines.js [--quick] [--lines=node20,node22,node24,node26]
//                       [--shapes=noop,add_i32,add_f64,str_len] [--variants=napi[,v8]]
//                       [--processes=N] [--repeats=N] [--time=ms] [--no-write]
//
// The same machinery as run.js: every (line, contender) runs bench/child.js in
// its own child processes, under that line's Node binary (found with
// scripts/runtimes.js; a line that is not installed is skipped with a note),
// 3 processes each in full runs, interleaved (one round = every line's
// contenders once, in an order that rotates from round to round); per shape
// the median of the per-process medians. Every child of one line is started
// with the same Node flags (Node 26: --experimental-ffi
// --disable-warning=ExperimentalWarning, for the node:ffi child and the others
// alike). Writes bench/LINES.md (quick runs: bench/build/LINES-quick.md) and
// the raw numbers to bench/build/lines.json.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { byName } = require('./shapes');
const { paths, MODES } = require('./config');
const { markdownTable, fmtNs } = require('./report');
const run = require('./run');
const runtimes = require('../scripts/runtimes');

const LINES = ['node20', 'node22', 'node24', 'node26'];
const SHAPES = ['noop', 'add_i32', 'add_f64', 'str_len'];
const VARIANTS = ['napi', 'v8']; // TSCTYPES_ENTRY values besides the default
const VARIANT_TEXT = {
  napi: "`napi`: no accelerator is loaded, every call takes the core's Node-API entry",
  v8: "`v8`: the accelerator's plain V8 entry, no fast API entries",
};

const USAGE = `usage: node bench/lines.js [options]

  --quick              short runs (1 process, 3 repeats of ~30 ms): a smoke check; writes bench/build/LINES-quick.md
  --lines=a,b          Node lines (default: ${LINES.join(',')}; installed with \`node scripts/runtimes.js install\`)
  --shapes=a,b         shapes (default: ${SHAPES.join(',')})
  --variants=a,b       tsctypes rows with TSCTYPES_ENTRY=<variant> besides the default entries (default: napi; known: ${VARIANTS.join(', ')})
  --repeats=N          measurements per shape (default: ${MODES.full.repeats}, quick: ${MODES.quick.repeats})
  --time=ms            target duration of one measurement (default: ${MODES.full.targetMs}, quick: ${MODES.quick.targetMs})
  --processes=N        child processes per (line, contender) (default: ${MODES.full.processes}, quick: ${MODES.quick.processes})
  --no-write           don't write bench/LINES.md / bench/build/lines.json
  --help               this text
`;

const log = (msg) => process.stderr.write(`[lines] ${msg}\n`);
function fail(msg) {
  process.stderr.write(`[lines] error: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = run.parseOptions(
    argv,
    { quick: false, lines: LINES, shapes: SHAPES, variants: ['napi'], repeats: null, time: null, processes: null, write: true },
    { quick: 'flag', lines: 'list', shapes: 'list', variants: 'list', repeats: 'int', time: 'number', processes: 'int', 'no-write': ['write', false] },
    USAGE,
    fail,
  );
  for (const l of opts.lines) if (!runtimes.RUNTIMES[l] || runtimes.RUNTIMES[l].kind !== 'node') fail(`unknown Node line "${l}" (known: ${LINES.join(', ')})`);
  for (const s of opts.shapes) if (!byName.has(s)) fail(`unknown shape "${s}" (known: ${[...byName.keys()].join(', ')})`);
  for (const v of opts.variants) if (!VARIANTS.includes(v)) fail(`unknown variant "${v}" (known: ${VARIANTS.join(', ')})`);
  if (!opts.lines.length || !opts.shapes.length) fail('--lines and --shapes need at least one name');
  if (!opts.processes) opts.processes = MODES[opts.quick ? 'quick' : 'full'].processes;
  return opts;
}

// --- the lines -------------------------------------------------------------

// What a line's binary is: version, V8, and whether node:ffi loads in it.
const PROBE = `
let ffi = false;
try { ffi = typeof require('node:ffi').DynamicLibrary === 'function'; } catch {}
console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, napi: process.versions.napi, ffi }));`;

function probeLine(name) {
  const file = runtimes.runtimePath(name);
  if (!fs.existsSync(file)) return { name, skip: `not installed (${path.relative(paths.rootDir, file)} is missing; \`node scripts/runtimes.js install ${name}\`)` };
  const r = spawnSync(file, ['-e', PROBE], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  let found;
  try {
    found = JSON.parse((r.stdout || '').trim().split('\n').pop());
  } catch {
    return { name, skip: `${file} did not run (${r.error ? r.error.message : (r.stderr || '').trim().split('\n')[0] || `exit ${r.status}`})` };
  }
  const major = found.node.replace(/^v/, '').split('.')[0];
  if (`node${major}` !== name) return { name, skip: `${file} is Node ${found.node}, not ${name}` };
  // node:ffi lines (26): every child of the line gets the flags the node:ffi child needs.
  const flags = found.ffi ? ['--experimental-ffi', '--disable-warning=ExperimentalWarning'] : [];
  return { name, file, major, flags, ...found };
}

// The child processes of one line: tsctypes (default entries), tsctypes with
// TSCTYPES_ENTRY=<variant>, koffi, and node:ffi where it loads.
function lineJobs(line, variants) {
  const jobs = [{ contender: 'tsctypes', entry: null }];
  for (const v of variants) jobs.push({ contender: 'tsctypes', entry: v });
  jobs.push({ contender: 'koffi', entry: null });
  if (line.ffi) jobs.push({ contender: 'node-ffi', entry: null });
  return jobs.map((j) => ({ ...j, line, key: jobKey(line.name, j.contender, j.entry) }));
}

const jobKey = (line, contender, entry) => `${line}/${contender}${entry ? `@${entry}` : ''}`;

// A contender object for run.js's runChild: the usual child.js, under the
// line's binary, with its environment (TSCTYPES_ENTRY set for a variant, and
// removed otherwise, so a value in the caller's shell can't leak in).
function childContender(job) {
  return {
    command(ctx, childArgs) {
      const env = { ...process.env };
      delete env.TSCTYPES_ENTRY;
      if (job.entry) env.TSCTYPES_ENTRY = job.entry;
      return { file: job.line.file, args: ['--expose-gc', ...job.line.flags, path.join(ctx.benchDir, 'child.js'), ...childArgs], env };
    },
  };
}

// --- the tables ------------------------------------------------------------

function ns(results, key, shape) {
  const r = results[key];
  if (!r) return null;
  const s = r.available && r.shapes[shape];
  return s && s.status === 'ok' ? s.nsPerCall : null;
}

function nsCell(results, key, shape) {
  const r = results[key];
  if (!r) return '—';
  if (!r.available) return 'unavailable';
  const s = r.shapes[shape];
  if (!s) return '—';
  return s.status === 'ok' ? fmtNs(s.nsPerCall) : s.status === 'n/a' ? 'n/a' : 'error';
}

function ratio(a, b) {
  if (a === null || b === null) return '—';
  const r = a / b;
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

// Rows = shapes (then the same shapes with each TSCTYPES_ENTRY variant);
// columns = per line: tsctypes, koffi, koffi/tsctypes; then node:ffi and
// node:ffi/tsctypes for the lines that have it.
function mainTable(results, lines, opts) {
  const ffiLines = lines.filter((l) => l.ffi);
  const header = ['shape (ns/call)'];
  for (const l of lines) header.push(`${l.major} tsctypes`, `${l.major} koffi`, `${l.major} koffi/ts`);
  for (const l of ffiLines) header.push(`${l.major} node:ffi`, `${l.major} node:ffi/ts`);
  const rows = [];
  for (const entry of [null, ...opts.variants]) {
    for (const shape of opts.shapes) {
      const row = [entry ? `${shape} (TSCTYPES_ENTRY=${entry})` : shape];
      for (const l of lines) {
        const t = jobKey(l.name, 'tsctypes', entry);
        const k = jobKey(l.name, 'koffi', null);
        row.push(nsCell(results, t, shape), nsCell(results, k, shape), ratio(ns(results, k, shape), ns(results, t, shape)));
      }
      for (const l of ffiLines) {
        const t = jobKey(l.name, 'tsctypes', entry);
        const f = jobKey(l.name, 'node-ffi', null);
        row.push(nsCell(results, f, shape), ratio(ns(results, f, shape), ns(results, t, shape)));
      }
      rows.push(row);
    }
  }
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

// What the accelerator buys per line: the variant's time / the default's.
function acceleratorTable(results, lines, opts) {
  const header = ['shape (ns/call)'];
  for (const l of lines) {
    header.push(`${l.major} default`);
    for (const v of opts.variants) header.push(`${l.major} ${v}`, `${l.major} ${v}/default`);
  }
  const rows = opts.shapes.map((shape) => {
    const row = [shape];
    for (const l of lines) {
      const d = jobKey(l.name, 'tsctypes', null);
      row.push(nsCell(results, d, shape));
      for (const v of opts.variants) {
        const t = jobKey(l.name, 'tsctypes', v);
        row.push(nsCell(results, t, shape), ratio(ns(results, t, shape), ns(results, d, shape)));
      }
    }
    return row;
  });
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

// Per line: the binary, and which tsctypes entries the children found active.
function linesTable(results, lines, skipped, opts) {
  const header = ['line', 'Node', 'V8', 'Node-API', 'tsctypes entries (default)', ...opts.variants.map((v) => `TSCTYPES_ENTRY=${v}`), 'accelerator', 'loop overhead (ns)'];
  const entries = (key) => {
    const r = results[key];
    if (!r || !r.available) return r && r.error ? `unavailable: ${r.error}` : '—';
    const e = r.info && r.info.entries;
    return e ? `call: ${e.call}, typed: ${e.typed}, strings: ${e.strings}` : '(no runtimeInfo)';
  };
  const rows = lines.map((l) => {
    const d = results[jobKey(l.name, 'tsctypes', null)];
    const overhead = d && typeof d.loopOverheadNs === 'number' ? d.loopOverheadNs.toFixed(2) : '—';
    return [
      l.name,
      l.node,
      l.v8,
      String(l.napi),
      entries(jobKey(l.name, 'tsctypes', null)),
      ...opts.variants.map((v) => entries(jobKey(l.name, 'tsctypes', v))),
      (d && d.info && d.info.acceleratorNote) || '—',
      overhead,
    ];
  });
  for (const s of skipped) rows.push([s.name, 'skipped', '', '', s.skip, ...opts.variants.map(() => ''), '', '']);
  return markdownTable(header, rows, header.map(() => 'l'));
}

// The tsctypes contender's check: calls its fast entries took per shape
// (default entries; a variant without accelerator has none to count).
function checksTable(results, lines, opts) {
  const header = ['shape', ...lines.map((l) => `${l.major}: fast-entry calls / measured calls`)];
  const rows = opts.shapes.map((shape) => [
    shape,
    ...lines.map((l) => {
      const r = results[jobKey(l.name, 'tsctypes', null)];
      const s = r && r.available && r.shapes[shape];
      if (!s || !s.checks) return '—';
      return s.checks.map((c) => (/\((\d+%)\)$/.exec(c) || [, c])[1]).join(' / ');
    }),
  ]);
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

function problems(results) {
  const out = [];
  for (const [key, r] of Object.entries(results)) {
    if (!r.available) {
      out.push(`${key}: unavailable: ${r.error}`);
      continue;
    }
    for (const [shape, s] of Object.entries(r.shapes)) {
      if (s.status === 'error') out.push(`${key} / ${shape}: ${s.error}`);
      else if (s.status === 'n/a') out.push(`${key} / ${shape}: n/a${s.reason ? ` (${s.reason})` : ''}`);
    }
  }
  return out;
}

// Per (line, contender, shape): the per-process medians, for the spread.
function spreadLines(results, jobs, opts) {
  const out = [];
  for (const j of jobs) {
    const r = results[j.key];
    if (!r || !r.available) continue;
    const cells = opts.shapes.map((shape) => {
      const s = r.shapes[shape];
      return s && s.status === 'ok' ? `${shape} ${s.processMedians.map(fmtNs).join('/')}` : `${shape} —`;
    });
    out.push(`- \`${j.key}\`: ${cells.join('; ')}`);
  }
  return out;
}

// --- main ------------------------------------------------------------------

function main() {
  const t0 = Date.now();
  const loadBefore = os.loadavg()[0];
  const opts = parseArgs(process.argv.slice(2));
  const command = ['node bench/lines.js', ...process.argv.slice(2)].join(' ');

  try {
    run.buildLib(false);
  } catch (err) {
    fail(`could not build libbench.so: ${err.message}`);
  }
  const parentCtx = { ...paths, rebuild: false, quick: opts.quick, log, exec: run.exec, ensureDeps: run.ensureDeps };
  // The contenders' parent-side preparation: koffi installs bench's
  // devDependencies (one prebuilt koffi serves every Node line: Node-API);
  // tsctypes snapshots the build (dist/cjs, the core, the accelerators) for
  // every child of the run.
  for (const c of ['koffi', 'tsctypes']) require(`./contenders/${c}`).prepare(parentCtx);

  const lines = [];
  const skipped = [];
  for (const name of opts.lines) {
    const l = probeLine(name);
    if (l.skip) {
      skipped.push(l);
      log(`${name}: skipped: ${l.skip}`);
    } else {
      lines.push(l);
      log(`${name}: Node ${l.node} (V8 ${l.v8})${l.ffi ? ', node:ffi' : ''} — ${l.file}`);
    }
  }
  if (!lines.length) fail('no Node line to run');

  const jobs = lines.flatMap((l) => lineJobs(l, opts.variants));
  const runOpts = { quick: opts.quick, shapeNames: opts.shapes, repeats: opts.repeats, time: opts.time };
  const runs = Object.fromEntries(jobs.map((j) => [j.key, []]));
  for (let round = 0; round < opts.processes; round++) {
    for (const l of lines) {
      const mine = jobs.filter((j) => j.line === l);
      // rotate the order within the line from round to round, so no contender is always first
      const order = mine.map((_, k) => mine[(k + round) % mine.length]);
      for (const j of order) {
        if (runs[j.key].some((r) => !r.available)) continue; // unavailable once: don't retry
        const t = Date.now();
        runs[j.key].push(run.runChild(j.contender, childContender(j), runOpts, parentCtx));
        log(`${j.key}: child process ${round + 1}/${opts.processes} took ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    }
  }
  const results = {};
  for (const j of jobs) {
    results[j.key] = run.mergeRuns(j.key, runs[j.key]);
    if (!results[j.key].available) log(`${j.key} unavailable: ${results[j.key].error}`);
  }

  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  const koffiVersion = run.packageVersion('koffi');
  const tsVersion = (results[jobKey(lines[0].name, 'tsctypes', null)] || {}).version || 'tsctypes';
  const machine = `${run.cpuModel()}, ${run.cpuCount()} cores, ${os.type()} ${os.release()} ${os.arch()}; load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`;
  const probs = problems(results);

  const table = mainTable(results, lines, opts);
  const accel = acceleratorTable(results, lines, opts);
  const info = linesTable(results, lines, skipped, opts);
  const checks = checksTable(results, lines, opts);

  process.stdout.write(`\nMedian ns per call${opts.quick ? ' (quick mode — smoke check only)' : ''}; koffi/ts > 1: tsctypes is faster\n\n${table}\n`);
  process.stdout.write(`\nWhat the accelerator buys (TSCTYPES_ENTRY=<variant> vs the default entries; > 1: the default is faster)\n\n${accel}\n`);
  process.stdout.write(`\nLines and tsctypes entries\n\n${info}\n`);
  process.stdout.write(`\nCalls taken by tsctypes' fast entries per measured call (default entries)\n\n${checks}\n`);
  if (probs.length) process.stdout.write(`\n${probs.map((p) => `! ${p}`).join('\n')}\n`);
  process.stdout.write(`\n${machine}; ${minutes} min\n`);

  if (!opts.write) return;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const mode = opts.quick ? 'quick' : 'full';
  const m = MODES[mode];
  const md = [
    '# tsctypes per Node line',
    '',
    `Generated by \`${command}\` on ${date} (${minutes} min). ${opts.quick ? '**Quick mode: a smoke check, not for publishing.**' : ''}`.trim(),
    '',
    '## Machine and versions',
    '',
    `- ${machine}. Other work was running on the same machine (see the load averages): on 2 cores the numbers drift; compare columns of one line, which ran interleaved.`,
    `- ${tsVersion}; the Node-API core \`build/Release/tsctypes.node\` and the V8 accelerators \`build/accelerators/v8-*\`, snapshotted once for the run`,
    `- koffi ${koffiVersion} (bench/node_modules; one prebuilt Node-API binary for every line)`,
    ...lines.map((l) => `- ${l.name}: Node ${l.node}, V8 ${l.v8}, Node-API ${l.napi}${l.ffi ? ', node:ffi built in' : ''} (\`${l.file.startsWith(paths.rootDir + path.sep) ? path.relative(paths.rootDir, l.file) : l.file}\`)${l.flags.length ? `; children started with \`${l.flags.join(' ')}\`` : ''}`),
    ...skipped.map((s) => `- ${s.name}: skipped: ${s.skip}`),
    '',
    '## Median time per call (ns, lower is better)',
    '',
    'Columns per line: tsctypes, koffi on the same Node, and koffi/tsctypes (above 1: tsctypes is faster); node:ffi only where Node has it (26).',
    `Rows marked \`TSCTYPES_ENTRY=${opts.variants.join('`/`')}\`: tsctypes in processes started with that variable (${opts.variants.map((v) => VARIANT_TEXT[v]).join('; ')}); their koffi and node:ffi cells repeat the same measurements as the rows above.`,
    `\`str_len\` is \`size_t str_len(const char *)\` on \`'hello, world'\` (strlen through the fixture library \`bench/lib/benchlib.c\`).`,
    '',
    table,
    '',
    '## What the accelerator buys',
    '',
    'tsctypes with its default entries (the accelerator for this V8) against the variant on the same line; variant/default above 1: the accelerator is faster there.',
    '',
    accel,
    '',
    '## Lines and the entries tsctypes used',
    '',
    "`runtimeInfo().entries` (`call`, `typed`, `strings`) as each line's tsctypes children reported it; the loop overhead is the timing loop around `(i) => i` in the default tsctypes child.",
    '',
    info,
    '',
    "## Fast-entry calls",
    '',
    "Calls the accelerator's fast entries (typed + slab) took during each shape, over the calls measured, per process (default entries; the count covers verification, calibration and warm-up too, so 100% or more means every measured call can have taken them).",
    '',
    checks,
    '',
    ...(probs.length ? ['## Problems and n/a', '', ...probs.map((p) => `- ${p}`), ''] : []),
    '## Per-process medians (ns/call)',
    '',
    ...spreadLines(results, jobs, opts),
    '',
    '## Method',
    '',
    `bench/child.js (the same shapes, contenders and timing as \`npm run bench\`) under each line's Node binary, \`--expose-gc\`; ${opts.processes} process(es) per (line, contender), interleaved: each round runs every line's contenders once, in an order rotated from round to round. Per shape: verify, calibrate, warm up ≥ ${m.warmupMs} ms, ${opts.repeats || m.repeats} measurements of ~${opts.time || m.targetMs} ms, the median; the table shows the median of the per-process medians. Raw numbers: bench/build/lines.json.`,
    '',
  ].join('\n');
  const out = opts.quick ? path.join(paths.buildDir, 'LINES-quick.md') : path.join(paths.benchDir, 'LINES.md');
  fs.mkdirSync(paths.buildDir, { recursive: true });
  fs.writeFileSync(out, md);
  fs.writeFileSync(
    path.join(paths.buildDir, 'lines.json'),
    `${JSON.stringify({ command, date, lines, skipped, options: opts, koffi: koffiVersion, results }, null, 2)}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), out)} and bench/build/lines.json`);
}

if (require.main === module) main();
