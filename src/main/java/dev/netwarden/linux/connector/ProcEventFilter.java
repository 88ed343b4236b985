package dev.netwarden.linux.connector;

import dev.netwarden.linux.bpf.SocketFilter;

import java.nio.ByteOrder;
import java.util.Objects;

import static dev.netwarden.linux.bpf.SocketFilter.JMP_JEQ_K;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JEQ_X;
import static dev.netwarden.linux.bpf.SocketFilter.LD_W_ABS;
import static dev.netwarden.linux.bpf.SocketFilter.MISC_TAX;
import static dev.netwarden.linux.bpf.SocketFilter.RET_K;
import static dev.netwarden.linux.bpf.SocketFilter.jump;
import static dev.netwarden.linux.bpf.SocketFilter.op;

/**
 * The classic BPF program {@link ProcConnector} attaches to its socket (SO_ATTACH_FILTER), so the
 * kernel queues only the events a {@link dev.netwarden.process.ProcessEventListener} is told about:
 * the fork of a process (child pid = child tgid), the exec of any task, and the comm change and exit
 * of a thread group leader (pid = tgid); plus the subscription's ack (PROC_EVENT_NONE). Dropped in the
 * kernel: thread creation and exit, thread renames, uid/gid/sid/ptrace/coredump events. Why: each
 * datagram queued wakes the receiving thread; on a machine running JVMs and builds, thread events
 * and renames were a third of everything the connector sent (measured: 40 of 107 in 15 s here), and
 * the thread then only counted them and threw them away.
 *
 * <p>The filter sees the datagram from the netlink header on: {@code struct nlmsghdr} (16 bytes),
 * {@code struct cn_msg} (20), then {@code struct proc_event}: {@code what} at 36, the event data at
 * 52. A classic BPF word load reads big-endian while the kernel writes these fields in host order,
 * so the event constants are compared byte-swapped on a little-endian host; pid/tgid equality needs
 * no swap. A load beyond the datagram's end makes the kernel drop it, which is right for a truncated
 * event. The decision is the same as {@link ProcConnector}'s own dispatch (which still checks, so an
 * unfiltered socket behaves the same).
 */
final class ProcEventFilter {
    /** Bytes of an accepted datagram to keep: all of it (a proc event is 76 bytes). */
    static final int KEEP = 0xFFFF;

    static final int WHAT = 36;
    static final int DATA = 52;

    private static final int FORK = 7;
    private static final int PID_IS_TGID = 11;
    private static final int ACCEPT = 15;
    private static final int DROP = 16;

    private ProcEventFilter() {
    }

    /** The program for a host of this byte order. */
    static SocketFilter program(ByteOrder hostOrder) {
        Objects.requireNonNull(hostOrder, "hostOrder is null");
        return SocketFilter.of(
                op(LD_W_ABS, WHAT),                                                        //  0: A = what
                jump(1, JMP_JEQ_K, be(ProcEventParser.PROC_EVENT_FORK, hostOrder), FORK, 2),    //  1: fork ? 7
                jump(2, JMP_JEQ_K, be(ProcEventParser.PROC_EVENT_EXEC, hostOrder), ACCEPT, 3),  //  2: exec: accept
                jump(3, JMP_JEQ_K, be(ProcEventParser.PROC_EVENT_COMM, hostOrder), PID_IS_TGID, 4),
                jump(4, JMP_JEQ_K, be(ProcEventParser.PROC_EVENT_EXIT, hostOrder), PID_IS_TGID, 5),
                jump(5, JMP_JEQ_K, be(ProcEventParser.PROC_EVENT_NONZERO_EXIT, hostOrder), PID_IS_TGID, 6),
                jump(6, JMP_JEQ_K, ProcEventParser.PROC_EVENT_NONE, ACCEPT, DROP),         //  6: ack: accept
                op(LD_W_ABS, DATA + 8),                                                    //  7: A = child pid
                op(MISC_TAX, 0),                                                           //  8: X = A
                op(LD_W_ABS, DATA + 12),                                                   //  9: A = child tgid
                jump(10, JMP_JEQ_X, 0, ACCEPT, DROP),                                      // 10: a process ? accept
                op(LD_W_ABS, DATA),                                                        // 11: A = pid
                op(MISC_TAX, 0),                                                           // 12: X = A
                op(LD_W_ABS, DATA + 4),                                                    // 13: A = tgid
                jump(14, JMP_JEQ_X, 0, ACCEPT, DROP),                                      // 14: the leader ? accept
                op(RET_K, KEEP),                                                           // 15: accept
                op(RET_K, 0));                                                             // 16: drop
    }

    /** The value a big-endian word load yields for a field holding {@code v} in host order. */
    static int be(int v, ByteOrder hostOrder) {
        return hostOrder == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }
}
