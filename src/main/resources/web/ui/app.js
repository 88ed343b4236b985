// The single page app's shell: session, hash routes, the nav bar with its pending-prompt badge, the
// live stream's state, the theme toggle, and browser notifications of new prompts. Each page is a
// module with mount(root, params) → cleanup function; only one is mounted at a time.

import {ApiError, logout, startSession} from './lib/api.js';
import * as events from './lib/events.js';
import {el} from './lib/dom.js';
import {clearNotices, showError} from './lib/notice.js';
import * as theme from './lib/theme.js';
import * as prompts from './lib/prompt-watch.js';
import overview from './pages/overview.js';
import connections from './pages/connections.js';
import apps from './pages/apps.js';
import appDetail from './pages/app-detail.js';
import historyPage from './pages/history.js';
import rules from './pages/rules.js';
import lists from './pages/lists.js';
import promptsPage from './pages/prompts.js';
import alerts from './pages/alerts.js';

const PAGES = {
  overview: {title: 'Overview', page: overview},
  connections: {title: 'Connections', page: connections},
  apps: {title: 'Apps', page: apps},
  history: {title: 'History', page: historyPage},
  rules: {title: 'Rules', page: rules},
  lists: {title: 'Lists', page: lists},
  prompts: {title: 'Prompts', page: promptsPage},
  alerts: {title: 'Alerts', page: alerts},
};

const main = document.getElementById('main');
let cleanup = null;
let mountedKey = null;

/** "#/apps/%2Fusr%2Fbin%2Fcurl" → {name: 'apps', param: '/usr/bin/curl'}. */
function parseRoute(hash) {
  const m = /^#\/([a-z]+)(?:\/(.*))?$/.exec(hash || '');
  if (!m || !PAGES[m[1]]) return {name: 'overview', param: null};
  let param = null;
  if (m[2] != null && m[2] !== '') {
    try { param = decodeURIComponent(m[2]); } catch { param = null; }
  }
  return {name: m[1], param};
}

function route() {
  const r = parseRoute(location.hash);
  if (!location.hash || !PAGES[/^#\/([a-z]+)/.exec(location.hash)?.[1]]) {
    history.replaceState(null, '', '#/overview');
  }
  const key = r.name + '\u0000' + (r.param ?? '');
  if (key === mountedKey) return;
  mountedKey = key;
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error('page cleanup failed', e); }
    cleanup = null;
  }
  for (const name of Object.keys(PAGES)) {
    const a = document.getElementById('nav-' + name);
    if (a) {
      a.classList.toggle('active', name === r.name);
      if (name === r.name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  }
  const def = PAGES[r.name];
  const page = r.name === 'apps' && r.param ? appDetail : def.page;
  document.title = (r.param ? r.param + ' · ' : '') + def.title + ' · netwarden';
  main.replaceChildren();
  clearNotices();
  main.dataset.page = r.name;
  const root = el('div', {class: 'page page-' + r.name});
  main.appendChild(root);
  try {
    cleanup = page(root, r.param) || null;
  } catch (e) {
    showError(e, 'This page failed to open');
  }
}

function watchLiveState() {
  const dot = document.getElementById('live-status');
  const words = {connecting: 'connecting', live: 'live', reconnecting: 'reconnecting', down: 'offline'};
  events.onStatus(s => {
    dot.dataset.state = s;
    dot.textContent = words[s] || s;
    dot.title = 'Live stream: ' + (words[s] || s);
  });
}

async function start() {
  try {
    await startSession();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      main.replaceChildren(el('p', {class: 'form-error'}, 'Cannot start: ' + e.message));
    }
    return;
  }
  theme.init(document.getElementById('theme-toggle'));
  document.getElementById('logout').addEventListener('click', () => logout());
  events.connect();
  watchLiveState();
  prompts.init(document.getElementById('prompt-badge'));
  window.addEventListener('hashchange', route);
  route();
}

start();

