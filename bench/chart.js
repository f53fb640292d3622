'use strict';
// bench/chart.svg: the median times as grouped horizontal bars, one group per
// shape and one colour per contender, on a logarithmic axis (the numbers span
// from under a nanosecond to a second). Plain SVG text, no dependency.

// One colour per contender (in CONTENDERS order); tsctypes stands out.
const COLOURS = {
  js: '#9e9e9e',
  napi: '#1f77b4',
  v8fast: '#17becf',
  koffi: '#ff7f0e',
  'ffi-rs': '#8c564b',
  'ffi-napi': '#e377c2',
  python: '#2ca02c',
  'node-ffi': '#9467bd',
  tsctypes: '#d62728',
};
const FALLBACK = ['#bcbd22', '#7f7f7f', '#393b79', '#637939'];

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const BAR = 9; // bar height
const GAP = 2; // between bars of a group
const GROUP_PAD = 10; // between groups
const LABEL_W = 190; // shape labels
const PLOT_W = 640; // the log axis
const VALUE_W = 90; // value text right of the longest bar
const LEFT = 10;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// 1 ns, 10 ns, 100 ns, 1 µs, ... for a power of ten in ns.
function tickLabel(exp) {
  const units = [
    [9, 's'],
    [6, 'ms'],
    [3, 'µs'],
    [0, 'ns'],
  ];
  for (const [e, u] of units) if (exp >= e) return `${10 ** (exp - e)} ${u}`;
  return `${10 ** exp} ns`;
}

function fmtValue(ns) {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e5 ? 0 : 1)} µs`;
  return `${ns >= 10 ? ns.toFixed(0) : ns.toFixed(1)} ns`;
}

// results: { contender: merged result }; rows: [{ shape, label }].
function renderChart({ results, contenderNames, rows, title }) {
  const colour = {};
  contenderNames.forEach((c, k) => (colour[c] = COLOURS[c] || FALLBACK[k % FALLBACK.length]));
  const groups = rows
    .map(({ shape, label }) => ({
      label,
      bars: contenderNames
        .map((c) => {
          const r = results[c];
          const s = r && r.available && r.shapes[shape];
          return s && s.status === 'ok' ? { contender: c, ns: s.nsPerCall } : null;
        })
        .filter(Boolean),
    }))
    .filter((g) => g.bars.length);
  const all = groups.flatMap((g) => g.bars.map((b) => b.ns)).filter((v) => v > 0);
  if (!all.length) return null;
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.ceil(Math.log10(Math.max(...all)));
  const decades = Math.max(1, hi - lo);
  const x0 = LEFT + LABEL_W;
  const xOf = (ns) => x0 + ((Math.log10(Math.max(ns, 10 ** lo)) - lo) / decades) * PLOT_W;

  const out = [];
  const width = x0 + PLOT_W + VALUE_W;
  // Legend: one row of swatches, wrapped.
  let y = 24;
  out.push(`<text x="${LEFT}" y="${y}" ${FONT} font-size="14" font-weight="bold">${esc(title)}</text>`);
  y += 12;
  let lx = LEFT;
  for (const c of contenderNames) {
    const w = 18 + c.length * 7 + 14;
    if (lx + w > width - LEFT) {
      lx = LEFT;
      y += 16;
    }
    out.push(`<rect x="${lx}" y="${y + 2}" width="12" height="10" fill="${colour[c]}"/>`);
    out.push(`<text x="${lx + 16}" y="${y + 11}" ${FONT} font-size="11">${esc(c)}</text>`);
    lx += w;
  }
  y += 28;
  const axisTop = y;

  // Groups.
  const body = [];
  for (const g of groups) {
    const h = g.bars.length * (BAR + GAP) - GAP;
    body.push(
      `<text x="${x0 - 8}" y="${y + h / 2 + 4}" text-anchor="end" ${FONT} font-size="11">${esc(g.label)}</text>`,
    );
    for (const b of g.bars) {
      const x1 = xOf(b.ns);
      body.push(
        `<rect x="${x0}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${BAR}" fill="${colour[b.contender]}">` +
          `<title>${esc(`${g.label} — ${b.contender}: ${fmtValue(b.ns)}`)}</title></rect>`,
      );
      body.push(`<text x="${(x1 + 3).toFixed(1)}" y="${y + BAR - 1}" ${FONT} font-size="8" fill="#444">${esc(fmtValue(b.ns))}</text>`);
      y += BAR + GAP;
    }
    y += GROUP_PAD;
  }
  const axisBottom = y - GROUP_PAD + 4;

  // Decade grid lines and labels, behind the bars.
  const grid = [];
  for (let e = lo; e <= lo + decades; e++) {
    const x = xOf(10 ** e).toFixed(1);
    grid.push(`<line x1="${x}" y1="${axisTop - 4}" x2="${x}" y2="${axisBottom}" stroke="#ddd" stroke-width="1"/>`);
    grid.push(`<text x="${x}" y="${axisTop - 8}" text-anchor="middle" ${FONT} font-size="10" fill="#555">${tickLabel(e)}</text>`);
    grid.push(`<text x="${x}" y="${axisBottom + 12}" text-anchor="middle" ${FONT} font-size="10" fill="#555">${tickLabel(e)}</text>`);
  }
  const height = axisBottom + 40;
  const note = `median time per operation, logarithmic scale (shorter is faster); missing bars: n/a or unavailable`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...out,
    ...grid,
    `<line x1="${x0}" y1="${axisTop - 4}" x2="${x0}" y2="${axisBottom}" stroke="#888" stroke-width="1"/>`,
    ...body,
    `<text x="${LEFT}" y="${height - 10}" ${FONT} font-size="10" fill="#555">${esc(note)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { renderChart };
