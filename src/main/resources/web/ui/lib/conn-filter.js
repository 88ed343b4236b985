// The Connections page's filter, in the spirit of Sniffnet's Inspect tab: type words to keep the
// rows that contain all of them (any column, case-insensitive), or narrow a word to one column with
// a prefix. A leading "-" keeps the rows that do NOT match.
//
//   curl                  rows mentioning curl anywhere (app, exe, command line, domain, address …)
//   app:firefox port:443  firefox's connections to or from port 443
//   domain:example -udp   example in the domain, and not UDP
//
// Prefixes: app, exe, pid, user, domain (or host), addr (or ip), port, service, proto, state, dir.
// Numbers (pid, port) must be equal; everything else is a substring.

const FIELDS = {
  app: r => [r.comm, baseName(r.exe)],
  exe: r => [r.exe],
  pid: r => [r.pid],
  user: r => [r.user, r.uid],
  domain: r => [r.domain],
  host: r => [r.domain],
  addr: r => [r.remote && r.remote.address, r.local && r.local.address],
  ip: r => [r.remote && r.remote.address, r.local && r.local.address],
  port: r => [r.remote && r.remote.port, r.local && r.local.port],
  service: r => [r.service],
  proto: r => [r.transport],
  state: r => [r.state],
  dir: r => [r.direction],
};
const EXACT = new Set(['pid', 'port']);

function baseName(p) {
  if (!p) return null;
  const i = String(p).lastIndexOf('/');
  return i >= 0 ? String(p).slice(i + 1) : String(p);
}

function rowText(r) {
  if (r._text == null) {
    r._text = [r.comm, r.exe, r.cmdline, r.user, r.pid, r.domain, r.service, r.transport, r.state, r.direction,
      r.local && r.local.address, r.local && r.local.port, r.remote && r.remote.address, r.remote && r.remote.port,
      r.unknownReason].filter(v => v != null && v !== '').join('\u0001').toLowerCase();
  }
  return r._text;
}

/** Text → row predicate. An unknown prefix is taken as plain text (a colon in an IPv6 address). */
export function compileFilter(text) {
  const terms = String(text).trim().split(/\s+/).filter(Boolean).map(raw => {
    let negate = false;
    let t = raw;
    if (t.length > 1 && t.startsWith('-')) { negate = true; t = t.slice(1); }
    const colon = t.indexOf(':');
    const prefix = colon > 0 ? t.slice(0, colon).toLowerCase() : '';
    if (prefix && FIELDS[prefix] && colon < t.length - 1) {
      const want = t.slice(colon + 1).toLowerCase();
      const get = FIELDS[prefix];
      const exact = EXACT.has(prefix);
      return {negate, test: r => get(r).some(v => v != null && (exact ? String(v) === want : String(v).toLowerCase().includes(want)))};
    }
    const want = t.toLowerCase();
    return {negate, test: r => rowText(r).includes(want)};
  });
  if (terms.length === 0) return () => true;
  return r => terms.every(term => term.test(r) !== term.negate);
}

/** The value a column sorts by: numbers as numbers, text lower-cased, unknown as null. */
export function sortKey(r, key) {
  switch (key) {
    case 'app': return low(r.comm || baseName(r.exe));
    case 'pid': return num(r.pid);
    case 'user': return low(r.user);
    case 'local': return addrKey(r.local);
    case 'remote': return addrKey(r.remote);
    case 'domain': return low(r.domain);
    case 'port': return num(r.remote && r.remote.port);
    case 'service': return low(r.service);
    case 'proto': return low(r.transport);
    case 'state': return low(r.state);
    case 'direction': return low(r.direction);
    case 'bytesOut': return num(r.bytesOut);
    case 'bytesIn': return num(r.bytesIn);
    case 'rateOut': return num(r.rateOut);
    case 'rateIn': return num(r.rateIn);
    case 'startedAt': return num(r.startedAt);
    default: return low(r[key]);
  }
}

function low(v) {
  return v == null || v === '' ? null : String(v).toLowerCase();
}

function num(v) {
  return typeof v === 'number' && v >= 0 ? v : null;
}

function addrKey(ep) {
  if (!ep || ep.address == null) return null;
  const a = String(ep.address);
  // IPv4 sorts numerically: each octet padded to three digits.
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  const base = v4 ? v4.slice(1).map(o => o.padStart(3, '0')).join('.') : a.toLowerCase();
  return base + ':' + String(ep.port ?? 0).padStart(5, '0');
}
