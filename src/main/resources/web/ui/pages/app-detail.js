// One executable's page (#/apps/<path>): its traffic over a chosen range, where it connected, the
// hashes its file had, its alerts and the rules that can apply to it.

import {api, withQuery} from '../lib/api.js';
import {el, panel, replace, table} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {rangePicker} from '../lib/range.js';
import {stackedChart} from '../lib/chart.js';
import {notify, showError} from '../lib/notice.js';
import {blockAppRule, createRule, describeConditions, ruleSummary} from '../lib/rules-lib.js';

export default function appDetail(root, exe) {
  const title = el('h1', {class: 'wrap-anywhere'}, fmt.baseName(exe));
  const chartBox = el('div', {id: 'app-chart', class: 'chart'});
  const hashes = el('div');
  const dests = el('div');
  const alertsBox = el('div');
  const rulesBox = el('div');
  const initial = sessionStorage.getItem('netwarden.app.since') || '24h';
  const picker = rangePicker(initial, r => { sessionStorage.setItem('netwarden.app.since', r.since); load(r); }, 'app-range');
  const chart = stackedChart(chartBox, {height: 200, unit: 'bytes', mirror: true, groupLabel: '', upLabel: 'received', downLabel: 'sent', buckets: true});
  let disposed = false;

  const blockButton = el('button', {type: 'button', on: {click: block}}, 'Block this app');
  root.append(
    el('div', {class: 'page-head'}, el('a', {href: '#/apps', class: 'back'}, '← Apps'), title),
    el('p', {class: 'mono wrap-anywhere muted'}, exe),
    el('div', {class: 'button-row'}, blockButton,
      el('a', {class: 'button', href: '#/history/' + encodeURIComponent(new URLSearchParams({exe}).toString())}, 'Its history')),
    el('section', {class: 'panel'}, el('div', {class: 'panel-head'}, el('h2', null, 'Traffic'), picker.node),
      el('p', {class: 'muted small'}, 'Bytes per step, by when each connection started: received above, sent below.'), chartBox),
    el('div', {class: 'columns-2'}, panel('Destinations', dests), panel('Executable hashes', hashes)),
    el('div', {class: 'columns-2'}, panel('Alerts', alertsBox), panel('Rules that can apply', rulesBox)),
  );

  async function block() {
    const rule = blockAppRule({exe, comm: fmt.baseName(exe)}, 'reject', 'always');
    blockButton.disabled = true;
    try {
      const created = await createRule(rule);
      notify('ok', 'Rule created: ', ruleSummary(created && created.id ? created : rule));
      load(picker.value());
    } catch (e) {
      showError(e, 'Block');
    } finally {
      blockButton.disabled = false;
    }
  }

  async function load(range) {
    try {
      const d = await api.get(withQuery('/api/apps/detail', {exe, since: range.since, until: range.until}));
      if (disposed) return;
      if (d.name) title.textContent = d.name;
      const s = d.series || [];
      chart.set({t: s.map(p => Math.round(p.t / 1000)), groups: [{label: d.name || fmt.baseName(exe), up: s.map(p => p.bytesIn), down: s.map(p => p.bytesOut)}]});
      replace(dests, table([
        {label: 'Destination', class: 'wrap-anywhere', value: x => fmt.text(x.domain || x.address)},
        {label: 'Connections', class: 'num', value: x => fmt.count(x.connections)},
        {label: 'Received', class: 'num', value: x => fmt.bytes(x.bytesIn)},
        {label: 'Sent', class: 'num', value: x => fmt.bytes(x.bytesOut)},
      ], d.destinations || [], {id: 'app-destinations', empty: 'No destination in this range.', class: 'compact'}));
      replace(hashes, table([
        {label: 'sha256', class: 'mono wrap-anywhere', value: h => fmt.text(h.sha256)},
        {label: 'First seen', value: h => fmt.time(h.firstSeen)},
        {label: 'Last seen', value: h => fmt.time(h.lastSeen)},
      ], d.hashes || [], {empty: 'No hash recorded.', class: 'compact'}));
      replace(alertsBox, table([
        {label: 'When', value: a => fmt.time(a.at)},
        {label: 'Kind', value: a => String(a.kind || '–').replace(/_/g, ' ')},
        {label: 'Detail', class: 'wrap-anywhere', value: a => fmt.text(a.detail ?? a.domain)},
      ], d.alerts || [], {empty: 'No alert in this range.', class: 'compact'}));
      replace(rulesBox, table([
        {label: 'Rule', value: r => el('a', {href: '#/rules', class: 'mono'}, r.id)},
        {label: 'Action', value: r => el('span', {class: ['tag', 'tag-' + r.action]}, r.action)},
        {label: 'Matches', class: 'wrap-anywhere', value: r => describeConditions(r)},
        {label: 'Enabled', value: r => (r.enabled === false ? 'no' : 'yes')},
      ], d.rules || [], {empty: 'No rule names this program.', class: 'compact'}));
    } catch (e) {
      if (!disposed) showError(e, 'App');
    }
  }

  load(picker.value());
  return () => { disposed = true; chart.destroy(); };
}
