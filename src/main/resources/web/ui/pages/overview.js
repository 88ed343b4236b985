// Overview: the counters, the live traffic of the last minutes stacked by app (in above the axis, out
// below), the top apps and domains. GET /api/overview gives the picture; the live stream's "rates"
// event adds one point a second; the picture is fetched again every few seconds for the counters and
// rankings (and to stay exact).

import {api, withQuery} from '../lib/api.js';
import * as events from '../lib/events.js';
import {el, panel, replace, select, table} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {stackedChart} from '../lib/chart.js';
import {showError} from '../lib/notice.js';
import * as prompts from '../lib/prompt-watch.js';

const RESYNC_MS = 5000;
const MAX_GROUPS = 9;

export default function overview(root) {
  let minutes = Number(sessionStorage.getItem('netwarden.overview.minutes')) || 10;
  const counters = {
    rate: counter('Traffic now (in / out)', 'counter-rate', null),
    connections: counter('Open connections', 'counter-connections', '#/connections'),
    blocked: counter('Blocked since start', 'counter-blocked', '#/history'),
    prompts: counter('Waiting prompts', 'counter-prompts', '#/prompts'),
    alerts: counter('Alerts since start', 'counter-alerts', '#/alerts'),
  };
  const chartBox = el('div', {id: 'overview-chart', class: 'chart'});
  const range = select({id: 'overview-minutes', 'aria-label': 'Time range'},
    [['5', 'last 5 min'], ['10', 'last 10 min'], ['30', 'last 30 min'], ['60', 'last 60 min']], String(minutes));
  const topApps = el('div', {id: 'top-apps'});
  const topDomains = el('div', {id: 'top-domains'});
  const status = el('span', {class: 'muted small'});

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Overview'), status),
    el('div', {class: 'counters'}, Object.values(counters).map(c => c.node)),
    el('section', {class: 'panel'},
      el('div', {class: 'panel-head'}, el('h2', null, 'Traffic by app'), range),
      el('p', {class: 'muted small'}, 'Received above the line, sent below; bytes per second.'),
      chartBox),
    el('div', {class: 'columns-3'},
      panel('Top apps', topApps),
      panel('Top domains', topDomains),
      panel('Top countries', el('p', {id: 'top-countries', class: 'muted'}, 'GeoIP not configured.'))),
  );

  const chart = stackedChart(chartBox, {height: 240, unit: 'rate', mirror: true, groupLabel: 'app', upLabel: 'in', downLabel: 'out'});
  let series = {t: [], groups: []};
  let timer = 0;
  let disposed = false;

  function counter(label, id, href) {
    const value = el('span', {class: 'counter-value', id}, '–');
    const body = [el('span', {class: 'counter-label'}, label), value];
    const node = href ? el('a', {class: 'counter', href}, body) : el('div', {class: 'counter counter-wide'}, body);
    return {node, value};
  }

  function fromApi(s) {
    const t = Array.isArray(s.t) ? s.t.slice() : [];
    let groups = (s.apps || []).map(a => ({label: a.app == null ? '(unknown)' : String(a.app), up: a.in.slice(), down: a.out.slice()}));
    if (groups.length === 0 && t.length) groups = [{label: 'all', up: (s.in || []).slice(), down: (s.out || []).slice()}];
    return {t, groups};
  }

  function addPoint(r) {
    const t = Math.round((r.at || Date.now()) / 1000);
    if (series.t.length && t <= series.t[series.t.length - 1]) return;
    const n = series.t.length;
    series.t.push(t);
    for (const g of series.groups) { g.up.push(0); g.down.push(0); }
    const byLabel = new Map(series.groups.map(g => [g.label, g]));
    for (const a of r.apps || []) {
      const label = a.app == null ? '(unknown)' : String(a.app);
      let g = byLabel.get(label);
      if (!g) {
        if (series.groups.length < MAX_GROUPS && !byLabel.has('other')) {
          g = {label, up: new Array(n + 1).fill(0), down: new Array(n + 1).fill(0)};
          series.groups.push(g);
        } else {
          g = byLabel.get('other');
          if (!g) { g = {label: 'other', up: new Array(n + 1).fill(0), down: new Array(n + 1).fill(0)}; series.groups.push(g); }
        }
        byLabel.set(g.label, g);
      }
      g.up[n] += Math.max(0, a.in || 0);
      g.down[n] += Math.max(0, a.out || 0);
    }
    if (series.groups.length === 0 && (r.in > 0 || r.out > 0)) {
      series.groups.push({label: 'all', up: new Array(n).fill(0).concat([r.in]), down: new Array(n).fill(0).concat([r.out])});
    }
    const keep = minutes * 60;
    const drop = series.t.length - keep;
    if (drop > 0) {
      series.t.splice(0, drop);
      for (const g of series.groups) { g.up.splice(0, drop); g.down.splice(0, drop); }
    }
    chart.set(series);
    counters.rate.value.textContent = fmt.rate(r.in) + ' / ' + fmt.rate(r.out);
  }

  function showTops(d) {
    replace(topApps, table([
      {label: 'App', value: a => appLink(a)},
      {label: 'In', class: 'num', value: a => fmt.rate(a.rateIn)},
      {label: 'Out', class: 'num', value: a => fmt.rate(a.rateOut)},
      {label: 'Received', class: 'num hide-phone', value: a => fmt.bytes(a.bytesIn)},
      {label: 'Sent', class: 'num hide-phone', value: a => fmt.bytes(a.bytesOut)},
    ], d.topApps || [], {empty: 'No traffic yet.', class: 'compact'}));
    replace(topDomains, table([
      {label: 'Domain', class: 'wrap-anywhere', value: x => fmt.text(x.domain)},
      {label: 'Connections', class: 'num', value: x => fmt.count(x.connections)},
      {label: 'Bytes', class: 'num', value: x => fmt.bytes(x.bytes)},
    ], d.topDomains || [], {empty: 'No named destinations yet.', class: 'compact'}));
  }

  function appLink(a) {
    const name = a.app == null ? '(unknown)' : String(a.app);
    if (!a.exe) return name;
    return el('a', {href: '#/apps/' + encodeURIComponent(a.exe), title: a.exe}, name);
  }

  async function load() {
    clearTimeout(timer);
    try {
      const d = await api.get(withQuery('/api/overview', {minutes}));
      if (disposed) return;
      const c = d.counters || {};
      counters.connections.value.textContent = fmt.count(c.connections);
      counters.blocked.value.textContent = fmt.count(c.blocked);
      counters.prompts.value.textContent = fmt.count(c.prompts);
      counters.alerts.value.textContent = fmt.count(c.alerts);
      if (d.series) {
        series = fromApi(d.series);
        chart.set(series);
        const n = d.series.t ? d.series.t.length : 0;
        if (n) counters.rate.value.textContent = fmt.rate(d.series.in[n - 1]) + ' / ' + fmt.rate(d.series.out[n - 1]);
      }
      showTops(d);
      status.textContent = 'updated ' + fmt.time(d.at);
    } catch (e) {
      if (!disposed) showError(e, 'Overview');
    } finally {
      if (!disposed) timer = setTimeout(load, RESYNC_MS);
    }
  }

  range.addEventListener('change', () => {
    minutes = Number(range.value);
    sessionStorage.setItem('netwarden.overview.minutes', String(minutes));
    load();
  });
  const offRates = events.on('rates', r => addPoint(r));
  const offPrompts = prompts.onChange(s => { counters.prompts.value.textContent = s.available ? fmt.count(s.prompts.length) : '–'; });
  load();

  return () => {
    disposed = true;
    clearTimeout(timer);
    offRates();
    offPrompts();
    chart.destroy();
  };
}
