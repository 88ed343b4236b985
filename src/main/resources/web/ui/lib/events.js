// The daemon's live stream (GET /api/events, server-sent events): one EventSource for the whole page,
// shared by every view. The browser reconnects by itself; when the session is gone the stream closes
// for good and the page goes to the login screen.

const listeners = new Map();
const statusListeners = new Set();
let source = null;
let state = 'connecting';
let lastEventAt = 0;

function setState(s) {
  if (s === state) return;
  state = s;
  for (const fn of statusListeners) fn(s);
}

function dispatch(type, ev) {
  lastEventAt = Date.now();
  setState('live');
  const fns = listeners.get(type);
  if (!fns || fns.size === 0) return;
  let data;
  try {
    data = JSON.parse(ev.data);
  } catch {
    console.warn('events: bad JSON in', type);
    return;
  }
  for (const fn of fns) {
    try { fn(data); } catch (e) { console.error('events: listener of', type, 'failed', e); }
  }
}

/** Opens the stream (once). */
export function connect() {
  if (source) return;
  source = new EventSource('/api/events');
  for (const type of ['flow', 'rates', 'prompts']) {
    source.addEventListener(type, ev => dispatch(type, ev));
  }
  source.onopen = () => setState('live');
  source.onerror = async () => {
    if (source.readyState === EventSource.CLOSED) {
      setState('down');
      // Closed for good: a 401 (session gone) or the daemon stopped. Ask which.
      try {
        const r = await fetch('/api/session', {credentials: 'same-origin', cache: 'no-store'});
        if (r.status === 401) { location.assign('/login.html'); return; }
      } catch { /* daemon down: retry below */ }
      source = null;
      setTimeout(connect, 3000);
    } else {
      setState('reconnecting');
    }
  };
}

/** Subscribes to one event type ('flow', 'rates', 'prompts'); returns the unsubscribe function. */
export function on(type, fn) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(fn);
  return () => listeners.get(type).delete(fn);
}

/** Subscribes to the connection state: 'connecting' | 'live' | 'reconnecting' | 'down'. */
export function onStatus(fn) {
  statusListeners.add(fn);
  fn(state);
  return () => statusListeners.delete(fn);
}

export function lastEvent() {
  return lastEventAt;
}
