package dev.netwarden.top;

import java.util.Comparator;
import java.util.Objects;
import java.util.function.Function;

/**
 * One column of a pane: its header, how wide it may be, how important it is when the terminal is
 * narrow (lower priority numbers stay longest), its cell text (already escaped) and its sort order.
 *
 * @param numeric  right-aligned, and sorted largest first when chosen
 * @param keepEnd  when cut, cut the middle so the end stays ({@code 192.168…:443} keeps its port)
 */
record Column<R>(String header, int minWidth, int maxWidth, int priority, boolean numeric, boolean keepEnd,
                 Function<R, String> text, Comparator<R> order) {
    Column {
        Objects.requireNonNull(header, "header is null");
        Objects.requireNonNull(text, "text is null");
        Objects.requireNonNull(order, "order is null");
        if (minWidth < 1 || maxWidth < minWidth) {
            throw new IllegalArgumentException("bad widths for " + header + ": " + minWidth + ".." + maxWidth);
        }
    }

    static <R> Column<R> number(String header, int width, int priority, Function<R, String> text, Comparator<R> order) {
        return new Column<>(header, width, width, priority, true, false, text, order);
    }

    static <R> Column<R> text(String header, int min, int max, int priority, Function<R, String> text) {
        return new Column<>(header, min, max, priority, false, false, text,
                Comparator.comparing(text, String.CASE_INSENSITIVE_ORDER));
    }

    static <R> Column<R> address(String header, int min, int max, int priority, Function<R, String> text) {
        return new Column<>(header, min, max, priority, false, true, text,
                Comparator.comparing(text, String.CASE_INSENSITIVE_ORDER));
    }
}
