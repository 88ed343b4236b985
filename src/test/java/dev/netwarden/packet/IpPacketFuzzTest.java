package dev.netwarden.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any bytes either parse into a packet whose payload lies inside them, with ports and
 * ICMP fields in range, or raise MalformedPacketException. Seeds: the recorded packets.
 */
class IpPacketFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrRefuses(byte[] data) {
        IpPacket p;
        try {
            p = IpPacket.parse(data, 0, data.length);
        } catch (MalformedPacketException expected) {
            return;
        }
        assertThat(p.version()).isIn(4, 6);
        assertThat(p.payloadOffset()).isBetween(20, data.length);
        assertThat(p.payloadLength()).isBetween(0, data.length - p.payloadOffset());
        assertThat(p.sourcePort()).isBetween(-1, 65535);
        assertThat(p.destinationPort()).isBetween(-1, 65535);
        assertThat(p.protocol()).isBetween(0, 255);
        if (p.fragment() == Fragment.LATER) {
            assertThat(p.sourcePort()).isEqualTo(-1);
        }
        if (p.protocol() == IpPacket.TCP && p.sourcePort() >= 0) {
            assertThat(p.tcpSequence()).isBetween(0L, 0xFFFF_FFFFL);
        }
        assertThat(p.source().getAddress()).hasSizeBetween(4, 16);
    }
}
