// The client of the daemon's /api: JSON in and out, the session's CSRF token on every request that
// changes something, and the server's {"error": "..."} as the message of the thrown ApiError, so
// every page can show the daemon's own words to the user.

let csrf = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Reads this session's CSRF token (GET /api/session); a missing session goes to the login page. */
export async function startSession() {
  const s = await request('GET', '/api/session');
  csrf = s.csrf;
  return s;
}

function loginPage() {
  const back = location.hash && location.hash !== '#/' ? '?next=' + encodeURIComponent(location.hash) : '';
  location.assign('/login.html' + back);
}

/**
 * One request. Resolves to the parsed JSON (or null for an empty body); rejects with ApiError carrying
 * the server's message. A 401 means the session is gone: to the login page.
 */
export async function request(method, path, body, retried = false) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'The daemon does not answer (' + (e.message || e) + '). Is netwarden still running?');
  }
  if (res.status === 401) {
    loginPage();
    throw new ApiError(401, 'Your session ended: log in again.');
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  let raw = '';
  if (type.includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  } else {
    try { raw = await res.text(); } catch { raw = ''; }
  }
  if (res.status === 403 && !retried && method !== 'GET' && data && /csrf/i.test(String(data.error))) {
    // The daemon restarted or the session was renewed: fetch the token again, once.
    await startSession();
    return request(method, path, body, true);
  }
  if (!res.ok) {
    const message = data && typeof data.error === 'string' ? data.error
      : (raw.trim().slice(0, 200) || res.statusText || 'request failed');
    throw new ApiError(res.status, message + ' (HTTP ' + res.status + ')');
  }
  return data;
}

export const api = {
  get: path => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  put: (path, body) => request('PUT', path, body),
  del: path => request('DELETE', path),
};

/** "/api/x" + {a: 1, b: ''} → "/api/x?a=1" (empty values left out). */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? path + '?' + s : path;
}

export async function logout() {
  try { await request('POST', '/api/logout', {}); } catch { /* going to the login page anyway */ }
  location.assign('/login.html');
}
