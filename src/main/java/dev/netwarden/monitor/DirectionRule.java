package dev.netwarden.monitor;

import dev.netwarden.flow.Direction;
import dev.netwarden.socket.SocketState;

/**
 * Which side opened a connection, from what a socket shows. Pure; the rules, in order:
 * <ul>
 * <li>TCP in LISTEN → LISTEN. UDP not connected to a remote (bound, "UNCONN") → LISTEN: it receives
 *     from anyone, even when a program uses it to send (passive cannot see to whom; intercept can).
 * <li>TCP whose local address and port have a listener (seen lately, on that address or a
 *     wildcard) → INBOUND, else OUTBOUND.
 * <li>A TCP socket seen only at its destroy notification with no such listener: OUTBOUND when its
 *     local port is in the ephemeral range (the kernel picked it for a connect), else UNKNOWN.
 * <li>Connected UDP → OUTBOUND. ICMP (ping sockets) → OUTBOUND: the kernel answers pings itself,
 *     a ping socket exists only to send echo requests. RAW: connected → OUTBOUND, else UNKNOWN.
 * </ul>
 */
final class DirectionRule {
    private DirectionRule() {
    }

    static Direction of(Sighting s, boolean localHasListener, boolean seenOnlyAtDestroy, EphemeralPorts ephemeral) {
        return switch (s.transport()) {
            case TCP -> {
                if (s.state() == SocketState.LISTEN) {
                    yield Direction.LISTEN;
                }
                if (localHasListener) {
                    yield Direction.INBOUND;
                }
                if (!seenOnlyAtDestroy) {
                    yield Direction.OUTBOUND;
                }
                yield ephemeral.contains(s.local().port()) ? Direction.OUTBOUND : Direction.UNKNOWN;
            }
            case UDP -> s.remoteIsWildcard() ? Direction.LISTEN : Direction.OUTBOUND;
            case ICMP -> Direction.OUTBOUND;
            case RAW -> s.remoteIsWildcard() ? Direction.UNKNOWN : Direction.OUTBOUND;
        };
    }
}
