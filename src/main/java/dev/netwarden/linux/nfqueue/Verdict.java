package dev.netwarden.linux.nfqueue;

/**
 * What happens to a queued packet.
 *
 * <ul>
 *   <li>{@link #ACCEPT}: the packet continues (NF_ACCEPT).
 *   <li>{@link #DROP}: the packet is discarded silently (NF_DROP); a TCP client retries its SYN and
 *       finally times out.
 *   <li>{@link #REJECT}: the sender should be told at once (TCP RST / ICMP unreachable). A queue verdict
 *       cannot do that by itself, so REJECT is sent as NF_ACCEPT with the packet mark set to the
 *       configured {@link NfQueueConfig#rejectMark() reject mark}; a later iptables rule in the filter
 *       table ({@code -m mark --mark M/M -j REJECT}), installed by the firewall, turns it into a reject.
 *       Until such a mark is configured (reject mark 0), REJECT is sent as DROP: a packet the handler
 *       wanted refused is never let through.
 * </ul>
 */
public enum Verdict {
    ACCEPT,
    DROP,
    REJECT
}
