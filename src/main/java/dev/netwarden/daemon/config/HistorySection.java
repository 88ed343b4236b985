package dev.netwarden.daemon.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code [history]}.
 *
 * @param flushInterval          the writer commits at least this often. This is the durability
 *                               window: after a crash or kill -9, events younger than it may be lost.
 *                               Longer batches cost less I/O; allowed 10ms to 60s, default 1s.
 * @param queueCapacity          events waiting for the writer; beyond it they are dropped and counted
 * @param retention              rows older than this are deleted
 * @param maxSize                the database is trimmed (oldest first) to stay below this; null = no limit
 * @param retentionCheckInterval how often retention and size are enforced
 */
public record HistorySection(Duration flushInterval, int queueCapacity, Duration retention, ByteSize maxSize,
                             Duration retentionCheckInterval) {
    public HistorySection {
        Objects.requireNonNull(flushInterval, "flushInterval is null");
        Objects.requireNonNull(retention, "retention is null");
        Objects.requireNonNull(retentionCheckInterval, "retentionCheckInterval is null");
    }
}
