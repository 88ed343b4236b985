package dev.netwarden.monitor;

import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.socket.TcpInfo;

import java.util.Objects;

/**
 * One look at one socket, whatever showed it: the single input of {@link FlowTracker}.
 *
 * @param cookie   the kernel's socket cookie, 0 when unknown (the /proc tables have none)
 * @param inode    the socket inode that ties it to processes' fds; 0 when the socket has no file any
 *                 more (orphaned after close, or at its destroy notification)
 * @param uid      the socket's owner uid, -1 when unknown
 * @param counters bytes and packets so far; {@link Counters#UNKNOWN} where the kernel tells none
 * @param timeWait a TCP TIME-WAIT mini-socket ({@link SocketEntry#timeWait()}): what is left of a
 *                 connection whose socket the kernel already destroyed (and reported), not a flow, even
 *                 when its state reads FIN-WAIT-2
 */
public record Sighting(
        Transport transport,
        int family,
        InetEndpoint local,
        InetEndpoint remote,
        SocketState state,
        long cookie,
        long inode,
        int uid,
        Counters counters,
        SightingSource source,
        boolean timeWait) {

    public Sighting {
        Objects.requireNonNull(transport, "transport is null");
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(remote, "remote is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(counters, "counters is null");
        Objects.requireNonNull(source, "source is null");
    }

    /**
     * A sock_diag row as a sighting. TCP counters come from tcp_info: bytes out = tcpi_bytes_acked,
     * bytes in = tcpi_bytes_received, packets = segs_out/segs_in (the kernel counts SYN and FIN as one
     * byte of sequence space each, so a finished connection shows up to 2 bytes more each way, and
     * segments include pure ACKs). UDP and RAW rows carry no byte counts: {@link Counters#UNKNOWN}.
     *
     * @param transport the transport to record; ICMP for ping sockets read from /proc/net/icmp, which
     *                  the /proc parser returns as RAW rows
     */
    public static Sighting of(SocketEntry entry, Transport transport, SightingSource source) {
        Objects.requireNonNull(entry, "entry is null");
        TcpInfo info = entry.tcpInfo();
        Counters counters = info == null
                ? Counters.UNKNOWN
                : new Counters(info.bytesAcked(), info.bytesReceived(), info.segsOut(), info.segsIn());
        return new Sighting(transport, entry.family(), entry.local(), entry.remote(), entry.state(), entry.cookie(),
                entry.inode(), entry.uid(), counters, source, entry.timeWait());
    }

    /** The transport of a sock_diag row: TCP, UDP or RAW by its netid. */
    public static Transport transportOf(SocketEntry entry) {
        return switch (entry.netid()) {
            case TCP -> Transport.TCP;
            case UDP -> Transport.UDP;
            case RAW -> Transport.RAW;
            default -> throw new IllegalArgumentException("not an IP socket: " + entry.netid());
        };
    }

    /**
     * The state as stored in events: what ss shows ("ESTAB", "LISTEN", "UNCONN" …), except that a
     * closed TCP socket (the usual state of a destroy notification) is "CLOSE", not "UNCONN".
     */
    public String stateLabel() {
        return transport == Transport.TCP && state == SocketState.CLOSE ? "CLOSE" : state.label();
    }

    /** True when the remote end is the wildcard (an unconnected or listening socket). */
    public boolean remoteIsWildcard() {
        return remote.port() == 0 && remote.address().isAnyLocalAddress();
    }
}
