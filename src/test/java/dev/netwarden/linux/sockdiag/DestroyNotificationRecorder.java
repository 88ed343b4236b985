package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkSocket;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Records real sock_diag destroy notifications ("TYPE HEX-PAYLOAD" per line) into a fixture file, from a
 * test namespace where python3 makes a TCP connection over IPv4 and UDP sockets over IPv4 and IPv6.
 * Run by hand: {@code java ... DestroyNotificationRecorder OUT_FILE} as root.
 */
public final class DestroyNotificationRecorder {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        try (TestNamespace ns = TestNamespace.create("rec")) {
            NetlinkSocket socket = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
                NetlinkSocket s = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG, 300);
                for (int g = 1; g <= 4; g++) {
                    s.joinGroup(g);
                }
                return s;
            });
            try (socket) {
                ns.exec(20, "python3", "-c", """
                        import socket
                        l = socket.socket(); l.bind(('127.0.0.1', 7100)); l.listen()
                        c = socket.create_connection(('127.0.0.1', 7100)); a, _ = l.accept()
                        c.sendall(b'x' * 1000); a.recv(4096); a.sendall(b'y' * 200); c.recv(4096)
                        c.close(); a.close(); l.close()
                        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(('127.0.0.1', 7101)); u.send(b'z'); u.close()
                        v = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); v.bind(('::1', 7102)); v.close()
                        """);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    socket.receiveNotifications(m -> {
                        byte[] b = new byte[m.payloadLength()];
                        MemorySegment.copy(m.segment(), ValueLayout.JAVA_BYTE, m.payloadOffset(), b, 0, b.length);
                        lines.add(m.type() + " " + HexFormat.of().formatHex(b));
                    });
                }
                Files.write(out, lines);
                System.out.println(lines.size() + " notifications");
            }
        }
    }
}
