package dev.netwarden.history;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import static dev.netwarden.history.Events.closed;
import static dev.netwarden.history.Events.opened;
import static dev.netwarden.history.Events.process;
import static dev.netwarden.history.HistoryWriterTest.longs;
import static org.assertj.core.api.Assertions.assertThat;

class RetentionTest {
    static final long DAY = 86_400_000L;
    static final HistoryWriter.Options OPTIONS = HistoryWriter.Options.defaults()
            .withFlushInterval(Duration.ofMillis(20)).withRetention(null);

    @TempDir
    Path dir;

    @Test
    void deletesByAgeKeepsTheRollupExactAndPrunesOrphans() throws Exception {
        long now = System.currentTimeMillis();
        ProcessSnapshot old = process(10, 10, "root", 0, "oldd", "/usr/sbin/oldd", "o1");
        ProcessSnapshot fresh = process(11, 11, "root", 0, "newd", "/usr/sbin/newd", "n1");
        try (HistoryStore store = HistoryStore.open(dir)) {
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
                w.publish(opened(1, now - 100 * DAY, Transport.TCP, "10.0.0.1", 80, Direction.OUTBOUND, Attribution.of(old), "old.test"));
                w.publish(closed(1, now - 100 * DAY + 1, 5, 5));
                w.publish(opened(2, now - 95 * DAY, Transport.TCP, "10.0.0.1", 80, Direction.OUTBOUND,
                        Attribution.unknown("gone"), "orphan.test"));
                w.publish(Events.alert(1, now - 100 * DAY, dev.netwarden.flow.AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, old, null, "old alert"));
                w.publish(opened(3, now - DAY, Transport.TCP, "10.0.0.2", 443, Direction.OUTBOUND, Attribution.of(fresh), "new.test"));
                w.publish(closed(3, now - DAY + 1, 7, 70));
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            }
            Retention r = new Retention(new RetentionPolicy(Duration.ofDays(90), 0, Duration.ofHours(1), 1));
            try (Connection c = store.newConnection()) {
                r.runAll(c, now);
            }
            assertThat(longs(store, "SELECT id FROM connections")).containsExactly(3L);
            assertThat(longs(store, "SELECT COUNT(*) FROM alerts")).containsExactly(0L);
            assertThat(longs(store, "SELECT conns, bytes_out, bytes_in FROM app_hourly")).containsExactly(1L, 7L, 70L);
            assertThat(HistoryWriterTest.strings(store, "SELECT comm FROM processes")).containsExactly("newd");
            // old.test stays: the exe/domain pair remembers it; orphan.test had only the pruned connection
            assertThat(HistoryWriterTest.strings(store, "SELECT name FROM hosts ORDER BY name")).containsExactly("new.test", "old.test");
            assertThat(longs(store, "SELECT COUNT(*) FROM executables")).containsExactly(2L);
            assertThat(new HistoryReader(store).topApps(HistoryQuery.between(0, now)))
                    .containsExactly(new HistoryReader.AppTotal("/usr/sbin/newd", "newd", 1, 7, 70));
        }
    }

    @Test
    void deletesTheOldestUntilTheDatabaseFitsItsSizeAndVacuums() throws Exception {
        long now = System.currentTimeMillis();
        int n = 20_000;
        try (HistoryStore store = HistoryStore.open(dir)) {
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
                for (int i = 1; i <= n; i++) {
                    w.publish(opened(i, now - DAY + i * 1000L, Transport.TCP, "10.0.0.1", 80, Direction.OUTBOUND,
                            Attribution.unknown("reason " + "x".repeat(200) + i), null));
                    if (i % 5000 == 0) {
                        assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
                    }
                }
                assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
            }
            long before = store.usedBytes();
            long limit = before / 2;
            Retention r = new Retention(new RetentionPolicy(Duration.ofDays(90), limit, Duration.ofHours(1), 1000));
            try (Connection c = store.newConnection()) {
                r.runAll(c, now);
            }
            assertThat(store.usedBytes()).isLessThanOrEqualTo(limit);
            long kept = longs(store, "SELECT COUNT(*) FROM connections").getFirst();
            assertThat(kept).isBetween(n / 4L, n * 3 / 4L);
            // the newest are kept, and the rollup still counts exactly the kept rows
            assertThat(longs(store, "SELECT MAX(id), MIN(id) FROM connections")).containsExactly((long) n, n - kept + 1);
            assertThat(longs(store, "SELECT SUM(conns) FROM app_hourly")).containsExactly(kept);
            assertThat(longs(store, "PRAGMA freelist_count")).containsExactly(0L);
        }
    }

    @Test
    void theWriterRunsRetentionAtStart() throws Exception {
        long now = System.currentTimeMillis();
        try (HistoryStore store = HistoryStore.open(dir)) {
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS)) {
                w.publish(opened(1, now - 100 * DAY, Transport.TCP, "10.0.0.1", 80, Direction.OUTBOUND, Attribution.unknown("x"), null));
                w.publish(opened(2, now, Transport.TCP, "10.0.0.1", 80, Direction.OUTBOUND, Attribution.unknown("x"), null));
            }
            try (HistoryWriter w = HistoryWriter.start(store, OPTIONS.withRetention(RetentionPolicy.defaults()))) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (longs(store, "SELECT COUNT(*) FROM connections").getFirst() != 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(longs(store, "SELECT id FROM connections")).containsExactly(2L);
            }
        }
    }
}
