// Connections: every connection open now, refreshed after each of the daemon's 1 Hz samples. The daemon filters and sorts;
// the page asks only for the ~40 rows on screen (GET /api/connections?q=&sort=&order=&offset=&limit=)
// and the virtual table draws them, so 10,000 open connections cost the browser and the daemon what
// forty do. The filter is one query string: the typed words and field terms, plus one term per select
// (proto:, ip:, dir:, state:) and the port box (port:), as in Sniffnet's Inspect tab; the daemon reads
// it (a term it cannot read is a 400 whose message shows under the box). Actions per row: block the
// app or the destination (a rule, shown once made), kill it.

import {api, ApiError, withQuery} from '../lib/api.js';
import * as events from '../lib/events.js';
import {el, replace, select, field} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {VirtualTable} from '../lib/vtable.js';
import {notify, showError, inlineError} from '../lib/notice.js';
import {blockAppRule, blockDestinationRule, createRule, describeConditions, ruleSummary} from '../lib/rules-lib.js';

const ROW_HEIGHT = 30;
// The daemon samples its connections once a second and says so on the live stream ("rates"); the
// page asks right after each sample, so a new connection shows within about a second. Without the
// stream it asks on its own clock.
const FALLBACK_MS = 1500;

// The selects beside the filter box: [term, label, [[value, text]…]]; '' adds no term.
const FIELD_SELECTS = [
  ['proto', 'Protocol', [['', 'any protocol'], ['tcp', 'TCP'], ['udp', 'UDP'], ['icmp', 'ICMP'], ['raw', 'raw']]],
  ['ip', 'IP version', [['', 'IPv4 and IPv6'], ['4', 'IPv4'], ['6', 'IPv6']]],
  ['dir', 'Direction', [['', 'any direction'], ['outbound', 'outbound'], ['inbound', 'inbound'], ['listen', 'listening']]],
  ['state', 'State', [['', 'any state'], ['ESTAB', 'ESTAB'], ['LISTEN', 'LISTEN'], ['UNCONN', 'UNCONN'], ['SYN-SENT', 'SYN-SENT'],
    ['SYN-RECV', 'SYN-RECV'], ['FIN-WAIT', 'FIN-WAIT'], ['CLOSE-WAIT', 'CLOSE-WAIT'], ['LAST-ACK', 'LAST-ACK'],
    ['TIME-WAIT', 'TIME-WAIT'], ['CLOSING', 'CLOSING']]],
];

const COLUMNS = [
  {key: 'app', label: 'App', title: true, value: r => r.comm || fmt.baseName(r.exe) || (r.unknownReason ? '?' : '–')},
  {key: 'pid', label: 'PID', class: 'num hide-phone', value: r => fmt.text(r.pid)},
  {key: 'user', label: 'User', class: 'hide-phone', title: true, value: r => fmt.text(r.user ?? r.uid)},
  {key: 'local', label: 'Local', title: true, class: 'mono hide-phone', value: r => fmt.endpoint(r.local)},
  {key: 'remote', label: 'Remote', title: true, class: 'mono', value: r => remoteText(r)},
  {key: 'domain', label: 'Domain', title: true, value: r => fmt.text(r.domain)},
  {key: 'port', label: 'Port', title: true, value: r => portText(r)},
  {key: 'proto', label: 'Proto', class: 'hide-phone', value: r => fmt.text(r.transport)},
  {key: 'state', label: 'State', title: true, value: r => fmt.text(r.state)},
  {key: 'startedAt', label: 'Since', class: 'hide-phone', firstDir: -1, value: r => fmt.time(r.startedAt)},
  {key: 'bytesOut', label: 'Sent', class: 'num hide-phone', firstDir: -1, value: r => fmt.bytes(r.bytesOut)},
  {key: 'bytesIn', label: 'Recv', class: 'num hide-phone', firstDir: -1, value: r => fmt.bytes(r.bytesIn)},
  {key: 'rateOut', label: 'Out/s', class: 'num', firstDir: -1, value: r => fmt.rate(r.rateOut)},
  {key: 'rateIn', label: 'In/s', class: 'num', firstDir: -1, value: r => fmt.rate(r.rateIn)},
  {key: 'actions', label: 'Actions', actions: [
    {action: 'block-app', label: '⊘ App', title: 'Create a rule that blocks this program', show: r => !!(r.exe || r.comm)},
    {action: 'block-dest', label: '⊘ Dest', title: 'Create a rule that blocks this destination for every program', show: r => hasDestination(r)},
    {action: 'kill', label: 'Kill', class: 'danger', title: 'Close this connection now (TCP)', show: r => r.transport === 'tcp'},
  ]},
];

/** A listening or unconnected socket's remote (0.0.0.0 or ::, port 0: no peer) shows as *, as ss shows it. */
function remoteText(r) {
  if (!r.remote || !noPeer(r.remote)) return fmt.endpoint(r.remote);
  return '*';
}

function noPeer(ep) {
  return (ep.address === '0.0.0.0' || ep.address === '::') && !ep.port;
}

function hasDestination(r) {
  return r.direction !== 'listen' && !!(r.domain || (r.remote && r.remote.address && !noPeer(r.remote)));
}

function portText(r) {
  const p = r.direction === 'inbound' || r.direction === 'listen' ? r.local && r.local.port : r.remote && r.remote.port;
  if (!p) return r.service || '–';
  return r.service ? p + ' ' + r.service : String(p);
}

export default function connections(root) {
  const savedFilter = sessionStorage.getItem('netwarden.conns.filter') || '';
  const savedFields = JSON.parse(sessionStorage.getItem('netwarden.conns.fields') || 'null') || {};
  const savedSort = JSON.parse(sessionStorage.getItem('netwarden.conns.sort') || 'null') || {key: 'startedAt', dir: -1};
  const filter = el('input', {id: 'conn-filter', type: 'search', value: savedFilter, spellcheck: false, autocomplete: 'off',
    placeholder: 'Filter: curl, app:curl, host:example.com, addr:10.0.0.0/8…', 'aria-label': 'Filter connections'});
  const selects = FIELD_SELECTS.map(([key, label, options]) =>
    select({id: 'conn-' + key, 'aria-label': label, title: label, data: {term: key}}, options, savedFields[key] || ''));
  const port = el('input', {id: 'conn-port', type: 'text', inputmode: 'numeric', value: savedFields.port || '', size: 9,
    spellcheck: false, autocomplete: 'off', placeholder: 'port', title: 'A port or a range (either end): 443, 8000-8100',
    'aria-label': 'Port'});
  const clear = el('button', {type: 'button', id: 'conn-clear', class: 'small'}, 'Clear');
  const filterError = inlineError();
  filterError.node.id = 'conn-filter-error';
  const counts = el('span', {id: 'conn-count', class: 'muted small'}, 'loading…');
  const help = el('details', {class: 'filter-help small'}, el('summary', null, 'Filter'),
    el('p', null, 'Every word and term must match. A word keeps the connections with it anywhere, ignoring case: the app, ',
      'its executable and command line, the user, the domain, the service, an address:port, the state, the protocol, a pid.'),
    el('p', null, 'A term asks one field: proto:tcp, port:443 or port:8000-8100, state:estab, app:curl, user:root, ',
      'dir:outbound (or in, listen), ip:6, host:example.com (and its subdomains), addr:10.0.0.0/8, service:https, pid:1234. ',
      'Quote text with a colon or spaces: "localhost:8080". The selects and the port box add their terms. ',
      'Click a column title to sort by it.'));
  const blockBox = el('div', {id: 'block-box'});
  const details = el('div', {id: 'conn-details'});
  const vt = new VirtualTable({
    id: 'conn-table', columns: COLUMNS, rowHeight: ROW_HEIGHT, sort: savedSort, scrollClass: 'tall',
    empty: 'No connection matches.',
    onRange: (start, count) => { range = {start, count}; soon(); },
    onSort: (key, dir) => {
      sort = {key, dir};
      sessionStorage.setItem('netwarden.conns.sort', JSON.stringify(sort));
      soon();
    },
    onRowClick: row => showDetails(row),
    onAction: (action, row) => act(action, row),
    rowClass: r => (r.state === 'LISTEN' || r.direction === 'listen' ? 'listen' : ''),
  });

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Connections'), counts),
    el('div', {class: 'toolbar conn-toolbar'}, filter, selects, port, clear, help),
    filterError.node,
    blockBox,
    vt.element,
    details,
  );

  let refreshes = 0;
  let selected = null;
  let lastError = null;
  let sort = savedSort;
  let range = {start: 0, count: 60};
  let query = composeQuery();
  let timer = 0;
  let soonTimer = 0;
  let inFlight = false;
  let again = false;
  let disposed = false;

  /** One request for the rows on screen; a change while it runs asks again when it is back. */
  async function load() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    clearTimeout(timer);
    const asked = {start: range.start, count: range.count};
    try {
      const d = await api.get(withQuery('/api/connections', {q: query, sort: sort.key,
        order: sort.dir > 0 ? 'asc' : 'desc', offset: asked.start, limit: asked.count}));
      if (disposed) return;
      if (lastError) { lastError.remove(); lastError = null; }
      const rows = d.connections || [];
      vt.setTotal(d.total);
      vt.setRows(asked.start, rows);
      refreshes++;
      vt.element.dataset.refreshes = String(refreshes);
      vt.element.dataset.at = String(d.at);
      counts.textContent = (query ? fmt.count(d.total) + ' match · ' : fmt.count(d.total) + ' open · ') + 'updated ' + fmt.time(d.at);
      if (selected) {
        const fresh = rows.find(r => String(r.id) === String(selected.id));
        if (fresh) { selected = fresh; fillDetails(fresh); }
      }
      filterError.clear();
    } catch (e) {
      if (disposed || (e instanceof ApiError && e.status === 401)) return;
      if (e instanceof ApiError && e.status === 400 && query) {
        // The filter is not understood: say why under the box, keep the last rows, ask again when it changes.
        filterError.set(e);
        counts.textContent = 'filter not understood';
        return;
      }
      counts.textContent = 'not updating: ' + e.message;
      if (!lastError) lastError = showError(e, 'Connections');
    } finally {
      inFlight = false;
      if (!disposed) {
        if (again) { again = false; load(); } else if (!document.hidden) timer = setTimeout(load, FALLBACK_MS);
      }
    }
  }

  /** After a scroll, sort or filter: ask soon (a burst of scroll events is one request). */
  function soon() {
    clearTimeout(soonTimer);
    soonTimer = setTimeout(load, 60);
  }

  vt.refresh();

  /** The typed text, then one term per chosen select and the port box: what ?q= carries. */
  function composeQuery() {
    const terms = [filter.value.trim()];
    for (const s of selects) if (s.value) terms.push(s.dataset.term + ':' + s.value);
    const p = port.value.replace(/\s+/g, '');
    if (p) terms.push('port:' + p);
    return terms.filter(Boolean).join(' ');
  }

  function filterChanged() {
    sessionStorage.setItem('netwarden.conns.filter', filter.value);
    const fields = {};
    for (const s of selects) if (s.value) fields[s.dataset.term] = s.value;
    if (port.value.trim()) fields.port = port.value.trim();
    sessionStorage.setItem('netwarden.conns.fields', JSON.stringify(fields));
    clear.hidden = !composeQuery();
    query = composeQuery();
    vt.element.scrollTop = 0;
    range = {start: 0, count: range.count};
    load();
  }

  let filterTimer = 0;
  const typed = () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(filterChanged, 150);
  };
  filter.addEventListener('input', typed);
  port.addEventListener('input', typed);
  for (const s of selects) s.addEventListener('change', filterChanged);
  clear.hidden = !query;
  clear.addEventListener('click', () => {
    filter.value = '';
    port.value = '';
    for (const s of selects) s.value = '';
    filterChanged();
    filter.focus();
  });

  const visibility = () => {
    clearTimeout(timer);
    if (!document.hidden) load();
  };
  document.addEventListener('visibilitychange', visibility);
  const offRates = events.on('rates', () => { if (!document.hidden) load(); });
  load();

  function showDetails(row) {
    selected = row;
    fillDetails(row);
  }

  function fillDetails(r) {
    const items = [
      ['App', r.comm], ['Executable', r.exe], ['Command line', r.cmdline], ['PID', r.pid], ['User', r.user != null ? r.user + (r.uid != null ? ' (' + r.uid + ')' : '') : r.uid],
      ['Unknown because', r.unknownReason], ['Local', fmt.endpoint(r.local)], ['Remote', noPeer(r.remote || {}) ? '* (no peer: ' + fmt.endpoint(r.remote) + ')' : fmt.endpoint(r.remote)], ['Domain', r.domain],
      ['Service', r.service], ['Protocol', (r.transport || '') + (r.family ? ' (' + String(r.family).replace('ipv', 'IPv') + ')' : '')],
      ['Direction', r.direction], ['State', r.state], ['Started', fmt.fullTime(r.startedAt)],
      ['Sent', fmt.bytes(r.bytesOut) + ' (' + fmt.rate(r.rateOut) + ')'], ['Received', fmt.bytes(r.bytesIn) + ' (' + fmt.rate(r.rateIn) + ')'],
      ['Level', r.level],
    ].filter(([, v]) => v != null && v !== '');
    replace(details, el('section', {class: 'panel details'},
      el('div', {class: 'panel-head'}, el('h2', null, 'Connection ' + r.id),
        el('button', {type: 'button', class: 'small', on: {click: () => { selected = null; vt.selectedId = null; vt.render(); details.replaceChildren(); }}}, 'Close')),
      el('dl', {class: 'facts'}, items.map(([k, v]) => [el('dt', null, k), el('dd', {class: k === 'Command line' || k === 'Executable' ? 'mono wrap-anywhere' : 'wrap-anywhere'}, String(v))])),
      el('div', {class: 'button-row'},
        r.exe || r.comm ? el('button', {type: 'button', on: {click: () => act('block-app', r)}}, 'Block app') : null,
        hasDestination(r) ? el('button', {type: 'button', on: {click: () => act('block-dest', r)}}, 'Block destination') : null,
        r.exe ? el('a', {class: 'button', href: '#/apps/' + encodeURIComponent(r.exe)}, 'App page') : null,
        r.transport === 'tcp' ? el('button', {type: 'button', class: 'danger', on: {click: () => act('kill', r)}}, 'Kill') : null)));
  }

  async function act(action, row) {
    if (action === 'kill') {
      try {
        await api.del('/api/connections/' + encodeURIComponent(row.id));
        notify('ok', 'Connection ' + fmt.endpoint(row.local) + ' → ' + fmt.endpoint(row.remote) + ' (' + (row.comm || '?') + ') was killed.');
        load();
      } catch (e) {
        showError(e, 'Kill');
      }
      return;
    }
    openBlockForm(action, row);
  }

  function openBlockForm(action, row) {
    const isApp = action === 'block-app';
    const actionSel = select({name: 'action'}, [['reject', 'reject (refuse at once)'], ['deny', 'deny (drop silently)']], 'reject');
    const durationSel = select({name: 'duration'}, [['always', 'always'], ['once', 'once'], ['15m', '15 minutes'], ['1h', '1 hour'], ['24h', '24 hours']], 'always');
    const make = () => (isApp ? blockAppRule : blockDestinationRule)(row, actionSel.value, durationSel.value);
    const preview = el('p', {class: 'mono wrap-anywhere'}, describeConditions(make()));
    const err = inlineError();
    const submit = el('button', {type: 'submit', class: 'primary', id: 'block-submit'}, 'Create rule');
    const form = el('form', {class: 'panel block-form', id: 'block-form'},
      el('h2', null, isApp ? 'Block ' + (row.comm || row.exe) : 'Block ' + (row.domain || (row.remote && row.remote.address))),
      el('p', {class: 'muted small'}, isApp
        ? 'A rule for this program: every connection it makes is refused (at the intercept level).'
        : 'A rule for this destination: every program is refused (at the intercept level).'),
      preview,
      el('div', {class: 'form-row'}, field('Action', actionSel), field('For', durationSel)),
      err.node,
      el('div', {class: 'button-row'}, submit,
        el('button', {type: 'button', on: {click: () => blockBox.replaceChildren()}}, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      err.clear();
      submit.disabled = true;
      try {
        const created = await createRule(make());
        blockBox.replaceChildren();
        notify('ok', 'Rule created: ', ruleSummary(created && created.id ? created : make()));
      } catch (x) {
        err.set(x);
      } finally {
        submit.disabled = false;
      }
    });
    replace(blockBox, form);
    submit.focus();
  }

  return () => {
    disposed = true;
    offRates();
    document.removeEventListener('visibilitychange', visibility);
    clearTimeout(filterTimer);
    clearTimeout(timer);
    clearTimeout(soonTimer);
    vt.destroy();
  };
}
