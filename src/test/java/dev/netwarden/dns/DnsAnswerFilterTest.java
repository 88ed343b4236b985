package dev.netwarden.dns;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the BPF program on recorded packets with a small interpreter of the opcodes it uses (the
 * semantics of the kernel's classic BPF: loads past the end drop the packet, jumps are relative).
 * The root test {@code DnsSnifferTest} shows the kernel agrees.
 */
class DnsAnswerFilterTest {

    static int run(List<DnsAnswerFilter.Instruction> program, byte[] p) {
        int a = 0;
        int x = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            DnsAnswerFilter.Instruction in = program.get(pc);
            switch (in.code()) {
                case DnsAnswerFilter.LD_B_ABS -> {
                    if (in.k() >= p.length) {
                        return 0;
                    }
                    a = p[in.k()] & 0xFF;
                }
                case DnsAnswerFilter.LD_H_ABS, DnsAnswerFilter.LD_H_IND -> {
                    int at = in.k() + (in.code() == DnsAnswerFilter.LD_H_IND ? x : 0);
                    if (at + 2 > p.length) {
                        return 0;
                    }
                    a = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
                }
                case DnsAnswerFilter.LDX_B_MSH -> {
                    if (in.k() >= p.length) {
                        return 0;
                    }
                    x = 4 * (p[in.k()] & 0xF);
                }
                case DnsAnswerFilter.ALU_AND_K -> a &= in.k();
                case DnsAnswerFilter.JMP_JEQ_K -> pc += a == in.k() ? in.jt() : in.jf();
                case DnsAnswerFilter.JMP_JSET_K -> pc += (a & in.k()) != 0 ? in.jt() : in.jf();
                case DnsAnswerFilter.RET_K -> {
                    return in.k();
                }
                default -> throw new AssertionError("opcode not in the interpreter: " + in.code());
            }
        }
        throw new AssertionError("program fell off its end");
    }

    static int run(byte[] packet) {
        return run(DnsAnswerFilter.PROGRAM, packet);
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

    @Test
    void everyJumpLandsInsideTheProgram() {
        List<DnsAnswerFilter.Instruction> p = DnsAnswerFilter.PROGRAM;
        for (int i = 0; i < p.size(); i++) {
            DnsAnswerFilter.Instruction in = p.get(i);
            if (in.code() != DnsAnswerFilter.JMP_JEQ_K && in.code() != DnsAnswerFilter.JMP_JSET_K) {
                assertThat(in.jt()).isZero();
                assertThat(in.jf()).isZero();
                continue;
            }
            assertThat(i + 1 + in.jt()).isBetween(i + 1, p.size() - 1);
            assertThat(i + 1 + in.jf()).isBetween(i + 1, p.size() - 1);
        }
        assertThat(p.getLast().code()).isEqualTo(DnsAnswerFilter.RET_K);
    }
}
