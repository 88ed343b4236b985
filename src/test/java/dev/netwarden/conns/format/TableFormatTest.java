package dev.netwarden.conns.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Services;

class TableFormatTest {

    static String render(TableFormat.Options options, List<Connection> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TableFormat(Services.builtin(), options).write(rows, List.of(), out);
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
                LISTEN    0      0               [::]:80             [::]:*
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
                tcp   LISTEN    0      0                                [::]:http           [::]:*     1000 4242  7      nginx              900,901 www-data /usr/sbin/nginx
                                                                                                                         \\x1b[31mevil\\u202e 666     mallory  /tmp/=cmd|x,"y" (deleted)
                tcp   TIME-WAIT 0      0                            10.0.0.5:40000 93.184.216.34:https 1000 4242  7
                u_str ESTAB     0      0      /run/evil\\x1b]0;pwned\\x07.sock 1587              * 1586       1587         \\x1b[31mevil\\u202e 666     mallory  /tmp/=cmd|x,"y" (deleted)
                """);
        assertThat(table).doesNotContain("\u001b", "\u202e", "\u0007");
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
