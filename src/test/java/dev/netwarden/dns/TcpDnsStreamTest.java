package dev.netwarden.dns;

import dev.netwarden.packet.Fragment;
import dev.netwarden.packet.IpPacket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TcpDnsStreamTest {
    private static final InetAddress SERVER = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress CLIENT = InetAddress.ofLiteral("127.0.0.2");
    private final List<byte[]> messages = new ArrayList<>();
    private final TcpDnsStream.MessageSink collect = (b, off, len) -> messages.add(Arrays.copyOfRange(b, off, off + len));

    /** A segment from the server to {@code clientPort} whose payload is all of {@code payload}. */
    private static IpPacket segment(int clientPort, long seq, int flags, byte[] payload) {
        return new IpPacket(4, IpPacket.TCP, SERVER, CLIENT, 53, clientPort, flags, seq, -1, -1, 0, payload.length,
                Fragment.NONE);
    }

    private static byte[] framed(byte[]... messages) {
        int total = Arrays.stream(messages).mapToInt(m -> m.length + 2).sum();
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] m : messages) {
            out[at] = (byte) (m.length >>> 8);
            out[at + 1] = (byte) m.length;
            System.arraycopy(m, 0, out, at + 2, m.length);
            at += m.length + 2;
        }
        return out;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = TcpDnsStreamTest.class.getResourceAsStream(name + ".bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void recordedAnswerSegmentGivesItsMessage() throws IOException {
        byte[] packet;
        try (InputStream in = IpPacket.class.getResourceAsStream("tcp4_answer.bin")) {
            packet = in.readAllBytes();
        }
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(IpPacket.parse(packet, 0, packet.length), packet, 0, 0);
        assertThat(messages).singleElement().satisfies(m ->
                assertThat(DnsAnswers.parse(m, 0, m.length)).extracting(a -> a.address().getHostAddress())
                        .containsExactly("10.53.0.10"));
    }

    @Test
    void messageSpanningSegmentsIsReassembled() throws IOException {
        byte[] m = fixture("chain_long");
        byte[] wire = framed(m);
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(segment(40000, 999, IpPacket.TCP_SYN | IpPacket.TCP_ACK, new byte[0]), new byte[0], 0, 0);
        int[] cuts = {1, 60, wire.length};
        int from = 0;
        for (int cut : cuts) {
            byte[] part = Arrays.copyOfRange(wire, from, cut);
            s.segment(segment(40000, 1000 + from, IpPacket.TCP_ACK | IpPacket.TCP_PSH, part), part, 0, 0);
            from = cut;
        }
        assertThat(messages).singleElement().isEqualTo(m);
        assertThat(s.stats().flows()).isEqualTo(1);
    }

    @Test
    void severalMessagesInOneSegment() throws IOException {
        byte[] a = fixture("a_testsite");
        byte[] b = fixture("multi_a");
        byte[] wire = framed(a, b, a);
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(segment(40001, 5, IpPacket.TCP_ACK, wire), wire, 0, 0);
        assertThat(messages).containsExactly(a, b, a);
    }

    @Test
    void retransmittedBytesAreTakenOnce() throws IOException {
        byte[] wire = framed(fixture("a_testsite"));
        byte[] head = Arrays.copyOfRange(wire, 0, 20);
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(segment(40002, 100, IpPacket.TCP_ACK, head), head, 0, 0);
        s.segment(segment(40002, 100, IpPacket.TCP_ACK, head), head, 0, 0); // retransmission
        s.segment(segment(40002, 100, IpPacket.TCP_ACK, wire), wire, 0, 0); // overlapping, carries the rest
        s.segment(segment(40002, 100, IpPacket.TCP_ACK, wire), wire, 0, 0); // all old
        assertThat(messages).singleElement().isEqualTo(fixture("a_testsite"));
    }

    @Test
    void gapRestartsTheFlowAtTheNextSegment() throws IOException {
        byte[] m = fixture("a_testsite");
        byte[] wire = framed(m);
        byte[] head = Arrays.copyOfRange(wire, 0, 10);
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(segment(40003, 0, IpPacket.TCP_ACK, head), head, 0, 0);
        s.segment(segment(40003, 500, IpPacket.TCP_ACK, wire), wire, 0, 0); // 490 bytes were lost
        assertThat(messages).singleElement().isEqualTo(m);
        assertThat(s.stats().gaps()).isEqualTo(1);
    }

    @Test
    void oversizedMessageEndsTheFlow() {
        TcpDnsStream s = new TcpDnsStream(4, Duration.ofSeconds(30), 512, collect);
        byte[] wire = {0x02, 0x01, 1, 2, 3}; // declares 513 bytes
        s.segment(segment(40004, 0, IpPacket.TCP_ACK, wire), wire, 0, 0);
        assertThat(s.stats().oversized()).isEqualTo(1);
        assertThat(s.stats().flows()).isZero();
        assertThat(messages).isEmpty();
    }

    @Test
    void flowCountIsBounded() {
        TcpDnsStream s = new TcpDnsStream(2, Duration.ofSeconds(30), TcpDnsStream.MAX_MESSAGE_BYTES, collect);
        byte[] partial = {0x00, 0x40, 1, 2, 3};
        for (int port = 41000; port < 41010; port++) {
            s.segment(segment(port, 0, IpPacket.TCP_ACK, partial), partial, 0, 0);
            assertThat(s.stats().flows()).isLessThanOrEqualTo(2);
        }
        assertThat(s.stats().flowsEvicted()).isEqualTo(8);
    }

    @Test
    void idleFlowsExpire() {
        TcpDnsStream s = new TcpDnsStream(8, Duration.ofSeconds(30), TcpDnsStream.MAX_MESSAGE_BYTES, collect);
        byte[] partial = {0x00, 0x40, 1, 2, 3};
        s.segment(segment(42000, 0, IpPacket.TCP_ACK, partial), partial, 0, 0);
        s.segment(segment(42001, 0, IpPacket.TCP_ACK, partial), partial, 0, Duration.ofSeconds(20).toNanos());
        s.segment(segment(42002, 0, IpPacket.TCP_ACK, partial), partial, 0, Duration.ofSeconds(31).toNanos());
        assertThat(s.stats().flows()).isEqualTo(2);
        assertThat(s.stats().flowsExpired()).isEqualTo(1);
    }

    @Test
    void finAndRstEndTheFlow() {
        TcpDnsStream s = new TcpDnsStream(collect);
        byte[] partial = {0x00, 0x40, 1, 2, 3};
        s.segment(segment(43000, 0, IpPacket.TCP_ACK | IpPacket.TCP_FIN, partial), partial, 0, 0);
        s.segment(segment(43001, 0, IpPacket.TCP_ACK, partial), partial, 0, 0);
        s.segment(segment(43001, 5, IpPacket.TCP_RST, new byte[0]), new byte[0], 0, 0);
        assertThat(s.stats().flows()).isZero();
    }

    /** Fuzzer finding: a sequence exactly 2^31 behind overflowed the int distance into a negative offset. */
    @Test
    void sequenceHalfTheSpaceBehindIsARetransmission() throws IOException {
        byte[] wire = framed(fixture("a_testsite"));
        TcpDnsStream s = new TcpDnsStream(collect);
        s.segment(segment(44000, 0x8000_0000L, IpPacket.TCP_ACK, wire), wire, 0, 0);
        s.segment(segment(44000, wire.length, IpPacket.TCP_ACK, wire), wire, 0, 0); // 2^31 behind: old bytes
        s.segment(segment(44000, 0x8000_0000L + wire.length, IpPacket.TCP_ACK, wire), wire, 0, 0);
        assertThat(messages).hasSize(2);
    }
}
