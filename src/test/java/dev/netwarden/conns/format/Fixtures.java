package dev.netwarden.conns.format;

import static dev.netwarden.conns.Sockets.process;
import static dev.netwarden.conns.Sockets.tcp;
import static dev.netwarden.conns.Sockets.unix;

import java.util.List;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.conns.Sockets;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.socket.TcpInfo;

/** A small listing with every case the formats must handle. */
final class Fixtures {

    static final ProcessInfo SSHD = process(812, "sshd", "root", "/usr/sbin/sshd");
    static final ProcessInfo NGINX_1 = process(900, "nginx", "www-data", "/usr/sbin/nginx");
    static final ProcessInfo NGINX_2 = process(901, "nginx", "www-data", "/usr/sbin/nginx");
    static final ProcessInfo EVIL = new ProcessInfo(666, 1, 1000, "mallory", "\u001b[31mevil\u202e",
            "/tmp/=cmd|x,\"y\"", true, List.of("=HYPERLINK(\"http://x\")", "a,b"), 42, "/user.slice", null);

    static List<Connection> listing() {
        SocketEntry listen = tcp(SocketState.LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);
        SocketEntry est = new SocketEntry(Netid.TCP, SocketEntry.AF_INET6, SocketState.ESTABLISHED,
                Sockets.ep("::1", 22), Sockets.ep("fe80::1", 51000), null, 0, 0, 36, 0, 12345, 0x1f, 2,
                new TcpInfo(1, 0, 3, 20500, 250, 1448, 536, 10, 4096, 8192, 12, 14, 100, 200), "cubic", null);
        // nginx's "listen [::]:80 ipv6only=off": one socket for IPv4 and IPv6, as ss shows *:80.
        SocketEntry web = Sockets.withV6Only(tcp(SocketState.LISTEN, "::", 80, "::", 0), false);
        SocketEntry orphan = tcp(SocketState.TIME_WAIT, "10.0.0.5", 40000, "93.184.216.34", 443);
        SocketEntry u = unix(SocketState.ESTABLISHED, "/run/evil\u001b]0;pwned\u0007.sock", 1587, 1586);
        return List.of(
                new Connection(listen, List.of(new Owner(SSHD, 3))),
                new Connection(est, List.of(new Owner(SSHD, 4))),
                new Connection(web, List.of(new Owner(NGINX_1, 6), new Owner(NGINX_2, 6), new Owner(EVIL, 9))),
                new Connection(orphan, List.of()),
                new Connection(u, List.of(new Owner(EVIL, 5))));
    }

    private Fixtures() {
    }
}
