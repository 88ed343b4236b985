package dev.netwarden.intercept;

import dev.netwarden.linux.nfqueue.QueuedPacket;

/**
 * An {@link InterceptHandler} that may also hold a packet back: {@link Decision#HOLD} means "no
 * verdict yet"; the packet stays queued in the kernel until someone calls
 * {@link InterceptLoop#verdict(int, dev.netwarden.linux.nfqueue.Verdict)} with its id, or the loop
 * closes (then it gets the fail policy's verdict). The firewall's prompts use it.
 *
 * <p>Same rules as {@link InterceptHandler}: called on the loop's thread, quick, a thrown exception or
 * null answer becomes the fail policy's verdict.
 */
@FunctionalInterface
public interface HoldingHandler {
    Decision decide(QueuedPacket packet) throws Exception;
}
