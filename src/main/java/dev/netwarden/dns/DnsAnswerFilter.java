package dev.netwarden.dns;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The classic BPF program the sniffer attaches to its AF_PACKET socket, so the kernel hands it only
 * what can be a DNS answer: UDP or TCP from source port 53, over IPv4 (not a later fragment, which
 * has no port) or IPv6 (transport header right after the fixed header). Everything else is dropped
 * in the kernel before it is queued, which is what keeps the sniffer cheap on a busy machine.
 *
 * <p>An AF_PACKET SOCK_DGRAM socket's filter sees the packet from the network header on, so offset 0
 * is the IP header. Not matched, by design: IPv6 answers behind extension headers and IPv4/IPv6
 * fragments after the first (both rare for DNS, and not parseable without reassembly anyway).
 */
final class DnsAnswerFilter {
    /** One {@code struct sock_filter}: opcode, jump-if-true, jump-if-false (relative), constant. */
    record Instruction(int code, int jt, int jf, int k) {
    }

    // opcodes (linux/bpf_common.h)
    static final int LD_B_ABS = 0x30;   // A = byte at [k]
    static final int LD_H_ABS = 0x28;   // A = big-endian u16 at [k]
    static final int LD_H_IND = 0x48;   // A = big-endian u16 at [X + k]
    static final int LDX_B_MSH = 0xB1;  // X = 4 * (byte at [k] & 0xf): the IPv4 header length
    static final int ALU_AND_K = 0x54;  // A &= k
    static final int JMP_JEQ_K = 0x15;  // A == k ? jt : jf
    static final int JMP_JSET_K = 0x45; // (A & k) != 0 ? jt : jf
    static final int RET_K = 0x06;      // accept k bytes (0 = drop)

    /** Bytes of an accepted packet to keep: all of it (a GRO'd TCP segment may exceed 64 KiB). */
    static final int KEEP = 0x40000;

    private static final int IPV6 = 11;
    private static final int ACCEPT = 17;
    private static final int DROP = 18;

    /** The program; each instruction with its index, jumps written as absolute targets. */
    static final List<Instruction> PROGRAM = List.of(
            op(LD_B_ABS, 0),                            //  0: A = first byte (version, IHL)
            op(ALU_AND_K, 0xF0),                        //  1: A = version << 4
            jump(2, JMP_JEQ_K, 0x40, 3, IPV6),          //  2: IPv4 ? 3 : IPv6 test
            op(LD_B_ABS, 9),                            //  3: A = IPv4 protocol
            jump(4, JMP_JEQ_K, 17, 6, 5),               //  4: UDP ? 6 : 5
            jump(5, JMP_JEQ_K, 6, 6, DROP),             //  5: TCP ? 6 : drop
            op(LD_H_ABS, 6),                            //  6: A = flags and fragment offset
            jump(7, JMP_JSET_K, 0x1FFF, DROP, 8),       //  7: a later fragment has no ports: drop
            op(LDX_B_MSH, 0),                           //  8: X = IPv4 header length
            op(LD_H_IND, 0),                            //  9: A = source port
            jump(10, JMP_JEQ_K, 53, ACCEPT, DROP),      // 10: from port 53 ? accept : drop
            jump(11, JMP_JEQ_K, 0x60, 12, DROP),        // 11: IPv6 ? 12 : drop (A still holds version << 4)
            op(LD_B_ABS, 6),                            // 12: A = IPv6 next header
            jump(13, JMP_JEQ_K, 17, 15, 14),            // 13: UDP ? 15 : 14
            jump(14, JMP_JEQ_K, 6, 15, DROP),           // 14: TCP ? 15 : drop
            op(LD_H_ABS, 40),                           // 15: A = source port after the 40-byte header
            jump(16, JMP_JEQ_K, 53, ACCEPT, DROP),      // 16: from port 53 ? accept : drop
            op(RET_K, KEEP),                            // 17: accept
            op(RET_K, 0));                              // 18: drop

    private DnsAnswerFilter() {
    }

    private static Instruction op(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    private static Instruction jump(int at, int code, int k, int ifTrue, int ifFalse) {
        return new Instruction(code, ifTrue - at - 1, ifFalse - at - 1, k);
    }

    /**
     * A {@code struct sock_fprog} (length, padding, pointer to the instructions) in {@code arena},
     * ready for setsockopt(SO_ATTACH_FILTER); the kernel copies it, so the arena may close after.
     */
    static MemorySegment program(Arena arena) {
        MemorySegment filters = arena.allocate(8L * PROGRAM.size(), 8);
        for (int i = 0; i < PROGRAM.size(); i++) {
            Instruction in = PROGRAM.get(i);
            long at = 8L * i;
            filters.set(ValueLayout.JAVA_SHORT, at, (short) in.code());
            filters.set(ValueLayout.JAVA_BYTE, at + 2, (byte) in.jt());
            filters.set(ValueLayout.JAVA_BYTE, at + 3, (byte) in.jf());
            filters.set(ValueLayout.JAVA_INT, at + 4, in.k());
        }
        MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) PROGRAM.size());
        fprog.set(ValueLayout.ADDRESS, 8, filters);
        return fprog;
    }
}
