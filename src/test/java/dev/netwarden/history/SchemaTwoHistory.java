package dev.netwarden.history;

import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A history database as netwarden with schema 2 made it (before the {@code connections_open} index):
 * the same pragmas {@link HistoryStore#open} sets on a new file, then Flyway stopped at version 2 over
 * the same migration files. What an upgrade finds on disk.
 */
final class SchemaTwoHistory {
    private SchemaTwoHistory() {
    }

    /** Creates {@code dataDir/history.db} at schema 2 and returns a connection to it (the caller closes it). */
    static Connection create(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(HistoryStore.FILE_NAME);
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists");
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            s.execute("PRAGMA journal_mode = WAL");
        }
        Flyway.configure(SchemaTwoHistory.class.getClassLoader())
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/history")
                .table(HistoryStore.FLYWAY_TABLE)
                .target("2")
                .loggers("slf4j")
                .load()
                .migrate();
        if (HistoryStore.schemaVersion(c) != 2) {
            throw new IllegalStateException("expected schema 2, got " + HistoryStore.schemaVersion(c));
        }
        return c;
    }
}
