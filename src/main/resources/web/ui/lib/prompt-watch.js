// Pending prompts, watched on every page: the nav badge shows how many questions wait, and a new one
// raises a browser notification when the user allowed them (the Prompts page asks). The live stream's
// "prompts" event says when the set changed; the list itself comes from GET /api/prompts.

import {api, ApiError} from './api.js';
import * as events from './events.js';

const seen = new Set();
const listeners = new Set();
let badge = null;
let available = true;
let reason = '';
let last = [];
let loading = null;

function showCount(n) {
  if (!badge) return;
  badge.hidden = !(n > 0);
  badge.textContent = n > 0 ? String(n) : '';
  badge.title = n === 1 ? '1 question waits for an answer' : n + ' questions wait for an answer';
}

function notifyNew(list) {
  const fresh = list.filter(p => !seen.has(String(p.id)));
  for (const p of list) seen.add(String(p.id));
  if (fresh.length === 0 || !('Notification' in window) || Notification.permission !== 'granted') return;
  for (const p of fresh.slice(0, 3)) {
    const where = (p.domain || p.address || '?') + (p.port ? ':' + p.port : '');
    // Notification text is plain text: the browser does not parse it as markup.
    const n = new Notification('netwarden: ' + (p.comm || 'a program') + ' wants to connect', {
      body: where + (p.exe ? '\n' + p.exe : ''), tag: 'netwarden-prompt-' + p.id, requireInteraction: true,
    });
    n.onclick = () => { window.focus(); location.hash = '#/prompts'; n.close(); };
  }
}

/** Fetches the pending prompts now; resolves to {available, reason, prompts}. */
export function refresh() {
  if (loading) return loading;
  loading = (async () => {
    try {
      const d = await api.get('/api/prompts');
      available = true;
      reason = '';
      last = Array.isArray(d.prompts) ? d.prompts : [];
      notifyNew(last);
    } catch (e) {
      if (e instanceof ApiError && e.status === 503) {
        available = false;
        reason = e.message.replace(/ \(HTTP 503\)$/, '');
        last = [];
      } else {
        throw e;
      }
    } finally {
      loading = null;
    }
    showCount(last.length);
    const state = {available, reason, prompts: last};
    for (const fn of listeners) fn(state);
    return state;
  })();
  return loading;
}

/** Called with {available, reason, prompts} after every refresh; returns the unsubscribe function. */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function init(badgeElement) {
  badge = badgeElement;
  events.on('prompts', d => {
    if (typeof d.pending === 'number') showCount(d.pending);
    refresh().catch(e => console.warn('prompts:', e.message));
  });
  refresh().catch(e => console.warn('prompts:', e.message));
}
