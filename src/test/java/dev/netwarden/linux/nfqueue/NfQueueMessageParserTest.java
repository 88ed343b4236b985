package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser on messages NfQueueLiveTest recorded from a real queue, and on broken copies of them. */
class NfQueueMessageParserTest {
    private final NfQueueMessageParser parser = new NfQueueMessageParser();

    static byte[] fixture(String name) {
        try (InputStream in = NfQueueMessageParserTest.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tcpSynLeavingThroughLoopback() {
        QueuedPacket p = parser.parse(fixture("tcp4-syn-output.bin"));
        assertThat(p.queueNumber()).isEqualTo(9);
        assertThat(p.family()).isEqualTo(2);
        assertThat(p.hwProtocol()).isEqualTo(0x0800);
        assertThat(p.hook()).isEqualTo(QueuedPacket.HOOK_OUTPUT);
        assertThat(p.inIfindex()).isZero();
        assertThat(p.outIfindex()).isEqualTo(1);
        assertThat(p.uid()).isZero();
        assertThat(p.gid()).isZero();
        assertThat(p.hasUid()).isTrue();
        assertThat(p.ctInfo()).isEqualTo(-1);
        assertThat(p.payload()[0] >> 4).isEqualTo(4);
        assertThat(p.payload()[9]).isEqualTo((byte) 6);
        int l4 = (p.payload()[0] & 0x0F) * 4;
        int dport = ((p.payload()[l4 + 2] & 0xFF) << 8) | (p.payload()[l4 + 3] & 0xFF);
        assertThat(dport).isEqualTo(9);
        assertThat(p.payload()[l4 + 13] & 0x02).as("SYN flag").isEqualTo(2);
        assertThat(p.isComplete()).isTrue();
        assertThat(p.packetLength()).isEqualTo(p.payload().length).isEqualTo(60);
    }

    @Test
    void udpOverIpv6CutToTheCopyRange() {
        QueuedPacket p = parser.parse(fixture("udp6-cut-output.bin"));
        assertThat(p.family()).isEqualTo(10);
        assertThat(p.hwProtocol()).isEqualTo(0x86DD);
        assertThat(p.payload()).hasSize(96);
        assertThat(p.packetLength()).isEqualTo(248);
        assertThat(p.isComplete()).isFalse();
        assertThat(p.payload()[6]).as("next header UDP").isEqualTo((byte) 17);
    }

    @Test
    void icmpEchoRequest() {
        QueuedPacket p = parser.parse(fixture("icmp4-echo-output.bin"));
        assertThat(p.payload()[9]).isEqualTo((byte) 1);
        assertThat(p.payload()[20]).isEqualTo((byte) 8);
        assertThat(p.packetId()).isNotNegative();
    }

    @Test
    void packetIdsOfOneQueueGrow() {
        int a = parser.parse(fixture("tcp4-syn-output.bin")).packetId();
        int b = parser.parse(fixture("udp6-cut-output.bin")).packetId();
        assertThat(b).isGreaterThan(a);
    }

    @Test
    void everyTruncationIsRejectedClearly() {
        byte[] full = fixture("tcp4-syn-output.bin");
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> parser.parse(cut)).as("cut to %d bytes", n).isInstanceOf(MalformedNetlinkException.class);
        }
    }

    @Test
    void shortenedNlmsgLenDropsAttributesOrFails() {
        byte[] msg = fixture("tcp4-syn-output.bin");
        msg[0] = 20; // header + nfgenmsg only: no NFQA_PACKET_HDR left
        assertThatThrownBy(() -> parser.parse(msg)).isInstanceOf(MalformedNetlinkException.class)
                .hasMessageContaining("without NFQA_PACKET_HDR");
    }

    @Test
    void otherMessageTypesAreRefused() {
        byte[] msg = fixture("tcp4-syn-output.bin");
        msg[4] = 1; // NFQNL_MSG_VERDICT
        assertThatThrownBy(() -> parser.parse(msg)).hasMessageContaining("not NFQNL_MSG_PACKET");
    }

    @Test
    void wrongSizedFixedAttributeIsRefused() {
        byte[] msg = fixture("tcp4-syn-output.bin");
        // find NFQA_UID (type 16) and claim 5 bytes of value
        int at = 20;
        while (at + 4 <= msg.length) {
            int len = (msg[at] & 0xFF) | (msg[at + 1] & 0xFF) << 8;
            int type = ((msg[at + 2] & 0xFF) | (msg[at + 3] & 0xFF) << 8) & 0x3FFF;
            if (type == 16) {
                msg[at] = 9;
                break;
            }
            at += (len + 3) & ~3;
        }
        assertThatThrownBy(() -> parser.parse(msg)).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("NFQA_UID");
    }
}
