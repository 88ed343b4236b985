// The login page: the token from DATA_DIR/ui-token (`netwarden ui-token`) buys a session cookie;
// then on to the page the user wanted (?next=#/...) or the overview. Public, like login.html.

const KEY = 'netwarden.theme';
try {
  const t = localStorage.getItem(KEY);
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch {
  // storage disabled: follow the browser
}

const form = document.getElementById('login-form');
const token = document.getElementById('login-token');
const error = document.getElementById('login-error');
const submit = document.getElementById('login-submit');

function next() {
  const n = new URLSearchParams(location.search).get('next') || '';
  return /^#\/[a-z]+(\/[^\s]*)?$/.test(n) ? n : '#/overview';
}

function fail(message) {
  error.textContent = message;
  error.hidden = false;
  token.select();
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  error.hidden = true;
  const value = token.value.trim();
  if (!value) {
    fail('Enter the token.');
    return;
  }
  submit.disabled = true;
  try {
    const res = await fetch('/api/login', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify({token: value}),
    });
    if (res.ok) {
      location.assign('/ui/index.html' + next());
      return;
    }
    let message = 'HTTP ' + res.status;
    try {
      const d = await res.json();
      if (d && typeof d.error === 'string') message = d.error;
    } catch {
      // not JSON: keep the status
    }
    fail(res.status === 401 ? 'Wrong token (' + message + ').' : 'Login failed: ' + message);
  } catch (x) {
    fail('The daemon does not answer: ' + (x.message || x));
  } finally {
    submit.disabled = false;
  }
});
