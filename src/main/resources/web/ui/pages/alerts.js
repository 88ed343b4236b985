// Alerts: first-seen apps and domains, executables whose hash changed, deleted executables, disguised
// process names — newest first, for a chosen range and kind; new ones arrive through the live stream.

import {api, withQuery} from '../lib/api.js';
import {el, field, replace, select, table} from '../lib/dom.js';
import * as events from '../lib/events.js';
import * as fmt from '../lib/format.js';
import {rangePicker} from '../lib/range.js';

const KINDS = [['', 'every kind'], ['first_connection_of_executable', 'first connection of an executable'],
  ['first_domain_of_app', 'first domain of an app'], ['executable_hash_changed', 'executable hash changed'],
  ['deleted_executable', 'deleted executable'], ['comm_mismatch', 'name ≠ executable']];

export default function alerts(root) {
  const box = el('div', {id: 'alerts-list'}, el('p', {class: 'muted'}, 'Loading…'));
  const kind = select({id: 'alerts-kind', 'aria-label': 'Kind'}, KINDS, '');
  const picker = rangePicker('7d', () => load(), 'alerts-range');
  let disposed = false;
  let pending = 0;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Alerts')),
    el('div', {class: 'toolbar'}, el('div', {class: 'field'}, el('span', {class: 'field-label'}, 'Range'), picker.node), field('Kind', kind)),
    el('section', {class: 'panel'}, box),
  );

  async function load() {
    try {
      const r = picker.value();
      const d = await api.get(withQuery('/api/alerts', {since: r.since, kind: kind.value, limit: 1000}));
      if (disposed) return;
      replace(box, table([
        {label: 'When', value: a => fmt.time(a.at)},
        {label: 'Kind', value: a => el('span', {class: ['tag', 'tag-alert']}, String(a.kind || '').replace(/_/g, ' '))},
        {label: 'App', value: a => a.exe ? el('a', {href: '#/apps/' + encodeURIComponent(a.exe), title: a.exe}, a.comm || fmt.baseName(a.exe)) : fmt.text(a.comm)},
        {label: 'PID', class: 'num hide-phone', value: a => fmt.text(a.pid)},
        {label: 'Domain', class: 'wrap-anywhere', value: a => fmt.text(a.domain)},
        {label: 'Detail', class: 'wrap-anywhere', value: a => fmt.text(a.detail)},
      ], d.alerts || [], {id: 'alerts-table', empty: 'No alert in this range.'}));
    } catch (e) {
      if (!disposed) replace(box, el('p', {class: 'form-error'}, e.message));
    }
  }

  kind.addEventListener('change', load);
  const off = events.on('flow', f => {
    if (f.type !== 'alert') return;
    clearTimeout(pending);
    pending = setTimeout(load, 500);
  });
  load();
  return () => { disposed = true; off(); clearTimeout(pending); };
}
