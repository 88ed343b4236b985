package dev.netwarden.conns.format;

import static dev.netwarden.conns.Sockets.process;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.conns.Protocols;
import dev.netwarden.conns.Services;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

/**
 * A rough timing of the three formats over 100k rows, to a null stream through a buffer. Not a test (no
 * assertions, not run by surefire): run with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.netwarden.conns.format.FormatSpeedCheck}.
 */
public final class FormatSpeedCheck {

    public static void main(String[] args) throws IOException {
        List<Connection> rows = rows(100_000);
        Services services = Services.load(Services.ETC_SERVICES);
        ConnectionsOutput[] outputs = {
                new TableFormat(services, Protocols.builtin(), new TableFormat.Options(false, true, false, false, null, true, null)),
                new JsonFormat(services, Protocols.builtin(), null),
                new CsvFormat(),
        };
        for (ConnectionsOutput o : outputs) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                long t0 = System.nanoTime();
                OutputStream out = new BufferedOutputStream(OutputStream.nullOutputStream(), 1 << 16);
                o.write(rows, List.of(), out);
                out.flush();
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("%-12s 100k rows: best of 8 = %.1f ms%n", o.getClass().getSimpleName(), best / 1e6);
        }
    }

    static List<Connection> rows(int n) throws IOException {
        List<Connection> rows = new ArrayList<>(n);
        var nginx = process(900, "nginx", "www-data", "/usr/sbin/nginx");
        for (int i = 0; i < n; i++) {
            boolean v6 = i % 3 == 0;
            InetAddress local = v6 ? InetAddress.getByAddress(new byte[] {0x20, 1, 0xd, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                    : InetAddress.getByAddress(new byte[] {10, 0, 0, 5});
            InetAddress peer = v6 ? InetAddress.getByAddress(new byte[] {0x20, 1, 0xd, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (i >> 8), (byte) i})
                    : InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, (byte) (i >> 8), (byte) i});
            SocketEntry s = new SocketEntry(Netid.TCP, v6 ? SocketEntry.AF_INET6 : SocketEntry.AF_INET,
                    SocketState.ESTABLISHED, new InetEndpoint(local, 443), new InetEndpoint(peer, 1024 + i % 60000),
                    null, 0, i % 7, i % 13, 33, 100_000 + i, 5_000_000L + i, 0, null, null, null);
            rows.add(new Connection(s, List.of(new Owner(nginx, 6 + i % 100))));
        }
        return rows;
    }
}
