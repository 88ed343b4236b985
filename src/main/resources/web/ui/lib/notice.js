// Messages to the user: the daemon's errors and the results of actions, in one live region at the top
// of the page. Errors stay until closed; other messages fade after a few seconds.

import {el} from './dom.js';

function region() {
  let r = document.getElementById('notices');
  if (!r) {
    r = el('div', {id: 'notices', 'aria-live': 'polite'});
    document.body.appendChild(r);
  }
  return r;
}

/**
 * Shows a message. kind: 'error' | 'ok' | 'info'. body: extra nodes (e.g. a link to the created rule).
 * Returns the element (tests and callers may remove it).
 */
export function notify(kind, message, ...body) {
  const box = el('div', {class: ['notice', 'notice-' + kind], role: kind === 'error' ? 'alert' : 'status'},
    el('span', {class: 'notice-text'}, message), ...body,
    el('button', {type: 'button', class: 'notice-close', 'aria-label': 'Close', on: {click: () => box.remove()}}, '×'));
  const r = region();
  r.appendChild(box);
  while (r.children.length > 5) r.firstElementChild.remove();
  if (kind !== 'error') setTimeout(() => box.remove(), 6000);
  return box;
}

/** Removes the messages of the page the user left (called on every route change). */
export function clearNotices() {
  const r = document.getElementById('notices');
  if (r) r.replaceChildren();
}

export function showError(e, what) {
  const msg = (what ? what + ': ' : '') + (e && e.message ? e.message : String(e));
  console.warn(msg);
  return notify('error', msg);
}

/** An inline error line for a form: set(message) / clear(). */
export function inlineError() {
  const node = el('p', {class: 'form-error', role: 'alert', hidden: true});
  return {
    node,
    set(e) {
      node.textContent = e && e.message ? e.message : String(e);
      node.hidden = false;
    },
    clear() {
      node.textContent = '';
      node.hidden = true;
    },
  };
}
