package dev.netwarden.socket;

import java.util.Objects;

/**
 * One socket as the kernel's sock_diag reports it.
 *
 * <p>IP sockets carry {@code local}/{@code remote} endpoints; UNIX sockets carry {@code unixPath}
 * (may be empty for unnamed ones; abstract names start with '@') and {@code unixPeerInode} instead,
 * with null endpoints. Fields the kernel did not report are null (objects) or 0.
 *
 * @param family        AF_INET (2), AF_INET6 (10) or AF_UNIX (1)
 * @param recvQ         bytes (TCP) or datagrams' bytes waiting to be read; for LISTEN, the accept queue
 * @param sendQ         bytes not yet acknowledged; for LISTEN, the accept backlog
 * @param uid           the socket's owner uid (the creator's), -1 when unknown (UNIX sockets)
 * @param inode         the socket inode, the key that ties it to the fds of processes
 * @param cookie        the kernel's unique socket cookie (0 for UNIX sockets)
 * @param interfaceIndex bound interface, 0 when none
 * @param tcpInfo       TCP internals when asked for (-i), else null
 * @param congestion    congestion control algorithm when asked for, else null
 * @param v6Only        IPV6_V6ONLY of an AF_INET6 socket as the kernel reports it (INET_DIAG_SKV6ONLY,
 *                      sent for LISTEN and CLOSE sockets only): false for a dual-stack socket that also
 *                      takes IPv4; null when not reported (other states, IPv4, UNIX, the /proc fallback).
 *                      Binding a specific IPv6 address sets it, so it matters for wildcard ({@code ::}) sockets.
 * @param timeWait      the row is a TCP TIME-WAIT mini-socket (the kernel's {@code inet_timewait_sock}, sock_diag
 *                      timer 3), not the connection's socket: the kernel made it when the socket entered
 *                      TIME-WAIT, or FIN-WAIT-2 after its program closed it, and destroyed the socket itself.
 *                      {@code state} is then its substate (TIME-WAIT or FIN-WAIT-2, as ss shows). It has no
 *                      inode, uid or tcp_info, and a cookie of its own unless the socket's was taken before.
 */
public record SocketEntry(
        Netid netid,
        int family,
        SocketState state,
        InetEndpoint local,
        InetEndpoint remote,
        String unixPath,
        long unixPeerInode,
        long recvQ,
        long sendQ,
        int uid,
        long inode,
        long cookie,
        int interfaceIndex,
        TcpInfo tcpInfo,
        String congestion,
        Boolean v6Only,
        boolean timeWait) {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public SocketEntry {
        Objects.requireNonNull(netid, "netid is null");
        Objects.requireNonNull(state, "state is null");
        if (netid.isUnix() != (family == AF_UNIX)) {
            throw new IllegalArgumentException("netid " + netid + " does not fit family " + family);
        }
        if (!netid.isUnix() && (local == null || remote == null)) {
            throw new IllegalArgumentException("an IP socket needs both endpoints");
        }
        if (v6Only != null && family != AF_INET6) {
            throw new IllegalArgumentException("v6Only is for AF_INET6 sockets, not family " + family);
        }
    }

    /** A socket that is not a TIME-WAIT mini-socket (every source but a sock_diag TCP row with timer 3). */
    public SocketEntry(Netid netid, int family, SocketState state, InetEndpoint local, InetEndpoint remote,
                       String unixPath, long unixPeerInode, long recvQ, long sendQ, int uid, long inode, long cookie,
                       int interfaceIndex, TcpInfo tcpInfo, String congestion, Boolean v6Only) {
        this(netid, family, state, local, remote, unixPath, unixPeerInode, recvQ, sendQ, uid, inode, cookie,
                interfaceIndex, tcpInfo, congestion, v6Only, false);
    }

    public boolean isIpv6() {
        return family == AF_INET6;
    }
}
