// Stacked area charts with uPlot (served by the daemon from its WebJar at /vendor/uplot/, loaded as a
// classic script that defines the global uPlot). One chart shows groups (apps, domains, ports) stacked
// on each other; "mirrored" charts draw the first measure (in) above the axis and the second (out)
// below it, so one picture shows both directions.
//
// uPlot draws series in order, each filled down to zero. Stacking without its band plugin: series k is
// the sum of groups 0..k, drawn from the largest sum to the smallest with opaque fills, so each group's
// own share is the visible strip. The legend is ours (text nodes), showing each group's own values.

import {el, setText} from './dom.js';
import * as fmt from './format.js';

// Whole units only on the value axis (no "0.2 B"): 1, 2, 5 × 10^k.
const INCRS = [];
for (let k = 0; k < 16; k++) for (const m of [1, 2, 5]) INCRS.push(m * 10 ** k);

const LIGHT = ['#2f6fdf', '#e07b26', '#2e9e5b', '#c2419b', '#7a5cd6', '#b8a018', '#1b9aa8', '#d24b4b', '#8a8f98'];
const DARK = ['#5b95f5', '#f0a05a', '#4cc17f', '#e06ac0', '#a08af0', '#d9c040', '#3fc3cf', '#f07575', '#9aa3ad'];

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function isDark() {
  return cssVar('--scheme', 'light') === 'dark';
}

/** The colour of group i in the current theme (the last colour is for "other"). */
export function groupColor(i, label) {
  const p = isDark() ? DARK : LIGHT;
  if (label === 'other') return p[p.length - 1];
  return p[i % (p.length - 1)];
}

function formatter(unit) {
  if (unit === 'rate') return v => fmt.rate(Math.abs(v));
  if (unit === 'count') return v => fmt.count(Math.abs(v));
  return v => fmt.bytes(Math.abs(v));
}

/**
 * Creates a chart in container. opts: {height, unit: 'rate'|'bytes'|'count', mirror: bool,
 * upLabel, downLabel, buckets: bool (each point is a bucket from t to the next t: drawn as bars,
 * not as a line between bucket starts)}. Returns {set(data), destroy()} where data = {t: [epoch seconds],
 * groups: [{label, up: [numbers|null], down: [numbers|null]}]}.
 */
export function stackedChart(container, opts) {
  const unit = opts.unit || 'bytes';
  const fmtValue = formatter(unit);
  const plotBox = el('div', {class: 'chart-plot'});
  const legend = el('div', {class: 'chart-legend'});
  container.replaceChildren(plotBox, legend);
  let plot = null;
  let shapeKey = '';
  let last = {t: [], groups: []};
  let legendRows = [];
  let cursorIdx = null;

  function stacks(groups, key, sign) {
    const n = last.t.length;
    const out = [];
    const acc = new Array(n).fill(0);
    for (const g of groups) {
      const vals = g[key] || [];
      for (let i = 0; i < n; i++) {
        const v = vals[i];
        acc[i] += typeof v === 'number' && v > 0 ? v : 0;
      }
      out.push(acc.map(v => sign * v));
    }
    return out; // out[k] = sum of groups 0..k
  }

  function uplotData() {
    const data = [last.t];
    const up = stacks(last.groups, 'up', 1);
    for (let k = up.length - 1; k >= 0; k--) data.push(up[k]);
    if (opts.mirror) {
      const down = stacks(last.groups, 'down', -1);
      for (let k = down.length - 1; k >= 0; k--) data.push(down[k]);
    }
    return data;
  }

  function build() {
    if (plot) { plot.destroy(); plot = null; }
    plotBox.replaceChildren();
    const axis = cssVar('--chart-axis', '#666');
    const grid = cssVar('--chart-grid', 'rgba(0,0,0,0.08)');
    const series = [{}];
    const addSeries = (dir) => {
      for (let k = last.groups.length - 1; k >= 0; k--) {
        const color = groupColor(k, last.groups[k].label);
        series.push({label: dir + ' ' + last.groups[k].label, stroke: color, fill: color, width: 0, points: {show: false},
          paths: opts.buckets ? window.uPlot.paths.bars({size: [0.92, Infinity, 1], align: 1}) : undefined});
      }
    };
    addSeries('in');
    if (opts.mirror) addSeries('out');
    const width = Math.max(200, plotBox.clientWidth || container.clientWidth || 600);
    plot = new window.uPlot({
      width,
      height: opts.height || 220,
      legend: {show: false},
      cursor: {drag: {x: false, y: false}, points: {show: false}},
      scales: {x: {time: true, range: opts.buckets ? (u, min, max) => [min, max + bucketStep()] : undefined},
        y: {range: (u, min, max) => yRange(min, max)}},
      axes: [
        {stroke: axis, grid: {stroke: grid, width: 1}, ticks: {stroke: grid}, space: 70,
          values: (u, splits) => timeLabels(splits)},
        {stroke: axis, grid: {stroke: grid, width: 1}, ticks: {stroke: grid}, size: 70, incrs: INCRS,
          values: (u, vals) => vals.map(v => fmtValue(v))},
      ],
      series,
      hooks: {setCursor: [u => { cursorIdx = u.cursor.idx; updateLegend(); }]},
    }, uplotData(), plotBox);
  }

  function bucketStep() {
    const t = last.t;
    return t.length > 1 ? t[1] - t[0] : 60;
  }

  function timeLabels(splits) {
    const t = last.t;
    const spanSec = t.length > 1 ? t[t.length - 1] - t[0] : 0;
    const pad = n => String(n).padStart(2, '0');
    return splits.map(s => {
      const d = new Date(s * 1000);
      const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
      if (spanSec <= 300) return hm + ':' + pad(d.getSeconds());
      if (spanSec <= 2 * 86400) return hm;
      return (d.getMonth() + 1) + '/' + d.getDate() + (spanSec <= 14 * 86400 ? ' ' + hm : '');
    });
  }

  function yRange(min, max) {
    const floor = unit === 'count' ? 5 : 1000; // an empty chart still has a readable scale
    if (opts.mirror) {
      const m = Math.max(Math.abs(min || 0), Math.abs(max || 0), floor);
      return [-m * 1.05, m * 1.05];
    }
    return [0, Math.max(max || 0, floor) * 1.05];
  }

  function buildLegend() {
    legendRows = last.groups.map((g, i) => {
      const sw = el('span', {class: 'swatch'});
      sw.style.background = groupColor(i, g.label);
      const up = el('span', {class: 'num', title: opts.upLabel || ''});
      const down = opts.mirror ? el('span', {class: 'num', title: opts.downLabel || ''}) : null;
      const label = el('span', {class: 'legend-label', title: g.label}, g.label);
      legend.appendChild(el('div', {class: 'legend-item'}, sw, label, el('span', {class: 'legend-values'},
        opts.mirror ? '↓ ' : '', up, opts.mirror ? '  ↑ ' : '', down)));
      return {up, down};
    });
    if (last.groups.length === 0) legend.appendChild(el('span', {class: 'muted'}, 'No traffic in this range.'));
    legend.classList.toggle('mirror', !!opts.mirror);
  }

  function updateLegend() {
    const n = last.t.length;
    const i = cursorIdx != null && cursorIdx >= 0 && cursorIdx < n ? cursorIdx : n - 1;
    last.groups.forEach((g, k) => {
      const row = legendRows[k];
      if (!row) return;
      setText(row.up, i >= 0 && g.up ? fmtValue(g.up[i] ?? 0) : fmt.text(null));
      if (row.down) setText(row.down, i >= 0 && g.down ? fmtValue(g.down[i] ?? 0) : fmt.text(null));
    });
  }

  const resize = new ResizeObserver(() => {
    if (plot) {
      const w = Math.max(200, plotBox.clientWidth);
      if (w !== plot.width) plot.setSize({width: w, height: plot.height});
    }
  });
  resize.observe(plotBox);
  const onTheme = () => { build(); buildAndFillLegend(); };
  window.addEventListener('themechange', onTheme);

  function buildAndFillLegend() {
    legend.replaceChildren();
    buildLegend();
    updateLegend();
  }

  return {
    set(data) {
      last = {t: data.t || [], groups: data.groups || []};
      const key = last.groups.map(g => g.label).join('\u0000') + (opts.mirror ? '|m' : '');
      if (!plot || key !== shapeKey) {
        shapeKey = key;
        build();
        buildAndFillLegend();
      } else {
        plot.setData(uplotData());
        updateLegend();
      }
    },
    get plot() { return plot; },
    destroy() {
      resize.disconnect();
      window.removeEventListener('themechange', onTheme);
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
