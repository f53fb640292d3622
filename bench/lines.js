#!/usr/bin/env node
'use strict';
// The per-Node-line tables: tsctypes against koffi on each Node line (20, 22,
// 24, 26), node:ffi on Node 26, Bun's and Deno's own FFI as reference lines,
// first in the realistic mode (child.js --app: every shape declared up front,
// a callback kept alive by C, then the shapes timed in that one process; the
// published table), then in the isolated mode with tsctypes also run with
// TSCTYPES_ENTRY=napi (the core's Node-API entry, no V8 accelerator) on each
// line, to show what the accelerator buys there.
//
//   node bench/lines.js [--quick] [--modes=app,isolated] [--lines=node20,node22,node24,node26]
//                       [--references=bun,deno] [--shapes=...] [--variants=napi[,v8]]
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
const { markdownTable, fmtNs, rowLabel, MODE_WORD } = require('./report');
const run = require('./run');
const runtimes = require('../scripts/runtimes');

const LINES = ['node20', 'node22', 'node24', 'node26'];
// Reference lines: another runtime's own FFI (bench/contenders/<name>.js).
const REFERENCES = ['bun', 'deno'];
const MODE_NAMES = ['app', 'isolated'];
// Default shapes per mode: the realistic table has every shape the issue's
// targets name (the slow async ones aside); the isolated one the call-overhead core.
const SHAPES = {
  app: ['noop', 'add_i32', 'attr_i32', 'add_f64', 'add_f32', 'add_i64', 'mix6', 'mix6p', 'sum_buf', 'str_len', 'struct_rw', 'arr_rw',
    'vec2_byval', 'mixed_byval', 'callback', 'qsort_10k', 'conv_1m'],
  isolated: ['noop', 'add_i32', 'add_f64', 'str_len'],
};
const VARIANTS = ['napi', 'v8']; // TSCTYPES_ENTRY values besides the default
const VARIANT_TEXT = {
  napi: "`napi`: no accelerator is loaded, every call takes the core's Node-API entry",
  v8: "`v8`: the accelerator's plain V8 entry, no fast API entries",
};

const USAGE = `usage: node bench/lines.js [options]

  --quick              short runs (1 process, 3 repeats of ~30 ms): a smoke check; writes bench/build/LINES-quick.md
  --modes=a,b          app (realistic) and/or isolated (default: ${MODE_NAMES.join(',')})
  --lines=a,b          Node lines (default: ${LINES.join(',')}; installed with \`node scripts/runtimes.js install\`)
  --references=a,b     other runtimes' own FFI as reference lines (default: ${REFERENCES.join(',')}; --references= for none)
  --shapes=a,b         shapes, in every mode (default: realistic ${SHAPES.app.join(',')}; isolated ${SHAPES.isolated.join(',')})
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
    { quick: false, modes: MODE_NAMES, lines: LINES, references: REFERENCES, shapes: null, variants: ['napi'], repeats: null, time: null, processes: null, write: true },
    { quick: 'flag', modes: 'list', lines: 'list', references: 'list', shapes: 'list', variants: 'list', repeats: 'int', time: 'number', processes: 'int', 'no-write': ['write', false] },
    USAGE,
    fail,
  );
  for (const l of opts.lines) if (!runtimes.RUNTIMES[l] || runtimes.RUNTIMES[l].kind !== 'node') fail(`unknown Node line "${l}" (known: ${LINES.join(', ')})`);
  for (const r of opts.references) if (!REFERENCES.includes(r)) fail(`unknown reference "${r}" (known: ${REFERENCES.join(', ')})`);
  for (const m of opts.modes) if (!MODE_NAMES.includes(m)) fail(`unknown mode "${m}" (known: ${MODE_NAMES.join(', ')})`);
  opts.modes = MODE_NAMES.filter((m) => opts.modes.includes(m)); // the realistic table first
  for (const s of opts.shapes || []) if (!byName.has(s)) fail(`unknown shape "${s}" (known: ${[...byName.keys()].join(', ')})`);
  for (const v of opts.variants) if (!VARIANTS.includes(v)) fail(`unknown variant "${v}" (known: ${VARIANTS.join(', ')})`);
  if (!opts.lines.length || !opts.modes.length || (opts.shapes && !opts.shapes.length)) fail('--lines, --modes and --shapes need at least one name');
  opts.shapesOf = Object.fromEntries(opts.modes.map((m) => [m, opts.shapes || SHAPES[m]]));
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

// A reference line: another runtime's own FFI (bench/contenders/<name>.js,
// which starts bench/child.js under that runtime); skipped when not installed.
function probeReference(name, ctx) {
  const contender = require(`./contenders/${name}`);
  try {
    contender.prepare(ctx);
  } catch (err) {
    return { name, skip: err.message };
  }
  return { name, reference: true, contender };
}

// The child processes of one line in one mode. Realistic: tsctypes (default
// entries), koffi, and node:ffi where it loads; isolated: also tsctypes with
// TSCTYPES_ENTRY=<variant>. A reference line has its one contender.
function lineJobs(line, variants, mode) {
  const jobs = [];
  if (line.reference) jobs.push({ contender: line.name, entry: null });
  else {
    jobs.push({ contender: 'tsctypes', entry: null });
    if (mode === 'isolated') for (const v of variants) jobs.push({ contender: 'tsctypes', entry: v });
    jobs.push({ contender: 'koffi', entry: null });
    if (line.ffi) jobs.push({ contender: 'node-ffi', entry: null });
  }
  return jobs.map((j) => ({ ...j, line, mode, key: jobKey(mode, line.name, j.contender, j.entry) }));
}

const jobKey = (mode, line, contender, entry) => `${mode}:${line}/${contender}${entry ? `@${entry}` : ''}`;

// A contender object for run.js's runChild: the usual child.js, under the
// line's binary, with its environment (TSCTYPES_ENTRY set for a variant, and
// removed otherwise, so a value in the caller's shell can't leak in). A
// reference line's contender starts its own runtime.
function childContender(job) {
  if (job.line.reference) return job.line.contender;
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

// Which figure of a shape's processes a table shows: the median of the per-process medians (the
// published tables), or the fastest process (processes run at one of two speeds on this machine).
const PICKS = {
  median: (s) => s.nsPerCall,
  fastest: (s) => Math.min(...s.processMedians),
};

function ns(results, key, shape, pick = PICKS.median) {
  const r = results[key];
  if (!r) return null;
  const s = r.available && r.shapes[shape];
  return s && s.status === 'ok' ? pick(s) : null;
}

function nsCell(results, key, shape, pick = PICKS.median) {
  const r = results[key];
  if (!r) return '—';
  if (!r.available) return 'unavailable';
  const s = r.shapes[shape];
  if (!s) return '—';
  return s.status === 'ok' ? fmtNs(pick(s)) : s.status === 'n/a' ? 'n/a' : 'error';
}

function ratio(a, b) {
  if (a === null || b === null) return '—';
  const r = a / b;
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

// Rows = shapes (isolated mode: then the same shapes with each
// TSCTYPES_ENTRY variant); columns = per line: tsctypes, koffi, ts/koffi;
// then node:ffi and ts/node:ffi for the lines that have it; then the
// reference lines' times.
function mainTable(results, lines, references, opts, mode, pick = PICKS.median) {
  const ffiLines = lines.filter((l) => l.ffi);
  const shapes = opts.shapesOf[mode];
  const header = ['shape (ns/call)'];
  for (const l of lines) header.push(`${l.major} tsctypes`, `${l.major} koffi`, `${l.major} ts/koffi`);
  for (const l of ffiLines) header.push(`${l.major} node:ffi`, `${l.major} ts/node:ffi`);
  for (const r of references) header.push(r.name);
  const rows = [];
  for (const entry of mode === 'isolated' ? [null, ...opts.variants] : [null]) {
    for (const shape of shapes) {
      const row = [entry ? `${shape} (TSCTYPES_ENTRY=${entry})` : rowLabel(shape)];
      for (const l of lines) {
        const t = jobKey(mode, l.name, 'tsctypes', entry);
        const k = jobKey(mode, l.name, 'koffi', null);
        row.push(nsCell(results, t, shape, pick), nsCell(results, k, shape, pick), ratio(ns(results, t, shape, pick), ns(results, k, shape, pick)));
      }
      for (const l of ffiLines) {
        const t = jobKey(mode, l.name, 'tsctypes', entry);
        const f = jobKey(mode, l.name, 'node-ffi', null);
        row.push(nsCell(results, f, shape, pick), ratio(ns(results, t, shape, pick), ns(results, f, shape, pick)));
      }
      for (const r of references) row.push(nsCell(results, jobKey(mode, r.name, r.name, null), shape, pick));
      rows.push(row);
    }
  }
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

// What the accelerator buys per line (isolated mode): the variant's time / the default's.
function acceleratorTable(results, lines, opts) {
  const header = ['shape (ns/call)'];
  for (const l of lines) {
    header.push(`${l.major} default`);
    for (const v of opts.variants) header.push(`${l.major} ${v}`, `${l.major} ${v}/default`);
  }
  const rows = opts.shapesOf.isolated.map((shape) => {
    const row = [shape];
    for (const l of lines) {
      const d = jobKey('isolated', l.name, 'tsctypes', null);
      row.push(nsCell(results, d, shape));
      for (const v of opts.variants) {
        const t = jobKey('isolated', l.name, 'tsctypes', v);
        row.push(nsCell(results, t, shape), ratio(ns(results, t, shape), ns(results, d, shape)));
      }
    }
    return row;
  });
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

// Per line: the binary, and which tsctypes entries the children found active
// (the first mode's children; the variants' from the isolated mode).
function linesTable(results, lines, skipped, opts) {
  const first = opts.modes[0];
  const variants = opts.modes.includes('isolated') ? opts.variants : [];
  const header = ['line', 'Node', 'V8', 'Node-API', 'tsctypes entries (default)', ...variants.map((v) => `TSCTYPES_ENTRY=${v}`), 'accelerator', 'loop overhead (ns)'];
  const entries = (key) => {
    const r = results[key];
    if (!r || !r.available) return r && r.error ? `unavailable: ${r.error}` : '—';
    const e = r.info && r.info.entries;
    return e ? `call: ${e.call}, typed: ${e.typed}, strings: ${e.strings}` : '(no runtimeInfo)';
  };
  const rows = lines.map((l) => {
    const d = results[jobKey(first, l.name, 'tsctypes', null)];
    const overhead = d && typeof d.loopOverheadNs === 'number' ? d.loopOverheadNs.toFixed(2) : '—';
    return [
      l.name,
      l.node,
      l.v8,
      String(l.napi),
      entries(jobKey(first, l.name, 'tsctypes', null)),
      ...variants.map((v) => entries(jobKey('isolated', l.name, 'tsctypes', v))),
      (d && d.info && d.info.acceleratorNote) || '—',
      overhead,
    ];
  });
  for (const s of skipped) rows.push([s.name, 'skipped', '', '', s.skip, ...variants.map(() => ''), '', '']);
  return markdownTable(header, rows, header.map(() => 'l'));
}

// The tsctypes contender's check: calls its fast entries took per shape
// (default entries; a variant without accelerator has none to count).
function checksTable(results, lines, opts, mode) {
  const header = ['shape', ...lines.map((l) => `${l.major}: fast-entry calls / measured calls`)];
  const rows = opts.shapesOf[mode].map((shape) => [
    shape,
    ...lines.map((l) => {
      const r = results[jobKey(mode, l.name, 'tsctypes', null)];
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
    if (r.live && r.live.status === 'error') out.push(`${key}: live callback: ${r.live.error}`);
    for (const [shape, s] of Object.entries(r.shapes)) {
      if (s.status === 'error') out.push(`${key} / ${shape}: ${s.error}`);
      else if (s.status === 'n/a') out.push(`${key} / ${shape}: n/a${s.reason ? ` (${s.reason})` : ''}`);
    }
  }
  return out;
}

// Per (mode, line, contender, shape): the per-process medians, for the spread.
function spreadLines(results, jobs, opts) {
  const out = [];
  for (const j of jobs) {
    const r = results[j.key];
    if (!r || !r.available) continue;
    const cells = opts.shapesOf[j.mode].map((shape) => {
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
  const references = [];
  for (const name of opts.references) {
    const r = probeReference(name, parentCtx);
    if (r.skip) {
      skipped.push(r);
      log(`${name}: skipped: ${r.skip}`);
    } else references.push(r);
  }

  const jobs = opts.modes.flatMap((mode) => [...lines, ...references].flatMap((l) => lineJobs(l, opts.variants, mode)));
  const runs = Object.fromEntries(jobs.map((j) => [j.key, []]));
  for (let round = 0; round < opts.processes; round++) {
    for (const mode of opts.modes) {
      const runOpts = { quick: opts.quick, shapeNames: opts.shapesOf[mode], repeats: opts.repeats, time: opts.time, app: mode === 'app' };
      for (const l of [...lines, ...references]) {
        const mine = jobs.filter((j) => j.line === l && j.mode === mode);
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
  }
  const results = {};
  for (const j of jobs) {
    results[j.key] = run.mergeRuns(j.key, runs[j.key]);
    if (!results[j.key].available) log(`${j.key} unavailable: ${results[j.key].error}`);
  }

  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  const koffiVersion = run.packageVersion('koffi');
  const tsVersion = (results[jobKey(opts.modes[0], lines[0].name, 'tsctypes', null)] || {}).version || 'tsctypes';
  const machine = `${run.cpuModel()}, ${run.cpuCount()} cores, ${os.type()} ${os.release()} ${os.arch()}; load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`;
  const probs = problems(results);

  const tables = Object.fromEntries(opts.modes.map((mode) => [mode, mainTable(results, lines, references, opts, mode)]));
  const fastest = opts.modes.includes('app') && opts.processes > 1 ? mainTable(results, lines, references, opts, 'app', PICKS.fastest) : null;
  const accel = opts.modes.includes('isolated') ? acceleratorTable(results, lines, opts) : null;
  const info = linesTable(results, lines, skipped, opts);
  const checks = Object.fromEntries(opts.modes.map((mode) => [mode, checksTable(results, lines, opts, mode)]));
  const live = jobs
    .filter((j) => j.mode === 'app' && results[j.key].available && results[j.key].live)
    .map((j) => `\`${j.line.name}/${j.contender}\` ${results[j.key].live.status === 'ok' ? 'ok' : `${results[j.key].live.status}${results[j.key].live.error ? ` (${results[j.key].live.error})` : ''}`}`);

  for (const mode of opts.modes) {
    process.stdout.write(`\nMedian ns per call, ${MODE_WORD[mode]} mode${opts.quick ? ' (quick mode — smoke check only)' : ''}; ts/koffi < 1: tsctypes is faster\n\n${tables[mode]}\n`);
  }
  if (accel) process.stdout.write(`\nWhat the accelerator buys (isolated mode; TSCTYPES_ENTRY=<variant> vs the default entries; > 1: the default is faster)\n\n${accel}\n`);
  process.stdout.write(`\nLines and tsctypes entries\n\n${info}\n`);
  for (const mode of opts.modes) process.stdout.write(`\nCalls taken by tsctypes' fast entries per measured call (${MODE_WORD[mode]} mode, default entries)\n\n${checks[mode]}\n`);
  if (live.length) process.stdout.write(`\nLive callback (realistic mode): ${live.join(', ')}\n`);
  if (probs.length) process.stdout.write(`\n${probs.map((p) => `! ${p}`).join('\n')}\n`);
  process.stdout.write(`\n${machine}; ${minutes} min\n`);

  if (!opts.write) return;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const m = MODES[opts.quick ? 'quick' : 'full'];
  const rel = (file) => (file.startsWith(paths.rootDir + path.sep) ? path.relative(paths.rootDir, file) : file);
  const TABLE_TEXT = {
    app:
      "Each (line, contender) child process starts as an application does: every shape's function declared and its C data made up front (every shape the contender has, not only the rows below), a callback handed to C, which keeps it (`keep_cb`) for the whole run, and only then the shapes timed one after the other. Buffers and C data objects go in as pointers (`sum_buf`, `mix6p`).",
    isolated: `Each shape's function declared just before it is timed, no callback kept by C. Rows marked \`TSCTYPES_ENTRY=${opts.variants.join('`/`')}\`: tsctypes in processes started with that variable (${opts.variants.map((v) => VARIANT_TEXT[v]).join('; ')}); their koffi and node:ffi cells repeat the same measurements as the rows above.`,
  };
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
    ...lines.map((l) => `- ${l.name}: Node ${l.node}, V8 ${l.v8}, Node-API ${l.napi}${l.ffi ? ', node:ffi built in' : ''} (\`${rel(l.file)}\`)${l.flags.length ? `; children started with \`${l.flags.join(' ')}\`` : ''}`),
    ...references.map((r) => `- ${r.name} (reference line): ${(results[jobKey(opts.modes[0], r.name, r.name, null)] || {}).version || r.contender.summary}`),
    ...skipped.map((s) => `- ${s.name}: skipped: ${s.skip}`),
    ...opts.modes.flatMap((mode) => [
      '',
      `## Median time per call, ${MODE_WORD[mode]} mode (ns, lower is better)`,
      '',
      TABLE_TEXT[mode],
      '',
      `Columns per line: tsctypes, koffi on the same Node, and tsctypes/koffi (below 1: tsctypes is faster); node:ffi and tsctypes/node:ffi only where Node has it (26)${references.length ? `; ${references.map((r) => r.name).join(' and ')}: that runtime's own FFI (reference lines, no ratio)` : ''}. \`str_len\` is \`size_t str_len(const char *)\` on \`'hello, world'\`; every shape is described in bench/README.md.`,
      '',
      tables[mode],
      ...(mode === 'app' && live.length ? ['', `Live callback (C calls it before and after the shapes): ${live.join(', ')}.`] : []),
      ...(mode === 'app' && fastest
        ? [
            '',
            '### The fastest process of each (line, contender), realistic mode',
            '',
            "On this 2-core virtual machine a whole process sometimes runs at a slower speed, every contender alike (koffi, node:ffi, Bun: see the per-process medians below), so the median of a few processes can land on either speed. Here each cell is the (line, contender)'s fastest process: the speed its code allows, compared like with like.",
            '',
            fastest,
          ]
        : []),
    ]),
    ...(accel
      ? ['', '## What the accelerator buys (isolated mode)', '', 'tsctypes with its default entries (the accelerator for this V8) against the variant on the same line; variant/default above 1: the accelerator is faster there.', '', accel]
      : []),
    '',
    '## Lines and the entries tsctypes used',
    '',
    "`runtimeInfo().entries` (`call`, `typed`, `strings`) as each line's tsctypes children reported it; the loop overhead is the timing loop around `(i) => i` in the default tsctypes child.",
    '',
    info,
    '',
    '## Fast-entry calls',
    '',
    "Calls the accelerator's fast entries (typed + slab) took during each shape, over the calls measured, per process (default entries; the count covers verification, calibration and warm-up too, so 100% or more means every measured call can have taken them).",
    ...opts.modes.flatMap((mode) => ['', `### ${MODE_WORD[mode]} mode`, '', checks[mode]]),
    '',
    ...(probs.length ? ['## Problems and n/a', '', ...probs.map((p) => `- ${p}`), ''] : []),
    '## Per-process medians (ns/call)',
    '',
    ...spreadLines(results, jobs, opts),
    '',
    '## Method',
    '',
    `bench/child.js (the same shapes, contenders and timing as \`npm run bench\`) under each line's Node binary, \`--expose-gc\` (reference lines: under their runtime, as scripts/runtimes.js starts it); ${opts.processes} process(es) per (mode, line, contender), interleaved: each round runs every mode's lines and contenders once, in an order rotated from round to round. Per shape: verify, calibrate, warm up ≥ ${m.warmupMs} ms, ${opts.repeats || m.repeats} measurements of ~${opts.time || m.targetMs} ms, the median; the tables show the median of the per-process medians. Raw numbers: bench/build/lines.json.`,
    '',
  ].join('\n');
  const out = opts.quick ? path.join(paths.buildDir, 'LINES-quick.md') : path.join(paths.benchDir, 'LINES.md');
  fs.mkdirSync(paths.buildDir, { recursive: true });
  fs.writeFileSync(out, md);
  fs.writeFileSync(
    path.join(paths.buildDir, 'lines.json'),
    `${JSON.stringify({ command, date, lines, references: references.map((r) => r.name), skipped, options: opts, koffi: koffiVersion, results }, null, 2)}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), out)} and bench/build/lines.json`);
}

if (require.main === module) main();
