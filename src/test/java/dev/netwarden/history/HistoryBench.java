package dev.netwarden.history;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;

/**
 * History benchmark (bench/history-bench.sh runs it on the test class path):
 * (a) ingest rate through {@link HistoryWriter}: N connections opened and closed, timed from the first
 * publish to the last commit; (b) "top apps" over M generated connection rows (generated in SQL, not
 * through the writer, so setup stays fast), cold and warm.
 */
public final class HistoryBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/nw-history-bench");
        int ingest = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        long rows = args.length > 2 ? Long.parseLong(args[2]) : 10_000_000L;
        deleteTree(dir);
        ingest(dir.resolve("ingest"), ingest);
        topApps(dir.resolve("top"), rows);
    }

    static void ingest(Path dir, int n) throws Exception {
        ProcessSnapshot[] procs = new ProcessSnapshot[50];
        for (int i = 0; i < procs.length; i++) {
            procs[i] = Events.process(1000 + i, 5000 + i, "user" + (i % 5), 1000 + i % 5, "app" + i, "/usr/bin/app" + i, "h" + i);
        }
        FlowEvent[] events = new FlowEvent[2 * n];
        long t0 = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < n; i++) {
            long id = i + 1;
            events[2 * i] = Events.opened(id, t0 + i, Transport.TCP, "10.0." + (i % 250) + "." + (i / 250 % 250), 443,
                    Direction.OUTBOUND, Attribution.of(procs[i % procs.length]), "host" + (i % 1000) + ".test");
            events[2 * i + 1] = Events.closed(id, t0 + i + 5, 1000 + i, 20_000 + i);
        }
        try (HistoryStore store = HistoryStore.open(dir);
             HistoryWriter w = HistoryWriter.start(store, HistoryWriter.Options.defaults().withRetention(null)
                     .withQueueCapacity(2 * n + 1))) {
            long start = System.nanoTime();
            for (FlowEvent e : events) {
                w.publish(e);
            }
            long published = System.nanoTime();
            if (!w.flush(Duration.ofMinutes(5))) {
                throw new AssertionError("not flushed");
            }
            long end = System.nanoTime();
            WriterStats s = w.stats();
            double sec = (end - start) / 1e9;
            System.out.printf("ingest: %d connections (%d events: opened + closed) in %.2f s = %.0f connections/s"
                            + " (%.0f events/s); publish took %.0f ms (%.0f ns/event); dropped %d, lost %d%n",
                    n, 2L * n, sec, n / sec, 2 * n / sec, (published - start) / 1e6, (published - start) / (2.0 * n),
                    s.dropped(), s.lost());
            System.out.printf("ingest: database %d MiB for %d connections (%.0f bytes/connection)%n",
                    store.usedBytes() >> 20, n, (double) store.usedBytes() / n);
        }
    }

    static void topApps(Path dir, long rows) throws Exception {
        long hourMs = 3_600_000L;
        long end = (System.currentTimeMillis() / hourMs) * hourMs;
        long span = 90L * 24 * hourMs;
        long start = end - span;
        try (HistoryStore store = HistoryStore.open(dir)) {
            long g0 = System.nanoTime();
            generate(store, rows, start, span);
            System.out.printf("top apps: generated %d connections in %.1f s, database %d MiB%n", rows,
                    (System.nanoTime() - g0) / 1e9, store.usedBytes() >> 20);
        }
        try (HistoryStore ro = HistoryStore.openReadOnly(dir)) {
            HistoryReader r = new HistoryReader(ro);
            time("top apps, whole 90 days (hour-aligned)", () -> r.topApps(HistoryQuery.between(start, end).withLimit(10)));
            time("top apps, last 7 days (partial hours at both edges)",
                    () -> r.topApps(HistoryQuery.between(end - 7 * 24 * hourMs - 1234, end - 777).withLimit(10)));
            time("top apps, last 24 hours", () -> r.topApps(HistoryQuery.between(end - 24 * hourMs + 5, end).withLimit(10)));
            time("hourly series, whole 90 days", () -> r.hourly(HistoryQuery.between(start, end)));
            time("connections list, newest 100", () -> r.connections(HistoryQuery.between(start, end)));
            time("top apps filtered by port, last 24 h (rows, not rollup)",
                    () -> r.topApps(HistoryQuery.between(end - 24 * hourMs, end).withPort(443)));
        }
    }


    /**
     * Fills {@code store} with {@code rows} generated closed connections spread over [start, start + span) and
     * their hourly rollup; also the web UI benchmark's history.
     */
    public static void generate(HistoryStore store, long rows, long start, long span) throws Exception {
        try (Connection c = store.newConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            GeneratedConnections.insert(c, rows, start, span, true);
            s.execute("INSERT INTO app_hourly (hour_ms, exe_id, conns, bytes_out, bytes_in)"
                    + " SELECT start_ms - start_ms % 3600000, COALESCE(exe_id, 0), COUNT(*), SUM(bytes_out), SUM(bytes_in)"
                    + " FROM connections GROUP BY 1, 2");
            c.commit();
        }
    }

    interface Work {
        Object run() throws Exception;
    }

    static void time(String what, Work work) throws Exception {
        double[] ms = new double[6];
        Object result = null;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            result = work.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        System.out.printf("%s: first %.1f ms, warm median %.1f ms (min %.1f); %s%n", what, ms[0], warm[warm.length / 2],
                warm[0], result instanceof java.util.List<?> l && !l.isEmpty() ? l.size() + " rows, first " + l.getFirst() : result);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
