// History: a time range from minutes to months, the filters of `netwarden history`, a chart of the
// top apps / domains / ports over that range, the matching connections, and the same query as a
// CSV or JSON download. #/history/<query> opens it with filters set (the app page links so).

import {api, withQuery} from '../lib/api.js';
import {el, field, replace, select} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {rangePicker, stepFor} from '../lib/range.js';
import {stackedChart} from '../lib/chart.js';
import {VirtualTable} from '../lib/vtable.js';
import {showError, inlineError} from '../lib/notice.js';

const FILTERS = [
  ['app', 'App', 'comm or file name'], ['exe', 'Executable', '/usr/bin/curl'], ['host', 'Domain', 'example.com, *.example.com'],
  ['address', 'Address', '192.0.2.7, 10.0.0.0/8'], ['port', 'Port', '443'], ['user', 'User', 'name or uid'],
];
const LIMIT = 2000;

const COLUMNS = [
  {key: 'start_ms', label: 'Started', width: '10%', firstDir: -1, value: r => fmt.time(r.start_ms)},
  {key: 'app', label: 'App', width: '9%', title: true, value: r => r.comm || fmt.baseName(r.exe) || '–'},
  {key: 'pid', label: 'PID', width: '5%', class: 'num', value: r => fmt.text(r.pid)},
  {key: 'user', label: 'User', width: '6%', value: r => fmt.text(r.user ?? r.uid)},
  {key: 'remote', label: 'Remote', width: '14%', title: true, class: 'mono', value: r => fmt.endpoint({address: r.remote_address, port: r.remote_port})},
  {key: 'domain', label: 'Domain', width: '16%', title: true, value: r => fmt.text(r.domain)},
  {key: 'transport', label: 'Proto', width: '5%', value: r => fmt.text(r.transport)},
  {key: 'action', label: 'Action', width: '6%', value: r => fmt.text(r.action)},
  {key: 'rule_id', label: 'Rule / decision', width: '13%', title: true, value: r => fmt.text(r.rule_id || r.decision)},
  {key: 'bytes_out', label: 'Sent', width: '6%', class: 'num', firstDir: -1, value: r => fmt.bytes(r.bytes_out)},
  {key: 'bytes_in', label: 'Recv', width: '6%', class: 'num', firstDir: -1, value: r => fmt.bytes(r.bytes_in)},
  {key: 'duration', label: 'Lasted', width: '6%', class: 'num', firstDir: -1, value: r => (r.end_ms ? fmt.span(r.end_ms - r.start_ms) : 'open')},
];

function sortValue(r, key) {
  switch (key) {
    case 'app': return (r.comm || fmt.baseName(r.exe) || '').toLowerCase() || null;
    case 'remote': return r.remote_address == null ? null : String(r.remote_address) + ':' + String(r.remote_port).padStart(5, '0');
    case 'duration': return r.end_ms ? r.end_ms - r.start_ms : Number.MAX_SAFE_INTEGER;
    default: {
      const v = r[key];
      if (v == null || v === '') return null;
      return typeof v === 'number' ? v : String(v).toLowerCase();
    }
  }
}

export default function historyPage(root, param) {
  const given = new URLSearchParams(param || '');
  const inputs = {};
  for (const [key, label, hint] of FILTERS) {
    inputs[key] = el('input', {type: 'text', name: key, id: 'history-' + key, placeholder: hint, value: given.get(key) || '', spellcheck: false});
    inputs[key].dataset.label = label;
  }
  const action = select({name: 'action', id: 'history-action'}, [['', 'any'], ['allow', 'allow'], ['deny', 'deny'], ['reject', 'reject']], given.get('action') || '');
  const picker = rangePicker(given.get('since') || sessionStorage.getItem('netwarden.history.since') || '24h', () => load(), 'history-range');
  const by = select({id: 'history-by', 'aria-label': 'Chart by'}, [['app', 'by app'], ['domain', 'by domain'], ['port', 'by port']], 'app');
  const metric = select({id: 'history-metric', 'aria-label': 'Measure'}, [['bytes', 'bytes'], ['connections', 'connections']], 'bytes');
  const err = inlineError();
  const csv = el('a', {class: 'button', id: 'history-csv', href: '/api/history', download: 'netwarden-history.csv'}, 'Export CSV');
  const json = el('a', {class: 'button', id: 'history-json', href: '/api/history', download: 'netwarden-history.json'}, 'Export JSON');
  const count = el('span', {class: 'muted small', id: 'history-count'});
  const chartBox = el('div', {id: 'history-chart', class: 'chart'});
  const form = el('form', {class: 'panel filters', id: 'history-form'},
    el('div', {class: 'form-row'}, el('div', {class: 'field'}, el('span', {class: 'field-label'}, 'Range'), picker.node), FILTERS.map(([key, label]) => field(label, inputs[key])), field('Action', action)),
    err.node,
    el('div', {class: 'button-row'}, el('button', {type: 'submit', class: 'primary'}, 'Apply'),
      el('button', {type: 'button', on: {click: reset}}, 'Clear filters'), csv, json));
  let sort = {key: 'start_ms', dir: -1};
  let rows = [];
  const vt = new VirtualTable({
    id: 'history-table', columns: COLUMNS, sort, empty: 'No connection in this range matches.',
    onSort: (key, dir) => { sort = {key, dir}; show(); },
  });
  let chart = null;
  let disposed = false;
  let seriesData = null;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'History'), count),
    form,
    el('section', {class: 'panel'}, el('div', {class: 'panel-head'}, el('h2', null, 'Top 8 over time'), el('span', {class: 'inline-controls'}, by, metric)), chartBox),
    el('section', {class: 'panel'}, el('h2', null, 'Connections'), vt.element),
  );
  chart = stackedChart(chartBox, {height: 220, unit: 'bytes', groupLabel: 'key', upLabel: 'bytes', buckets: true});

  function reset() {
    for (const i of Object.values(inputs)) i.value = '';
    action.value = '';
    load();
  }

  function params() {
    const r = picker.value();
    const p = {since: r.since, until: r.until};
    for (const [key] of FILTERS) p[key] = inputs[key].value.trim();
    p.action = action.value;
    return {p, ms: r.ms};
  }

  function show() {
    const key = sort.key;
    const dir = sort.dir;
    const keyed = rows.map(r => [sortValue(r, key), r]);
    keyed.sort((a, b) => {
      if (a[0] === b[0]) return 0;
      if (a[0] === null) return 1;
      if (b[0] === null) return -1;
      return (a[0] < b[0] ? -1 : 1) * dir;
    });
    vt.setArray(keyed.map(k => k[1]));
  }

  function keyLabel(key) {
    if (key == null) return '(unknown)';
    const k = String(key);
    return by.value === 'app' && k.startsWith('/') ? fmt.baseName(k) : k;
  }

  function showChart() {
    if (!seriesData) return;
    const m = metric.value;
    chart.destroy();
    chart = stackedChart(chartBox, {height: 220, unit: m === 'bytes' ? 'bytes' : 'count', groupLabel: by.value, upLabel: m, buckets: true});
    chart.set({
      t: (seriesData.t || []).map(ms => Math.round(ms / 1000)),
      groups: (seriesData.series || []).map(s => ({label: keyLabel(s.key), up: s[m] || []})),
    });
  }

  async function loadChart(p, ms) {
    try {
      seriesData = await api.get(withQuery('/api/history/series', {...p, by: by.value, step: stepFor(ms)}));
      if (!disposed) showChart();
    } catch (e) {
      if (!disposed) err.set(e);
    }
  }

  async function load() {
    err.clear();
    const {p, ms} = params();
    if (!p.until && /^\d+[smhdw]$/.test(p.since)) sessionStorage.setItem('netwarden.history.since', p.since);
    csv.setAttribute('href', withQuery('/api/history', {...p, format: 'csv', limit: 100000}));
    json.setAttribute('href', withQuery('/api/history', {...p, limit: 100000}));
    count.textContent = 'loading…';
    loadChart(p, ms);
    try {
      const d = await api.get(withQuery('/api/history', {...p, limit: LIMIT}));
      if (disposed) return;
      rows = d.connections || d.rows || [];
      count.textContent = (rows.length >= LIMIT ? 'the newest ' + fmt.count(LIMIT) : fmt.count(rows.length)) + ' connections'
        + (rows.length >= LIMIT ? ' (narrow the range or export for all)' : '');
      show();
    } catch (e) {
      if (!disposed) { count.textContent = ''; err.set(e); showError(e, 'History'); }
    }
  }

  form.addEventListener('submit', e => { e.preventDefault(); load(); });
  by.addEventListener('change', () => loadChart(params().p, params().ms));
  metric.addEventListener('change', showChart);
  load();
  return () => { disposed = true; vt.destroy(); if (chart) chart.destroy(); };
}
