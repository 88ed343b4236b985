// Rules: the rule files in evaluation order (the first enabled rule that matches decides), the files
// the daemon could not read, a form to create or edit one, and a tester that says which rule would
// decide a described connection.

import {api} from '../lib/api.js';
import {confirmedTwice, el, field, replace, select, table} from '../lib/dom.js';
import * as fmt from '../lib/format.js';
import {notify, showError, inlineError} from '../lib/notice.js';
import {CONDITION_KEYS, conditionsOf, describeConditions, ruleSummary} from '../lib/rules-lib.js';

const DURATIONS = [['always', 'always'], ['once', 'once (one connection)'], ['15m', '15 minutes'], ['1h', '1 hour'],
  ['24h', '24 hours'], ['7d', '7 days']];
const NUMERIC_KEYS = new Set(['port', 'user']);

export default function rules(root) {
  const listBox = el('div', {id: 'rules-list'}, el('p', {class: 'muted'}, 'Loading…'));
  const errorsBox = el('div', {id: 'rules-errors'});
  const formBox = el('div');
  const testBox = el('div');
  let disposed = false;

  root.append(
    el('div', {class: 'page-head'}, el('h1', null, 'Rules'),
      el('button', {type: 'button', class: 'primary', id: 'rule-new', on: {click: () => openForm(null)}}, 'New rule')),
    el('p', {class: 'muted small'}, 'In evaluation order: higher priority first, deny and reject before allow, then by id. ',
      'The first enabled rule whose conditions all match decides; if none does, the default action (or a prompt) applies.'),
    formBox,
    el('section', {class: 'panel'}, listBox, errorsBox),
    testBox,
  );

  async function load() {
    try {
      const d = await api.get('/api/rules');
      if (disposed) return;
      const list = d.rules || [];
      replace(listBox, table([
        {label: '#', class: 'num hide-phone', value: r => String(r.order ?? '')},
        {label: 'Id', class: 'mono wrap-anywhere', value: r => r.id},
        {label: 'Action', value: r => el('span', {class: ['tag', 'tag-' + r.action]}, r.action)},
        {label: 'Prio', class: 'num', value: r => String(r.priority ?? 0)},
        {label: 'Matches', class: 'wrap-anywhere', value: r => describeConditions(r)},
        {label: 'For', class: 'hide-phone', value: r => durationText(r)},
        {label: 'Hits', class: 'num hide-phone', value: r => (r.hits == null ? '–' : fmt.count(r.hits))},
        {label: 'Description', class: 'wrap-anywhere hide-phone', value: r => fmt.text(r.description)},
        {label: '', class: 'actions', value: r => el('span', {class: 'button-row tight'},
          el('button', {type: 'button', class: 'small', data: {rule: r.id, do: 'edit'}, on: {click: () => openForm(r)}}, 'Edit'),
          el('button', {type: 'button', class: 'small', data: {rule: r.id, do: r.enabled === false ? 'enable' : 'disable'},
            on: {click: () => toggle(r)}}, r.enabled === false ? 'Enable' : 'Disable'),
          el('button', {type: 'button', class: 'small danger', data: {rule: r.id, do: 'delete'}, on: {click: e => remove(r, e.currentTarget)}}, 'Delete'))},
      ], list, {id: 'rules-table', empty: 'No rules yet: every connection gets the default action.',
        rowProps: r => ({class: r.enabled === false ? 'disabled' : null, data: {ruleId: r.id}})}));
      const errs = d.errors || [];
      replace(errorsBox, errs.length === 0 ? null : el('div', {class: 'broken'},
        el('h3', null, 'Files the daemon could not read (left out)'),
        el('ul', null, errs.map(x => el('li', null, el('span', {class: 'mono'}, (x.path ?? x.file ?? '?') + (x.line ? ':' + x.line : '')), ' ',
          x.key ? el('span', {class: 'mono'}, '[' + x.key + '] ') : null, x.message)))));
    } catch (e) {
      if (!disposed) { replace(listBox, el('p', {class: 'form-error'}, e.message)); }
    }
  }

  function durationText(r) {
    if (r.expires) return 'until ' + fmt.fullTime(typeof r.expires === 'number' ? r.expires : Date.parse(r.expires));
    if (r.duration === 'until-exit' && r.pid) return 'until pid ' + r.pid + ' exits';
    return fmt.text(r.duration);
  }

  async function toggle(r) {
    try {
      await api.post('/api/rules/' + encodeURIComponent(r.id) + (r.enabled === false ? '/enable' : '/disable'));
      notify('ok', 'Rule ' + r.id + (r.enabled === false ? ' enabled.' : ' disabled.'));
      load();
    } catch (e) {
      showError(e, 'Rule ' + r.id);
    }
  }

  async function remove(r, button) {
    if (!confirmedTwice(button)) {
      return;
    }
    try {
      await api.del('/api/rules/' + encodeURIComponent(r.id));
      notify('ok', 'Rule ' + r.id + ' deleted.');
      load();
    } catch (e) {
      showError(e, 'Rule ' + r.id);
    }
  }

  function conditionRow(key, values) {
    const keySel = select({name: 'cond-key', 'aria-label': 'Condition'}, CONDITION_KEYS.map(([k, hint]) => [k, k + ' — ' + hint]), key || 'exe');
    const input = el('input', {type: 'text', name: 'cond-values', value: (values || []).join(', '), spellcheck: false,
      placeholder: 'values, separated by commas', 'aria-label': 'Values'});
    const row = el('div', {class: 'condition'}, keySel, input,
      el('button', {type: 'button', class: 'small', 'aria-label': 'Remove condition', on: {click: () => row.remove()}}, '×'));
    return row;
  }

  function openForm(rule) {
    const editing = !!rule;
    const id = el('input', {type: 'text', name: 'id', required: true, value: rule ? rule.id : '', disabled: editing, spellcheck: false,
      pattern: '[A-Za-z0-9_][A-Za-z0-9._\\-]{0,127}', placeholder: 'curl-no-testsite'});
    const action = select({name: 'action'}, [['allow', 'allow'], ['deny', 'deny (drop)'], ['reject', 'reject (refuse at once)']], rule ? rule.action : 'deny');
    const priority = el('input', {type: 'number', name: 'priority', min: -1000, max: 1000, step: 1, value: String(rule ? rule.priority ?? 0 : 0)});
    const enabled = el('input', {type: 'checkbox', name: 'enabled', checked: rule ? rule.enabled !== false : true});
    const durOptions = DURATIONS.slice();
    if (rule && rule.duration && !durOptions.some(d => d[0] === rule.duration)) durOptions.push([rule.duration, rule.duration]);
    const duration = select({name: 'duration'}, durOptions, rule ? rule.duration || 'always' : 'always');
    const description = el('input', {type: 'text', name: 'description', value: rule ? rule.description || '' : '', placeholder: 'why this rule exists'});
    const conds = el('div', {class: 'conditions'});
    const existing = rule ? conditionsOf(rule) : [];
    if (existing.length) existing.forEach(([k, vs]) => conds.appendChild(conditionRow(k, vs.map(String))));
    else conds.appendChild(conditionRow('exe', []));
    const err = inlineError();
    const submit = el('button', {type: 'submit', class: 'primary', id: 'rule-submit'}, editing ? 'Save rule' : 'Create rule');
    const form = el('form', {id: 'rule-form', class: 'panel rule-form'},
      el('h2', null, editing ? 'Edit rule ' + rule.id : 'New rule'),
      el('div', {class: 'form-row'}, field('Id (file name)', id), field('Action', action), field('Priority', priority),
        field('For', duration), el('label', {class: 'field check'}, enabled, el('span', null, 'enabled'))),
      field('Description', description),
      el('div', {class: 'field'}, el('span', {class: 'field-label'}, 'Match (every condition must match; a condition matches any of its values)'), conds,
        el('button', {type: 'button', class: 'small', id: 'rule-add-condition', on: {click: () => conds.appendChild(conditionRow('host', []))}}, '+ condition')),
      err.node,
      el('div', {class: 'button-row'}, submit, el('button', {type: 'button', on: {click: () => formBox.replaceChildren()}}, 'Cancel')));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      err.clear();
      const conditions = {};
      for (const row of conds.querySelectorAll('.condition')) {
        const k = row.querySelector('[name=cond-key]').value;
        const vs = row.querySelector('[name=cond-values]').value.split(',').map(v => v.trim()).filter(Boolean)
          .map(v => (NUMERIC_KEYS.has(k) && /^\d+$/.test(v) ? Number(v) : v));
        if (vs.length === 0) continue;
        conditions[k] = (conditions[k] || []).concat(vs);
      }
      const body = {id: editing ? rule.id : id.value.trim(), action: action.value, priority: Number(priority.value || 0),
        enabled: enabled.checked, duration: duration.value, description: description.value, conditions};
      submit.disabled = true;
      try {
        const saved = editing
          ? await api.put('/api/rules/' + encodeURIComponent(rule.id), body)
          : await api.post('/api/rules', body);
        formBox.replaceChildren();
        notify('ok', editing ? 'Rule saved: ' : 'Rule created: ', ruleSummary(saved && saved.id ? saved : body));
        load();
      } catch (x) {
        err.set(x);
      } finally {
        submit.disabled = false;
      }
    });
    replace(formBox, form);
    (editing ? action : id).focus();
  }

  function testPanel() {
    const facts = [['exe', 'Executable', '/usr/bin/curl'], ['comm', 'Process name', 'curl'], ['cmdline', 'Command line', ''],
      ['user', 'User', 'root or 0'], ['host', 'Domain', 'example.com'], ['address', 'Address', '192.0.2.7'], ['port', 'Port', '443'],
      ['protocol', 'Protocol', 'tcp'], ['parentExe', 'Parent exe', ''], ['sha256', 'sha256', ''], ['interface', 'Interface', '']];
    const inputs = Object.fromEntries(facts.map(([k, , hint]) => [k, el('input', {type: 'text', name: k, placeholder: hint, spellcheck: false})]));
    const result = el('div', {id: 'rule-test-result', 'aria-live': 'polite'});
    const err = inlineError();
    const form = el('form', {id: 'rule-test-form', class: 'panel'},
      el('h2', null, 'Test: which rule decides this connection?'),
      el('div', {class: 'form-row'}, facts.map(([k, label]) => field(label, inputs[k]))),
      err.node,
      el('div', {class: 'button-row'}, el('button', {type: 'submit'}, 'Test')), result);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      err.clear();
      const body = {};
      for (const [k] of facts) {
        const v = inputs[k].value.trim();
        if (v) body[k] = k === 'port' && /^\d+$/.test(v) ? Number(v) : v;
      }
      try {
        const d = await api.post('/api/rules/test', body);
        replace(result, el('p', null, el('span', {class: ['tag', 'tag-' + d.decision]}, d.decision), ' ',
          d.ruleId ? el('span', {class: 'mono'}, d.ruleId) : 'no rule: the default action applies', ' ',
          el('span', {class: 'muted'}, d.reason || '')));
      } catch (x) {
        err.set(x);
        result.replaceChildren();
      }
    });
    return form;
  }

  testBox.appendChild(testPanel());
  load();
  return () => { disposed = true; };
}
