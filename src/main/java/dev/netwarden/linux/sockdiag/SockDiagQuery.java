package dev.netwarden.linux.sockdiag;

import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketState;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to ask sock_diag for. The state mask goes to the kernel (idiag_states / udiag_states), so
 * sockets in other states are never sent, let alone parsed.
 *
 * @param kinds     socket kinds to dump (TCP, UDP, RAW, UNIX_*)
 * @param ipv4      include AF_INET sockets (TCP/UDP/RAW)
 * @param ipv6      include AF_INET6 sockets (TCP/UDP/RAW)
 * @param stateMask OR of {@link SocketState#maskBit()}; {@link #ALL_STATES} for every state
 * @param tcpInfo   ask for tcp_info and the congestion algorithm (TCP only; costs ~3x the reply bytes)
 */
public record SockDiagQuery(Set<Netid> kinds, boolean ipv4, boolean ipv6, int stateMask, boolean tcpInfo) {
    public static final int ALL_STATES = -1;

    public SockDiagQuery {
        Objects.requireNonNull(kinds, "kinds is null");
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** The given kinds, both families, every state, no tcp_info. */
    public static SockDiagQuery of(Netid... kinds) {
        return new SockDiagQuery(kinds.length == 0 ? Set.of() : EnumSet.of(kinds[0], kinds), true, true, ALL_STATES, false);
    }

    /** Every kind netwarden knows. */
    public static SockDiagQuery all() {
        return new SockDiagQuery(EnumSet.allOf(Netid.class), true, true, ALL_STATES, false);
    }

    /** A mask of the given states. */
    public static int maskOf(SocketState... states) {
        int mask = 0;
        for (SocketState s : states) {
            mask |= s.maskBit();
        }
        return mask;
    }

    public SockDiagQuery withStates(SocketState... states) {
        return new SockDiagQuery(kinds, ipv4, ipv6, maskOf(states), tcpInfo);
    }

    public SockDiagQuery withStateMask(int mask) {
        return new SockDiagQuery(kinds, ipv4, ipv6, mask, tcpInfo);
    }

    public SockDiagQuery withTcpInfo(boolean on) {
        return new SockDiagQuery(kinds, ipv4, ipv6, stateMask, on);
    }

    public SockDiagQuery withFamilies(boolean v4, boolean v6) {
        return new SockDiagQuery(kinds, v4, v6, stateMask, tcpInfo);
    }

    public boolean includes(Netid kind) {
        return kinds.contains(kind);
    }
}
