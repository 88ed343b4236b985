// Rules as the API shows them (GET /api/rules: id, order, action, priority, enabled, duration,
// expires, description, conditions {key: [values]}, hits, path) and the rules the other pages create
// ("block this app", "block this destination").

import {api} from './api.js';
import {el} from './dom.js';

/** The condition keys of a rule file, in the order the form offers them (docs/rules.md). */
export const CONDITION_KEYS = [
  ['exe', 'executable path'], ['process', 'process name (comm)'], ['exe_regex', 'executable regex'],
  ['cmdline_regex', 'command line regex'], ['sha256', 'executable sha256'], ['parent_exe', 'parent or ancestor exe'],
  ['user', 'user name or uid'], ['host', 'domain (example.com, *.example.com)'], ['host_regex', 'domain regex'],
  ['cidr', 'remote address or network'], ['port', 'port or range (8000-8100)'], ['proto', 'tcp, udp, icmp, raw'],
  ['iface', 'interface'], ['direction', 'outbound, inbound, listen'], ['list', 'block list name'],
];

/** [[key, [values]]] of a rule, whichever shape the server used (match object or conditions list). */
export function conditionsOf(rule) {
  const m = rule && (rule.conditions ?? rule.match);
  if (!m) return [];
  if (Array.isArray(m)) {
    return m.map(c => [String(c.key ?? c.kind), [].concat(c.values ?? c.value ?? [])]);
  }
  return Object.entries(m).map(([k, v]) => [k, [].concat(v)]);
}

/** "exe = /usr/bin/curl · host = a.com, b.com" (text; callers put it in a text node). */
export function describeConditions(rule) {
  const cs = conditionsOf(rule);
  if (cs.length === 0) return 'every connection';
  return cs.map(([k, vs]) => k + ' = ' + vs.map(String).join(', ')).join(' · ');
}

/** A rule id the rule store accepts ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}) from free text. */
export function ruleId(prefix, name) {
  const clean = String(name || '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60);
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return (prefix + (clean ? '-' + clean : '') + '-' + stamp).slice(0, 128);
}

/** POST /api/rules; resolves to the created rule. */
export function createRule(rule) {
  return api.post('/api/rules', rule);
}

/** The rule that blocks a connection's app: its executable (or its name when the path is unknown). */
export function blockAppRule(conn, action, duration) {
  const conditions = conn.exe ? {exe: [conn.exe]} : {process: [conn.comm]};
  const name = conn.exe ? conn.exe.slice(conn.exe.lastIndexOf('/') + 1) : conn.comm;
  return {
    id: ruleId('block-app', name), action, priority: 0, enabled: true, duration,
    description: 'blocked from the web UI: ' + (conn.exe || conn.comm), conditions,
  };
}

/** The rule that blocks a connection's destination for every app: its domain, else its address. */
export function blockDestinationRule(conn, action, duration) {
  const remote = conn.remote && conn.remote.address;
  const conditions = conn.domain ? {host: [conn.domain]} : {cidr: [remote]};
  return {
    id: ruleId('block-dest', conn.domain || remote), action, priority: 0, enabled: true, duration,
    description: 'blocked from the web UI: ' + (conn.domain || remote), conditions,
  };
}

/** A one-line view of a rule: action badge, id, conditions. */
export function ruleSummary(rule) {
  return el('span', {class: 'rule-summary'},
    el('span', {class: ['tag', 'tag-' + rule.action]}, rule.action), ' ',
    el('a', {href: '#/rules', class: 'mono'}, rule.id), ' ',
    el('span', {class: 'muted'}, describeConditions(rule)));
}
