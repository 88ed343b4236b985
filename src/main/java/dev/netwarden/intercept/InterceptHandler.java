package dev.netwarden.intercept;

import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;

/**
 * Decides about one queued packet (the first packet of a new connection). The monitor's tracker
 * implements it: parse the IP header, find the socket and process, record, answer.
 *
 * <p>Called on the intercept loop's single thread, so it must be quick: every new connection of
 * the machine waits for its answer. A thrown exception (or a null answer) is counted and replaced
 * by the fail policy's verdict: ACCEPT under {@link FailPolicy#OPEN}, DROP under
 * {@link FailPolicy#CLOSED}.
 */
@FunctionalInterface
public interface InterceptHandler {
    Verdict decide(QueuedPacket packet) throws Exception;
}
