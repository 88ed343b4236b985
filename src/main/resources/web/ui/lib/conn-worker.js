// The Connections page's data, off the page's thread. Once a second this worker fetches
// /api/connections (10,000 rows are a few MB of JSON), parses it, filters and sorts it, and posts back
// only the rows the table shows. Parsing and sorting that much every second on the page's own thread
// would block scrolling and typing; here it cannot.
//
// In: {type: 'run'|'pause'} · {type: 'filter', text} · {type: 'sort', key, dir} · {type: 'range', start, count}
//     · {type: 'refresh'}
// Out: {type: 'view', at, total, matched, start, rows, fetchMs, workMs} · {type: 'error', status, message}

import {compileFilter, sortKey} from './conn-filter.js';

const PERIOD_MS = 1000;
let all = [];
let view = [];
let at = 0;
let total = 0;
let matcher = compileFilter('');
let sort = {key: 'startedAt', dir: -1};
let range = {start: 0, count: 60};
let running = false;
let timer = 0;
let inFlight = false;
let fetchMs = 0;
let workMs = 0;

function recompute() {
  const t0 = performance.now();
  const filtered = [];
  for (const r of all) if (matcher(r)) filtered.push(r);
  const key = sort.key;
  const dir = sort.dir;
  const keyed = filtered.map(r => [sortKey(r, key), r]);
  keyed.sort((a, b) => {
    const x = a[0];
    const y = b[0];
    if (x === y) return (a[1].id < b[1].id ? -1 : a[1].id > b[1].id ? 1 : 0);
    if (x === null) return 1; // unknown values last in both directions
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
  view = keyed.map(p => p[1]);
  workMs = performance.now() - t0;
}

function post() {
  const start = Math.min(range.start, Math.max(0, view.length - 1));
  postMessage({
    type: 'view', at, total, matched: view.length, start: Math.max(0, start),
    rows: view.slice(Math.max(0, start), Math.max(0, start) + range.count), fetchMs, workMs,
  });
}

async function load() {
  if (inFlight) return;
  inFlight = true;
  const t0 = performance.now();
  try {
    const res = await fetch('/api/connections', {credentials: 'same-origin', cache: 'no-store', headers: {Accept: 'application/json'}});
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    if (!res.ok) {
      postMessage({type: 'error', status: res.status, message: (data && data.error) || ('HTTP ' + res.status)});
      return;
    }
    fetchMs = performance.now() - t0;
    all = Array.isArray(data.connections) ? data.connections : [];
    total = typeof data.total === 'number' ? data.total : all.length;
    at = data.at || Date.now();
    for (const r of all) r._text = null; // the filter's lower-cased text, made on first use
    recompute();
    post();
  } catch (e) {
    postMessage({type: 'error', status: 0, message: 'The daemon does not answer (' + (e.message || e) + ')'});
  } finally {
    inFlight = false;
  }
}

function loop() {
  clearTimeout(timer);
  if (!running) return;
  const started = performance.now();
  load().finally(() => {
    if (running) timer = setTimeout(loop, Math.max(50, PERIOD_MS - (performance.now() - started)));
  });
}

onmessage = e => {
  const m = e.data;
  switch (m.type) {
    case 'run':
      if (!running) { running = true; loop(); }
      break;
    case 'pause':
      running = false;
      clearTimeout(timer);
      break;
    case 'refresh':
      load();
      break;
    case 'filter':
      matcher = compileFilter(m.text || '');
      recompute();
      post();
      break;
    case 'sort':
      sort = {key: m.key, dir: m.dir};
      recompute();
      post();
      break;
    case 'range':
      range = {start: m.start, count: m.count};
      post();
      break;
    default:
      break;
  }
};
