package dev.netwarden.top;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The whole screen as lines of exactly the terminal's width: the header, a firewall question's banner
 * when one waits, the panes, and the bottom line (keys, a message, or the line being typed). One pane at
 * a time (Tab / 1 2 3 switch); on a terminal at least {@link #WIDE_COLUMNS} wide and {@link #WIDE_ROWS}
 * high, processes and hosts side by side above the connections. Pure: state and rows in, text out.
 */
final class Screen {
    static final int WIDE_COLUMNS = 160;
    static final int WIDE_ROWS = 24;
    static final String SIDE_BY_SIDE = "|";

    enum Style { HEADER, BANNER, TITLE, COLUMNS, ROW, BOTTOM }

    record Line(String text, Style style) {}

    private Screen() {
    }

    static boolean wide(int width, int height) {
        return width >= WIDE_COLUMNS && height >= WIDE_ROWS;
    }

    /**
     * @param header the first line's text (source, counts, totals)
     * @param banner a waiting firewall question, or null
     */
    static List<Line> compose(ViewState v, Rows rows, String header, String banner, int width, int height) {
        List<Line> out = new ArrayList<>(height);
        if (width < 1 || height < 1) {
            return out;
        }
        out.add(new Line(Cells.fit(header, width, false, false), Style.HEADER));
        if (banner != null && out.size() < height - 1) {
            out.add(new Line(Cells.fit(banner, width, false, false), Style.BANNER));
        }
        int body = height - out.size() - 1;
        if (body > 0) {
            if (wide(width, height)) {
                int top = body / 2;
                int left = (width - SIDE_BY_SIDE.length()) / 2;
                int right = width - SIDE_BY_SIDE.length() - left;
                List<Line> l = pane(Pane.PROCESSES, rows, v, left, top);
                List<Line> r = pane(Pane.HOSTS, rows, v, right, top);
                for (int i = 0; i < top; i++) {
                    out.add(new Line(l.get(i).text() + SIDE_BY_SIDE + r.get(i).text(), l.get(i).style()));
                }
                out.addAll(pane(Pane.CONNECTIONS, rows, v, width, body - top));
            } else {
                out.add(new Line(Cells.fit(tabs(v, rows), width, false, false), Style.TITLE));
                out.addAll(pane(v.focus(), rows, v, width, body - 1, false));
            }
        }
        if (out.size() < height) {
            out.add(new Line(Cells.fit(v.bottomLine(), width, false, false), Style.BOTTOM));
        }
        return out;
    }

    /** " [1 Processes 12]  2 Connections 340  3 Remote hosts 5 ": the focused pane in brackets. */
    static String tabs(ViewState v, Rows rows) {
        StringBuilder sb = new StringBuilder();
        for (Pane p : Pane.values()) {
            sb.append(title(p, v, rows)).append(' ');
        }
        return sb.toString();
    }

    private static String title(Pane p, ViewState v, Rows rows) {
        String t = p.key + " " + p.title + " " + count(p, rows, v);
        return p == v.focus() ? "[" + t + "]" : " " + t + " ";
    }

    private static int count(Pane p, Rows rows, ViewState v) {
        return switch (p) {
            case PROCESSES -> TableView.filter(rows.processes(), Pane.PROCESS_COLUMNS, v.filter()).size();
            case CONNECTIONS -> TableView.filter(rows.connections(), Pane.CONNECTION_COLUMNS, v.filter()).size();
            case HOSTS -> TableView.filter(rows.hosts(), Pane.HOST_COLUMNS, v.filter()).size();
        };
    }

    private static List<Line> pane(Pane p, Rows rows, ViewState v, int width, int height) {
        return pane(p, rows, v, width, height, true);
    }

    /** A pane in exactly {@code height} lines: its title (when asked), the column names, the visible rows, blanks. */
    static List<Line> pane(Pane p, Rows rows, ViewState v, int width, int height, boolean withTitle) {
        return switch (p) {
            case PROCESSES -> table(p, rows, v, width, height, withTitle, rows.processes(), Pane.PROCESS_COLUMNS, Pane.PROCESS_DEFAULT);
            case CONNECTIONS -> table(p, rows, v, width, height, withTitle, rows.connections(), Pane.CONNECTION_COLUMNS, Pane.CONNECTION_DEFAULT);
            case HOSTS -> table(p, rows, v, width, height, withTitle, rows.hosts(), Pane.HOST_COLUMNS, Pane.HOST_DEFAULT);
        };
    }

    private static <R> List<Line> table(Pane p, Rows all, ViewState v, int width, int height, boolean withTitle,
                                        List<R> rows, List<Column<R>> columns, Comparator<R> byDefault) {
        List<Line> out = new ArrayList<>(height);
        List<R> shown = TableView.filter(rows, columns, v.filter());
        if (withTitle && height > 0) {
            out.add(new Line(Cells.fit(title(p, v, all), width, false, false), Style.TITLE));
        }
        int[] widths = TableView.widths(columns, width);
        int sort = v.sort(p);
        if (out.size() < height) {
            out.add(new Line(TableView.header(columns, widths, sort, TableView.descending(columns, sort, v.reversed(p)), width),
                    Style.COLUMNS));
        }
        int visible = Math.max(0, height - out.size());
        v.clampScroll(p, Math.max(0, shown.size() - visible));
        int from = v.scroll(p);
        List<R> top = TableView.first(shown, TableView.order(columns, sort, v.reversed(p), byDefault), from + visible);
        for (int i = from; i < top.size(); i++) {
            out.add(new Line(TableView.row(columns, widths, top.get(i), width), Style.ROW));
        }
        while (out.size() < height) {
            out.add(new Line(" ".repeat(width), Style.ROW));
        }
        return out;
    }
}
