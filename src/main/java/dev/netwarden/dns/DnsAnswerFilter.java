package dev.netwarden.dns;

import dev.netwarden.linux.bpf.SocketFilter;

import static dev.netwarden.linux.bpf.SocketFilter.ALU_AND_K;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JEQ_K;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JSET_K;
import static dev.netwarden.linux.bpf.SocketFilter.LDX_B_MSH;
import static dev.netwarden.linux.bpf.SocketFilter.LD_B_ABS;
import static dev.netwarden.linux.bpf.SocketFilter.LD_H_ABS;
import static dev.netwarden.linux.bpf.SocketFilter.LD_H_IND;
import static dev.netwarden.linux.bpf.SocketFilter.RET_K;
import static dev.netwarden.linux.bpf.SocketFilter.jump;
import static dev.netwarden.linux.bpf.SocketFilter.op;

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
    /** Bytes of an accepted packet to keep: all of it (a GRO'd TCP segment may exceed 64 KiB). */
    static final int KEEP = 0x40000;

    private static final int IPV6 = 11;
    private static final int ACCEPT = 17;
    private static final int DROP = 18;

    /** The program; each instruction with its index. */
    static final SocketFilter PROGRAM = SocketFilter.of(
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
}
