package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Parses the real kernel replies recorded by {@link SockDiagRecorder} (see fixtures/recording.properties). */
class RecordedRepliesTest {
    private final Properties rec = Fixtures.recording();
    private final int clientPort = Integer.parseInt(rec.getProperty("client_port"));
    private final int pendingPort = Integer.parseInt(rec.getProperty("pending_port"));

    private static InetAddress addr(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void tcp4ListenerHasBacklogAndOnePendingConnection() throws Exception {
        List<SocketEntry> rows = Fixtures.inet("tcp4.bin", Netid.TCP);
        SocketEntry listener = rows.stream().filter(e -> e.state() == SocketState.LISTEN).findFirst().orElseThrow();
        assertThat(listener.family()).isEqualTo(SocketEntry.AF_INET);
        assertThat(listener.local().address()).isEqualTo(addr("127.0.0.1")).isInstanceOf(Inet4Address.class);
        assertThat(listener.local().port()).isEqualTo(7001);
        assertThat(listener.remote().address()).isEqualTo(addr("0.0.0.0"));
        assertThat(listener.remote().port()).isZero();
        assertThat(listener.recvQ()).as("accept queue").isEqualTo(1);
        assertThat(listener.sendQ()).as("backlog").isEqualTo(17);
        assertThat(listener.inode()).isPositive();
        assertThat(listener.uid()).isZero();
        assertThat(listener.cookie()).isNotZero();
        assertThat(listener.tcpInfo()).isNotNull();
        assertThat(listener.tcpInfo().state()).isEqualTo(SocketState.LISTEN.code());
        assertThat(listener.congestion()).isNotBlank();
    }

    @Test
    void tcp4EstablishedPairMirrorsPortsAndCarriesQueuesAndTcpInfo() throws Exception {
        List<SocketEntry> rows = Fixtures.inet("tcp4.bin", Netid.TCP);
        assertThat(rows).hasSize(5);
        SocketEntry client = rows.stream().filter(e -> e.local().port() == clientPort).findFirst().orElseThrow();
        SocketEntry server = rows.stream()
                .filter(e -> e.local().port() == 7001 && e.remote().port() == clientPort).findFirst().orElseThrow();
        assertThat(client.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(server.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(client.remote().port()).isEqualTo(7001);
        assertThat(client.remote().address()).isEqualTo(addr("127.0.0.1"));
        assertThat(server.recvQ()).as("5 unread bytes").isEqualTo(5);
        assertThat(client.sendQ()).isZero();
        assertThat(client.inode()).isPositive().isNotEqualTo(server.inode());
        assertThat(client.cookie()).isNotEqualTo(server.cookie());
        assertThat(client.tcpInfo().state()).isEqualTo(SocketState.ESTABLISHED.code());
        assertThat(client.tcpInfo().sndMss()).isPositive();
        assertThat(client.tcpInfo().rttMicros()).isPositive();
        assertThat(client.tcpInfo().bytesAcked()).isEqualTo(6); // 5 data bytes + SYN, as the kernel counts
        assertThat(server.tcpInfo().bytesReceived()).isEqualTo(5);
        assertThat(client.congestion()).isEqualTo(server.congestion());

        SocketEntry pendingChild = rows.stream()
                .filter(e -> e.local().port() == 7001 && e.remote().port() == pendingPort).findFirst().orElseThrow();
        assertThat(pendingChild.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(pendingChild.inode()).as("not accepted yet: no struct socket, no inode").isZero();
    }

    @Test
    void tcp6ListenerOnLoopback() throws Exception {
        List<SocketEntry> rows = Fixtures.inet("tcp6.bin", Netid.TCP);
        assertThat(rows).singleElement().satisfies(e -> {
            assertThat(e.family()).isEqualTo(SocketEntry.AF_INET6);
            assertThat(e.isIpv6()).isTrue();
            assertThat(e.state()).isEqualTo(SocketState.LISTEN);
            assertThat(e.local().address()).isInstanceOf(Inet6Address.class).isEqualTo(addr("::1"));
            assertThat(e.local().port()).isEqualTo(7002);
            assertThat(e.remote().address()).isEqualTo(addr("::"));
            assertThat(e.sendQ()).isEqualTo(5);
            assertThat(e.inode()).isPositive();
            assertThat(e.v6Only()).as("INET_DIAG_SKV6ONLY, sent unasked; binding ::1 sets IPV6_V6ONLY").isTrue();
        });
    }

    @Test
    void udp4SocketsWithTheirOwners() throws Exception {
        List<SocketEntry> rows = Fixtures.inet("udp4.bin", Netid.UDP);
        assertThat(rows).hasSize(2).allSatisfy(e -> {
            assertThat(e.netid()).isEqualTo(Netid.UDP);
            assertThat(e.state()).as("unconnected UDP").isEqualTo(SocketState.CLOSE);
            assertThat(e.local().address()).isEqualTo(addr("127.0.0.1"));
            assertThat(e.inode()).isPositive();
            assertThat(e.tcpInfo()).isNull();
            assertThat(e.v6Only()).as("IPv4").isNull();
        });
        assertThat(rows).filteredOn(e -> e.local().port() == 7003).singleElement().extracting(SocketEntry::uid).isEqualTo(0);
        assertThat(rows).filteredOn(e -> e.local().port() == 7004).singleElement().extracting(SocketEntry::uid).isEqualTo(65534);
    }

    @Test
    void unixListenersByPathAndAbstractName() {
        List<SocketEntry> rows = Fixtures.unix("unix.bin");
        assertThat(rows).hasSize(3).allSatisfy(e -> {
            assertThat(e.family()).isEqualTo(SocketEntry.AF_UNIX);
            assertThat(e.local()).isNull();
            assertThat(e.inode()).isPositive();
            assertThat(e.uid()).isZero();
            assertThat(e.cookie()).isZero();
        });
        SocketEntry byPath = rows.stream().filter(e -> e.unixPath().equals(rec.getProperty("unix_path"))).findFirst().orElseThrow();
        assertThat(byPath.netid()).isEqualTo(Netid.UNIX_STREAM);
        assertThat(byPath.state()).isEqualTo(SocketState.LISTEN);
        assertThat(byPath.sendQ()).as("backlog").isEqualTo(3);
        SocketEntry abstractOne = rows.stream().filter(e -> e.unixPath().equals("@" + rec.getProperty("abstract_name"))).findFirst().orElseThrow();
        assertThat(abstractOne.state()).isEqualTo(SocketState.LISTEN);
        assertThat(abstractOne.sendQ()).isEqualTo(4);
        SocketEntry dgram = rows.stream().filter(e -> e.netid() == Netid.UNIX_DGRAM).findFirst().orElseThrow();
        assertThat(dgram.unixPath()).isEmpty();
        assertThat(dgram.unixPeerInode()).isZero();
        assertThat(dgram.state()).isEqualTo(SocketState.CLOSE);
    }

    @Test
    void exactLookupReplyIsTheClientSocket() throws Exception {
        List<SocketEntry> rows = Fixtures.inet("lookup-tcp4.bin", Netid.TCP);
        SocketEntry fromDump = Fixtures.inet("tcp4.bin", Netid.TCP).stream()
                .filter(e -> e.local().port() == clientPort).findFirst().orElseThrow();
        assertThat(rows).singleElement().satisfies(e -> {
            assertThat(e.local().port()).isEqualTo(clientPort);
            assertThat(e.remote().port()).isEqualTo(7001);
            assertThat(e.inode()).isEqualTo(fromDump.inode());
            assertThat(e.cookie()).isEqualTo(fromDump.cookie());
        });
    }

    @Test
    void repliesAreWellFormedNetlinkOfTypeSockDiagByFamily() {
        for (String name : SockDiagRecorder.fixtureNames()) {
            MemorySegment seg = MemorySegment.ofArray(Fixtures.bytes(name));
            NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, seg.byteSize());
            int n = 0;
            while (c.next()) {
                assertThat(c.type()).isEqualTo(InetDiagRequest.SOCK_DIAG_BY_FAMILY);
                assertThat(c.offset() % 4).isZero();
                n++;
            }
            assertThat(n).as(name).isPositive();
        }
    }
}
