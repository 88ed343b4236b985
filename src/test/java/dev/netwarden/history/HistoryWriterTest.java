package dev.netwarden.history;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static dev.netwarden.history.Events.alert;
import static dev.netwarden.history.Events.closed;
import static dev.netwarden.history.Events.opened;
import static dev.netwarden.history.Events.process;
import static dev.netwarden.history.Events.updated;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryWriterTest {
    static final long T0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    static final HistoryWriter.Options OPTIONS = HistoryWriter.Options.defaults()
            .withFlushInterval(Duration.ofMillis(50)).withRetention(null);

    @TempDir
    Path dir;

    @Test
    void writesEveryEventKindIncludingUnknownOwnerAndUnknownCounters() throws Exception {
        ProcessSnapshot curl = process(100, 5000, "alice", 1000, "curl", "/usr/bin/curl", "aa11");
        try (HistoryStore store = HistoryStore.open(dir)) {
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
                long a = w.nextFlowId();
                long b = w.nextFlowId();
                w.publish(opened(a, T0, Transport.TCP, "93.184.216.34", 443, Direction.OUTBOUND, Attribution.of(curl), "example.com"));
                w.publish(opened(b, T0 + 10, Transport.UDP, "fd00::53", 53, Direction.OUTBOUND,
                        Attribution.unknown("process exited before it was seen"), null));
                w.publish(updated(a, T0 + 100, 500, 7000));
                w.publish(closed(a, T0 + 200, 600, 9000));
                w.publish(closed(b, T0 + 300, -1, -1));
                w.publish(alert(a, T0 + 1, AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, curl, null, "first connection of /usr/bin/curl"));
                w.publish(alert(0, T0 + 2, AlertKind.FIRST_DOMAIN_OF_APP, curl, "example.com", "curl reached example.com"));
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(w.stats()).isEqualTo(new WriterStats(0, 7, 0, 0, 0, null));
            }
            HistoryReader r = new HistoryReader(store);
            List<HistoryReader.ConnectionRecord> rows = r.connections(HistoryQuery.between(T0, T0 + 1000));
            assertThat(rows).hasSize(2);
            HistoryReader.ConnectionRecord udp = rows.get(0);
            assertThat(udp.transport()).isEqualTo("udp");
            assertThat(udp.family()).isEqualTo(10);
            assertThat(udp.remoteAddress()).isEqualTo(Events.ip("fd00::53"));
            assertThat(udp.endMillis()).isEqualTo(T0 + 300);
            assertThat(udp.bytesOut()).isNull();
            assertThat(udp.bytesIn()).isNull();
            assertThat(udp.packetsOut()).isNull();
            assertThat(udp.pid()).isNull();
            assertThat(udp.exe()).isNull();
            assertThat(udp.unknownReason()).isEqualTo("process exited before it was seen");
            assertThat(udp.domain()).isNull();
            HistoryReader.ConnectionRecord tcp = rows.get(1);
            assertThat(tcp).isEqualTo(new HistoryReader.ConnectionRecord(1, T0, T0 + 200, "tcp", 2, "outbound",
                    Events.ip("10.0.0.2"), 40001, Events.ip("93.184.216.34"), 443, "CLOSED", 600L, 9000L, 6L, 90L,
                    100, "curl", "alice", 1000, "/usr/bin/curl", "aa11", List.of("/usr/bin/curl", "--flag", "a b"),
                    null, "example.com", "passive", 1001,
                    List.of(new dev.netwarden.process.ProcessSnapshot.ParentLink(1, "systemd", "/usr/lib/systemd/systemd")),
                    null, null, null));
            assertThat(r.alerts(HistoryQuery.between(T0, T0 + 1000))).containsExactly(
                    new HistoryReader.AlertRecord(2, T0 + 2, "first_domain_of_app", null, 100, "curl", "/usr/bin/curl",
                            "example.com", "curl reached example.com"),
                    new HistoryReader.AlertRecord(1, T0 + 1, "first_connection_of_executable", 1L, 100, "curl",
                            "/usr/bin/curl", null, "first connection of /usr/bin/curl"));
            assertThat(r.seenExecutables()).containsExactly(java.util.Map.entry("/usr/bin/curl", "aa11"));
            assertThat(r.seenExeDomains()).containsExactly(new ExeDomain("/usr/bin/curl", "example.com"));
            assertThat(longs(store, "SELECT COUNT(*) FROM processes")).containsExactly(1L);
            assertThat(longs(store, "SELECT hour_ms, exe_id, conns, bytes_out, bytes_in FROM app_hourly ORDER BY exe_id"))
                    .containsExactly(BatchWriter.hourOf(T0), 0L, 1L, 0L, 0L, BatchWriter.hourOf(T0), 1L, 1L, 600L, 9000L);
            assertThat(strings(store, "SELECT parents FROM processes"))
                    .containsExactly("[{\"pid\":1,\"comm\":\"systemd\",\"exe\":\"/usr/lib/systemd/systemd\"}]");
        }
    }

    @Test
    void updatesInOneBatchCollapseToTheLastAndTheRollupCountsEachByteOnce() throws Exception {
        ProcessSnapshot p = process(7, 70, "bob", 1001, "wget", "/usr/bin/wget", "bb");
        try (HistoryStore store = HistoryStore.open(dir); HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
            try (AutoCloseable held = w.holdWrites()) {
                w.publish(opened(1, T0, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), null));
                w.publish(opened(2, T0, Transport.TCP, "10.1.1.2", 80, Direction.OUTBOUND, Attribution.of(p), null));
                w.publish(updated(1, T0 + 1, 10, 100));
                w.publish(updated(2, T0 + 1, 1, 2));
                w.publish(updated(1, T0 + 2, 20, 200));
                w.publish(updated(1, T0 + 3, 30, 300));
                w.publish(updated(2, T0 + 2, 3, 4));
                w.publish(closed(2, T0 + 5, 5, 6));
            }
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(w.stats().written()).isEqualTo(8);
            w.publish(updated(1, T0 + 10, 35, 350)); // a later batch adds only the difference
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(longs(store, "SELECT id, bytes_out, bytes_in, COALESCE(end_ms, -1) FROM connections ORDER BY id"))
                    .containsExactly(1L, 35L, 350L, -1L, 2L, 5L, 6L, T0 + 5);
            assertThat(longs(store, "SELECT conns, bytes_out, bytes_in FROM app_hourly")).containsExactly(2L, 40L, 356L);
            assertThat(strings(store, "SELECT state FROM connections ORDER BY id")).containsExactly("ESTAB", "CLOSED");
        }
    }

    @Test
    void aFullQueueDropsExactlyTheOverflowAndCountsIt() throws Exception {
        ProcessSnapshot p = process(7, 70, "bob", 1001, "wget", "/usr/bin/wget", "bb");
        try (HistoryStore store = HistoryStore.open(dir);
             HistoryWriter w = HistoryWriter.start(store, OPTIONS.withQueueCapacity(10).withBatchSize(4))) {
            try (AutoCloseable held = w.holdWrites()) {
                for (int i = 1; i <= 25; i++) {
                    w.publish(opened(i, T0 + i, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), null));
                }
                assertThat(w.stats()).isEqualTo(new WriterStats(10, 0, 15, 0, 0, null));
            }
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(w.stats()).isEqualTo(new WriterStats(0, 10, 15, 0, 0, null));
            assertThat(longs(store, "SELECT MIN(id), MAX(id), COUNT(*) FROM connections")).containsExactly(1L, 10L, 10L);
        }
    }

    @Test
    void flowIdsContinueAfterARestartAndLateUpdatesReachTheRollup() throws Exception {
        ProcessSnapshot p = process(7, 70, "bob", 1001, "wget", "/usr/bin/wget", "bb");
        long id;
        try (HistoryStore store = HistoryStore.open(dir); HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
            assertThat(w.nextFlowId()).isEqualTo(1);
            id = w.nextFlowId();
            w.publish(opened(id, T0, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), "a.test"));
            w.publish(updated(id, T0 + 1, 100, 1000));
        }
        try (HistoryStore store = HistoryStore.open(dir); HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
            assertThat(w.flowIds().getAsLong()).isEqualTo(id + 1);
            w.publish(closed(id, T0 + 9, 150, 1500));
            w.publish(opened(id + 1, T0 + 10, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), "a.test"));
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(longs(store, "SELECT conns, bytes_out, bytes_in FROM app_hourly")).containsExactly(2L, 150L, 1500L);
            // the same process (pid, start time, boot) and host are one row each across restarts
            assertThat(longs(store, "SELECT (SELECT COUNT(*) FROM processes), (SELECT COUNT(*) FROM hosts),"
                    + " (SELECT COUNT(*) FROM executables)")).containsExactly(1L, 1L, 1L);
        }
    }

    @Test
    void aReadOnlyReaderQueriesWhileTheWriterWrites() throws Exception {
        ProcessSnapshot p = process(7, 70, "bob", 1001, "wget", "/usr/bin/wget", "bb");
        try (HistoryStore store = HistoryStore.open(dir); HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
            w.publish(opened(1, T0, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), null));
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            try (HistoryStore ro = HistoryStore.openReadOnly(dir)) {
                HistoryReader r = new HistoryReader(ro);
                try (AutoCloseable held = w.holdWrites()) {
                    assertThat(r.connections(HistoryQuery.between(T0, T0 + 10_000))).hasSize(1);
                }
                for (int i = 2; i <= 500; i++) {
                    w.publish(opened(i, T0 + i, Transport.TCP, "10.1.1.1", 80, Direction.OUTBOUND, Attribution.of(p), null));
                    if (i % 50 == 0) {
                        assertThat(r.topApps(HistoryQuery.between(T0, T0 + 10_000)).getFirst().connections())
                                .isBetween(1L, (long) i);
                    }
                }
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(r.topApps(HistoryQuery.between(T0, T0 + 10_000)).getFirst().connections()).isEqualTo(500);
            }
        }
    }

    @Test
    void publishAfterCloseIsCountedAsDropped() throws Exception {
        try (HistoryStore store = HistoryStore.open(dir)) {
            HistoryWriter w = HistoryWriter.start(store, OPTIONS);
            w.close();
            w.publish(updated(1, T0, 1, 1));
            w.publish(null);
            assertThat(w.stats().dropped()).isEqualTo(2);
        }
    }

    @Test
    void connectionsLeftOpenByAKilledDaemonAreClosedAtTheNewestKnownTime() throws Exception {
        try (HistoryStore store = HistoryStore.open(dir)) {
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
                w.publish(opened(1, T0, Transport.TCP, "10.0.0.9", 80, Direction.OUTBOUND, Attribution.unknown("r"), null));
                w.publish(opened(2, T0 + 10, Transport.TCP, "10.0.0.9", 81, Direction.OUTBOUND, Attribution.unknown("r"), null));
                w.publish(closed(2, T0 + 500, 1, 1));
                w.publish(opened(3, T0 + 20, Transport.UDP, "10.0.0.9", 53, Direction.OUTBOUND, Attribution.unknown("r"), null));
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(store.closeLeftOpen("MONITOR-STOPPED")).isEqualTo(2);
            assertThat(longs(store, "SELECT id, end_ms FROM connections WHERE state = 'MONITOR-STOPPED' ORDER BY id"))
                    .containsExactly(1L, T0 + 500, 3L, T0 + 500);
            assertThat(longs(store, "SELECT end_ms FROM connections WHERE id = 2")).containsExactly(T0 + 500);
            assertThat(store.closeLeftOpen("MONITOR-STOPPED")).as("nothing left open the second time").isZero();
        }
    }

    static List<Long> longs(HistoryStore store, String sql) throws SQLException {
        List<Long> out = new java.util.ArrayList<>();
        try (var c = store.newConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.add(rs.getLong(i));
                }
            }
        }
        return out;
    }

    static List<String> strings(HistoryStore store, String sql) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var c = store.newConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
