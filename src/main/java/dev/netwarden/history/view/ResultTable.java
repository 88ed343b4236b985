package dev.netwarden.history.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One view's result: typed columns and rows of values (String, Long/Integer, or null). The three
 * output formats render the same table, so they cannot disagree about what a view contains.
 *
 * @param view    the view's name as in the JSON document ("connections", "top_apps" …)
 * @param columns the columns, in output order
 * @param rows    the values, one array per row, aligned with {@code columns}
 */
public record ResultTable(String view, List<Column> columns, List<Object[]> rows) {

    public ResultTable {
        Objects.requireNonNull(view, "view is null");
        columns = List.copyOf(columns);
        rows = new ArrayList<>(rows);
    }

    /** How a column's values are shown. */
    public enum Kind {
        /** Untrusted or free text: escaped for terminals. */
        TEXT,
        /** A count or number. */
        NUMBER,
        /** A byte count: human units in the table, exact in JSON/CSV. */
        BYTES,
        /** Epoch milliseconds: local time in the table, ISO-8601 UTC in CSV, milliseconds in JSON. */
        TIME
    }

    /** Where a column appears: some are only for the terminal table, some only for JSON/CSV. */
    public enum Where { ALL, TABLE, DATA }

    /**
     * @param name    the JSON field and CSV header ({@code snake_case})
     * @param heading the table heading
     */
    public record Column(String name, String heading, Kind kind, Where where) {
        public static Column all(String name, String heading, Kind kind) {
            return new Column(name, heading, kind, Where.ALL);
        }

        public static Column data(String name, Kind kind) {
            return new Column(name, name, kind, Where.DATA);
        }

        public static Column table(String heading, Kind kind) {
            return new Column(heading.toLowerCase(java.util.Locale.ROOT), heading, kind, Where.TABLE);
        }

        boolean inTable() {
            return where != Where.DATA;
        }

        boolean inData() {
            return where != Where.TABLE;
        }
    }
}
