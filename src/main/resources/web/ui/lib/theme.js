// Light and dark themes. Without a choice the browser's prefers-color-scheme decides; the toggle
// stores an explicit choice in localStorage (read again before the first paint by theme-boot.js).
// Charts listen for the window's 'themechange' event to redraw in the new colours.

const KEY = 'netwarden.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

/** 'light' or 'dark', as shown now. */
export function current() {
  const t = document.documentElement.dataset.theme;
  if (t === 'light' || t === 'dark') return t;
  return media.matches ? 'dark' : 'light';
}

function label(button) {
  const next = current() === 'dark' ? 'light' : 'dark';
  button.textContent = current() === 'dark' ? '☀' : '☾';
  button.title = 'Switch to the ' + next + ' theme';
  button.setAttribute('aria-label', button.title);
}

function changed(button) {
  label(button);
  window.dispatchEvent(new Event('themechange'));
}

export function set(theme, button) {
  document.documentElement.dataset.theme = theme;
  try { localStorage.setItem(KEY, theme); } catch { /* not remembered, still applied */ }
  if (button) changed(button);
}

export function init(button) {
  label(button);
  button.addEventListener('click', () => set(current() === 'dark' ? 'light' : 'dark', button));
  media.addEventListener('change', () => {
    if (!document.documentElement.dataset.theme) changed(button);
  });
}
