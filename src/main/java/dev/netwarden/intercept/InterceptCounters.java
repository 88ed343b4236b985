package dev.netwarden.intercept;

/**
 * What the intercept loop has done since it started: a snapshot.
 *
 * @param queued         packets received from the queue
 * @param accepted       ACCEPT verdicts sent
 * @param dropped        DROP verdicts sent (including REJECT sent as DROP and failures under CLOSED)
 * @param rejected       REJECT verdicts sent
 * @param handlerErrors  handler exceptions or null answers (each replaced by the fail policy's verdict)
 * @param malformed      queued messages that did not parse (no verdict possible; the kernel drops
 *                       them when the queue closes)
 * @param overruns       socket-buffer overflows: packets we never saw, decided by the kernel per fail policy
 * @param verdictErrors  verdicts the kernel refused
 * @param held           packets held right now (waiting for a late verdict, e.g. a prompt)
 * @param holds          packets ever held
 * @param holdsRefused   HOLD answers refused because {@link InterceptLoop#maxHeld()} packets were held (dropped)
 * @param lateVerdicts   late verdicts sent for held packets
 * @param lateUnknown    late verdicts ignored: their packet was not held (answered twice, or released)
 */
public record InterceptCounters(long queued, long accepted, long dropped, long rejected, long handlerErrors,
                                long malformed, long overruns, long verdictErrors, int held, long holds,
                                long holdsRefused, long lateVerdicts, long lateUnknown) {
    /** Nothing done yet: the start of a sum. */
    public static final InterceptCounters ZERO = new InterceptCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Both loops' counters added up: what several loops (one per queue) did together. */
    public InterceptCounters plus(InterceptCounters o) {
        return new InterceptCounters(queued + o.queued, accepted + o.accepted, dropped + o.dropped, rejected + o.rejected,
                handlerErrors + o.handlerErrors, malformed + o.malformed, overruns + o.overruns, verdictErrors + o.verdictErrors,
                held + o.held, holds + o.holds, holdsRefused + o.holdsRefused, lateVerdicts + o.lateVerdicts,
                lateUnknown + o.lateUnknown);
    }
}
