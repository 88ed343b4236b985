// Numbers and times as people read them. The API says "unknown" with -1 or null; every formatter
// shows that as an en dash, never as 0.

const UNKNOWN = '–';
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function known(n) {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** 1234567 → "1.2 MB" (decimal units, as network tools count). */
export function bytes(n) {
  if (!known(n)) return UNKNOWN;
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) { v /= 1000; i++; }
  return (i === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + UNITS[i];
}

/** Bytes per second. */
export function rate(n) {
  return known(n) ? bytes(n) + '/s' : UNKNOWN;
}

/** A count with thousands separators. */
export function count(n) {
  return known(n) ? Math.round(n).toLocaleString() : UNKNOWN;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Epoch ms → "14:03:07" today, "Mar 3 14:03" this year, else "2025-03-03 14:03". */
export function time(ms) {
  if (!known(ms) || ms === 0) return UNKNOWN;
  const d = new Date(ms);
  const now = new Date();
  const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
  if (d.toDateString() === now.toDateString()) return hm + ':' + pad(d.getSeconds());
  const month = d.toLocaleString(undefined, {month: 'short'});
  if (d.getFullYear() === now.getFullYear()) return month + ' ' + d.getDate() + ' ' + hm;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hm;
}

/** Epoch ms → ISO-like local "2025-03-03 14:03:07" (tooltips, details). */
export function fullTime(ms) {
  if (!known(ms) || ms === 0) return UNKNOWN;
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
    + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** Milliseconds → "3 s", "4 min", "2 h", "5 d". */
export function span(ms) {
  if (!known(ms)) return UNKNOWN;
  const s = Math.round(ms / 1000);
  if (s < 90) return s + ' s';
  if (s < 90 * 60) return Math.round(s / 60) + ' min';
  if (s < 36 * 3600) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** Epoch ms → "3 min ago" / "in 40 s". */
export function ago(ms, now = Date.now()) {
  if (!known(ms) || ms === 0) return UNKNOWN;
  const d = now - ms;
  return d >= 0 ? span(d) + ' ago' : 'in ' + span(-d);
}

/** An address and port: "10.0.0.1:443", "[2001:db8::1]:443"; port 0 is "any" and left out. */
export function endpoint(ep) {
  if (!ep || ep.address == null) return UNKNOWN;
  const a = String(ep.address).includes(':') ? '[' + ep.address + ']' : String(ep.address);
  return ep.port ? a + ':' + ep.port : a;
}

/** Text or the unknown marker. */
export function text(v) {
  return v == null || v === '' ? UNKNOWN : String(v);
}

/** The last path element of an executable ("/usr/bin/curl" → "curl"). */
export function baseName(path) {
  if (!path) return '';
  const s = String(path);
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}
