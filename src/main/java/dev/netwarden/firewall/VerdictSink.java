package dev.netwarden.firewall;

import dev.netwarden.linux.nfqueue.Verdict;

/**
 * Where late verdicts for held packets go: the {@code verdict(packetId, verdict)} of the intercept loop
 * that serves queue {@code queueNumber}. Why the queue is named: packet ids are per queue, and with
 * several queues two held packets can share an id. Thread-safe; a verdict for a packet no longer held
 * (or a queue nobody serves) is ignored.
 */
@FunctionalInterface
public interface VerdictSink {
    void verdict(int queueNumber, int packetId, Verdict verdict);
}
