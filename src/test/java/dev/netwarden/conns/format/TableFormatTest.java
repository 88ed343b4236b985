package dev.netwarden.conns.format;

import static dev.netwarden.conns.Sockets.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Protocols;
import dev.netwarden.conns.Services;
import dev.netwarden.conns.Sockets;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

class TableFormatTest {

    static String render(TableFormat.Options options, List<Connection> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TableFormat(Services.builtin(), Protocols.builtin(), options).write(rows, List.of(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void numericWithoutProcessesLooksLikeSsTan() throws IOException {
        String table = render(new TableFormat.Options(true, false, false, false, null, true, null),
                Fixtures.listing().subList(0, 4));
        assertThat(table).isEqualTo("""
                State     Recv-Q Send-Q Local Address:Port   Peer Address:Port
                LISTEN    0      0            0.0.0.0:22          0.0.0.0:*
                ESTAB     0      36           [::1]%2:22        [fe80::1]:51000
                LISTEN    0      0                  *:80                *:*
                TIME-WAIT 0      0           10.0.0.5:40000 93.184.216.34:443
                """);
    }

    @Test
    void everythingOnMixedKindsWithHolders() throws IOException {
        String table = render(new TableFormat.Options(false, true, true, true, null, true,
                i -> i == 2 ? "eth0" : null), Fixtures.listing());
        assertThat(table).isEqualTo("""
                Netid State     Recv-Q Send-Q                  Local Address:Port   Peer Address:Port  UID  Inode Cookie Process            PID     User     Exe
                tcp   LISTEN    0      0                             0.0.0.0:ssh         0.0.0.0:*     1000 4242  7      sshd               812     root     /usr/sbin/sshd
                tcp   ESTAB     0      36                         [::1]%eth0:ssh       [fe80::1]:51000 0    12345 1f     sshd               812     root     /usr/sbin/sshd
                \t cubic rtt:20.5/0.25 mss:1448 rcvmss:536 cwnd:10 bytes_acked:4096 bytes_received:8192 segs_out:12 segs_in:14 retrans:0/3 lastsnd:100 lastrcv:200
                tcp   LISTEN    0      0                                   *:http              *:*     1000 4242  7      nginx              900,901 www-data /usr/sbin/nginx
                                                                                                                         \\x1b[31mevil\\u202e 666     mallory  /tmp/=cmd|x,"y" (deleted)
                tcp   TIME-WAIT 0      0                            10.0.0.5:40000 93.184.216.34:https 1000 4242  7
                u_str ESTAB     0      0      /run/evil\\x1b]0;pwned\\x07.sock 1587              * 1586       1587         \\x1b[31mevil\\u202e 666     mallory  /tmp/=cmd|x,"y" (deleted)
                """);
        assertThat(table).doesNotContain("\u001b", "\u202e", "\u0007");
    }

    /** The first pass fed row by row on another thread (as conns does while joining) prints the same table. */
    @Test
    void widthsMeasuredAheadOnAnotherThreadGiveTheSameTable() throws Exception {
        for (TableFormat.Options options : List.of(
                new TableFormat.Options(false, true, true, true, null, true, i -> i == 2 ? "eth0" : null),
                new TableFormat.Options(true, false, false, false, null, true, null))) {
            for (List<Connection> rows : List.of(Fixtures.listing(), Fixtures.listing().subList(0, 4), List.<Connection>of())) {
                TableFormat table = new TableFormat(Services.builtin(), Protocols.builtin(), options);
                TableFormat.Widths widths = table.widths();
                Thread feeder = Thread.ofPlatform().start(() -> rows.forEach(widths));
                feeder.join();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                table.write(rows, List.of(), out, widths);
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(render(options, rows));
            }
        }
    }

    @Test
    void headerCanBeTurnedOffAndEmptyListingIsJustTheHeader() throws IOException {
        assertThat(render(new TableFormat.Options(true, false, false, false, null, false, null), List.of())).isEmpty();
        assertThat(render(TableFormat.Options.defaults(), List.of()))
                .isEqualTo("State Recv-Q Send-Q Local Address:Port Peer Address:Port\n");
    }

    @Test
    void manyHoldersOfOneProgramAreCapped() throws IOException {
        List<dev.netwarden.conns.Owner> owners = new java.util.ArrayList<>();
        for (int pid = 100; pid < 112; pid++) {
            owners.add(new dev.netwarden.conns.Owner(dev.netwarden.conns.Sockets.process(pid, "php-fpm", "www", "/usr/sbin/php-fpm"), 3));
        }
        Connection c = new Connection(Fixtures.listing().getFirst().socket(), owners);
        String table = render(new TableFormat.Options(true, true, false, false, false, false, null), List.of(c));
        assertThat(table).isEqualTo("LISTEN 0 0 0.0.0.0:22 0.0.0.0:* php-fpm 100,101,102,103,104,105,106,107,+4 www /usr/sbin/php-fpm\n");
    }

    @Test
    void ipv6WildcardIsAStarUnlessTheKernelSaysV6Only() throws IOException {
        SocketEntry dual = Sockets.withV6Only(tcp(SocketState.LISTEN, "::", 443, "::", 0), false);
        SocketEntry v6only = Sockets.withV6Only(tcp(SocketState.LISTEN, "::", 8443, "::", 0), true);
        SocketEntry unreported = tcp(SocketState.LISTEN, "::", 8080, "::", 0);
        SocketEntry loopback6 = Sockets.withV6Only(tcp(SocketState.LISTEN, "::1", 22, "::", 0), true);
        SocketEntry boundDual = Sockets.withDevice(
                Sockets.withV6Only(Sockets.inet(Netid.UDP, SocketState.CLOSE, "::", 53, "::", 0), false), 2);
        SocketEntry any4 = tcp(SocketState.LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
        String table = render(new TableFormat.Options(true, false, false, false, false, true, i -> "eth0"),
                rows(dual, v6only, unreported, loopback6, boundDual, any4));
        // What ss -tuln prints for the same sockets (v6only unreported counts as dual-stack there too).
        assertThat(table).isEqualTo("""
                State  Recv-Q Send-Q Local Address:Port Peer Address:Port
                LISTEN 0      0                  *:443             *:*
                LISTEN 0      0               [::]:8443         [::]:*
                LISTEN 0      0                  *:8080            *:*
                LISTEN 0      0              [::1]:22           [::]:*
                UNCONN 0      0             *%eth0:53              *:*
                LISTEN 0      0            0.0.0.0:80        0.0.0.0:*
                """);
    }

    @Test
    void rawSocketsAreNamedByProtocolLikeSs() throws IOException {
        SocketEntry icmp = Sockets.inet(Netid.RAW, SocketState.CLOSE, "0.0.0.0", 1, "0.0.0.0", 0);
        SocketEntry icmp6 = Sockets.withV6Only(Sockets.inet(Netid.RAW, SocketState.CLOSE, "::", 58, "::", 0), false);
        SocketEntry unnamed = Sockets.inet(Netid.RAW, SocketState.CLOSE, "0.0.0.0", 253, "0.0.0.0", 0);
        SocketEntry tcpRaw = Sockets.inet(Netid.RAW, SocketState.CLOSE, "127.0.0.1", 6, "0.0.0.0", 0);
        List<Connection> raw = rows(icmp, icmp6, unnamed, tcpRaw);
        assertThat(render(new TableFormat.Options(false, false, false, false, false, true, null), raw)).isEqualTo("""
                State  Recv-Q Send-Q Local Address:Port        Peer Address:Port
                UNCONN 0      0            0.0.0.0:icmp             0.0.0.0:*
                UNCONN 0      0                  *:ipv6-icmp              *:*
                UNCONN 0      0            0.0.0.0:ipproto-253      0.0.0.0:*
                UNCONN 0      0          127.0.0.1:tcp              0.0.0.0:*
                """);
        assertThat(render(new TableFormat.Options(true, false, false, false, false, true, null), raw)).isEqualTo("""
                State  Recv-Q Send-Q Local Address:Port Peer Address:Port
                UNCONN 0      0            0.0.0.0:1         0.0.0.0:*
                UNCONN 0      0                  *:58              *:*
                UNCONN 0      0            0.0.0.0:253       0.0.0.0:*
                UNCONN 0      0          127.0.0.1:6         0.0.0.0:*
                """);
    }

    @Test
    void wideAndCombiningCharactersKeepTheColumnsAligned() throws IOException {
        // 服务器 is 3 chars and 6 cells; e\u0301e\u0301 ("éé" decomposed) is 4 chars and 2 cells; Ｎ is fullwidth.
        String[] names = {"服务器", "e\u0301e\u0301", "nginx", "Ｎｇ"};
        List<Connection> conns = new java.util.ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            SocketEntry s = tcp(SocketState.LISTEN, "0.0.0.0", 7000 + i, "0.0.0.0", 0);
            conns.add(new Connection(s, List.of(new dev.netwarden.conns.Owner(
                    dev.netwarden.conns.Sockets.process(100 + i, names[i], "u" + i, "/x/" + names[i]), 3))));
        }
        String table = render(new TableFormat.Options(true, true, false, false, false, true, null), conns);
        String[] lines = table.split("\n");
        assertThat(lines).hasSize(5);
        // The PID column starts in the same terminal cell on every line, whatever the width of the name before it.
        int pidCell = cellsBefore(lines[0], lines[0].indexOf("PID"));
        for (int i = 0; i < names.length; i++) {
            String line = lines[i + 1];
            assertThat(cellsBefore(line, line.indexOf(" " + (100 + i) + " ") + 1)).as(line).isEqualTo(pidCell);
            assertThat(cellsBefore(line, line.indexOf(" u" + i + " ") + 1)).as(line)
                    .isEqualTo(cellsBefore(lines[0], lines[0].indexOf("User")));
        }
        // The column is 7 cells ("Process"): 服务器 (6 cells) gets 1 space of padding, e\u0301e\u0301 (2 cells) 5.
        assertThat(lines[1]).contains("服务器  100");
        assertThat(lines[2]).contains("e\u0301e\u0301      101");
    }

    /** Terminal cells taken by {@code line}'s first {@code end} chars. */
    private static int cellsBefore(String line, int end) {
        assertThat(end).isPositive();
        return DisplayWidth.of(line.substring(0, end));
    }

    private static List<Connection> rows(SocketEntry... sockets) {
        return java.util.Arrays.stream(sockets).map(s -> new Connection(s, List.of())).toList();
    }

    @Test
    void millisecondsLikeSs() {
        StringBuilder sb = new StringBuilder();
        TableFormat.appendMillis(sb, 0);
        sb.append(' ');
        TableFormat.appendMillis(sb, 34);
        sb.append(' ');
        TableFormat.appendMillis(sb, 1500);
        sb.append(' ');
        TableFormat.appendMillis(sb, 123456);
        assertThat(sb).hasToString("0 0.034 1.5 123.456");
    }
}
