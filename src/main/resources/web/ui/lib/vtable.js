// A table that only makes the rows on screen. 10,000 live connections are 10,000 rows of data but
// about 40 <tr> elements: a fixed pool is refilled (textContent only) as the user scrolls or the data
// changes, and two spacer rows give the scroll bar its full height. Rows have one fixed height, set
// in style.css (.vtable tr.row) and given here as rowHeight: the two must agree.

import {el, setText} from './dom.js';

const OVERSCAN = 8;

export class VirtualTable {
  /**
   * opts: {id, columns: [{key, label, value(row) → string, class, width, sortable (default true),
   * title (bool: full text as tooltip), actions: [{action, label, title, show(row) → bool}]}],
   * rowHeight (px, default 30), sort: {key, dir: 1|-1}, onRange(start, count), onSort(key, dir),
   * onRowClick(row), onAction(action, row), empty (text when there are no rows)}.
   */
  constructor(opts) {
    this.opts = opts;
    this.columns = opts.columns;
    this.rowHeight = opts.rowHeight || 30;
    this.sort = opts.sort || {key: null, dir: 1};
    this.total = 0;
    this.start = 0;
    this.rows = [];
    this.pool = [];
    this.selectedId = null;
    this.requested = {start: -1, count: -1};
    this.frame = 0;

    this.headCells = new Map();
    const colgroup = el('colgroup', null, this.columns.map(c => {
      const col = el('col', {class: ['col-' + c.key, c.class]});
      if (c.width) col.style.width = c.width;
      return col;
    }));
    const headRow = el('tr', null, this.columns.map(c => {
      const sortable = c.sortable !== false && !c.actions;
      const th = el('th', {scope: 'col', class: [c.class, sortable ? 'sortable' : null], data: {key: c.key}},
        el('span', null, c.label), sortable ? el('span', {class: 'sort-mark', 'aria-hidden': 'true'}) : null);
      if (sortable) {
        th.tabIndex = 0;
        const go = () => this.toggleSort(c.key);
        th.addEventListener('click', go);
        th.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
      }
      this.headCells.set(c.key, th);
      return th;
    }));
    this.topSpacer = el('tr', {class: 'spacer', 'aria-hidden': 'true'}, el('td', {colSpan: this.columns.length}));
    this.bottomSpacer = el('tr', {class: 'spacer', 'aria-hidden': 'true'}, el('td', {colSpan: this.columns.length}));
    this.emptyRow = el('tr', {class: 'empty-row'}, el('td', {colSpan: this.columns.length, class: 'empty'}, opts.empty || 'Nothing here.'));
    this.tbody = el('tbody', null, this.topSpacer, this.bottomSpacer);
    this.table = el('table', {id: opts.id, class: ['grid', 'vtable', opts.class]}, colgroup, el('thead', null, headRow), this.tbody);
    this.element = el('div', {class: ['vtable-scroll', opts.scrollClass]}, this.table);
    this.element.addEventListener('scroll', () => this.schedule(), {passive: true});
    this.tbody.addEventListener('click', e => this.click(e));
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.element);
    this.markSort();
  }

  toggleSort(key) {
    const dir = this.sort.key === key ? -this.sort.dir : (this.columns.find(c => c.key === key)?.firstDir || 1);
    this.sort = {key, dir};
    this.markSort();
    if (this.opts.onSort) this.opts.onSort(key, dir);
  }

  markSort() {
    for (const [key, th] of this.headCells) {
      const on = key === this.sort.key;
      th.classList.toggle('sorted', on);
      th.setAttribute('aria-sort', on ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      const mark = th.querySelector('.sort-mark');
      if (mark) mark.textContent = on ? (this.sort.dir > 0 ? '▲' : '▼') : '';
    }
  }

  click(e) {
    const tr = e.target.closest('tr.row');
    if (!tr) return;
    const row = this.rows[Number(tr.dataset.index) - this.start];
    if (!row) return;
    const button = e.target.closest('button[data-action]');
    if (button) {
      e.stopPropagation();
      if (this.opts.onAction) this.opts.onAction(button.dataset.action, row, button);
      return;
    }
    if (this.opts.onRowClick) {
      this.selectedId = row.id;
      this.render();
      this.opts.onRowClick(row);
    }
  }

  /** The rows that should be on screen now, with some spare above and below. */
  visibleRange() {
    const top = this.element.scrollTop;
    const height = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const count = Math.ceil(height / this.rowHeight) + 2 * OVERSCAN;
    return {start: first, count};
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const r = this.visibleRange();
      if (r.start !== this.requested.start || r.count !== this.requested.count) {
        this.requested = r;
        if (this.opts.onRange) this.opts.onRange(r.start, r.count);
      }
    });
  }

  /** Asks for the current range again (after the data source changed). */
  refresh() {
    const r = this.visibleRange();
    this.requested = r;
    if (this.opts.onRange) this.opts.onRange(r.start, r.count);
  }

  /** The number of rows in the (filtered) data. */
  setTotal(n) {
    this.total = n;
  }

  /** Rows for positions start .. start + rows.length - 1; draws them. */
  setRows(start, rows) {
    this.start = start;
    this.rows = rows;
    this.render();
  }

  /** Convenience for data held in memory: shows arr (already sorted and filtered). */
  setArray(arr) {
    this.array = arr;
    this.total = arr.length;
    this.opts.onRange = this.opts.onRange || ((s, c) => this.setRows(s, this.array.slice(s, s + c)));
    const r = this.visibleRange();
    this.requested = r;
    this.setRows(r.start, arr.slice(r.start, r.start + r.count));
  }

  newRow() {
    const cells = this.columns.map(c => {
      if (c.actions) {
        return el('td', {class: ['actions', c.class]}, c.actions.map(a =>
          el('button', {type: 'button', class: ['small', a.class], data: {action: a.action}, title: a.title}, a.label)));
      }
      return el('td', {class: c.class});
    });
    return el('tr', {class: 'row'}, cells);
  }

  render() {
    const n = this.rows.length;
    while (this.pool.length < n) this.pool.push(this.newRow());
    const frag = [];
    for (let i = 0; i < n; i++) {
      const row = this.rows[i];
      const tr = this.pool[i];
      tr.dataset.index = String(this.start + i);
      tr.dataset.id = String(row.id);
      tr.classList.toggle('selected', this.selectedId != null && String(row.id) === String(this.selectedId));
      if (this.opts.rowClass) {
        const cls = this.opts.rowClass(row);
        if (tr.dataset.cls !== cls) { if (tr.dataset.cls) tr.classList.remove(...tr.dataset.cls.split(' ')); if (cls) tr.classList.add(...cls.split(' ')); tr.dataset.cls = cls || ''; }
      }
      this.columns.forEach((c, j) => {
        const td = tr.cells[j];
        if (c.actions) {
          c.actions.forEach((a, k) => { td.children[k].hidden = a.show ? !a.show(row) : false; });
          return;
        }
        const v = c.value(row);
        setText(td, v);
        if (c.title) td.title = v == null ? '' : String(v);
      });
      frag.push(tr);
    }
    const body = this.tbody;
    // Keep the pooled rows in place: only add or remove the difference.
    const current = Array.from(body.querySelectorAll(':scope > tr.row'));
    for (let i = n; i < current.length; i++) current[i].remove();
    for (let i = 0; i < n; i++) {
      if (frag[i].parentNode !== body) body.insertBefore(frag[i], this.bottomSpacer);
    }
    const before = this.start * this.rowHeight;
    const after = Math.max(0, (this.total - this.start - n) * this.rowHeight);
    this.topSpacer.style.height = before + 'px';
    this.bottomSpacer.style.height = after + 'px';
    this.topSpacer.hidden = before === 0;
    this.bottomSpacer.hidden = after === 0;
    if (this.total === 0) {
      if (!this.emptyRow.parentNode) body.appendChild(this.emptyRow);
    } else if (this.emptyRow.parentNode) {
      this.emptyRow.remove();
    }
  }

  destroy() {
    this.resize.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
