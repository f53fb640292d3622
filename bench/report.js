'use strict';
// The reports of a benchmark run: the tables printed on stdout, and
// bench/RESULTS.md (with bench/chart.svg, see chart.js).

const { byName } = require('./shapes');
const { RATIOS, MODES } = require('./config');
const { renderChart } = require('./chart');

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
    if (r.live && r.live.status === 'error') out.push(`${c}: live callback: ${r.live.error}`);
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

// The label of a shape in the chart: its name, and its unit when one
// operation is not one call.
function chartLabel(shape) {
  const s = byName.get(shape);
  return s && s.unit ? `${shape} (per ${s.unit})` : shape;
}

// bench/chart.svg's text, or null when nothing was measured.
// mode: 'app' or 'isolated' (the run's first mode: the published table).
function renderChartSvg(results, contenderNames, shapeNames, machine, mode) {
  return renderChart({
    results,
    contenderNames,
    rows: shapeNames.map((shape) => ({ shape, label: chartLabel(shape) })),
    title: `Median time per operation, ${MODE_WORD[mode]} mode — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
  });
}

// How the tables of the two modes are named (run.js MODE_NAMES; child.js --app).
const MODE_WORD = { app: 'realistic', isolated: 'isolated' };
const MODE_TEXT = {
  app:
    'The realistic mode: each contender runs every shape in one process that starts as an application does — every shape\'s function declared and its C data made up front, and a callback handed to C, which keeps it (`keep_cb`) for the whole run — and only then times the shapes one after the other. Buffers and C data objects go in as pointers (`sum_buf`, `mix6p`).',
  isolated:
    'The isolated mode: each shape\'s function is declared just before that shape is timed, with no callback kept by C, so a shape is measured with only the functions of the shapes before it in the process.',
};

// The realistic mode's live callback per contender (child.js keepCallback).
function liveNotes(results, contenderNames) {
  return contenderNames
    .filter((c) => results[c].available && results[c].live)
    .map((c) => {
      const l = results[c].live;
      return `\`${c}\`: ${l.status === 'ok' ? 'kept by C and answering before and after the shapes' : l.status === 'n/a' ? `none (${l.reason})` : `**error**: ${l.error}`}`;
    });
}

// The sections of one mode: its table (with the chart for the first mode),
// speed-ups, problems, checks, n/a reasons, fastest measurements and spread.
function modeSections(L, results, mode, contenderNames, shapeNames, machine, chartFile) {
  L.push('', `## Median time per operation, ${MODE_WORD[mode]} mode (ns, lower is better)`, '');
  L.push(MODE_TEXT[mode], '');
  L.push(resultsTable(results, contenderNames, shapeNames));
  const legend = ['Ratio columns divide the medians: above 1× means the first contender (tsctypes) is slower.'];
  if (contenderNames.includes('v8fast')) {
    legend.push('`v8fast` (a hand-written V8 fast-API addon) is the floor: no FFI call can be cheaper than a direct fast call, and no callback round trip cheaper than its plain V8-API one.');
  }
  if (contenderNames.includes('node-ffi')) legend.push('`node-ffi` runs on Node 26, not on the Node of the other columns.');
  legend.push(
    'n/a: the contender cannot express the shape (reasons below); unavailable: it could not be installed or loaded here (reason in the contender list).',
  );
  L.push('', legend.join(' '));
  if (mode === 'app') {
    const live = liveNotes(results, contenderNames);
    if (live.length) L.push('', `Live callback: ${live.join('; ')}.`);
  }
  if (chartFile) L.push('', `![chart: median time per operation, log scale](${chartFile})`);
  for (const { shape, table } of speedupTables(results, contenderNames, shapeNames)) {
    const s = byName.get(shape);
    L.push('', `### ${shape}: ${s.speedup[0]} vs ${s.speedup[1]} (${MODE_WORD[mode]} mode)`, '');
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
    L.push('', `### Problems, ${MODE_WORD[mode]} mode`, '');
    for (const p of probs) L.push(`- ${p}`);
  }
  const checks = [];
  for (const c of contenderNames) {
    const r = results[c];
    for (const shape of shapeNames) {
      const s = r.available && r.shapes[shape];
      if (s && s.checks) checks.push(`${c} / ${shape}: ${s.checks.join('; ')}`);
    }
  }
  if (checks.length) {
    L.push('', `### Checks, ${MODE_WORD[mode]} mode`, '');
    L.push('What the contenders verified after each measurement, per process (outside the timed loops).', '');
    for (const line of checks) L.push(`- ${line}`);
  }
  const notes = notApplicableNotes(results, contenderNames, shapeNames);
  if (notes.length) {
    L.push('', `### Not applicable, ${MODE_WORD[mode]} mode`, '');
    for (const n of notes) L.push(`- ${n}`);
  }

  L.push('', `### Fastest measurement (ns/op), ${MODE_WORD[mode]} mode`, '');
  L.push(
    'The minimum over all measurements. On a shared VM the whole machine can run ~1.5× slower for seconds at a time, ' +
      'which moves medians between runs; the minimum is usually the more reproducible basis for comparing contenders.',
    '',
  );
  L.push(resultsTable(results, contenderNames, shapeNames, 'min'));

  L.push('', `### Spread, ${MODE_WORD[mode]} mode`, '');
  L.push('Per contender: the median of each child process (the table above shows their median), then [min – max] over all measurements, and the number of operations in one measurement.', '');
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
    L.push(
      '',
      `Timing-loop overhead around a trivial closure (\`(i) => i\`; Python: \`lambda i: i\`), per process: ${overheads.join(', ')} ns ` +
        '(included in every number above, not subtracted: each number is what one operation costs inside a loop of its language).',
    );
  }

}

// contenderInfo: { name: { summary?, processes } } from the contender modules.
// byMode: { app?, isolated? }, each { <contender>: merged result }.
function renderMarkdown({ byMode, contenderNames, shapeNames, machine, opts, command, contenderInfo, chartFile }) {
  const results = byMode[opts.modes[0]];
  const L = [];
  L.push('# tsctypes benchmark results', '');
  L.push(`Generated by \`${command}\` on ${machine.date}.`);
  if (opts.quick) L.push('', '**Quick mode** (short, few runs): a smoke check only — do not compare these numbers.');
  L.push('', '## Machine', '');
  L.push(`- CPU: ${machine.cpu}`);
  L.push(`- Cores: ${machine.cores}`);
  L.push(`- OS: ${machine.os}`);
  L.push(`- Node: ${machine.node} (V8 ${machine.v8}) for every contender except \`node-ffi\` (its own Node, below)`);
  L.push(`- Python: ${machine.python || 'not found'}`);
  L.push(`- Packages: ${Object.entries(machine.packages).map(([p, v]) => `${p} ${v || 'not installed'}`).join(', ')}`);
  L.push(`- C compiler for libbench.so: ${machine.cc}`);
  L.push(`- Date: ${machine.date}`);
  L.push(`- Load average (1 min) before / after the run: ${machine.loadBefore} / ${machine.loadAfter}`);
  L.push('', '## Contenders', '');
  for (const c of contenderNames) {
    const r = results[c];
    const info = (contenderInfo && contenderInfo[c]) || {};
    const what = info.summary ? ` — ${info.summary}` : '';
    if (!r.available) {
      L.push(`- \`${c}\`: **unavailable** (${r.error})${what}`);
      continue;
    }
    const procs = r.processes ? `; ${r.processes} process${r.processes > 1 ? 'es' : ''}` : '';
    L.push(`- \`${c}\`: ${r.version || 'available'}${procs}${what}`);
  }
  // One section per mode, the first one (the realistic mode when run) being the published table.
  opts.modes.forEach((mode, k) => modeSections(L, byMode[mode], mode, contenderNames, shapeNames, machine, k === 0 ? chartFile : null));
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
    '`i` is the loop counter; `buf64` a 64-byte `Uint8Array`; `ints1m` the plain JS `Array` 0..999,999. Every contender starts from the same JS values ' +
      '(`bench/shapes.js` `makeInputs`); where one cannot take them as they are (bigints, struct objects), it converts them once, outside the timed closure. ' +
      'Callbacks are made once, outside the timed closure. `qsort_10k` is one whole sort of 10,000 ints (~120,000 comparator calls) from the same data each time. ' +
      'How each contender expresses each shape: `bench/README.md`.',
  );

  const mode = { ...MODES[opts.quick ? 'quick' : 'full'] };
  if (opts.repeats) mode.repeats = opts.repeats;
  if (opts.time) mode.targetMs = opts.time;
  L.push('', '## Method', '');
  L.push(
    `- Modes: ${opts.modes.map((m) => MODE_TEXT[m]).join(' ')}`,
    `- Each contender runs in its own child processes (\`bench/child.js\` under Node with \`--expose-gc\`; \`node-ffi\`: the same file under Node 26; \`python\`: \`bench/contenders/python_ctypes.py\`), so JIT state and loaded libraries don't interact: ${opts.processes} process(es) per contender unless listed otherwise above, interleaved between contenders; the reported number is the median of the per-process medians.`,
    `- For each shape the contender supplies a closure that makes one call (or one whole operation); a freshly compiled loop calls it N times, consuming every result (running sum, or last value) so nothing is dead code.`,
    `- Warm-up ≥ ${mode.warmupMs} ms, then N is chosen so one measurement takes ~${mode.targetMs} ms; ${mode.repeats} measurements per process (heap collected before each), median taken. Slow operations (a sort, a conversion or count of 1,000,000 ints) measure ~100 ms at a time, with N as low as 1.`,
    '- Async shapes (`async_call`, `primes_parallel`) run in an async loop that awaits every call before the next; one measurement is the whole batch\'s time / N. The parts of `primes_parallel` are measured alternately in each process. Python uses a thread pool instead of promises.',
    '- Before timing, each closure is checked against the expected result for a few inputs.',
  );
  return `${L.join('\n')}\n`;
}

module.exports = { MODE_WORD, rowLabel, resultsTable, speedupTables, problems, renderMarkdown, renderChartSvg, markdownTable, fmtNs };
