package dev.netwarden.firewall;

import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.linux.sockdiag.SockDiagQuery;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the established connections of an executable to a destination with sock_diag SOCK_DESTROY
 * (the kernel aborts the socket: the peer gets a TCP reset, the program's next call fails). Used when
 * a deny decision is made, so a denied app does not keep a connection it opened earlier.
 *
 * <p>How: dump the connected TCP and UDP sockets of this network namespace, keep those to the
 * destination, find their owners through /proc (a fresh socket-holder scan: kills are rare, and the
 * answer must be current), and destroy those held by a process running {@code exe}. A socket shared
 * with a process running something else is left alone only if no holder runs {@code exe}.
 */
public final class ConnectionKiller implements EstablishedKiller {
    private static final Logger LOG = Logger.getLogger("netwarden.firewall");
    private static final int CONNECTED = SockDiagQuery.maskOf(SocketState.ESTABLISHED, SocketState.SYN_SENT,
            SocketState.SYN_RECV, SocketState.CLOSE_WAIT, SocketState.FIN_WAIT1, SocketState.FIN_WAIT2);

    private final ProcessTable processes = new ProcessTable();

    @Override
    public int kill(String exe, InetAddress address, int port) {
        try {
            return killOrThrow(exe, address, port);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot end established connections: " + e.getMessage(), e);
            return 0;
        }
    }

    /** As {@link #kill}, failing with the cause. */
    public synchronized int killOrThrow(String exe, InetAddress address, int port) throws IOException {
        try (SockDiag diag = SockDiag.open()) {
            List<SocketEntry> candidates = new ArrayList<>();
            diag.dump(SockDiagQuery.of(Netid.TCP).withStateMask(CONNECTED), e -> {
                if (matches(e, address, port)) {
                    candidates.add(e);
                }
            });
            diag.dump(SockDiagQuery.of(Netid.UDP).withStateMask(SockDiagQuery.maskOf(SocketState.ESTABLISHED)), e -> {
                if (e.remote().port() != 0 && matches(e, address, port)) {
                    candidates.add(e);
                }
            });
            if (candidates.isEmpty()) {
                return 0;
            }
            SocketHolderIndex holders = new SocketHolderIndex();
            holders.refresh();
            int destroyed = 0;
            for (SocketEntry e : candidates) {
                if (exe != null && !heldBy(holders.holders(e.inode()), exe)) {
                    continue;
                }
                if (diag.destroy(e)) {
                    destroyed++;
                    LOG.info(() -> "ended " + e.netid() + " " + e.local() + " -> " + e.remote() + " (denied)");
                }
            }
            return destroyed;
        }
    }

    /**
     * Ends the one TCP connection with exactly these endpoints (the web UI's "kill this connection").
     * Returns false when the kernel has no such connection (it ended meanwhile).
     */
    public synchronized boolean killOne(InetEndpoint local, InetEndpoint remote) throws IOException {
        try (SockDiag diag = SockDiag.open()) {
            Optional<SocketEntry> e = diag.lookup(Netid.TCP, local, remote);
            if (e.isEmpty() || e.get().remote().port() == 0) {
                return false; // none, or only a listener answered the lookup
            }
            boolean destroyed = diag.destroy(e.get());
            if (destroyed) {
                LOG.info(() -> "ended TCP " + local + " -> " + remote + " (asked through the web UI)");
            }
            return destroyed;
        }
    }

    private static boolean matches(SocketEntry e, InetAddress address, int port) {
        if (port != 0 && e.remote().port() != port) {
            return false;
        }
        return address == null || sameAddress(e.remote().address(), address);
    }

    /** Equal, or the same IPv4 address once as ::ffff:a.b.c.d (dual-stack sockets). */
    static boolean sameAddress(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length == y.length) {
            return java.util.Arrays.equals(x, y);
        }
        byte[] v6 = x.length == 16 ? x : y;
        byte[] v4 = x.length == 4 ? x : y;
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff && v6[12] == v4[0] && v6[13] == v4[1]
                && v6[14] == v4[2] && v6[15] == v4[3];
    }

    private boolean heldBy(List<SocketHolder> holders, String exe) {
        for (SocketHolder h : holders) {
            Optional<ProcessInfo> p = processes.readFresh(h.pid());
            if (p.isPresent() && exe.equals(p.get().exe())) {
                return true;
            }
        }
        return false;
    }
}
