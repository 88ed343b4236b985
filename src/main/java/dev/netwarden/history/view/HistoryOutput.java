package dev.netwarden.history.view;

import dev.netwarden.conns.format.DisplayWidth;
import dev.netwarden.conns.format.JsonText;
import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.history.view.ResultTable.Column;
import dev.netwarden.history.view.ResultTable.Kind;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders a {@link ResultTable} as an aligned table, JSON or CSV.
 *
 * <p>Table: columns padded in terminal cells, numbers right-aligned, bytes in binary units
 * ({@code 1.5 MiB}), times in the local zone, unknown values as {@code -}, every text escaped with
 * {@link TerminalText}. JSON: one document {@code {"schema":"netwarden.history/1", …}} whose strings are
 * also terminal-safe ({@link JsonText}) while decoding back to the exact stored text. CSV: RFC 4180
 * with a header, times as ISO-8601 UTC, text escaped for terminals and guarded against spreadsheet
 * formulas as the {@code conns} CSV is.
 */
public final class HistoryOutput {
    public static final String SCHEMA = "netwarden.history/1";
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private HistoryOutput() {
    }

    public static void table(ResultTable t, ZoneId zone, PrintWriter out) {
        List<Column> cols = t.columns().stream().filter(Column::inTable).toList();
        int[] index = cols.stream().mapToInt(c -> t.columns().indexOf(c)).toArray();
        List<String[]> cells = new ArrayList<>(t.rows().size() + 1);
        cells.add(cols.stream().map(Column::heading).toArray(String[]::new));
        for (Object[] row : t.rows()) {
            String[] line = new String[cols.size()];
            for (int i = 0; i < cols.size(); i++) {
                line[i] = tableCell(cols.get(i).kind(), row[index[i]], zone);
            }
            cells.add(line);
        }
        int[] widths = new int[cols.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(line[i]));
            }
        }
        StringBuilder sb = new StringBuilder(256);
        for (String[] line : cells) {
            sb.setLength(0);
            for (int i = 0; i < line.length; i++) {
                boolean right = cols.get(i).kind() == Kind.NUMBER || cols.get(i).kind() == Kind.BYTES;
                int pad = widths[i] - DisplayWidth.of(line[i]);
                if (right) {
                    sb.append(" ".repeat(pad)).append(line[i]);
                } else {
                    sb.append(line[i]);
                    if (i < line.length - 1) {
                        sb.append(" ".repeat(pad));
                    }
                }
                if (i < line.length - 1) {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    private static String tableCell(Kind kind, Object v, ZoneId zone) {
        if (v == null) {
            return "-";
        }
        return switch (kind) {
            case TEXT -> TerminalText.sanitize(v.toString());
            case NUMBER -> v.toString();
            case BYTES -> humanBytes(((Number) v).longValue());
            case TIME -> LOCAL.format(Instant.ofEpochMilli(((Number) v).longValue()).atZone(zone));
        };
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB} … */
    public static String humanBytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * The JSON document: {@code {"schema", "view", "from_ms", "until_ms", "rows": [{column: value}]}},
     * null for unknown values.
     */
    public static void json(ResultTable t, long fromMillis, long untilMillis, PrintWriter out) {
        List<Column> cols = t.columns().stream().filter(Column::inData).toList();
        int[] index = cols.stream().mapToInt(c -> t.columns().indexOf(c)).toArray();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"schema\":\"").append(SCHEMA).append("\",\"view\":\"").append(t.view())
                .append("\",\"from_ms\":").append(fromMillis).append(",\"until_ms\":").append(untilMillis)
                .append(",\"rows\":[");
        for (int r = 0; r < t.rows().size(); r++) {
            Object[] row = t.rows().get(r);
            sb.append(r == 0 ? "\n" : ",\n").append('{');
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(cols.get(i).name()).append("\":");
                Object v = row[index[i]];
                if (v == null) {
                    sb.append("null");
                } else if (cols.get(i).kind() == Kind.TEXT) {
                    sb.append(JsonText.quote(v.toString()));
                } else {
                    sb.append(v);
                }
            }
            sb.append('}');
            if (sb.length() > 1 << 16) {
                out.print(sb);
                sb.setLength(0);
            }
        }
        sb.append("]}");
        out.println(sb);
        out.flush();
    }

    /** RFC 4180 CSV (CRLF line ends) with a header row of the column names. */
    public static void csv(ResultTable t, PrintWriter out) {
        List<Column> cols = t.columns().stream().filter(Column::inData).toList();
        int[] index = cols.stream().mapToInt(c -> t.columns().indexOf(c)).toArray();
        StringBuilder sb = new StringBuilder(256);
        sb.append(String.join(",", cols.stream().map(Column::name).toList())).append("\r\n");
        out.print(sb);
        for (Object[] row : t.rows()) {
            sb.setLength(0);
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object v = row[index[i]];
                if (v == null) {
                    continue;
                }
                switch (cols.get(i).kind()) {
                    case TEXT -> csvText(sb, v.toString());
                    case TIME -> sb.append(Instant.ofEpochMilli(((Number) v).longValue()));
                    default -> sb.append(v);
                }
            }
            out.print(sb.append("\r\n"));
        }
        out.flush();
    }

    private static void csvText(StringBuilder sb, String value) {
        String v = TerminalText.sanitize(Objects.requireNonNull(value));
        if (v.isEmpty()) {
            return;
        }
        char first = v.charAt(0);
        boolean guard = first == '=' || first == '+' || first == '-' || first == '@';
        boolean quote = guard || v.indexOf(',') >= 0 || v.indexOf('"') >= 0;
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        if (guard) {
            sb.append('\'');
        }
        sb.append(v.replace("\"", "\"\"")).append('"');
    }
}
