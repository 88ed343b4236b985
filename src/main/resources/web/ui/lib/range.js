// Time ranges as the API takes them (`since`, `until`: what `netwarden history --since` accepts:
// 15m, 2d, an ISO time) and a picker for them: presets from minutes to a year, or a custom range.

import {el, select, field} from './dom.js';

export const PRESETS = [
  ['15m', 'last 15 minutes'], ['1h', 'last hour'], ['6h', 'last 6 hours'], ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'], ['30d', 'last 30 days'], ['90d', 'last 90 days'], ['365d', 'last year'], ['custom', 'custom…'],
];

const UNIT_MS = {s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000};

/** "24h" → 86400000; null for anything else. */
export function presetMillis(since) {
  const m = /^(\d+)([smhdw])$/.exec(since || '');
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

/** The chart step that gives a readable number of points for a range (API: minute | hour | day). */
export function stepFor(ms) {
  if (ms == null) return 'hour';
  if (ms <= 6 * 3600000) return 'minute';
  if (ms <= 14 * 86400000) return 'hour';
  return 'day';
}

/** A local datetime-input value → ISO instant, or '' when empty. */
function isoOf(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * A range picker. onChange({since, until, ms}) fires when the user picks. Returns {node, value()}.
 */
export function rangePicker(initial, onChange, idPrefix = 'range') {
  const preset = select({id: idPrefix + '-preset', 'aria-label': 'Time range'}, PRESETS, PRESETS.some(p => p[0] === initial) ? initial : '24h');
  const from = el('input', {type: 'datetime-local', id: idPrefix + '-from'});
  const to = el('input', {type: 'datetime-local', id: idPrefix + '-to'});
  const custom = el('span', {class: 'custom-range', hidden: preset.value !== 'custom'}, field('From', from), field('To', to));
  const value = () => {
    if (preset.value === 'custom') {
      const since = isoOf(from.value);
      const until = isoOf(to.value);
      const ms = since ? (until ? new Date(until) : new Date()) - new Date(since) : null;
      return {since: since || '24h', until, ms: ms ?? presetMillis('24h')};
    }
    return {since: preset.value, until: '', ms: presetMillis(preset.value)};
  };
  preset.addEventListener('change', () => {
    custom.hidden = preset.value !== 'custom';
    if (preset.value !== 'custom') onChange(value());
  });
  for (const input of [from, to]) input.addEventListener('change', () => { if (from.value) onChange(value()); });
  return {node: el('span', {class: 'range-picker'}, preset, custom), value, preset};
}
