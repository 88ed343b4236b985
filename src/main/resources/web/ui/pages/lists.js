// Block lists: each list's source, size and hit count; add one (a URL the daemon fetches, or entries
// pasted here), delete one, and check whether a domain or address is on any list.

import {api} from '../lib/api.js';
import {confirmedTwice, el, field, replace, select, table} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {notify, showError, inlineError} from '../lib/notice.js';

export default function lists(root) {
  const listBox = el('div', {id: 'lists-list'}, el('p', {class: 'muted'}, 'Loading…'));
  let disposed = false;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Block lists')),
    el('p', {class: 'muted small'}, 'A rule with the condition list = NAME matches a connection whose domain (or a parent domain) ',
      'or address is on that list. Hits count the connections a list decided.'),
    el('section', {class: 'panel'}, listBox),
    el('div', {class: 'columns-2'}, addForm(), checkForm()),
  );

  async function load() {
    try {
      const d = await api.get('/api/lists');
      if (disposed) return;
      replace(listBox, table([
        {label: 'Name', class: 'mono', value: l => l.name},
        {label: 'Source', class: 'mono wrap-anywhere hide-phone', value: l => fmt.text(l.source)},
        {label: 'Format', class: 'hide-phone', value: l => fmt.text(l.format)},
        {label: 'Entries', class: 'num', value: l => fmt.count(l.entries)},
        {label: 'Hits', class: 'num', value: l => (l.hits == null ? '–' : fmt.count(l.hits))},
        {label: 'Refreshed', class: 'hide-phone', value: l => fmt.time(l.lastRefresh)},
        {label: 'Problem', class: 'wrap-anywhere', value: l => (l.error ? el('span', {class: 'form-error'}, l.error)
          : l.loaded === false ? el('span', {class: 'muted'}, 'not in use yet: the firewall picks new lists up within a second (intercept level only)') : '')},
        {label: '', class: 'actions', value: l => el('button', {type: 'button', class: 'small danger', data: {list: l.name},
          on: {click: e => remove(l, e.currentTarget)}}, 'Delete')},
      ], d.lists || [], {id: 'lists-table', empty: 'No block list configured.'}));
    } catch (e) {
      if (!disposed) replace(listBox, el('p', {class: 'form-error'}, e.message));
    }
  }

  async function remove(l, button) {
    if (!confirmedTwice(button)) {
      return;
    }
    try {
      await api.del('/api/lists/' + encodeURIComponent(l.name));
      notify('ok', 'List ' + l.name + ' deleted.');
      load();
    } catch (e) {
      showError(e, 'List ' + l.name);
    }
  }

  function addForm() {
    const name = el('input', {type: 'text', name: 'name', required: true, placeholder: 'ads', spellcheck: false});
    const kind = select({name: 'kind'}, [['url', 'from a URL (fetched and refreshed by the daemon)'], ['content', 'entries typed here']], 'url');
    const url = el('input', {type: 'url', name: 'url', placeholder: 'https://…/hosts', spellcheck: false});
    const content = el('textarea', {name: 'content', rows: 6, spellcheck: false, placeholder: 'one entry a line:\nads.example\n*.tracker.example'});
    const format = select({name: 'format'}, [['domains', 'domains'], ['hosts', 'hosts file'], ['adblock', 'adblock'], ['addresses', 'addresses / networks']], 'domains');
    const urlField = field('URL', url);
    const contentFields = el('div', {hidden: true}, field('Entries', content), field('Format', format));
    kind.addEventListener('change', () => { urlField.hidden = kind.value !== 'url'; contentFields.hidden = kind.value === 'url'; });
    const err = inlineError();
    const form = el('form', {id: 'list-form', class: 'panel'}, el('h2', null, 'Add a list'),
      el('div', {class: 'form-row'}, field('Name', name), field('Source', kind)), urlField, contentFields, err.node,
      el('div', {class: 'button-row'}, el('button', {type: 'submit', class: 'primary'}, 'Add list')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      err.clear();
      const body = kind.value === 'url' ? {name: name.value.trim(), url: url.value.trim()}
        : {name: name.value.trim(), content: content.value, format: format.value};
      try {
        await api.post('/api/lists', body);
        notify('ok', 'List ' + body.name + ' added.');
        form.reset();
        urlField.hidden = false;
        contentFields.hidden = true;
        load();
      } catch (x) {
        err.set(x);
      }
    });
    return form;
  }

  function checkForm() {
    const what = el('input', {type: 'text', name: 'check', required: true, placeholder: 'ads.example or 192.0.2.7', spellcheck: false});
    const result = el('div', {id: 'list-check-result', 'aria-live': 'polite'});
    const err = inlineError();
    const form = el('form', {id: 'list-check-form', class: 'panel'}, el('h2', null, 'Is it on a list?'),
      field('Domain or address', what), err.node,
      el('div', {class: 'button-row'}, el('button', {type: 'submit'}, 'Check')), result);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      err.clear();
      const v = what.value.trim();
      const isAddress = /^[0-9.]+$/.test(v) || v.includes(':');
      try {
        const d = await api.post('/api/lists/check', isAddress ? {address: v} : {domain: v});
        const m = d.matches || [];
        replace(result, m.length === 0 ? el('p', null, 'On no list.')
          : el('ul', null, m.map(x => el('li', null, 'on ', el('span', {class: 'mono'}, x.list), ' as ', el('span', {class: 'mono'}, x.entry)))));
      } catch (x) {
        err.set(x);
      }
    });
    return form;
  }

  load();
  return () => { disposed = true; };
}
