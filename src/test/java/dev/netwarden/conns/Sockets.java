package dev.netwarden.conns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

/** Hand-built sockets and processes for tests. */
public final class Sockets {

    private Sockets() {
    }

    public static InetEndpoint ep(String literal, int port) {
        return new InetEndpoint(addr(literal), port);
    }

    public static SocketEntry tcp(SocketState state, String local, int lport, String remote, int rport) {
        return inet(Netid.TCP, state, local, lport, remote, rport);
    }

    public static SocketEntry inet(Netid netid, SocketState state, String local, int lport, String remote, int rport) {
        InetEndpoint l = ep(local, lport);
        int family = l.address().getAddress().length == 16 ? SocketEntry.AF_INET6 : SocketEntry.AF_INET;
        return new SocketEntry(netid, family, state, l, ep(remote, rport), null, 0, 0, 0, 1000, 4242, 7, 0, null, null, null);
    }

    public static SocketEntry withDevice(SocketEntry s, int ifindex) {
        return new SocketEntry(s.netid(), s.family(), s.state(), s.local(), s.remote(), s.unixPath(), s.unixPeerInode(),
                s.recvQ(), s.sendQ(), s.uid(), s.inode(), s.cookie(), ifindex, s.tcpInfo(), s.congestion(), s.v6Only());
    }

    /** {@code s} as the kernel reports it with INET_DIAG_SKV6ONLY: {@code v6Only} false for a dual-stack socket. */
    public static SocketEntry withV6Only(SocketEntry s, Boolean v6Only) {
        return new SocketEntry(s.netid(), s.family(), s.state(), s.local(), s.remote(), s.unixPath(), s.unixPeerInode(),
                s.recvQ(), s.sendQ(), s.uid(), s.inode(), s.cookie(), s.interfaceIndex(), s.tcpInfo(), s.congestion(), v6Only);
    }

    public static SocketEntry unix(SocketState state, String path, long inode, long peer) {
        return new SocketEntry(Netid.UNIX_STREAM, SocketEntry.AF_UNIX, state, null, null, path, peer, 0, 0, -1, inode, 0, 0,
                null, null, null);
    }

    public static ProcessInfo process(int pid, String comm, String user, String exe) {
        return new ProcessInfo(pid, 1, 0, user, comm, exe, false, List.of(exe == null ? "" : exe), 100L * pid, "/system.slice", null);
    }

    public static InetAddress addr(String literal) {
        try {
            if (literal.indexOf(':') >= 0) { // keep ::ffff:a.b.c.d an Inet6Address, as a v6 socket reports it
                byte[] b = InetAddress.ofLiteral(literal).getAddress();
                if (b.length == 4) {
                    byte[] m = new byte[16];
                    m[10] = (byte) 0xff;
                    m[11] = (byte) 0xff;
                    System.arraycopy(b, 0, m, 12, 4);
                    b = m;
                }
                return java.net.Inet6Address.getByAddress(null, b, -1);
            }
            return InetAddress.ofLiteral(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
