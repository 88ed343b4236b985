package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one-walk TCP dump ({@link InetDiagRequest#TCPDIAG_GETSOCK}, both families) against the kernel: in a
 * test namespace holding an IPv4 and an IPv6 listener and one established pair of each family, it
 * returns exactly the sockets the two per-family dumps return, with their tcp_info. Needs root.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpBothFamiliesDumpTest {
    private static final int STATES = ~SockDiagQuery.maskOf(SocketState.TIME_WAIT, SocketState.NEW_SYN_RECV, SocketState.CLOSE);

    @Test
    void oneDumpOfBothFamiliesEqualsTheTwoPerFamilyDumps() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates a network namespace");
        try (TestNamespace ns = TestNamespace.create("tcpboth")) {
            List<Set<String>> dumps = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
                // INET explicitly: the JDK's default channels are IPv6 sockets even on an IPv4 address
                try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                     ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)
                             .bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
                     SocketChannel c4 = SocketChannel.open(StandardProtocolFamily.INET);
                     SocketChannel a4 = connect(c4, v4);
                     SocketChannel c6 = SocketChannel.open(StandardProtocolFamily.INET6);
                     SocketChannel a6 = connect(c6, v6);
                     SockDiag sd = SockDiag.open()) {
                    SockDiagQuery tcp = SockDiagQuery.of(Netid.TCP).withStateMask(STATES).withTcpInfo(true);
                    List<SocketEntry> both = new java.util.ArrayList<>();
                    sd.dumpInKernelOrder(tcp, both::add);
                    List<SocketEntry> ordered = sd.dump(tcp);
                    assertThat(ordered.subList(0, 3)).as("dump(): IPv4 first").allMatch(e -> e.family() == 2);
                    List<SocketEntry> v4only = sd.dump(tcp.withFamilies(true, false));
                    List<SocketEntry> v6only = sd.dump(tcp.withFamilies(false, true));
                    assertThat(sd.dumpsTcpInOneRequest()).as("the kernel took the legacy request").isTrue();
                    assertThat(both).allSatisfy(e -> assertThat(e.tcpInfo()).as("tcp_info of %s", e).isNotNull());
                    return List.of(keys(both), keys(v4only), keys(v6only));
                }
            });
            Set<String> both = dumps.get(0);
            assertThat(dumps.get(1)).hasSize(3).allMatch(k -> k.startsWith("2 "));
            assertThat(dumps.get(2)).hasSize(3).allMatch(k -> k.startsWith("10 "));
            assertThat(both).hasSize(6).containsAll(dumps.get(1)).containsAll(dumps.get(2));
        }
    }

    private static SocketChannel connect(SocketChannel client, ServerSocketChannel server) throws java.io.IOException {
        client.connect(server.getLocalAddress());
        return server.accept();
    }

    private static Set<String> keys(List<SocketEntry> entries) {
        return entries.stream()
                .map(e -> e.family() + " " + e.state() + " " + e.local() + " " + e.remote() + " " + e.cookie())
                .collect(Collectors.toSet());
    }
}
