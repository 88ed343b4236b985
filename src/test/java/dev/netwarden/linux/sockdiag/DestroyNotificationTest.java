package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Destroy notifications recorded from kernel 6.18 by {@link DestroyNotificationRecorder}: python3 in
 * a namespace connected 127.0.0.1 → 127.0.0.1:7100 (client sent 1000 bytes, server answered 200),
 * then closed both ends and the listener; then a connected UDP socket to 127.0.0.1:7101 and an IPv6
 * UDP socket bound to [::1]:7102 were closed.
 */
class DestroyNotificationTest {
    private static List<byte[]> recorded() {
        String text = new String(Fixtures.bytes("destroy-notifications.hex"), StandardCharsets.US_ASCII);
        return text.lines().filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.split(" ");
            assertThat(f[0]).as("message type SOCK_DIAG_BY_FAMILY").isEqualTo("20");
            return HexFormat.of().parseHex(f[1]);
        }).toList();
    }

    private static SocketEntry parse(byte[] payload) {
        return new InetDiagParser().parseDestroyed(MemorySegment.ofArray(payload), 0, payload.length);
    }

    @Test
    void tcpConnectionEndsCarryFinalTcpInfoAndCookieButNoInode() {
        List<SocketEntry> rows = recorded().stream().map(DestroyNotificationTest::parse).toList();
        SocketEntry client = rows.get(0);
        assertThat(client.netid()).isEqualTo(Netid.TCP);
        assertThat(client.remote().port()).isEqualTo(7100);
        assertThat(client.state()).isEqualTo(SocketState.CLOSE);
        assertThat(client.inode()).isZero();
        assertThat(client.cookie()).isNotZero();
        // The kernel counts sequence space: its SYN and FIN are one "byte" each when acked/received.
        assertThat(client.tcpInfo().bytesAcked()).as("1000 bytes sent by the client + SYN + FIN").isEqualTo(1002);
        assertThat(client.tcpInfo().bytesReceived()).as("200 bytes + the server's FIN").isBetween(200L, 201L);
        SocketEntry accepted = rows.get(1);
        assertThat(accepted.local().port()).isEqualTo(7100);
        assertThat(accepted.remote().port()).isEqualTo(client.local().port());
        assertThat(accepted.tcpInfo().bytesAcked()).isBetween(200L, 202L);
        assertThat(accepted.tcpInfo().bytesReceived()).isBetween(1000L, 1001L);
        SocketEntry listener = rows.get(2);
        assertThat(listener.local().port()).isEqualTo(7100);
        assertThat(listener.remote().port()).isZero();
        assertThat(rows.stream().map(SocketEntry::cookie).distinct()).hasSize(rows.size());
    }

    @Test
    void udpEndsHaveTheirProtocolAndFamilyButNoCounters() {
        List<SocketEntry> rows = recorded().stream().map(DestroyNotificationTest::parse).toList();
        SocketEntry connected = rows.get(3);
        assertThat(connected.netid()).isEqualTo(Netid.UDP);
        assertThat(connected.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(connected.remote().port()).isEqualTo(7101);
        assertThat(connected.tcpInfo()).isNull();
        SocketEntry v6 = rows.get(4);
        assertThat(v6.netid()).isEqualTo(Netid.UDP);
        assertThat(v6.family()).isEqualTo(SocketEntry.AF_INET6);
        assertThat(v6.local().port()).isEqualTo(7102);
        assertThat(v6.state()).isEqualTo(SocketState.CLOSE);
    }

    @Test
    void aNotificationWithoutProtocolIsNotGuessed() {
        byte[] tcp = recorded().get(3);
        byte[] bare = Arrays.copyOf(tcp, InetDiagParser.MSG_LENGTH);
        assertThat(parse(bare)).isNull();
        assertThat(InetDiagParser.protocolOf(MemorySegment.ofArray(bare), 0, bare.length)).isEqualTo(-1);
    }

    @Test
    void truncatedProtocolAttributeIsMalformed() {
        byte[] udp = recorded().get(3);
        byte[] cut = Arrays.copyOf(udp, InetDiagParser.MSG_LENGTH + 4);
        cut[InetDiagParser.MSG_LENGTH] = 4; // nla_len 4: header only, no value
        assertThatThrownBy(() -> parse(cut)).isInstanceOf(MalformedNetlinkException.class);
        assertThatThrownBy(() -> parse(new byte[10])).isInstanceOf(MalformedNetlinkException.class);
    }
}
