// Applies the theme the user chose (light or dark, kept in localStorage) before the page is drawn, so
// it does not flash in the other one. Without a choice the browser's prefers-color-scheme decides
// (style.css). A classic script in <head>: it must run before the first paint.
(function () {
  try {
    var t = localStorage.getItem('netwarden.theme');
    if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
  } catch (e) {
    // storage disabled: follow the browser
  }
})();
