// Prompts: the connections held until someone decides (default_action = prompt at the intercept
// level). A new question appears as soon as the live stream says so; the answer says allow / deny /
// reject, for what (this program, this destination, this command line) and for how long.

import {api} from '../lib/api.js';
import {el, field, replace, select} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {notify, showError} from '../lib/notice.js';
import * as watch from '../lib/prompt-watch.js';

const SCOPES = [['exe', 'this program'], ['destination', 'this program → this destination'], ['cmdline', 'this exact command line']];
const DURATIONS = [['once', 'this connection only'], ['15m', '15 minutes'], ['1h', '1 hour'], ['until-exit', 'until the program exits'],
  ['until-restart', 'until the daemon restarts'], ['always', 'always (a rule file)']];

export default function prompts(root) {
  const list = el('div', {id: 'prompt-list', 'aria-live': 'polite'}, el('p', {class: 'muted placeholder'}, 'Loading…'));
  const notifyBox = el('div', {class: 'notify-permission'});
  const items = new Map();
  let disposed = false;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Prompts'), notifyBox),
    el('p', {class: 'muted small'}, 'Each question holds a connection until it is answered or times out (then the daemon\'s timeout action applies).'),
    list,
  );

  function permissionControl() {
    if (!('Notification' in window)) {
      replace(notifyBox, el('span', {class: 'muted small'}, 'This browser has no notifications.'));
    } else if (Notification.permission === 'granted') {
      replace(notifyBox, el('span', {class: 'muted small'}, 'Desktop notifications are on.'));
    } else if (Notification.permission === 'denied') {
      replace(notifyBox, el('span', {class: 'muted small'}, 'Notifications are blocked in this browser\'s site settings.'));
    } else {
      replace(notifyBox, el('button', {type: 'button', id: 'notify-enable', on: {click: async () => {
        await Notification.requestPermission();
        permissionControl();
      }}}, 'Notify me of new prompts'));
    }
  }

  function card(p) {
    const scope = select({'aria-label': 'Applies to', data: {scope: ''}}, SCOPES, 'exe');
    const duration = select({'aria-label': 'For how long', data: {duration: ''}}, DURATIONS, 'once');
    const left = el('span', {class: 'countdown'});
    const who = (p.comm || '(unknown program)') + (p.pid != null ? ' (pid ' + p.pid + (p.user ? ', ' + p.user : '') + ')' : '');
    const where = (p.domain || p.address || '?') + (p.port ? ':' + p.port : '') + (p.protocol ? ' ' + p.protocol : '');
    const buttons = ['allow', 'deny', 'reject'].map(a => el('button', {type: 'button', class: a === 'allow' ? 'primary' : 'danger',
      data: {answer: a}, on: {click: () => answer(p, a, scope.value, duration.value, node)}}, a[0].toUpperCase() + a.slice(1)));
    const node = el('article', {class: 'panel prompt', data: {promptId: p.id}},
      el('div', {class: 'prompt-head'}, el('strong', {class: 'wrap-anywhere'}, who), el('span', null, ' wants to connect to '),
        el('strong', {class: 'wrap-anywhere mono'}, where), left),
      el('dl', {class: 'facts'},
        [['Executable', p.exe], ['Command line', p.cmdline], ['Address', p.address], ['Domain', p.domain], ['Asked', fmt.time(p.createdAt)],
          ['Waiting connections', p.waiting]]
          .filter(([, v]) => v != null && v !== '')
          .map(([k, v]) => [el('dt', null, k), el('dd', {class: 'wrap-anywhere' + (k === 'Command line' || k === 'Executable' ? ' mono' : '')}, String(v))])),
      el('div', {class: 'form-row'}, field('Applies to', scope), field('For', duration)),
      el('div', {class: 'button-row'}, buttons));
    return {node, left, p};
  }

  function tick() {
    const now = Date.now();
    for (const {left, p} of items.values()) {
      const then = p.timeoutAction ? ' (then ' + p.timeoutAction + ')' : '';
      left.textContent = p.expiresAt ? ' · ' + (p.expiresAt > now ? 'times out in ' + fmt.span(p.expiresAt - now) + then : 'timing out') : '';
    }
  }

  async function answer(p, action, scope, duration, node) {
    for (const b of node.querySelectorAll('button')) b.disabled = true;
    try {
      const d = await api.post('/api/prompts/' + encodeURIComponent(p.id) + '/answer', {action, scope, duration});
      notify('ok', 'Answered: ' + action + ' ' + (p.comm || '?') + ' → ' + (p.domain || p.address || '?')
        + (d && d.ruleId ? ' (rule ' + d.ruleId + ')' : ''));
      node.remove();
      items.delete(String(p.id));
      watch.refresh().catch(() => {});
    } catch (e) {
      showError(e, 'Answer');
      for (const b of node.querySelectorAll('button')) b.disabled = false;
    }
  }

  function show(state) {
    if (disposed) return;
    if (!state.available) {
      items.clear();
      replace(list, el('p', {class: 'notice-inline placeholder', id: 'prompts-unavailable'}, state.reason || 'Prompts are not available.'));
      return;
    }
    const ids = new Set(state.prompts.map(p => String(p.id)));
    for (const [id, it] of items) if (!ids.has(id)) { it.node.remove(); items.delete(id); }
    if (state.prompts.length === 0) {
      if (!list.querySelector('.empty-note')) replace(list, el('p', {class: 'muted placeholder empty-note'}, 'No question waits.'));
      return;
    }
    for (const ph of list.querySelectorAll(':scope > .placeholder')) ph.remove();
    // Newest on top (oldest prepended first); cards already shown stay (their selects keep what the user chose).
    for (const p of state.prompts.slice().sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0))) {
      const id = String(p.id);
      if (!items.has(id)) {
        const c = card(p);
        items.set(id, c);
        list.prepend(c.node);
      } else {
        items.get(id).p = p;
      }
    }
    tick();
  }

  permissionControl();
  const off = watch.onChange(show);
  const timer = setInterval(tick, 1000);
  watch.refresh().catch(e => { if (!disposed) { replace(list, el('p', {class: 'form-error placeholder'}, e.message)); } });
  return () => { disposed = true; off(); clearInterval(timer); };
}
