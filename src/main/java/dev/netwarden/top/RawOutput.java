package dev.netwarden.top;

import dev.netwarden.top.Rows.ProcessRow;

import java.io.PrintStream;
import java.util.Objects;

/**
 * {@code --raw}: each refresh, a {@code refresh} line, then one line per process and per connection,
 * fields separated by a TAB, busiest first (docs/top.md). Rates in bytes per second (-1 unknown), totals
 * in bytes since {@code top} started. Names are escaped like on screen ({@link Names}), which also turns
 * a TAB or newline in a name into {@code \x09}/{@code \x0a}: a line is always one record.
 */
final class RawOutput {
    private final PrintStream out;

    RawOutput(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out is null");
    }

    void write(long atMillis, Rows rows, String source) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("refresh\t").append(atMillis).append('\t').append(source).append('\n');
        for (ProcessRow p : JsonOutput.sorted(rows.processes(), Pane.PROCESS_DEFAULT)) {
            sb.append("process\t").append(p.pid()).append('\t').append(p.name()).append('\t').append(p.user().isEmpty() ? "-" : p.user())
                    .append('\t').append(Math.round(p.up())).append('\t').append(Math.round(p.down()))
                    .append('\t').append(p.totalUp()).append('\t').append(p.totalDown()).append('\t').append(p.connections()).append('\n');
        }
        for (ConnectionRow c : JsonOutput.sorted(rows.connections(), Pane.CONNECTION_DEFAULT)) {
            sb.append("connection\t").append(c.protocol()).append('\t').append(c.local()).append('\t').append(c.remote())
                    .append('\t').append(c.domain().isEmpty() ? "-" : c.domain()).append('\t').append(c.port())
                    .append('\t').append(c.pid()).append('\t').append(c.process())
                    .append('\t').append(c.up() < 0 ? -1 : Math.round(c.up())).append('\t').append(c.down() < 0 ? -1 : Math.round(c.down()))
                    .append('\t').append(c.totalUp()).append('\t').append(c.totalDown()).append('\t').append(c.state()).append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
