// Apps: the programs seen in a time range (history), and those with connections open now. Each links
// to its own page (#/apps/<executable path>).

import {api, withQuery} from '../lib/api.js';
import {el, panel, replace, table} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {rangePicker} from '../lib/range.js';
import {showError} from '../lib/notice.js';

export default function apps(root) {
  const seen = el('div', {id: 'apps-list'}, el('p', {class: 'muted'}, 'Loading…'));
  const live = el('div', {id: 'apps-live'}, el('p', {class: 'muted'}, 'Loading…'));
  const initial = sessionStorage.getItem('netwarden.apps.since') || '24h';
  const picker = rangePicker(initial, r => { sessionStorage.setItem('netwarden.apps.since', r.since); load(r); }, 'apps-range');
  let disposed = false;
  let timer = 0;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Apps')),
    el('section', {class: 'panel'}, el('div', {class: 'panel-head'}, el('h2', null, 'Seen in'), picker.node), seen),
    panel('With connections open now', live),
  );

  const link = (exe, name) => exe ? el('a', {href: '#/apps/' + encodeURIComponent(exe), title: exe}, name || fmt.baseName(exe)) : (name || '(unknown)');

  async function load(range) {
    try {
      const d = await api.get(withQuery('/api/apps', {since: range.since, until: range.until}));
      if (disposed) return;
      replace(seen, table([
        {label: 'App', value: a => link(a.exe, a.name)},
        {label: 'Executable', class: 'mono wrap-anywhere hide-phone', value: a => fmt.text(a.exe)},
        {label: 'Connections', class: 'num', value: a => fmt.count(a.connections)},
        {label: 'Received', class: 'num', value: a => fmt.bytes(a.bytesIn)},
        {label: 'Sent', class: 'num', value: a => fmt.bytes(a.bytesOut)},
        {label: 'First seen', class: 'hide-phone', value: a => fmt.time(a.firstSeen)},
      ], d.apps || [], {id: 'apps-table', empty: 'No app had a connection in this range.'}));
    } catch (e) {
      if (!disposed) { replace(seen, el('p', {class: 'form-error'}, e.message)); showError(e, 'Apps'); }
    }
  }

  async function loadLive() {
    clearTimeout(timer);
    try {
      const d = await api.get('/api/processes');
      if (disposed) return;
      const rows = (d.processes || []).slice().sort((a, b) => (b.rateIn + b.rateOut) - (a.rateIn + a.rateOut) || b.connections - a.connections);
      replace(live, table([
        {label: 'App', value: p => link(p.exe, p.comm)},
        {label: 'PID', class: 'num', value: p => fmt.text(p.pid)},
        {label: 'User', value: p => fmt.text(p.user)},
        {label: 'Connections', class: 'num', value: p => fmt.count(p.connections)},
        {label: 'In/s', class: 'num', value: p => fmt.rate(p.rateIn)},
        {label: 'Out/s', class: 'num', value: p => fmt.rate(p.rateOut)},
      ], rows, {id: 'processes-table', empty: 'No process has a connection open.'}));
    } catch (e) {
      if (!disposed) replace(live, el('p', {class: 'form-error'}, e.message));
    } finally {
      if (!disposed) timer = setTimeout(loadLive, 3000);
    }
  }

  load(picker.value());
  loadLive();
  return () => { disposed = true; clearTimeout(timer); };
}
