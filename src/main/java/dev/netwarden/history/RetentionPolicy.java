package dev.netwarden.history;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history to keep.
 *
 * @param maxAge    connections and alerts older than this are deleted (by start time)
 * @param maxBytes  when the database's used pages exceed this, the oldest connections go too, until
 *                  it fits; 0 = no size limit
 * @param interval  how often the pruning runs after the first run at start
 * @param chunkRows rows deleted per transaction, so the writer never waits long
 */
public record RetentionPolicy(Duration maxAge, long maxBytes, Duration interval, int chunkRows) {
    /** 90 days: the default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);
    /**
     * 2 GiB. A connection row with its index entries takes about 130 bytes (see BENCHMARKS.md), so
     * this holds some 15 million connections (90 days at ~2 new connections per second), and it
     * keeps a busy server's history from filling /var.
     */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    public RetentionPolicy {
        Objects.requireNonNull(maxAge, "maxAge is null");
        Objects.requireNonNull(interval, "interval is null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 (no limit) or positive");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be positive");
        }
    }

    /** 90 days, 2 GiB, hourly, 2,000 rows per transaction. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES, Duration.ofHours(1), 2_000);
    }
}
