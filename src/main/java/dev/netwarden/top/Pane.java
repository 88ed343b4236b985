package dev.netwarden.top;

import dev.netwarden.top.Rows.HostRow;
import dev.netwarden.top.Rows.ProcessRow;

import java.util.Comparator;
import java.util.List;

/**
 * The three panes and their columns. Widths are chosen so each pane fits 80 columns with its essential
 * columns (the lower the priority number, the longer a column stays as the terminal narrows), and wider
 * terminals get the rest (executable paths, states, totals at full width).
 */
enum Pane {
    PROCESSES("Processes", '1'),
    CONNECTIONS("Connections", '2'),
    HOSTS("Remote hosts", '3');

    final String title;
    final char key;

    Pane(String title, char key) {
        this.title = title;
        this.key = key;
    }

    Pane next() {
        return values()[(ordinal() + 1) % values().length];
    }

    static final List<Column<ProcessRow>> PROCESS_COLUMNS = List.of(
            Column.number("PID", 7, 2, r -> r.pid() < 0 ? "-" : Integer.toString(r.pid()), Comparator.comparingInt(ProcessRow::pid)),
            Column.text("PROCESS", 10, 24, 0, ProcessRow::name),
            Column.text("USER", 6, 12, 3, ProcessRow::user),
            Column.number("UP/s", 6, 0, r -> Units.rate(r.up()), Comparator.comparingDouble(ProcessRow::up)),
            Column.number("DOWN/s", 6, 0, r -> Units.rate(r.down()), Comparator.comparingDouble(ProcessRow::down)),
            Column.number("SENT", 6, 1, r -> Units.bytes(r.totalUp()), Comparator.comparingLong(ProcessRow::totalUp)),
            Column.number("RECV", 6, 1, r -> Units.bytes(r.totalDown()), Comparator.comparingLong(ProcessRow::totalDown)),
            Column.number("CONNS", 5, 2, r -> Integer.toString(r.connections()), Comparator.comparingInt(ProcessRow::connections)),
            Column.address("EXECUTABLE", 12, 80, 5, ProcessRow::exe));

    static final List<Column<ConnectionRow>> CONNECTION_COLUMNS = List.of(
            Column.text("PROTO", 5, 5, 1, ConnectionRow::protocol),
            Column.address("LOCAL", 15, 47, 3, ConnectionRow::local),
            Column.address("REMOTE", 15, 47, 0, ConnectionRow::remote),
            Column.text("DOMAIN", 8, 40, 2, ConnectionRow::domain),
            Column.text("PORT", 6, 16, 2, ConnectionRow::port),
            Column.text("PROCESS", 12, 20, 0, ConnectionRow::process),
            Column.number("PID", 7, 4, r -> r.pid() < 0 ? "-" : Integer.toString(r.pid()), Comparator.comparingInt(ConnectionRow::pid)),
            Column.number("UP/s", 6, 0, r -> Units.rate(r.up()), Comparator.comparingDouble(ConnectionRow::up)),
            Column.number("DOWN/s", 6, 0, r -> Units.rate(r.down()), Comparator.comparingDouble(ConnectionRow::down)),
            Column.number("SENT", 6, 4, r -> Units.bytes(r.totalUp()), Comparator.comparingLong(ConnectionRow::totalUp)),
            Column.number("RECV", 6, 4, r -> Units.bytes(r.totalDown()), Comparator.comparingLong(ConnectionRow::totalDown)),
            Column.text("STATE", 5, 11, 5, ConnectionRow::state),
            Column.text("USER", 6, 12, 6, ConnectionRow::user));

    static final List<Column<HostRow>> HOST_COLUMNS = List.of(
            Column.address("HOST", 16, 60, 0, HostRow::host),
            Column.number("UP/s", 6, 0, r -> Units.rate(r.up()), Comparator.comparingDouble(HostRow::up)),
            Column.number("DOWN/s", 6, 0, r -> Units.rate(r.down()), Comparator.comparingDouble(HostRow::down)),
            Column.number("SENT", 6, 1, r -> Units.bytes(r.totalUp()), Comparator.comparingLong(HostRow::totalUp)),
            Column.number("RECV", 6, 1, r -> Units.bytes(r.totalDown()), Comparator.comparingLong(HostRow::totalDown)),
            Column.number("CONNS", 5, 2, r -> Integer.toString(r.connections()), Comparator.comparingInt(HostRow::connections)),
            Column.text("APPS", 10, 80, 1, HostRow::apps));

    /** Before a column is chosen: busiest first (rate both ways), then most bytes, then a stable tie-break. */
    static final Comparator<ProcessRow> PROCESS_DEFAULT = Comparator.comparingDouble((ProcessRow r) -> r.up() + r.down()).reversed()
            .thenComparing(Comparator.comparingLong((ProcessRow r) -> r.totalUp() + r.totalDown()).reversed())
            .thenComparingInt(ProcessRow::pid);
    static final Comparator<ConnectionRow> CONNECTION_DEFAULT = Comparator.comparingDouble((ConnectionRow r) -> Math.max(0, r.up()) + Math.max(0, r.down())).reversed()
            .thenComparing(Comparator.comparingLong((ConnectionRow r) -> r.totalUp() + r.totalDown()).reversed())
            .thenComparingLong(ConnectionRow::id);
    static final Comparator<HostRow> HOST_DEFAULT = Comparator.comparingDouble((HostRow r) -> r.up() + r.down()).reversed()
            .thenComparing(Comparator.comparingLong((HostRow r) -> r.totalUp() + r.totalDown()).reversed())
            .thenComparing(HostRow::host);

    int columnCount() {
        return switch (this) {
            case PROCESSES -> PROCESS_COLUMNS.size();
            case CONNECTIONS -> CONNECTION_COLUMNS.size();
            case HOSTS -> HOST_COLUMNS.size();
        };
    }

    String columnHeader(int i) {
        return switch (this) {
            case PROCESSES -> PROCESS_COLUMNS.get(i).header();
            case CONNECTIONS -> CONNECTION_COLUMNS.get(i).header();
            case HOSTS -> HOST_COLUMNS.get(i).header();
        };
    }
}
