package dev.netwarden.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryStoreTest {
    @TempDir
    Path dir;

    @Test
    void createsTheSchemaFromEmptyWithWalAndIncrementalVacuum() throws Exception {
        Path data = dir.resolve("a/b");
        try (HistoryStore store = HistoryStore.open(data)) {
            assertThat(store.file()).isEqualTo(data.resolve("history.db")).isRegularFile();
            assertThat(HistoryStore.schemaVersion(store.connection())).isEqualTo(HistoryStore.SCHEMA_VERSION);
            try (Statement s = store.connection().createStatement()) {
                assertThat(string(s, "PRAGMA journal_mode")).isEqualTo("wal");
                assertThat(string(s, "PRAGMA auto_vacuum")).isEqualTo("2"); // INCREMENTAL
                assertThat(string(s, "PRAGMA synchronous")).isEqualTo("1"); // NORMAL
                assertThat(string(s, "PRAGMA busy_timeout")).isEqualTo("5000");
            }
            assertThat(tables(store.connection())).contains("executables", "processes", "hosts", "connections",
                    "alerts", "exe_domains", "app_hourly", "flyway_schema_history");
        }
    }

    @Test
    void reopeningIsIdempotentAndSkipsFlyway() throws Exception {
        HistoryStore.open(dir).close();
        long t0 = System.nanoTime();
        try (HistoryStore store = HistoryStore.open(dir)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("reopen of an up-to-date history: " + ms + " ms");
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
                rs.next();
                assertThat(rs.getInt(1)).as("one row per migration").isEqualTo(HistoryStore.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void schemaVersionConstantMatchesTheNewestMigration() throws IOException {
        Pattern p = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest = 0;
        try (var files = Files.list(Path.of("src/main/resources/db/history"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches()) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(newest).isEqualTo(HistoryStore.SCHEMA_VERSION);
    }

    @Test
    void readOnlyOpenOfAnEmptyDirectoryIsAClearError() throws Exception {
        assertThatThrownBy(() -> HistoryStore.openReadOnly(dir))
                .isInstanceOf(HistoryStore.NoHistoryException.class)
                .hasMessage("no history at " + dir + ": is the daemon running with --data-dir " + dir + "?");
        HistoryStore.open(dir).close();
        try (HistoryStore ro = HistoryStore.openReadOnly(dir)) {
            assertThat(ro.isReadOnly()).isTrue();
            try (Statement s = ro.connection().createStatement()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO hosts (name, first_seen_ms) VALUES ('x', 1)"))
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    private static String string(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
