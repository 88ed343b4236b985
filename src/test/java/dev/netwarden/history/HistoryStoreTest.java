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

    @Test
    void openConnectionsAreFoundThroughThePartialIndexNotAScan() throws Exception {
        try (HistoryStore store = HistoryStore.open(dir)) {
            Connection c = store.connection();
            try (Statement s = c.createStatement()) {
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
                        + INSERT_CONNECTION + " SELECT i, 1000 + i, CASE WHEN i % 1000 = 0 THEN NULL ELSE 2000 + i END,"
                        + " 'tcp', 2, 'outbound', x'0a000001', 40000, x'0a000002', 443, 'CLOSED', 'passive', NULL FROM n");
            }
            assertThat(indexSql(c, "connections_open")).contains("WHERE end_ms IS NULL");
            assertThat(plan(c, HistoryStore.ANY_LEFT_OPEN)).first().asString()
                    .matches("(SCAN|SEARCH) connections USING (COVERING )?INDEX connections_open");
            List<String> update = plan(c, HistoryStore.CLOSE_LEFT_OPEN.replace("?", "'X'"));
            assertThat(update.getFirst()).as("the rows to update: %s", update)
                    .matches("(SCAN|SEARCH) connections USING (COVERING )?INDEX connections_open");

            assertThat(store.closeLeftOpen("MONITOR-STOPPED")).isEqualTo(5);
            assertThat(longs(c, "SELECT DISTINCT end_ms FROM connections WHERE state = 'MONITOR-STOPPED'"))
                    .as("the newest time known: the last end").containsExactly(2000L + 4999);
            assertThat(longs(c, "SELECT count(*) FROM connections INDEXED BY connections_open WHERE end_ms IS NULL"))
                    .as("closed rows leave the index").containsExactly(0L);
            assertThat(store.closeLeftOpen("MONITOR-STOPPED")).isZero();
        }
    }

    @Test
    void aSchemaTwoHistoryIsMigratedToThreeKeepingItsRows() throws Exception {
        try (Connection old = SchemaTwoHistory.create(dir); Statement s = old.createStatement()) {
            assertThat(tables(old)).contains("connections");
            assertThat(indexSql(old, "connections_open")).isNull();
            s.execute(INSERT_CONNECTION + " VALUES (1, 1000, 1500, 'tcp', 2, 'outbound', x'0a000001', 40001,"
                    + " x'0a000002', 443, 'CLOSED', 'intercept', 'deny')");
            s.execute(INSERT_CONNECTION + " VALUES (2, 1100, NULL, 'udp', 10, 'outbound', zeroblob(16), 40002,"
                    + " zeroblob(16), 53, 'OPEN', 'intercept', 'allow')");
            s.execute(INSERT_CONNECTION + " VALUES (3, 1200, 1300, 'tcp', 2, 'inbound', x'0a000001', 22,"
                    + " x'0a000003', 50000, 'CLOSED', 'passive', NULL)");
        }
        assertThatThrownBy(() -> HistoryStore.openReadOnly(dir)).isInstanceOf(HistoryStore.HistoryException.class)
                .hasMessageContaining("has schema 2, older than this netwarden's 3: start the daemon once to upgrade it");

        try (HistoryStore store = HistoryStore.open(dir)) {
            Connection c = store.connection();
            assertThat(HistoryStore.schemaVersion(c)).isEqualTo(3);
            assertThat(longs(c, "SELECT version FROM " + HistoryStore.FLYWAY_TABLE + " WHERE success = 1 ORDER BY installed_rank"))
                    .containsExactly(1L, 2L, 3L);
            assertThat(indexSql(c, "connections_open")).contains("WHERE end_ms IS NULL");
            assertThat(longs(c, "SELECT id FROM connections INDEXED BY connections_open WHERE end_ms IS NULL"))
                    .as("the index built over the rows already there").containsExactly(2L);
            assertThat(longs(c, "SELECT id, start_ms, end_ms FROM connections WHERE action IS NOT NULL ORDER BY id"))
                    .containsExactly(1L, 1000L, 1500L, 2L, 1100L, null);
            try (Statement s = c.createStatement()) {
                assertThat(string(s, "PRAGMA auto_vacuum")).isEqualTo("2");
                assertThat(string(s, "PRAGMA integrity_check")).isEqualTo("ok");
            }

            assertThat(store.closeLeftOpen("MONITOR-STOPPED")).isEqualTo(1);
            assertThat(longs(c, "SELECT end_ms FROM connections WHERE id = 2")).containsExactly(1500L);
        }
        try (HistoryStore ro = HistoryStore.openReadOnly(dir)) {
            assertThat(HistoryStore.schemaVersion(ro.connection())).isEqualTo(3);
        }
    }

    private static final String INSERT_CONNECTION = "INSERT INTO connections (id, start_ms, end_ms, transport, family,"
            + " direction, local_addr, local_port, remote_addr, remote_port, state, level, action)";

    /** SQLite's plan for {@code sql}, one detail line per step, in order. */
    private static List<String> plan(Connection c, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                steps.add(rs.getString("detail"));
            }
        }
        return steps;
    }

    private static String indexSql(Connection c, String index) throws SQLException {
        try (var ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    long v = rs.getLong(i);
                    out.add(rs.wasNull() ? null : v);
                }
            }
        }
        return out;
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
