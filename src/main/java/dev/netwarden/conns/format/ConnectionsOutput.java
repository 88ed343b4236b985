package dev.netwarden.conns.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import dev.netwarden.conns.Connection;

/**
 * One way to print the {@code conns} listing. Implementations write straight to {@code out} (wrap
 * nothing around it: they buffer themselves) and flush but do not close it.
 */
public sealed interface ConnectionsOutput permits TableFormat, JsonFormat, CsvFormat {

    /**
     * Writes {@code connections}. JSON and CSV iterate once, so a streaming {@link Iterable} works; the
     * table iterates twice (widths first), so hand it a collection. {@code warnings} (things that could
     * not be read) go into the JSON document; the table and CSV ignore them: the CLI prints them to
     * stderr.
     */
    void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) throws IOException;
}
