package dev.netwarden.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deletes old history in small steps: each {@link #step} call deletes at most
 * {@link RetentionPolicy#chunkRows()} rows in one short transaction and says whether more work is
 * left, so the writer thread can interleave its batches with the pruning.
 *
 * <p>Order of one run: connections older than the age limit; then, while the database is over its
 * size limit, the oldest connections; alerts older than the age limit; processes and hosts no longer
 * referenced (cheap because each carries last_seen_ms: a process last seen before the oldest
 * remaining connection started can be referenced by no connection); last, an incremental vacuum
 * that gives the freed pages back to the file system. Deleted connections are subtracted from the
 * hourly rollup, so aggregates stay equal to what the remaining rows say. Executables and
 * exe/domain pairs are kept: they are what the alert detector remembers, and they are small.
 */
final class Retention {
    private enum Phase { AGE, SIZE, ALERTS, ORPHAN_PROCESSES, ORPHAN_HOSTS, VACUUM }

    private final RetentionPolicy policy;
    private Phase phase = Phase.AGE;

    Retention(RetentionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy is null");
    }

    /** Runs a whole pass to the end (tests, tools); the daemon calls {@link #step} from its writer. */
    void runAll(Connection c, long nowMillis) throws SQLException {
        while (step(c, nowMillis)) {
            // each step commits its own chunk
        }
    }

    /** Does one chunk of work; true when the pass has more to do. */
    boolean step(Connection c, long nowMillis) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            boolean more = stepInTransaction(c, nowMillis);
            c.commit();
            return more;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            phase = Phase.AGE;
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private boolean stepInTransaction(Connection c, long now) throws SQLException {
        long cutoff = now - policy.maxAge().toMillis();
        switch (phase) {
            case AGE -> {
                if (deleteOldestConnections(c, cutoff) < policy.chunkRows()) {
                    phase = Phase.SIZE;
                }
            }
            case SIZE -> {
                if (policy.maxBytes() == 0 || HistoryStore.usedBytes(c) <= policy.maxBytes()
                        || deleteOldestConnections(c, Long.MAX_VALUE) == 0) {
                    phase = Phase.ALERTS;
                }
            }
            case ALERTS -> {
                if (deleteChunk(c, "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE at_ms < ? LIMIT ?)",
                        cutoff) < policy.chunkRows()) {
                    phase = Phase.ORPHAN_PROCESSES;
                }
            }
            case ORPHAN_PROCESSES -> {
                if (deleteChunk(c, "DELETE FROM processes WHERE id IN (SELECT p.id FROM processes p"
                        + " WHERE p.last_seen_ms < ? AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.process_id = p.id)"
                        + " LIMIT ?)", oldestConnection(c)) < policy.chunkRows()) {
                    phase = Phase.ORPHAN_HOSTS;
                }
            }
            case ORPHAN_HOSTS -> {
                if (deleteChunk(c, "DELETE FROM hosts WHERE id IN (SELECT h.id FROM hosts h"
                        + " WHERE h.last_seen_ms < ? AND NOT EXISTS (SELECT 1 FROM exe_domains d WHERE d.host_id = h.id)"
                        + " LIMIT ?)", oldestConnection(c)) < policy.chunkRows()) {
                    phase = Phase.VACUUM;
                }
            }
            case VACUUM -> {
                c.commit(); // incremental_vacuum works on committed free pages
                // The pragma frees one page per step of its statement, and sqlite-jdbc's execute() steps
                // once: repeat until the free list is empty (bounded, each call is microseconds).
                try (Statement s = c.createStatement()) {
                    for (int i = 0; i < 1_000_000 && HistoryStore.pragmaLong(s, "freelist_count") > 0; i++) {
                        s.executeUpdate("PRAGMA incremental_vacuum(1000)");
                    }
                }
                phase = Phase.AGE;
                return false;
            }
        }
        return true;
    }

    /** Deletes up to one chunk of the oldest connections started before {@code before}; returns how many. */
    private int deleteOldestConnections(Connection c, long before) throws SQLException {
        List<Long> ids = new ArrayList<>(policy.chunkRows());
        Map<List<Long>, long[]> rollup = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, start_ms, exe_id, bytes_out, bytes_in"
                + " FROM connections WHERE start_ms < ? ORDER BY start_ms LIMIT ?")) {
            ps.setLong(1, before);
            ps.setInt(2, policy.chunkRows());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    long[] sums = rollup.computeIfAbsent(List.of(BatchWriter.hourOf(rs.getLong(2)), rs.getLong(3)),
                            k -> new long[3]);
                    sums[0]++;
                    sums[1] += rs.getLong(4);
                    sums[2] += rs.getLong(5);
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM connections WHERE id = ?")) {
            for (long id : ids) {
                del.setLong(1, id);
                del.addBatch();
            }
            del.executeBatch();
        }
        try (PreparedStatement sub = c.prepareStatement("UPDATE app_hourly SET conns = conns - ?,"
                + " bytes_out = bytes_out - ?, bytes_in = bytes_in - ? WHERE hour_ms = ? AND exe_id = ?")) {
            for (Map.Entry<List<Long>, long[]> e : rollup.entrySet()) {
                sub.setLong(1, e.getValue()[0]);
                sub.setLong(2, e.getValue()[1]);
                sub.setLong(3, e.getValue()[2]);
                sub.setLong(4, e.getKey().get(0));
                sub.setLong(5, e.getKey().get(1));
                sub.addBatch();
            }
            sub.executeBatch();
        }
        try (PreparedStatement empty = c.prepareStatement(
                "DELETE FROM app_hourly WHERE hour_ms = ? AND exe_id = ? AND conns <= 0")) {
            for (List<Long> key : rollup.keySet()) {
                empty.setLong(1, key.get(0));
                empty.setLong(2, key.get(1));
                empty.addBatch();
            }
            empty.executeBatch();
        }
        return ids.size();
    }

    private int deleteChunk(Connection c, String sql, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            ps.setInt(2, policy.chunkRows());
            return ps.executeUpdate();
        }
    }

    /** Start of the oldest connection kept, or "now-ish" (max) when there is none. */
    private static long oldestConnection(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MIN(start_ms) FROM connections")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : v;
        }
    }
}
