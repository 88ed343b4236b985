package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.UserNames;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DescribedConnectionTest {
    private static final UserNames USERS = UserNames.parse(
            "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n".getBytes(StandardCharsets.UTF_8));

    private static DescribedConnection outbound(String remote, int port, String user, String exe, String host) {
        return new DescribedConnection(Transport.TCP, Direction.OUTBOUND, InetAddress.ofLiteral(remote), port, user, exe,
                null, null, null, List.of(), -1, -1, host, null);
    }

    @Test
    void anOutboundConnectionHasTheRemotePortAndAnAnyLocalAddressOfItsFamily() {
        ConnectionFacts v4 = outbound("192.0.2.7", 443, null, null, " a.example ").facts(USERS);
        assertThat(v4.family()).isEqualTo(2);
        assertThat(v4.remote().port()).isEqualTo(443);
        assertThat(v4.local().port()).isZero();
        assertThat(v4.local().address()).isEqualTo(InetAddress.ofLiteral("0.0.0.0"));
        assertThat(v4.domain()).isEqualTo("a.example");
        assertThat(v4.process()).as("no process field: unattributed").isNull();
        assertThat(v4.uid()).isEqualTo(-1);

        ConnectionFacts v6 = outbound("2001:db8::1", 53, null, null, "  ").facts(USERS);
        assertThat(v6.family()).isEqualTo(10);
        assertThat(v6.local().address()).isEqualTo(InetAddress.ofLiteral("::"));
        assertThat(v6.domain()).as("a blank host is unknown").isNull();
    }

    @Test
    void anInboundConnectionHasTheLocalPort() {
        ConnectionFacts in = new DescribedConnection(Transport.UDP, Direction.INBOUND, InetAddress.ofLiteral("0.0.0.0"), 5353,
                null, null, null, null, null, null, -1, -1, null, "eth0").facts(USERS);
        assertThat(in.local().port()).isEqualTo(5353);
        assertThat(in.remote().port()).isZero();
        assertThat(in.interfaceName()).isEqualTo("eth0");
    }

    @Test
    void aUserIsResolvedByNameOrByUid() {
        ConnectionFacts byName = outbound("0.0.0.0", 0, "alice", null, null).facts(USERS);
        assertThat(byName.uid()).isEqualTo(1000);
        assertThat(byName.process().info().user()).isEqualTo("alice");
        ConnectionFacts byUid = outbound("0.0.0.0", 0, "0", null, null).facts(USERS);
        assertThat(byUid.uid()).isZero();
        assertThat(byUid.process().info().user()).isEqualTo("root");
        ConnectionFacts unknown = outbound("0.0.0.0", 0, "mallory", null, null).facts(USERS);
        assertThat(unknown.uid()).isEqualTo(-1);
        assertThat(unknown.process().info().user()).isEqualTo("mallory");
    }

    @Test
    void theProcessDefaultsToTheExecutablesNameAndCommandLine() {
        ConnectionFacts f = new DescribedConnection(Transport.TCP, Direction.OUTBOUND, InetAddress.ofLiteral("0.0.0.0"), 0,
                null, "/usr/bin/curl", null, null, "ab12", List.of("/usr/bin/bash", "/usr/lib/systemd/systemd"), -1, -1,
                null, null).facts(USERS);
        assertThat(f.process().info().comm()).isEqualTo("curl");
        assertThat(f.process().info().cmdline()).containsExactly("/usr/bin/curl");
        assertThat(f.process().sha256()).isEqualTo("ab12");
        assertThat(f.process().parents()).extracting(p -> p.comm() + "=" + p.exe()).containsExactly("bash=/usr/bin/bash",
                "systemd=/usr/lib/systemd/systemd");

        ConnectionFacts named = new DescribedConnection(Transport.TCP, Direction.OUTBOUND, InetAddress.ofLiteral("0.0.0.0"), 0,
                null, "/usr/bin/python3", "myscript", "python3 -m http.server", null, null, 4242, 99, null, null).facts(USERS);
        assertThat(named.process().info().comm()).isEqualTo("myscript");
        assertThat(named.process().info().cmdline()).containsExactly("python3", "-m", "http.server");
        assertThat(named.process().info().pid()).isEqualTo(4242);
        assertThat(named.process().info().startTicks()).isEqualTo(99);
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> outbound("0.0.0.0", 65536, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbound("0.0.0.0", -1, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
