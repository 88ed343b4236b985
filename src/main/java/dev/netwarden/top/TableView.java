package dev.netwarden.top;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.BiFunction;

/**
 * Lays out and renders one pane as lines of exactly the given width: which columns fit (by priority),
 * how wide each is, the header with the sort mark, and the visible slice of the rows. Pure: rows in,
 * text out, so the layout at 80 columns is tested without a terminal.
 */
final class TableView {
    static final String SEPARATOR = " ";

    private TableView() {
    }

    /**
     * The widths of the columns at {@code width} cells, 0 for a column left out. Columns are taken in
     * priority order while their minimum widths fit; the cells left over widen the taken columns towards
     * their maximum, most important first.
     */
    static <R> int[] widths(List<Column<R>> columns, int width) {
        int n = columns.size();
        int[] w = new int[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> columns.get(i).priority()).thenComparingInt(i -> i));
        int used = 0;
        for (int i : order) {
            int need = columns.get(i).minWidth() + (used == 0 ? 0 : SEPARATOR.length());
            if (used + need <= width) {
                w[i] = columns.get(i).minWidth();
                used += need;
            }
        }
        int extra = width - used;
        boolean grew = true;
        while (extra > 0 && grew) {
            grew = false;
            for (int i : order) {
                if (extra > 0 && w[i] > 0 && w[i] < columns.get(i).maxWidth()) {
                    w[i]++;
                    extra--;
                    grew = true;
                }
            }
        }
        return w;
    }

    /** Rows whose text in any column contains {@code needle} (case-insensitive); all rows for an empty needle. */
    static <R> List<R> filter(List<R> rows, List<Column<R>> columns, String needle) {
        if (needle == null || needle.isEmpty()) {
            return rows;
        }
        String n = needle.toLowerCase(Locale.ROOT);
        List<R> out = new ArrayList<>();
        for (R r : rows) {
            for (Column<R> c : columns) {
                if (c.text().apply(r).toLowerCase(Locale.ROOT).contains(n)) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The order rows are shown in: column {@code sort} (largest first for numbers, A–Z for text), flipped
     * when {@code reversed}; {@code sort} -1 is the pane's default order.
     */
    static <R> Comparator<R> order(List<Column<R>> columns, int sort, boolean reversed, Comparator<R> byDefault) {
        Comparator<R> c;
        if (sort < 0) {
            c = byDefault;
        } else {
            Column<R> col = columns.get(sort);
            c = col.numeric() ? col.order().reversed() : col.order();
            c = c.thenComparing(byDefault);
        }
        return reversed ? c.reversed() : c;
    }

    /** The first {@code k} rows in {@code order}, without sorting all of them (10,000 connections, 20 lines). */
    static <R> List<R> first(List<R> rows, Comparator<R> order, int k) {
        if (k <= 0) {
            return List.of();
        }
        if (rows.size() <= k * 4) {
            List<R> all = new ArrayList<>(rows);
            all.sort(order);
            return all.size() <= k ? all : all.subList(0, k);
        }
        PriorityQueue<R> worstFirst = new PriorityQueue<>(k + 1, order.reversed());
        for (R r : rows) {
            if (worstFirst.size() < k) {
                worstFirst.add(r);
            } else if (order.compare(r, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(r);
            }
        }
        List<R> out = new ArrayList<>(worstFirst);
        out.sort(order);
        return out;
    }

    /** The header line: each shown column's name, the sorted one marked {@code v} (descending) or {@code ^}. */
    static <R> String header(List<Column<R>> columns, int[] widths, int sort, boolean descending, int width) {
        return line(columns, widths, width, (i, c) -> {
            String h = i == sort ? Cells.prefix(c.header(), widths[i] - 1) + (descending ? "v" : "^") : c.header();
            return Cells.fit(h, widths[i], c.numeric(), false);
        });
    }

    /** One row as a line of exactly {@code width} cells. */
    static <R> String row(List<Column<R>> columns, int[] widths, R row, int width) {
        return line(columns, widths, width, (i, c) -> Cells.fit(c.text().apply(row), widths[i], c.numeric(), c.keepEnd()));
    }

    /**
     * The shown columns' cells (columns of width 0 are hidden) joined by the separator, fitted to
     * exactly {@code width} cells: the layout the header and every row share, so they stay aligned.
     */
    private static <R> String line(List<Column<R>> columns, int[] widths, int width, BiFunction<Integer, Column<R>, String> cell) {
        StringBuilder sb = new StringBuilder(width);
        for (int i = 0; i < columns.size(); i++) {
            if (widths[i] == 0) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(SEPARATOR);
            }
            sb.append(cell.apply(i, columns.get(i)));
        }
        return Cells.fit(sb.toString(), width, false, false);
    }

    /** Whether the column's order, as chosen, shows the largest first. */
    static boolean descending(List<? extends Column<?>> columns, int sort, boolean reversed) {
        boolean d = sort < 0 || columns.get(sort).numeric();
        return reversed != d;
    }
}
