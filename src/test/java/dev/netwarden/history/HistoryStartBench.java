package dev.netwarden.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the history costs at every daemon start on a large database (bench/history-start.sh runs it):
 * a schema-2 history of N closed connections (generated in SQL) is timed closing what was "left
 * open" with the schema-2 statement (no index: it reads the table), then upgraded to the current
 * schema (timed: building the partial index reads the table once), then timed again with
 * {@link HistoryStore#open} + {@link HistoryStore#closeLeftOpen} as {@code HistoryService} runs them.
 * Both after a clean stop (nothing open) and after a crash ({@code K} rows open). "cold" drops the
 * database file's pages from the page cache first ({@code dd iflag=nocache}, this file only); every
 * update is rolled back so each run sees the same database.
 */
public final class HistoryStartBench {
    /** closeLeftOpen as schema 2 ran it: one statement, the WHERE with no index. */
    private static final String SCHEMA_TWO_CLOSE = HistoryStore.CLOSE_LEFT_OPEN;
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/nw-history-start");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        int open = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        if (rows < 1 || rows > 20_000_000L || open < 1 || open > rows) {
            throw new IllegalArgumentException("rows 1..20M and open 1..rows");
        }
        deleteTree(dir);
        // load the native library and Flyway's classes once, outside the timings
        HistoryStore.open(dir.resolve("warmup")).close();
        Path data = dir.resolve("data");
        Path file = data.resolve(HistoryStore.FILE_NAME);
        try (Connection c = SchemaTwoHistory.create(data)) {
            generate(c, rows);
        }
        System.out.printf(Locale.ROOT, "database: %d rows, %d MiB%n", rows, Files.size(file) >> 20);

        time("schema 2 connect + closeLeftOpen, clean stop (0 open)", file, () -> schemaTwoClose(file));
        try (Connection c = connect(file)) {
            leaveOpen(c, rows, open);
        }
        time("schema 2 connect + closeLeftOpen, after a crash (" + open + " open)", file, () -> schemaTwoClose(file));

        evict(file);
        long m0 = System.nanoTime();
        HistoryStore.open(data).close();
        System.out.printf(Locale.ROOT, "upgrade to schema %d (builds the partial index), cold: %.0f ms%n",
                HistoryStore.SCHEMA_VERSION, (System.nanoTime() - m0) / 1e6);

        time("schema 3 open + closeLeftOpen, after a crash (" + open + " open)", file, () -> openAndClose(data));
        try (Connection c = connect(file); Statement s = c.createStatement()) {
            s.execute("UPDATE connections SET end_ms = start_ms + 1 WHERE end_ms IS NULL");
        }
        time("schema 3 open + closeLeftOpen, clean stop (0 open)", file, () -> openAndClose(data));
        deleteTree(dir);
    }

    private static Connection connect(Path file) throws Exception {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Closed connections over the last 90 days ({@link GeneratedConnections}). */
    private static void generate(Connection c, long rows) throws Exception {
        long g0 = System.nanoTime();
        long end = System.currentTimeMillis();
        long span = 90L * 24 * 3_600_000L;
        c.setAutoCommit(false);
        GeneratedConnections.insert(c, rows, end - span, span, true);
        c.commit();
        c.setAutoCommit(true);
        System.out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - g0) / 1e9);
    }

    /** The newest {@code open} connections open again, as a killed daemon leaves them. */
    private static void leaveOpen(Connection c, long rows, int open) throws Exception {
        try (PreparedStatement p = c.prepareStatement("UPDATE connections SET end_ms = NULL WHERE id > ?")) {
            p.setLong(1, rows - open);
            p.executeUpdate();
        }
    }

    private static int schemaTwoClose(Path file) throws Exception {
        try (Connection c = connect(file)) {
            return rolledBack(c, SCHEMA_TWO_CLOSE);
        }
    }

    private static int rolledBack(Connection c, String closeSql) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement p = c.prepareStatement(closeSql)) {
            p.setString(1, "MONITOR-STOPPED");
            return p.executeUpdate();
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static int openAndClose(Path data) throws Exception {
        try (HistoryStore store = HistoryStore.open(data)) {
            Connection c = store.connection();
            c.setAutoCommit(false);
            try {
                return store.closeLeftOpen("MONITOR-STOPPED");
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    interface Work {
        int run() throws Exception;
    }

    private static void time(String what, Path file, Work work) throws Exception {
        evict(file);
        long t = System.nanoTime();
        int closed = work.run();
        double cold = (System.nanoTime() - t) / 1e6;
        double[] warm = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t = System.nanoTime();
            work.run();
            warm[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(warm);
        System.out.printf(Locale.ROOT, "%s: cold %.1f ms; warm median %.1f ms (min %.1f, max %.1f); closed %d%n",
                what, cold, warm[RUNS / 2], warm[0], warm[RUNS - 1], closed);
    }

    /**
     * Drops this database's pages (and its WAL's) from the page cache: a cold start without touching
     * the rest of the machine. Written first ({@code sync FILE}): dirty pages cannot be dropped.
     */
    private static void evict(Path file) throws Exception {
        for (Path f : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            if (Files.exists(f)) {
                run("sync", f.toString());
                run("dd", "if=" + f, "iflag=nocache", "count=0", "status=none");
            }
        }
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString()).start();
        String resident = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        if (!resident.isEmpty() && Long.parseLong(resident) > Files.size(file) / 20) {
            System.out.printf(Locale.ROOT, "(warning: %s bytes of the database still cached after eviction)%n", resident);
        }
    }

    private static void run(String... cmd) throws Exception {
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", cmd));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
