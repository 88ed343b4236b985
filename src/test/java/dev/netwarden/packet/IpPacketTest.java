package dev.netwarden.packet;

import dev.netwarden.flow.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Packets recorded from a real kernel (AF_PACKET SOCK_DGRAM in a namespace with dnsmasq, see
 * resources dev/netwarden/dns/record_fixtures.sh) and hand-built ones for what loopback does not
 * produce (fragments, extension headers).
 */
class IpPacketTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = IpPacketTest.class.getResourceAsStream(name + ".bin")) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void udpOverIpv4Answer() throws IOException {
        byte[] b = fixture("udp4_answer");
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.protocol()).isEqualTo(IpPacket.UDP);
        assertThat(p.transport()).isEqualTo(Transport.UDP);
        assertThat(p.source()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(p.destination().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.destinationPort()).isEqualTo(0xbf63);
        assertThat(p.payloadOffset()).isEqualTo(28);
        assertThat(p.payloadLength()).isEqualTo(47);
        assertThat(p.fragment()).isEqualTo(Fragment.NONE);
        assertThat(p.tcpFlags()).isZero();
        assertThat(p.tcpSequence()).isEqualTo(-1);
        assertThat(p.icmpType()).isEqualTo(-1);
        // the DNS header follows: flags 0x8580 (response, authoritative, recursion desired+available)
        assertThat(b[p.payloadOffset() + 2] & 0xFF).isEqualTo(0x85);
    }

    @Test
    void udpOverIpv6Answer() throws IOException {
        byte[] b = fixture("udp6_answer");
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.version()).isEqualTo(6);
        assertThat(p.protocol()).isEqualTo(IpPacket.UDP);
        assertThat(p.source().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(p.destination().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.destinationPort()).isEqualTo(0x855a);
        assertThat(p.payloadOffset()).isEqualTo(48);
        assertThat(p.payloadLength()).isEqualTo(59);
    }

    @Test
    void tcpAnswerSegment() throws IOException {
        byte[] b = fixture("tcp4_answer");
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.protocol()).isEqualTo(IpPacket.TCP);
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.destinationPort()).isEqualTo(0xc034);
        assertThat(p.tcpFlags()).isEqualTo(IpPacket.TCP_PSH | IpPacket.TCP_ACK);
        assertThat(p.tcpSequence()).isEqualTo(0x43040f8dL);
        assertThat(p.isSyn()).isFalse();
        assertThat(p.payloadOffset()).isEqualTo(20 + 32);
        assertThat(p.payloadLength()).isEqualTo(101 - 52);
        // DNS over TCP: a 2-byte length (47) before the message
        assertThat(((b[52] & 0xFF) << 8) | (b[53] & 0xFF)).isEqualTo(47);
    }

    @Test
    void tcpSyn() throws IOException {
        byte[] b = fixture("tcp4_syn");
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.isSyn()).isTrue();
        assertThat(p.sourcePort()).isEqualTo(0xc034);
        assertThat(p.destinationPort()).isEqualTo(53);
        assertThat(p.tcpSequence()).isEqualTo(0xf90b991eL);
        assertThat(p.payloadOffset()).isEqualTo(60);
        assertThat(p.payloadLength()).isZero();
    }

    @Test
    void parsesAtAnOffsetAndIgnoresTrailingPadding() throws IOException {
        byte[] b = fixture("udp4_answer");
        byte[] framed = new byte[b.length + 30];
        System.arraycopy(b, 0, framed, 10, b.length);
        IpPacket p = IpPacket.parse(framed, 10, b.length + 20);
        assertThat(p.payloadOffset()).isEqualTo(28);
        assertThat(p.payloadLength()).isEqualTo(47);
    }

    @Test
    void ipv4FragmentsAreTold() throws IOException {
        byte[] first = fixture("udp4_answer");
        first[6] = 0x20; // MF, offset 0
        IpPacket f = IpPacket.parse(first, 0, first.length);
        assertThat(f.fragment()).isEqualTo(Fragment.FIRST);
        assertThat(f.sourcePort()).isEqualTo(53);

        byte[] later = fixture("udp4_answer");
        later[6] = 0x00;
        later[7] = 0x10; // offset 16*8
        IpPacket l = IpPacket.parse(later, 0, later.length);
        assertThat(l.fragment()).isEqualTo(Fragment.LATER);
        assertThat(l.sourcePort()).isEqualTo(-1);
        assertThat(l.destinationPort()).isEqualTo(-1);
        assertThat(l.payloadOffset()).isEqualTo(20);
        assertThat(l.payloadLength()).isEqualTo(first.length - 20);
    }

    /** The recorded IPv6 answer with extension headers spliced in before its UDP header. */
    private static byte[] withExtensions(byte[] v6, byte[]... headers) {
        int extra = Arrays.stream(headers).mapToInt(h -> h.length).sum();
        byte[] out = new byte[v6.length + extra];
        System.arraycopy(v6, 0, out, 0, 40);
        int at = 40;
        for (byte[] h : headers) {
            System.arraycopy(h, 0, out, at, h.length);
            at += h.length;
        }
        System.arraycopy(v6, 40, out, at, v6.length - 40);
        int payload = out.length - 40;
        out[4] = (byte) (payload >>> 8);
        out[5] = (byte) payload;
        return out;
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() throws IOException {
        byte[] v6 = fixture("udp6_answer");
        v6[6] = 0; // hop-by-hop first
        byte[] hopByHop = HexFormat.of().parseHex("3c00010400000000");   // next: dest options, 8 bytes (PadN)
        byte[] destOpts = HexFormat.of().parseHex("2b01010c000000000000000000000000"); // next: routing, 16 bytes
        byte[] routing = HexFormat.of().parseHex("2c00000000000000");    // next: fragment, 8 bytes, segleft 0
        byte[] fragment = HexFormat.of().parseHex("1100000100000001");   // next: UDP, offset 0, M=1
        byte[] b = withExtensions(v6, hopByHop, destOpts, routing, fragment);
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.protocol()).isEqualTo(IpPacket.UDP);
        assertThat(p.fragment()).isEqualTo(Fragment.FIRST);
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.payloadOffset()).isEqualTo(40 + 8 + 16 + 8 + 8 + 8);
    }

    @Test
    void ipv6LaterFragmentHasNoPorts() throws IOException {
        byte[] v6 = fixture("udp6_answer");
        v6[6] = 44;
        byte[] b = withExtensions(v6, HexFormat.of().parseHex("1100005900000001"));
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.fragment()).isEqualTo(Fragment.LATER);
        assertThat(p.protocol()).isEqualTo(IpPacket.UDP);
        assertThat(p.sourcePort()).isEqualTo(-1);
        assertThat(p.payloadOffset()).isEqualTo(48);
    }

    @Test
    void tooManyExtensionHeadersAreRefused() throws IOException {
        byte[] v6 = fixture("udp6_answer");
        v6[6] = 60;
        byte[][] chain = new byte[IpPacket.MAX_EXTENSION_HEADERS + 1][];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = HexFormat.of().parseHex("3c00010400000000");
        }
        byte[] b = withExtensions(v6, chain);
        assertThatThrownBy(() -> IpPacket.parse(b, 0, b.length))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("extension headers");
    }

    @Test
    void icmpEcho() {
        byte[] b = HexFormat.of().parseHex("4500001c00004000400100007f0000017f00000208001234abcd0001");
        IpPacket p = IpPacket.parse(b, 0, b.length);
        assertThat(p.protocol()).isEqualTo(IpPacket.ICMP);
        assertThat(p.transport()).isEqualTo(Transport.ICMP);
        assertThat(p.icmpType()).isEqualTo(8);
        assertThat(p.icmpCode()).isZero();
        assertThat(p.sourcePort()).isEqualTo(-1);
        assertThat(p.payloadOffset()).isEqualTo(24);
        assertThat(p.payloadLength()).isEqualTo(4);
    }

    @Test
    void truncatedAndInconsistentPacketsAreRefused() throws IOException {
        byte[] b = fixture("tcp4_answer");
        for (int cut : new int[] {0, 1, 19, 20, 39, 51, 100}) {
            assertThatThrownBy(() -> IpPacket.parse(b, 0, cut))
                    .as("cut at %d", cut).isInstanceOf(MalformedPacketException.class);
        }
        byte[] badIhl = b.clone();
        badIhl[0] = 0x44;
        assertThatThrownBy(() -> IpPacket.parse(badIhl, 0, badIhl.length)).hasMessageContaining("header length");
        byte[] badOffset = b.clone();
        badOffset[32] = 0x40; // TCP data offset 16 < 20
        assertThatThrownBy(() -> IpPacket.parse(badOffset, 0, badOffset.length)).hasMessageContaining("data offset");
        byte[] v5 = b.clone();
        v5[0] = 0x55;
        assertThatThrownBy(() -> IpPacket.parse(v5, 0, v5.length)).hasMessageContaining("version 5");
        byte[] udp = fixture("udp6_answer");
        udp[44] = 0;
        udp[45] = 7; // UDP length 7 < 8
        assertThatThrownBy(() -> IpPacket.parse(udp, 0, udp.length)).hasMessageContaining("UDP length");
        byte[] jumbo = fixture("udp6_answer");
        jumbo[4] = 0;
        jumbo[5] = 0;
        assertThatThrownBy(() -> IpPacket.parse(jumbo, 0, jumbo.length)).hasMessageContaining("jumbogram");
    }

    @Test
    void boundsOfTheArrayAreChecked() {
        assertThatThrownBy(() -> IpPacket.parse(new byte[10], 5, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
