package dev.netwarden.intercept;

/**
 * What happens to a new connection when netwarden cannot decide about it: the daemon is not running
 * (nobody bound to the queue), the queue or socket buffer is full, or the handler failed.
 *
 * <ul>
 *   <li>{@link #OPEN}: the packet is accepted unseen. Rules carry {@code --queue-bypass}, the queue is
 *       bound with NFQA_CFG_F_FAIL_OPEN, a handler exception is counted and accepted. Monitoring
 *       may miss connections under overload; nothing breaks.
 *   <li>{@link #CLOSED}: the packet is dropped. No bypass, no fail-open flag, a handler exception is
 *       counted and dropped. A stopped or overloaded daemon blocks new connections — the only safe
 *       choice once verdicts enforce a firewall.
 * </ul>
 */
public enum FailPolicy {
    OPEN,
    CLOSED
}
