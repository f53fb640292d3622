#!/usr/bin/env node
'use strict';
// tsctypes benchmark suite — `npm run bench` at the repo root, or
//
//   node bench/run.js [--quick] [--only=napi,koffi,tsctypes] [--shapes=noop,add_i32,...]
//                     [--repeats=N] [--time=ms] [--processes=N] [--rebuild] [--no-write]
//                     [--modes=app,isolated]
//
// 1. installs bench/package.json's devDependencies (koffi, node-gyp) into
//    bench/node_modules if they are missing,
// 2. builds bench/build/libbench.so from bench/lib/benchlib.c (cc -O2 -shared -fPIC ... -lm),
// 3. lets each contender prepare itself (e.g. build the Node-API addon),
// 4. runs each contender in its own child processes (bench/child.js; several
//    per contender, interleaved), each of which times every shape and returns
//    JSON on stdout: in the realistic mode ("app": every shape declared up
//    front, a callback kept alive by C, then all shapes timed in that one
//    process) and in the isolated mode (each shape declared just before it is
//    timed),
// 5. prints a table of median ns/call (rows = shapes, columns = contenders,
//    plus ratio columns; a shape whose operation is not one call, such as a
//    whole sort, says so in its row: "qsort_10k (ns/sort)"), and for shapes
//    with a speed-up (primes_parallel) a table of both parts' times and their
//    ratio, and writes them to bench/RESULTS.md, with the raw results in
//    bench/build/results.json.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { shapes: allShapes, byName } = require('./shapes');
const { paths, CONTENDERS, RESULT_MARKER, MODES } = require('./config');
const { MODE_WORD, resultsTable, speedupTables, problems, renderMarkdown, renderChartSvg } = require('./report');

const USAGE = `usage: node bench/run.js [options]

  --quick              short runs (1 process, 3 repeats of ~30 ms): a smoke check, not for publishing
  --only=a,b           contenders to run (default: ${CONTENDERS.join(',')})
  --shapes=a,b         shapes to run (default: ${allShapes.map((s) => s.name).join(',')})
  --repeats=N          measurements per shape (default: ${MODES.full.repeats}, quick: ${MODES.quick.repeats})
  --time=ms            target duration of one measurement (default: ${MODES.full.targetMs}, quick: ${MODES.quick.targetMs})
  --processes=N        child processes per contender (default: ${MODES.full.processes}, quick: ${MODES.quick.processes})
  --modes=a,b          app (realistic: one application process, everything declared up front, a live callback)
                       and/or isolated (each shape declared just before it is timed) (default: app,isolated)
  --rebuild            rebuild libbench.so and the Node-API addon even if up to date
  --no-write           don't write bench/RESULTS.md / bench/build/results.json
  --help               this text
`;

// The two ways a child runs the shapes (child.js): `app`, the realistic mode
// (the published table), and `isolated`.
const MODE_NAMES = ['app', 'isolated'];

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[bench] error: ${msg}\n`);
  process.exit(2);
}

/**
 * `--name[=value]` options into `opts`, whose fields hold the defaults. `kinds` says how each
 * option is read: 'flag' (true), 'list' (comma-separated names), 'int' or 'number' (positive),
 * or [field, value] (a flag that sets another field). `--help` prints `usage`; anything else
 * fails with it.
 */
function parseOptions(argv, opts, kinds, usage, fail) {
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) fail(`unexpected argument "${a}"\n\n${usage}`);
    const [, key, value] = m;
    if (key === 'help' || key === 'h') {
      process.stdout.write(usage);
      process.exit(0);
    }
    const kind = kinds[key];
    if (kind === undefined) fail(`unknown option --${key}\n\n${usage}`);
    const positive = () => {
      const n = Number(value);
      if (!(n > 0)) fail(`--${key} needs a positive number`);
      return n;
    };
    if (Array.isArray(kind)) opts[kind[0]] = kind[1];
    else if (kind === 'flag') opts[key] = true;
    else if (kind === 'list') opts[key] = String(value || '').split(',').map((x) => x.trim()).filter(Boolean);
    else if (kind === 'int') opts[key] = Math.round(positive());
    else opts[key] = positive();
  }
  return opts;
}

function parseArgs(argv) {
  const opts = parseOptions(
    argv,
    { quick: false, only: null, shapes: null, modes: MODE_NAMES, repeats: null, time: null, processes: null, rebuild: false, write: true },
    { quick: 'flag', only: 'list', shapes: 'list', modes: 'list', repeats: 'int', time: 'number', processes: 'int', rebuild: 'flag', 'no-write': ['write', false] },
    USAGE,
    fail,
  );
  if (opts.only) {
    for (const c of opts.only) if (!CONTENDERS.includes(c)) fail(`unknown contender "${c}" (known: ${CONTENDERS.join(', ')})`);
    if (!opts.only.length) fail('--only needs at least one contender');
  }
  if (opts.shapes) {
    for (const s of opts.shapes) if (!byName.has(s)) fail(`unknown shape "${s}" (known: ${[...byName.keys()].join(', ')})`);
    if (!opts.shapes.length) fail('--shapes needs at least one shape');
  }
  for (const m of opts.modes) if (!MODE_NAMES.includes(m)) fail(`unknown mode "${m}" (known: ${MODE_NAMES.join(', ')})`);
  if (!opts.modes.length) fail('--modes needs at least one mode');
  opts.modes = MODE_NAMES.filter((m) => opts.modes.includes(m)); // the realistic table comes first
  opts.processesGiven = Boolean(opts.processes);
  if (!opts.processes) opts.processes = MODES[opts.quick ? 'quick' : 'full'].processes;
  return opts;
}

function exec(file, args, options = {}) {
  const r = spawnSync(file, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${file}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.signal || r.status}`);
}

// --- setup steps -----------------------------------------------------------

let depsChecked = false;
function ensureDeps() {
  if (depsChecked) return;
  const pkg = JSON.parse(fs.readFileSync(path.join(paths.benchDir, 'package.json'), 'utf8'));
  const missing = Object.keys(pkg.devDependencies || {}).filter(
    (name) => !fs.existsSync(path.join(paths.benchDir, 'node_modules', name, 'package.json')),
  );
  if (missing.length) {
    log(`installing bench dependencies (${missing.join(', ')}) into bench/node_modules`);
    exec('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: paths.benchDir });
  }
  depsChecked = true;
}

function buildLib(rebuild) {
  const src = path.join(paths.benchDir, 'lib', 'benchlib.c');
  const out = paths.libPath;
  if (!rebuild && fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(src).mtimeMs) return;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const cc = process.env.CC || 'cc';
  log(`building ${path.relative(process.cwd(), out)}`);
  // -lm: is_prime() (shape primes_parallel) calls sqrt().
  exec(cc, ['-O2', '-shared', '-fPIC', '-Wl,-soname,libbench.so', '-o', out, src, '-lm']);
}

// --- running contenders ----------------------------------------------------

function prepareContender(name, parentCtx) {
  try {
    const contender = require(path.join(paths.benchDir, 'contenders', `${name}.js`));
    if (typeof contender.prepare === 'function') contender.prepare(parentCtx);
    return { contender };
  } catch (err) {
    return { error: `prepare failed: ${err.message}` };
  }
}

// A slow contender may ask for less in full runs (contender.full: {
// processes, repeats, time }); options given on the command line win.
function fullOverride(contender, opts, key) {
  if (opts.quick || !contender.full) return undefined;
  if (key === 'processes' ? opts.processesGiven : opts[key]) return undefined;
  return contender.full[key];
}

function runChild(name, contender, opts, parentCtx) {
  const childArgs = [
    `--contender=${name}`,
    `--shapes=${opts.shapeNames.join(',')}`,
    `--mode=${opts.quick ? 'quick' : 'full'}`,
  ];
  if (opts.app) childArgs.push('--app');
  const repeats = opts.repeats || fullOverride(contender, opts, 'repeats');
  if (repeats) childArgs.push(`--repeats=${repeats}`);
  const time = opts.time || fullOverride(contender, opts, 'time');
  if (time) childArgs.push(`--time=${time}`);

  // Default: a fresh Node process running child.js. A contender may supply
  // its own command (another Node binary, Python, ...) speaking the same protocol.
  const cmd =
    typeof contender.command === 'function'
      ? contender.command(parentCtx, childArgs)
      : { file: process.execPath, args: ['--expose-gc', path.join(paths.benchDir, 'child.js'), ...childArgs] };

  const r = spawnSync(cmd.file, cmd.args, {
    cwd: paths.rootDir,
    env: cmd.env || process.env, // a command may give the child its own environment (lines.js: TSCTYPES_ENTRY)
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60 * 1000,
  });
  const line = (r.stdout || '').split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (line) {
    try {
      return JSON.parse(line.slice(RESULT_MARKER.length));
    } catch (err) {
      return { contender: name, available: false, error: `bad JSON from child: ${err.message}`, shapes: {} };
    }
  }
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
  return { contender: name, available: false, error: `child process produced no result (${why})`, shapes: {} };
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// Combine one contender's results from several child processes: per shape,
// the median of the per-process medians (robust against a process that
// landed in a slow or fast state), the extreme samples, and every sample.
function mergeRuns(name, runs) {
  const bad = runs.find((r) => !r.available);
  if (bad) return { ...bad, contender: name, available: false, shapes: {} };
  const merged = { contender: name, available: true, version: runs[0].version, processes: runs.length, shapes: {} };
  if (runs[0].info) merged.info = runs[0].info;
  // The realistic mode's live callback: ok only if it answered in every process.
  if (runs[0].live) merged.live = runs.map((r) => r.live).find((l) => !l || l.status !== 'ok') || runs[0].live;
  const overheads = runs.map((r) => r.loopOverheadNs).filter((v) => typeof v === 'number');
  if (overheads.length) merged.loopOverheadNs = median(overheads);
  for (const shape of Object.keys(runs[0].shapes)) {
    const per = runs.map((r) => r.shapes[shape] || { status: 'error', error: 'missing from a child result' });
    const notOk = per.find((s) => s.status !== 'ok');
    if (notOk) {
      merged.shapes[shape] = notOk;
      continue;
    }
    merged.shapes[shape] = { status: 'ok', ...mergeStats(per) };
    const checks = per.map((s) => s.check).filter(Boolean);
    if (checks.length) merged.shapes[shape].checks = checks;
    if (per[0].parts) {
      merged.shapes[shape].parts = {};
      for (const part of Object.keys(per[0].parts)) {
        merged.shapes[shape].parts[part] = mergeStats(per.map((s) => s.parts[part]));
      }
    }
    if (typeof per[0].speedup === 'number') {
      merged.shapes[shape].speedup = median(per.map((s) => s.speedup));
      merged.shapes[shape].processSpeedups = per.map((s) => s.speedup);
    }
  }
  return merged;
}

// One shape's (or part's) numbers from several processes.
function mergeStats(per) {
  return {
    nsPerCall: median(per.map((s) => s.nsPerCall)),
    min: Math.min(...per.map((s) => s.min)),
    max: Math.max(...per.map((s) => s.max)),
    processMedians: per.map((s) => s.nsPerCall),
    samples: per.flatMap((s) => s.samples),
    callsPerRun: Math.round(median(per.map((s) => s.callsPerRun))),
    resultKind: per[0].resultKind,
  };
}

// Rounds are interleaved (app: napi, koffi, tsctypes, isolated: napi, koffi,
// tsctypes, app: napi, ...) so slow drifts of the machine hit every contender
// and both modes alike. Returns per mode the merged results of each contender.
function runAll(contenderNames, opts, parentCtx) {
  const prepared = {};
  for (const name of contenderNames) prepared[name] = prepareContender(name, parentCtx);
  const runs = Object.fromEntries(opts.modes.map((m) => [m, Object.fromEntries(contenderNames.map((n) => [n, []]))]));
  const processes = {};
  for (const name of contenderNames) {
    const p = prepared[name];
    processes[name] = (!p.error && fullOverride(p.contender, opts, 'processes')) || opts.processes;
  }
  const rounds = Math.max(...Object.values(processes));
  const elapsed = {};
  for (let round = 1; round <= rounds; round++) {
    for (const mode of opts.modes) {
      for (const name of contenderNames) {
        const p = prepared[name];
        if (p.error || round > processes[name]) continue;
        if (runs[mode][name].some((r) => !r.available)) continue; // unavailable once: don't retry
        const label = `${name} (${mode}): child process ${round}/${processes[name]}`;
        log(label);
        const t0 = Date.now();
        runs[mode][name].push(runChild(name, p.contender, { ...opts, app: mode === 'app' }, parentCtx));
        elapsed[name] = (elapsed[name] || 0) + (Date.now() - t0) / 1000;
        log(`${label} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
  }
  const results = {};
  for (const mode of opts.modes) {
    results[mode] = {};
    for (const name of contenderNames) {
      const p = prepared[name];
      results[mode][name] = p.error
        ? { contender: name, available: false, error: p.error, shapes: {} }
        : mergeRuns(name, runs[mode][name]);
      if (!results[mode][name].available) log(`${name} (${mode}) unavailable: ${results[mode][name].error}`);
    }
  }
  const contenderInfo = {};
  for (const name of contenderNames) {
    const c = prepared[name].contender;
    contenderInfo[name] = { summary: c && c.summary };
  }
  const spent = contenderNames.filter((n) => elapsed[n]).map((n) => `${n} ${elapsed[n].toFixed(0)} s`);
  if (spent.length) log(`time in child processes: ${spent.join(', ')}`);
  return { results, contenderInfo };
}

// --- reporting -------------------------------------------------------------

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* fall through */
  }
  return (os.cpus()[0] && os.cpus()[0].model) || 'unknown';
}

function packageVersion(name) {
  try {
    const file = path.join(paths.benchDir, 'node_modules', name, 'package.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return null;
  }
}

function cpuCount() {
  return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
}

// The first line a command prints, or null.
function commandVersion(file, args) {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n')[0] || null;
}

function machineInfo() {
  return {
    cpu: cpuModel(),
    cores: cpuCount(),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    python: commandVersion(process.env.PYTHON || 'python3', ['--version']),
    cc: commandVersion(process.env.CC || 'cc', ['--version']),
    packages: { koffi: packageVersion('koffi'), 'ffi-rs': packageVersion('ffi-rs'), 'node-gyp': packageVersion('node-gyp') },
    date: new Date().toISOString(),
    loadBefore: loadBefore.toFixed(2),
    loadAfter: os.loadavg()[0].toFixed(2),
  };
}

// --- main ------------------------------------------------------------------

let loadBefore = 0;

function main() {
  loadBefore = os.loadavg()[0];
  const opts = parseArgs(process.argv.slice(2));
  const contenderNames = opts.only ? CONTENDERS.filter((c) => opts.only.includes(c)) : CONTENDERS;
  opts.shapeNames = opts.shapes ? allShapes.map((s) => s.name).filter((n) => opts.shapes.includes(n)) : allShapes.map((s) => s.name);
  const command = ['node bench/run.js', ...process.argv.slice(2)].join(' ');

  try {
    buildLib(opts.rebuild);
  } catch (err) {
    fail(`could not build libbench.so: ${err.message}`);
  }

  const parentCtx = { ...paths, rebuild: opts.rebuild, quick: opts.quick, log, exec, ensureDeps };
  const { results, contenderInfo } = runAll(contenderNames, opts, parentCtx);

  const machine = machineInfo();
  for (const mode of opts.modes) {
    const r = results[mode];
    const what = `${MODE_WORD[mode]} mode, ${opts.quick ? 'quick mode — smoke check only' : 'lower is better'}`;
    process.stdout.write(`\nMedian ns per call (${what})\n\n`);
    process.stdout.write(`${resultsTable(r, contenderNames, opts.shapeNames)}\n`);
    process.stdout.write(`\nFastest measurement (ns/call, ${MODE_WORD[mode]} mode; steadier than the median on a noisy machine)\n\n`);
    process.stdout.write(`${resultsTable(r, contenderNames, opts.shapeNames, 'min')}\n`);
    for (const { shape, table } of speedupTables(r, contenderNames, opts.shapeNames)) {
      const s = byName.get(shape);
      process.stdout.write(`\n${shape}: ${s.speedup[0]} vs ${s.speedup[1]} (${cpuCount()} cores, ${MODE_WORD[mode]} mode)\n\n${table}\n`);
    }
    const probs = problems(r, contenderNames);
    if (probs.length) process.stdout.write(`\n${probs.map((p) => `! ${mode}: ${p}`).join('\n')}\n`);
  }
  process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);

  if (opts.write) {
    const published = opts.modes[0];
    const svg = renderChartSvg(results[published], contenderNames, opts.shapeNames, machine, published);
    if (svg) fs.writeFileSync(path.join(paths.benchDir, 'chart.svg'), svg);
    const md = renderMarkdown({
      byMode: results,
      contenderNames,
      shapeNames: opts.shapeNames,
      machine,
      opts,
      command,
      contenderInfo,
      chartFile: svg ? 'chart.svg' : null,
    });
    fs.writeFileSync(path.join(paths.benchDir, 'RESULTS.md'), md);
    fs.mkdirSync(paths.buildDir, { recursive: true });
    fs.writeFileSync(
      path.join(paths.buildDir, 'results.json'),
      `${JSON.stringify({ command, machine, options: opts, results }, null, 2)}\n`,
    );
    log(`wrote bench/RESULTS.md${svg ? ', bench/chart.svg' : ''} and bench/build/results.json`);
    if (!opts.quick && !opts.only && !opts.shapes && opts.modes.length === MODE_NAMES.length) updateDocs(md);
  }
}

// docs/performance.md shows the latest complete run's main table: the text
// between its two marker comments is replaced by RESULTS.md's "Machine" and
// "Contenders" lists and both modes' tables with the notes under them, the
// realistic one first (partial and quick runs, and runs of one mode, leave it alone).
const DOCS_BEGIN = '<!-- bench-results:begin (written by bench/run.js) -->';
const DOCS_END = '<!-- bench-results:end -->';

function updateDocs(resultsMd) {
  const file = path.join(paths.rootDir, 'docs', 'performance.md');
  if (!fs.existsSync(file)) return;
  const doc = fs.readFileSync(file, 'utf8');
  const a = doc.indexOf(DOCS_BEGIN);
  const b = doc.indexOf(DOCS_END);
  if (a < 0 || b < a) {
    log('docs/performance.md has no results markers: not updated');
    return;
  }
  // The body of RESULTS.md's "## <title>..." section, up to the next heading.
  const lines = resultsMd.split('\n');
  const section = (title) => {
    const start = lines.findIndex((l) => l.startsWith(`## ${title}`));
    if (start < 0) return '';
    let end = start + 1;
    while (end < lines.length && !/^#{2,3} /.test(lines[end])) end++;
    return lines.slice(start + 1, end).join('\n').trim();
  };
  const generated = /^Generated by .*$/m.exec(resultsMd);
  const block = [
    DOCS_BEGIN,
    '',
    `${generated ? generated[0] : ''} Copied from [bench/RESULTS.md](../bench/RESULTS.md), which has more (the fastest measurements, the spread, the parallel speed-ups).`,
    '',
    section('Machine'),
    '',
    '#### Contenders',
    '',
    section('Contenders'),
    '',
    '#### Median time per operation, realistic mode (ns, lower is better): the published table',
    '',
    section('Median time per operation, realistic mode').replace(/!\[[^\]]*\]\(chart\.svg\)/, '').trim(),
    '',
    '#### Median time per operation, isolated mode (ns, lower is better)',
    '',
    section('Median time per operation, isolated mode').replace(/!\[[^\]]*\]\(chart\.svg\)/, '').trim(),
    '',
    DOCS_END,
  ].join('\n');
  fs.writeFileSync(file, doc.slice(0, a) + block + doc.slice(b + DOCS_END.length));
  log('updated the results in docs/performance.md');
}

if (require.main === module) main();

// lines.js (the same contenders under other Node binaries) reuses the machinery.
module.exports = { parseOptions, updateDocs, runChild, mergeRuns, median, buildLib, ensureDeps, exec, log, cpuModel, cpuCount, packageVersion };
