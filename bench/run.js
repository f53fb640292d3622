#!/usr/bin/env node
'use strict';
// tsctypes benchmark suite — `npm run bench` at the repo root, or
//
//   node bench/run.js [--quick] [--only=napi,koffi,tsctypes] [--shapes=noop,add_i32,...]
//                     [--repeats=N] [--time=ms] [--processes=N] [--rebuild] [--no-write]
//
// 1. installs bench/package.json's devDependencies (koffi, node-gyp) into
//    bench/node_modules if they are missing,
// 2. builds bench/build/libbench.so from bench/lib/benchlib.c (cc -O2 -shared -fPIC ... -lm),
// 3. lets each contender prepare itself (e.g. build the Node-API addon),
// 4. runs each contender in its own child processes (bench/child.js; several
//    per contender, interleaved), each of which times every shape and returns
//    JSON on stdout,
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
const { paths, CONTENDERS, RATIOS, RESULT_MARKER, MODES } = require('./config');

const USAGE = `usage: node bench/run.js [options]

  --quick              short runs (1 process, 3 repeats of ~30 ms): a smoke check, not for publishing
  --only=a,b           contenders to run (default: ${CONTENDERS.join(',')})
  --shapes=a,b         shapes to run (default: ${allShapes.map((s) => s.name).join(',')})
  --repeats=N          measurements per shape (default: ${MODES.full.repeats}, quick: ${MODES.quick.repeats})
  --time=ms            target duration of one measurement (default: ${MODES.full.targetMs}, quick: ${MODES.quick.targetMs})
  --processes=N        child processes per contender (default: ${MODES.full.processes}, quick: ${MODES.quick.processes})
  --rebuild            rebuild libbench.so and the Node-API addon even if up to date
  --no-write           don't write bench/RESULTS.md / bench/build/results.json
  --help               this text
`;

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`[bench] error: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { quick: false, only: null, shapes: null, repeats: null, time: null, processes: null, rebuild: false, write: true };
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) fail(`unexpected argument "${a}"\n\n${USAGE}`);
    const [, key, value] = m;
    const list = () => String(value || '').split(',').map((s) => s.trim()).filter(Boolean);
    const positive = () => {
      const n = Number(value);
      if (!(n > 0)) fail(`--${key} needs a positive number`);
      return n;
    };
    switch (key) {
      case 'quick': opts.quick = true; break;
      case 'only': opts.only = list(); break;
      case 'shapes': opts.shapes = list(); break;
      case 'repeats': opts.repeats = Math.round(positive()); break;
      case 'time': opts.time = positive(); break;
      case 'processes': opts.processes = Math.round(positive()); break;
      case 'rebuild': opts.rebuild = true; break;
      case 'no-write': opts.write = false; break;
      case 'help': case 'h': process.stdout.write(USAGE); process.exit(0); // eslint-disable-line no-fallthrough
      default: fail(`unknown option --${key}\n\n${USAGE}`);
    }
  }
  if (opts.only) {
    for (const c of opts.only) if (!CONTENDERS.includes(c)) fail(`unknown contender "${c}" (known: ${CONTENDERS.join(', ')})`);
    if (!opts.only.length) fail('--only needs at least one contender');
  }
  if (opts.shapes) {
    for (const s of opts.shapes) if (!byName.has(s)) fail(`unknown shape "${s}" (known: ${[...byName.keys()].join(', ')})`);
    if (!opts.shapes.length) fail('--shapes needs at least one shape');
  }
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
// processes, repeats }); options given on the command line win.
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
  const repeats = opts.repeats || fullOverride(contender, opts, 'repeats');
  if (repeats) childArgs.push(`--repeats=${repeats}`);
  if (opts.time) childArgs.push(`--time=${opts.time}`);

  // Default: a fresh Node process running child.js. A contender may supply
  // its own command (another Node binary, Python, ...) speaking the same protocol.
  const cmd =
    typeof contender.command === 'function'
      ? contender.command(parentCtx, childArgs)
      : { file: process.execPath, args: ['--expose-gc', path.join(paths.benchDir, 'child.js'), ...childArgs] };

  const r = spawnSync(cmd.file, cmd.args, {
    cwd: paths.rootDir,
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

// Rounds are interleaved (napi, koffi, tsctypes, napi, koffi, ...) so slow
// drifts of the machine hit every contender alike.
function runAll(contenderNames, opts, parentCtx) {
  const prepared = {};
  for (const name of contenderNames) prepared[name] = prepareContender(name, parentCtx);
  const runs = Object.fromEntries(contenderNames.map((n) => [n, []]));
  const processes = {};
  for (const name of contenderNames) {
    const p = prepared[name];
    processes[name] = (!p.error && fullOverride(p.contender, opts, 'processes')) || opts.processes;
  }
  const rounds = Math.max(...Object.values(processes));
  for (let round = 1; round <= rounds; round++) {
    for (const name of contenderNames) {
      const p = prepared[name];
      if (p.error || round > processes[name]) continue;
      if (runs[name].some((r) => !r.available)) continue; // unavailable once: don't retry
      log(`${name}: child process ${round}/${processes[name]}`);
      runs[name].push(runChild(name, p.contender, opts, parentCtx));
    }
  }
  const results = {};
  for (const name of contenderNames) {
    const p = prepared[name];
    results[name] = p.error
      ? { contender: name, available: false, error: p.error, shapes: {} }
      : mergeRuns(name, runs[name]);
    if (!results[name].available) log(`${name} unavailable: ${results[name].error}`);
  }
  return results;
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

function machineInfo() {
  return {
    cpu: cpuModel(),
    cores: cpuCount(),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    koffi: packageVersion('koffi'),
    date: new Date().toISOString(),
    loadBefore: loadBefore.toFixed(2),
    loadAfter: os.loadavg()[0].toFixed(2),
  };
}

// ns, with thousands separators from 100,000 up (a sort takes ~10^8 ns).
const fmtNs = (v) =>
  v >= 1e5 ? Math.round(v).toLocaleString('en-US') : v >= 1000 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const fmtMs = (ns) => (ns / 1e6).toFixed(ns >= 1e8 ? 0 : 1);
const fmtCount = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));

function cell(result, shape, stat = 'nsPerCall') {
  if (!result || !result.available) return 'unavailable';
  const s = result.shapes[shape];
  if (!s) return '—';
  if (s.status === 'ok') return fmtNs(s[stat]);
  return s.status === 'n/a' ? 'n/a' : 'error';
}

function ratioCell(results, shape, [a, b], stat = 'nsPerCall') {
  const ra = results[a];
  const rb = results[b];
  const sa = ra && ra.available && ra.shapes[shape];
  const sb = rb && rb.available && rb.shapes[shape];
  if (!sa || !sb || sa.status !== 'ok' || sb.status !== 'ok') return '—';
  const r = sa[stat] / sb[stat];
  // two decimals, or two significant digits below 0.1 (struct_rw against koffi is ~0.003×)
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

function markdownTable(header, rows, align) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length), 3));
  const pad = (text, c) => (align[c] === 'r' ? text.padStart(widths[c]) : text.padEnd(widths[c]));
  const line = (cells) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (align[c] === 'r' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

// stat: 'nsPerCall' (median, the headline number) or 'min' (fastest measurement).
function resultsTable(results, contenderNames, shapeNames, stat = 'nsPerCall') {
  const ratios = RATIOS.filter(([a, b]) => contenderNames.includes(a) && contenderNames.includes(b));
  const header = [stat === 'min' ? 'shape (min ns/call)' : 'shape (ns/call)', ...contenderNames, ...ratios.map(([a, b]) => `${a}/${b}`)];
  const rows = shapeNames.map((shape) => [
    rowLabel(shape),
    ...contenderNames.map((c) => cell(results[c], shape, stat)),
    ...ratios.map((pair) => ratioCell(results, shape, pair, stat)),
  ]);
  return markdownTable(header, rows, header.map((_, c) => (c === 0 ? 'l' : 'r')));
}

// The row label: the shape's name, plus its unit when one operation is not one call.
function rowLabel(shape) {
  const s = byName.get(shape);
  return s && s.unit ? `${shape} (ns/${s.unit})` : shape;
}

// Shapes with `speedup: [a, b]` (primes_parallel): per contender, the median
// time of each part (ms) and the speed-up a/b (median over processes of each
// process's median of the back-to-back pairs a_k / b_k).
function speedupTables(results, contenderNames, shapeNames) {
  const out = [];
  for (const shape of shapeNames) {
    const s = byName.get(shape);
    if (!s || !s.speedup) continue;
    const [a, b] = s.speedup;
    const header = ['contender', `${a} (ms)`, `${b} (ms)`, `speed-up ${a}/${b}`, 'per process'];
    const rows = [];
    for (const c of contenderNames) {
      const r = results[c];
      const m = r && r.available && r.shapes[shape];
      if (!m || m.status !== 'ok' || !m.parts) continue;
      rows.push([
        c,
        fmtMs(m.parts[a].nsPerCall),
        fmtMs(m.parts[b].nsPerCall),
        `${m.speedup.toFixed(2)}×`,
        (m.processSpeedups || [m.speedup]).map((v) => `${v.toFixed(2)}×`).join(' / '),
      ]);
    }
    if (rows.length) out.push({ shape, table: markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r']) });
  }
  return out;
}

function problems(results, contenderNames) {
  const out = [];
  for (const c of contenderNames) {
    const r = results[c];
    if (!r.available) {
      out.push(`${c}: unavailable — ${r.error}`);
      continue;
    }
    for (const [shape, s] of Object.entries(r.shapes)) {
      if (s.status === 'error') out.push(`${c} / ${shape}: ${s.error}`);
    }
  }
  return out;
}

// Shapes a contender reports as not applicable, with its reason.
function notApplicableNotes(results, contenderNames, shapeNames) {
  const out = [];
  for (const c of contenderNames) {
    const r = results[c];
    if (!r.available) continue;
    for (const shape of shapeNames) {
      const s = r.shapes[shape];
      if (s && s.status === 'n/a' && s.reason) out.push(`${c} / ${shape}: ${s.reason}`);
    }
  }
  return out;
}

function renderMarkdown({ results, contenderNames, shapeNames, machine, opts, command }) {
  const L = [];
  L.push('# tsctypes benchmark results', '');
  L.push(`Generated by \`${command}\` on ${machine.date}.`);
  if (opts.quick) L.push('', '**Quick mode** (short, few runs): a smoke check only — do not compare these numbers.');
  L.push('', '## Machine', '');
  L.push(`- CPU: ${machine.cpu}`);
  L.push(`- Cores: ${machine.cores}`);
  L.push(`- OS: ${machine.os}`);
  L.push(`- Node: ${machine.node} (V8 ${machine.v8})`);
  L.push(`- koffi: ${machine.koffi || 'not installed'}`);
  L.push(`- Date: ${machine.date}`);
  L.push(`- Load average (1 min) before / after the run: ${machine.loadBefore} / ${machine.loadAfter}`);
  L.push('', '## Contenders', '');
  for (const c of contenderNames) {
    const r = results[c];
    L.push(`- ${c}: ${r.available ? r.version || 'available' : `unavailable (${r.error})`}`);
  }
  L.push('', '## Median time per call (ns, lower is better)', '');
  L.push(resultsTable(results, contenderNames, shapeNames));
  L.push('', 'Ratio columns divide the medians: above 1× means the first contender is slower.');
  L.push('', '### Fastest measurement (ns/call)', '');
  L.push(
    'The minimum over all measurements. On a shared VM the whole machine can run ~1.5× slower for seconds at a time, ' +
      'which moves medians between runs; the minimum is usually the more reproducible basis for comparing contenders.',
    '',
  );
  L.push(resultsTable(results, contenderNames, shapeNames, 'min'));
  for (const { shape, table } of speedupTables(results, contenderNames, shapeNames)) {
    const s = byName.get(shape);
    L.push('', `### ${shape}: ${s.speedup[0]} vs ${s.speedup[1]}`, '');
    L.push(
      `Milliseconds per count of the 1,000,000 ints on this machine's ${machine.cores} cores: \`${s.speedup[0]}\` is one synchronous call on the whole array, ` +
        `\`${s.speedup[1]}\` two parallel async calls on its halves (dealt out in blocks of 64 ints). The speed-up is the median of ` +
        `${s.speedup[0]}/${s.speedup[1]} over back-to-back pairs of measurements in each process, then over processes.`,
      '',
    );
    L.push(table);
  }
  const probs = problems(results, contenderNames);
  if (probs.length) {
    L.push('', '### Problems', '');
    for (const p of probs) L.push(`- ${p}`);
  }

  const notes = notApplicableNotes(results, contenderNames, shapeNames);
  if (notes.length) {
    L.push('', '### Not applicable', '');
    for (const n of notes) L.push(`- ${n}`);
  }

  L.push('', '## Shapes', '');
  L.push(
    markdownTable(
      ['shape', 'C function', 'JS call (same values for every contender)'],
      shapeNames.map((n) => {
        const s = byName.get(n);
        return [n, `\`${s.signature}\``, `\`${s.call}\``];
      }),
      ['l', 'l', 'l'],
    ),
  );
  L.push(
    '',
    '`buf64` is a 64-byte `Uint8Array`; `i` is the loop counter. Struct shapes: `va`, `vb`, `ma`, `mb` are the same plain objects for every contender; ' +
      'koffi and the Node-API addon pass them as they are, tsctypes passes struct instances built from them once (C data, as a program keeps its structs). ' +
      'For `struct_rw`, `p` is a struct instance (tsctypes), a plain object (js), or `koffi.alloc` memory read and written with `koffi.decode`/`koffi.encode` (koffi).',
    '',
    'Callback shapes: callbacks are made once, outside the timed closure (tsctypes `CFUNCTYPE(...)(fn)`, koffi `koffi.register`, the Node-API addon a static C trampoline calling a stored JS function). ' +
      '`qsort_10k` is one whole sort of 10,000 ints (~120,000 comparator calls), starting each time from the same data, copied in inside the timed closure for everyone; ' +
      'comparators: tsctypes `(a, b) => a[0] - b[0]` on `POINTER(c_int)`s, koffi `koffi.decode(a, int) - koffi.decode(b, int)`, napi `(x, y) => x - y` on the ints its trampoline reads. ' +
      '`async_call` awaits each call before the next (koffi: its `f.async(..., callback)` in a Promise; napi: `napi_create_async_work` and a promise). ' +
      '`primes_parallel`: see its table above; the main table shows the two-halves time.',
  );

  L.push('', '## Spread', '');
  L.push('Per contender: the median of each child process (the table above shows their median), then [min – max] over all measurements, and the number of calls in one measurement.', '');
  const spreadRows = [];
  for (const shape of shapeNames) {
    const row = [shape];
    for (const c of contenderNames) {
      const r = results[c];
      const s = r.available && r.shapes[shape];
      row.push(
        s && s.status === 'ok'
          ? `${(s.processMedians || [s.nsPerCall]).map(fmtNs).join(' / ')} [${fmtNs(s.min)} – ${fmtNs(s.max)}] ${fmtCount(s.callsPerRun)}`
          : cell(r, shape),
      );
    }
    spreadRows.push(row);
  }
  L.push(markdownTable(['shape', ...contenderNames], spreadRows, ['l', ...contenderNames.map(() => 'r')]));
  const overheads = contenderNames
    .filter((c) => results[c].available && typeof results[c].loopOverheadNs === 'number')
    .map((c) => `${c} ${fmtNs(results[c].loopOverheadNs)}`);
  if (overheads.length) {
    L.push('', `Timing-loop overhead around a trivial JS closure \`(i) => i\`, per process: ${overheads.join(', ')} ns (included in every number above).`);
  }

  const mode = { ...MODES[opts.quick ? 'quick' : 'full'] };
  if (opts.repeats) mode.repeats = opts.repeats;
  if (opts.time) mode.targetMs = opts.time;
  L.push('', '## Method', '');
  L.push(
    `- Each contender runs in its own Node processes (\`bench/child.js\`, started with \`--expose-gc\`), so JIT state and loaded addons don't interact: ${opts.processes} process(es) per contender, interleaved between contenders; the reported number is the median of the per-process medians.`,
    `- For each shape the contender supplies a closure that makes one call; a freshly compiled loop calls it N times, consuming every result (running sum, or last value) so nothing is dead code.`,
    `- Warm-up ≥ ${mode.warmupMs} ms, then N is chosen so one measurement takes ~${mode.targetMs} ms; ${mode.repeats} measurements per process (heap collected before each), median taken.`,
    '- Async shapes (`async_call`, `primes_parallel`) run in an async loop that awaits every call before the next; one measurement is the whole batch\'s time / N. Slow operations (a sort, a prime count) are measured with N as low as 1. The parts of `primes_parallel` are measured alternately in each process.',
    '- Before timing, each closure is checked against the expected result for a few inputs.',
    '- Contenders: `napi` is a hand-written Node-API addon (`bench/napi-addon/`) linked against the same `libbench.so`; `koffi` uses prototype strings (`lib.func(\'int add_i32(int, int)\')`); `tsctypes` uses its public API (`lib.func(name, restype, argtypes)`); `js` is plain JavaScript objects (the `struct_rw` floor, no C).',
  );
  return `${L.join('\n')}\n`;
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
  const results = runAll(contenderNames, opts, parentCtx);

  const machine = machineInfo();
  process.stdout.write(`\nMedian ns per call (${opts.quick ? 'quick mode — smoke check only' : 'lower is better'})\n\n`);
  process.stdout.write(`${resultsTable(results, contenderNames, opts.shapeNames)}\n`);
  process.stdout.write(`\nFastest measurement (ns/call; steadier than the median on a noisy machine)\n\n`);
  process.stdout.write(`${resultsTable(results, contenderNames, opts.shapeNames, 'min')}\n`);
  for (const { shape, table } of speedupTables(results, contenderNames, opts.shapeNames)) {
    const s = byName.get(shape);
    process.stdout.write(`\n${shape}: ${s.speedup[0]} vs ${s.speedup[1]} (${cpuCount()} cores)\n\n${table}\n`);
  }
  const probs = problems(results, contenderNames);
  if (probs.length) process.stdout.write(`\n${probs.map((p) => `! ${p}`).join('\n')}\n`);
  process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, koffi ${machine.koffi || '-'}\n`);

  if (opts.write) {
    const md = renderMarkdown({ results, contenderNames, shapeNames: opts.shapeNames, machine, opts, command });
    fs.writeFileSync(path.join(paths.benchDir, 'RESULTS.md'), md);
    fs.mkdirSync(paths.buildDir, { recursive: true });
    fs.writeFileSync(
      path.join(paths.buildDir, 'results.json'),
      `${JSON.stringify({ command, machine, options: opts, results }, null, 2)}\n`,
    );
    log('wrote bench/RESULTS.md and bench/build/results.json');
  }
}

if (require.main === module) main();
