package dev.netwarden.firewall;

import dev.netwarden.linux.nfqueue.Verdict;

/**
 * Where late verdicts for held packets go: the intercept loop's {@code verdict(packetId, verdict)}.
 * Thread-safe; a verdict for a packet no longer held is ignored.
 */
@FunctionalInterface
public interface VerdictSink {
    void verdict(int packetId, Verdict verdict);
}
