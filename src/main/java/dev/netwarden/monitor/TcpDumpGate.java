package dev.netwarden.monitor;

import dev.netwarden.socket.SocketState;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether a poll may stand on the last TCP dump instead of asking the kernel again.
 *
 * <p><b>Why.</b> A TCP dump walks the kernel's established hash table, which is machine-wide: its
 * 262,144 buckets here, and every socket of every other namespace, are visited whatever namespace
 * asks. On this loaded test machine that was 1.5-4 ms of kernel CPU per walk, most of an idle
 * daemon's poll, to learn nothing new.
 *
 * <p><b>When the last dump stands.</b> All of: it completed; it held listening sockets only, besides
 * TIME-WAIT mini-sockets (an established socket's counters and state move without any other sign,
 * and its flow should see them each poll; a mini-socket is no flow to the tracker, so standing rows
 * of one that has gone since change nothing); the namespace's count of TCP sockets in the kernel's tables ({@code inuse} of
 * {@code /proc/net/sockstat} and {@code sockstat6}, read before the dump and unchanged since, and
 * unchanged across the dump) is the same now; no destroy notification was handled since; and fewer
 * than {@code maxReuses} polls in a row stood on it. A socket that connects, listens or is accepted
 * raises {@code inuse}; one that goes away sends a destroy notification. What can slip through: a
 * listener closing while another socket appears, both within the few milliseconds the kernel takes
 * to send the listener's notification; the next poll after that notification dumps, and the
 * forced dump every {@code maxReuses + 1} polls bounds it anyway.
 *
 * <p>Not thread-safe: the poller's thread owns it.
 */
final class TcpDumpGate {
    private final int maxReuses;
    /** The last complete listener-only dump, or null when the next poll must dump. */
    private List<Sighting> standing;
    private long inUseAtDump;
    private long destroysAtDump;
    private int reuses;

    TcpDumpGate(int maxReuses) {
        if (maxReuses < 0) {
            throw new IllegalArgumentException("maxReuses is negative: " + maxReuses);
        }
        this.maxReuses = maxReuses;
    }

    /**
     * The last dump's rows when they still stand for now, else null (dump).
     *
     * @param inUseNow   the TCP inuse count now, -1 when unknown (then a dump is needed)
     * @param destroysNow destroy notifications handled so far
     */
    List<Sighting> standing(long inUseNow, long destroysNow) {
        if (standing == null || inUseNow < 0 || inUseNow != inUseAtDump || destroysNow != destroysAtDump
                || reuses >= maxReuses) {
            return null;
        }
        reuses++;
        return standing;
    }

    /**
     * A dump was made.
     *
     * @param rows          its TCP rows
     * @param complete      whether the kernel delivered all of it
     * @param inUseBefore   the inuse count read before the dump (-1 unknown)
     * @param inUseAfter    the inuse count read after it (-1 unknown)
     * @param destroysBefore destroy notifications handled before the dump
     * @param destroysAfter  destroy notifications handled after it
     */
    void dumped(List<Sighting> rows, boolean complete, long inUseBefore, long inUseAfter,
                long destroysBefore, long destroysAfter) {
        Objects.requireNonNull(rows, "rows is null");
        reuses = 0;
        inUseAtDump = inUseBefore;
        destroysAtDump = destroysBefore;
        boolean quiet = inUseBefore >= 0 && inUseBefore == inUseAfter && destroysBefore == destroysAfter;
        boolean listenersOnly = rows.stream().allMatch(s -> s.state() == SocketState.LISTEN || s.timeWait());
        standing = complete && quiet && listenersOnly ? List.copyOf(rows) : null;
    }

    /** Forgets the last dump: the next poll dumps (destroy notifications were lost). */
    void invalidate() {
        standing = null;
    }
}
