package dev.netwarden.dns;

import dev.netwarden.linux.bpf.SocketFilterInterpreter;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the BPF program on recorded packets with {@link SocketFilterInterpreter} (the kernel's
 * classic BPF semantics; {@code SocketFilter} checks the program's shape). The root test
 * {@code DnsSnifferTest} shows the kernel agrees.
 */
class DnsAnswerFilterTest {

    static int run(byte[] packet) {
        return SocketFilterInterpreter.run(DnsAnswerFilter.PROGRAM, packet);
    }

    private static byte[] packet(String name) throws IOException {
        return Fixtures.packet(name);
    }

    @Test
    void acceptsAnswersOverUdpV4UdpV6AndTcp() throws IOException {
        assertThat(run(packet("udp4_answer"))).isEqualTo(DnsAnswerFilter.KEEP);
        assertThat(run(packet("udp6_answer"))).isEqualTo(DnsAnswerFilter.KEEP);
        assertThat(run(packet("tcp4_answer"))).isEqualTo(DnsAnswerFilter.KEEP);
    }

    @Test
    void dropsQueriesAndOtherTraffic() throws IOException {
        assertThat(run(packet("tcp4_syn"))).as("to port 53, not from it").isZero();
        byte[] icmp = HexFormat.of().parseHex("4500001c00004000400100007f0000017f00000208001234abcd0001");
        assertThat(run(icmp)).isZero();
        byte[] otherPort = packet("udp4_answer");
        otherPort[21] = 54;
        assertThat(run(otherPort)).isZero();
        byte[] arp = HexFormat.of().parseHex("0001080006040001");
        assertThat(run(arp)).isZero();
        assertThat(run(new byte[0])).isZero();
    }

    @Test
    void dropsLaterFragmentsButKeepsTheFirst() throws IOException {
        byte[] later = packet("udp4_answer");
        later[7] = 0x10;
        assertThat(run(later)).isZero();
        byte[] first = packet("udp4_answer");
        first[6] = 0x20;
        assertThat(run(first)).isEqualTo(DnsAnswerFilter.KEEP);
    }

    @Test
    void honoursTheIpv4HeaderLength() throws IOException {
        byte[] plain = packet("udp4_answer");
        byte[] withOptions = new byte[plain.length + 4];
        System.arraycopy(plain, 0, withOptions, 0, 20);
        withOptions[0] = 0x46; // IHL 6: one 4-byte option (NOPs)
        withOptions[20] = 1;
        withOptions[21] = 1;
        withOptions[22] = 1;
        withOptions[23] = 1;
        System.arraycopy(plain, 20, withOptions, 24, plain.length - 20);
        assertThat(run(withOptions)).isEqualTo(DnsAnswerFilter.KEEP);
    }
}
