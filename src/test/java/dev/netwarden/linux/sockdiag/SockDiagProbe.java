package dev.netwarden.linux.sockdiag;

import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Test support: a main that runs SockDiag in whatever network namespace it was started in (the live
 * tests start it under {@code ip netns exec}) and prints what it sees, one tab-separated line per
 * socket, for the parent test to assert on.
 * <pre>
 *   dump                                  all kinds, every state
 *   lookup tcp|udp LADDR LPORT RADDR RPORT       (interface from LADDR's scope id, e.g. fe80::1%1)
 *   lookupif tcp|udp LADDR LPORT RADDR RPORT IFINDEX
 *   bench N                               N timed dumps of all TCP sockets (no tcp_info)
 *   benchlookup N LADDR LPORT RADDR RPORT  N timed exact TCP lookups
 * </pre>
 */
public final class SockDiagProbe {
    private SockDiagProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (SockDiag diag = SockDiag.open()) {
            switch (args[0]) {
                case "dump" -> {
                    for (SocketEntry e : diag.dump(SockDiagQuery.all().withTcpInfo(true))) {
                        System.out.println(line(e));
                    }
                }
                case "lookup" -> {
                    Netid netid = Netid.valueOf(args[1].toUpperCase());
                    InetEndpoint local = new InetEndpoint(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
                    InetEndpoint remote = new InetEndpoint(InetAddress.getByName(args[4]), Integer.parseInt(args[5]));
                    Optional<SocketEntry> found = diag.lookup(netid, local, remote);
                    System.out.println(found.map(e -> "found\t" + line(e)).orElse("empty"));
                }
                case "lookupif" -> {
                    Netid netid = Netid.valueOf(args[1].toUpperCase());
                    InetEndpoint local = new InetEndpoint(InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
                    InetEndpoint remote = new InetEndpoint(InetAddress.getByName(args[4]), Integer.parseInt(args[5]));
                    Optional<SocketEntry> found = diag.lookup(netid, local, remote, Integer.parseInt(args[6]));
                    System.out.println(found.map(e -> "found\t" + line(e)).orElse("empty"));
                }
                case "bench" -> bench(diag, Integer.parseInt(args[1]));
                case "benchlookup" -> benchLookup(diag, Integer.parseInt(args[1]),
                        new InetEndpoint(InetAddress.getByName(args[2]), Integer.parseInt(args[3])),
                        new InetEndpoint(InetAddress.getByName(args[4]), Integer.parseInt(args[5])));
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }

    private static void bench(SockDiag diag, int runs) throws Exception {
        SockDiagQuery query = SockDiagQuery.of(Netid.TCP);
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            long[] count = new long[1];
            long[] ports = new long[1];
            diag.dump(query, e -> {
                count[0]++;
                ports[0] += e.local().port();
            });
            long t1 = System.nanoTime();
            System.out.printf("run %d: %d sockets in %.1f ms (checksum %d)%n", i, count[0], (t1 - t0) / 1e6, ports[0]);
        }
        long t0 = System.nanoTime();
        List<SocketEntry> list = diag.dump(query);
        System.out.printf("list: %d sockets in %.1f ms%n", list.size(), (System.nanoTime() - t0) / 1e6);
    }

    private static void benchLookup(SockDiag diag, int n, InetEndpoint local, InetEndpoint remote) throws Exception {
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            int found = 0;
            for (int i = 0; i < n; i++) {
                if (diag.lookup(Netid.TCP, local, remote).isPresent()) {
                    found++;
                }
            }
            System.out.printf("lookup: %d calls, %d found, %.2f us/call%n", n, found, (System.nanoTime() - t0) / 1e3 / n);
        }
    }

    /** netid family state laddr lport raddr rport recvQ sendQ uid inode cookie ifindex path peer tcpinfo? cong */
    static String line(SocketEntry e) {
        String l = e.local() == null ? "-\t-" : e.local().address().getHostAddress() + "\t" + e.local().port();
        String r = e.remote() == null ? "-\t-" : e.remote().address().getHostAddress() + "\t" + e.remote().port();
        return String.join("\t", e.netid().name(), Integer.toString(e.family()), e.state().name(), l, r,
                Long.toString(e.recvQ()), Long.toString(e.sendQ()), Integer.toString(e.uid()), Long.toString(e.inode()),
                Long.toString(e.cookie()), Integer.toString(e.interfaceIndex()),
                e.unixPath() == null ? "-" : e.unixPath(), Long.toString(e.unixPeerInode()),
                e.tcpInfo() == null ? "-" : "rtt=" + e.tcpInfo().rttMicros() + ",mss=" + e.tcpInfo().sndMss(),
                e.congestion() == null ? "-" : e.congestion());
    }
}
