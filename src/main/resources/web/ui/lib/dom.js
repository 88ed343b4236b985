// DOM building with text only. Host names, process names, command lines, rule text and list entries
// come from other people's programs: every string given here becomes a Text node or a property that
// the browser never parses as markup. Nothing in the UI uses innerHTML, insertAdjacentHTML or
// document.write; this module is the one place that creates elements.

const PROPERTIES = new Set([
  'id', 'className', 'type', 'name', 'value', 'placeholder', 'title', 'disabled', 'checked', 'selected',
  'min', 'max', 'step', 'required', 'autocomplete', 'rows', 'colSpan', 'htmlFor', 'tabIndex', 'maxLength',
  'download', 'spellcheck', 'hidden', 'multiple', 'size', 'open',
]);
const ATTRIBUTES = new Set(['role', 'for', 'scope', 'inputmode', 'list', 'pattern', 'autofocus']);

/**
 * el('button', {class: 'small', data: {action: 'kill'}, on: {click: fn}}, 'Kill') — children are
 * strings (become text), numbers, nodes, arrays of those, or null/undefined/false (skipped).
 */
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'data') for (const [dk, dv] of Object.entries(v)) { if (dv != null) e.dataset[dk] = String(dv); }
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else if (k === 'href') e.setAttribute('href', safeHref(v));
      else if (k.startsWith('aria-') || ATTRIBUTES.has(k)) e.setAttribute(k, String(v));
      else if (PROPERTIES.has(k)) e[k] = v;
      else throw new Error('el: unsupported property ' + k);
    }
  }
  append(e, children);
  return e;
}

/** Appends children (see el) to a node. */
export function append(parent, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
  return parent;
}

/** Replaces a node's children (see el). */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Sets a node's text, only when it changed (cheap for tables redrawn every second). */
export function setText(node, text) {
  const t = text == null ? '' : String(text);
  if (node.textContent !== t) node.textContent = t;
}

/** Only same-site links: a hash route, a path on this server, or a query on it. */
export function safeHref(href) {
  const s = String(href);
  if (/^(#|\/(?!\/)|\?)/.test(s)) return s;
  throw new Error('el: refusing link ' + s);
}

/** A <select> with [value, label] options and the given value selected. */
export function select(props, options, value) {
  const s = el('select', props, options.map(([v, label]) => el('option', {value: v}, label ?? v)));
  if (value !== undefined) s.value = value;
  return s;
}

/** A labelled form field: <label>Text <input></label>. */
export function field(label, control, hint) {
  return el('label', {class: 'field'}, el('span', {class: 'field-label'}, label), control,
    hint ? el('span', {class: 'field-hint'}, hint) : null);
}

/** A simple table (for short lists): columns [{label, value(row) → string|Node, class}]. */
export function table(columns, rows, props = {}) {
  const head = el('thead', null, el('tr', null, columns.map(c => el('th', {class: c.class, scope: 'col'}, c.label))));
  const body = el('tbody', null, rows.map(r => el('tr', props.rowProps ? props.rowProps(r) : null,
    columns.map(c => {
      const v = c.value(r);
      return el('td', {class: c.class, title: typeof v === 'string' && v.length > 40 ? v : undefined}, v);
    }))));
  if (rows.length === 0) {
    body.appendChild(el('tr', null, el('td', {colSpan: columns.length, class: 'empty'}, props.empty ?? 'Nothing here.')));
  }
  return el('div', {class: 'table-wrap'}, el('table', {class: ['grid', props.class], id: props.id}, head, body));
}

/** A titled section box. */
export function panel(title, ...children) {
  return el('section', {class: 'panel'}, title ? el('h2', null, title) : null, ...children);
}

/**
 * A delete button that asks twice: the first click turns it into "Really delete?" for 4 s and returns
 * false; a second click within that time returns true.
 */
export function confirmedTwice(button) {
  if (button.dataset.confirm === 'yes') {
    return true;
  }
  button.dataset.confirm = 'yes';
  button.textContent = 'Really delete?';
  setTimeout(() => { if (button.isConnected) { button.dataset.confirm = ''; button.textContent = 'Delete'; } }, 4000);
  return false;
}
