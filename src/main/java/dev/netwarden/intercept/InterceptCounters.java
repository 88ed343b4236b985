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
 */
public record InterceptCounters(long queued, long accepted, long dropped, long rejected, long handlerErrors,
                                long malformed, long overruns, long verdictErrors) {
}
