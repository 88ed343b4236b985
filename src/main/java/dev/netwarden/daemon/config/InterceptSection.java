package dev.netwarden.daemon.config;

import dev.netwarden.intercept.FailPolicy;

import java.util.Objects;

/**
 * {@code [intercept]}: only read at the intercept level.
 *
 * @param queueNum    the NFQUEUE number (0–65535); must not collide with another program's queue
 * @param failPolicy  what happens to packets while no daemon reads the queue
 * @param queueMaxlen packets the kernel holds for the queue before {@link #failPolicy} applies
 * @param inbound     also queue new inbound connections (not only outbound)
 * @param queueDns    also queue DNS traffic (normally only sniffed, to keep name resolution fast)
 * @param queues      queues (and reader threads) new connections are spread over, from {@code queueNum}
 *                    on; 0 = {@link #AUTO_QUEUES}
 */
public record InterceptSection(int queueNum, FailPolicy failPolicy, int queueMaxlen, boolean inbound, boolean queueDns,
                               int queues) {
    /** Most queues {@code intercept.queues} accepts. */
    public static final int MAX_QUEUES = 16;
    /** Queues when {@code intercept.queues = 0}: more threads than CPUs only compete for them. */
    public static final int AUTO_QUEUES_CAP = 4;

    public InterceptSection {
        Objects.requireNonNull(failPolicy, "failPolicy is null");
        if (queues < 0 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("queues " + queues + " outside 0.." + MAX_QUEUES);
        }
    }

    /** The queues to serve: {@link #queues()}, or for 0 the number of CPUs, at most {@link #AUTO_QUEUES_CAP}. */
    public int effectiveQueues() {
        int n = queues > 0 ? queues : Math.min(Runtime.getRuntime().availableProcessors(), AUTO_QUEUES_CAP);
        return Math.max(1, Math.min(n, 65536 - queueNum));
    }
}
