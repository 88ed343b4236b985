package dev.netwarden.linux.connector;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U64;

/**
 * Parses the payload of one proc connector netlink message: {@code struct cn_msg} (connector.h:
 * idx, val, seq, ack, len, flags; 20 bytes) followed by {@code struct proc_event} (cn_proc.h: what,
 * cpu, timestamp_ns at offset 8, then the per-type union at offset 16).
 *
 * <p>Pure: bytes in, a record out. Bytes that cannot be a proc event (payload shorter than cn_msg,
 * {@code cn_msg.len} past the payload, a proc_event shorter than its type needs) throw
 * {@link MalformedNetlinkException} with what was short; the parser never reads outside the range.
 * A connector message for another connector (idx/val not CN_IDX_PROC/CN_VAL_PROC) is not ours and
 * yields null.
 */
public final class ProcEventParser {
    public static final int CN_IDX_PROC = 1;
    public static final int CN_VAL_PROC = 1;
    /** sizeof(struct cn_msg). */
    public static final int CN_MSG_LENGTH = 20;
    /** what + cpu + timestamp_ns. */
    static final int EVENT_HEADER_LENGTH = 16;
    static final int TASK_COMM_LEN = 16;
    /** 32-bit words of the proc_event union's largest member read (exit_proc_event: 6). */
    static final int UNION_WORDS = 6;

    static final int PROC_EVENT_NONE = 0x00000000;
    static final int PROC_EVENT_FORK = 0x00000001;
    static final int PROC_EVENT_EXEC = 0x00000002;
    static final int PROC_EVENT_UID = 0x00000004;
    static final int PROC_EVENT_GID = 0x00000040;
    static final int PROC_EVENT_SID = 0x00000080;
    static final int PROC_EVENT_PTRACE = 0x00000100;
    static final int PROC_EVENT_COMM = 0x00000200;
    static final int PROC_EVENT_NONZERO_EXIT = 0x20000000;
    static final int PROC_EVENT_COREDUMP = 0x40000000;
    static final int PROC_EVENT_EXIT = 0x80000000;

    private ProcEventParser() {
    }

    /** The event in the message under {@code cursor}; null when it belongs to another connector. */
    public static ProcEvent parse(NetlinkMessageCursor cursor) {
        return parse(cursor.segment(), cursor.payloadOffset(), cursor.payloadLength());
    }

    /**
     * The event in {@code [offset, offset + length)} of {@code segment}, which holds one netlink
     * message's payload (cn_msg first). Null when it belongs to another connector.
     */
    public static ProcEvent parse(MemorySegment segment, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > segment.byteSize()) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + segment.byteSize() + " bytes");
        }
        if (length < CN_MSG_LENGTH) {
            throw new MalformedNetlinkException("connector message of " + length + " bytes, shorter than cn_msg (" + CN_MSG_LENGTH + ")");
        }
        int[] cn = words(segment, offset, 4); // idx, val, seq, ack
        int idx = cn[0];
        int val = cn[1];
        int dataLength = Short.toUnsignedInt(segment.get(U16, offset + 16));
        if (dataLength > length - CN_MSG_LENGTH) {
            throw new MalformedNetlinkException("cn_msg.len " + dataLength + " past the " + (length - CN_MSG_LENGTH) + " payload bytes after cn_msg");
        }
        if (idx != CN_IDX_PROC || val != CN_VAL_PROC) {
            return null;
        }
        long ev = offset + CN_MSG_LENGTH;
        require(dataLength, EVENT_HEADER_LENGTH, "proc_event header");
        int[] head = words(segment, ev, 2); // what, cpu
        int what = head[0];
        int cpu = head[1];
        long ts = segment.get(U64, ev + 8);
        // The union's 32-bit words (at most the six of the largest member, exit), read by one bulk copy:
        // a segment.get per field made this the daemon's costliest C1 compilation (12.7 MB of compiler
        // arena, -XX:CompileCommand=memstat), which the process's PSS showed until the next heap trim.
        // Each case checks its length before it uses a word.
        int[] w = words(segment, ev + EVENT_HEADER_LENGTH, Math.min(UNION_WORDS, (dataLength - EVENT_HEADER_LENGTH) / 4));
        return switch (what) {
            case PROC_EVENT_NONE -> {
                require(dataLength, EVENT_HEADER_LENGTH + 4, "ack");
                yield new ProcEvent.Ack(cpu, ts, w[0], cn[2], cn[3]);
            }
            case PROC_EVENT_FORK -> {
                require(dataLength, EVENT_HEADER_LENGTH + 16, "fork");
                yield new ProcEvent.Fork(cpu, ts, w[0], w[1], w[2], w[3]);
            }
            case PROC_EVENT_EXEC -> {
                require(dataLength, EVENT_HEADER_LENGTH + 8, "exec");
                yield new ProcEvent.Exec(cpu, ts, w[0], w[1]);
            }
            case PROC_EVENT_UID, PROC_EVENT_GID -> {
                require(dataLength, EVENT_HEADER_LENGTH + 16, "id");
                ProcEvent.IdChange.Kind kind = what == PROC_EVENT_UID ? ProcEvent.IdChange.Kind.UID : ProcEvent.IdChange.Kind.GID;
                yield new ProcEvent.IdChange(cpu, ts, kind, w[0], w[1], w[2], w[3]);
            }
            case PROC_EVENT_SID -> {
                require(dataLength, EVENT_HEADER_LENGTH + 8, "sid");
                yield new ProcEvent.Sid(cpu, ts, w[0], w[1]);
            }
            case PROC_EVENT_PTRACE -> {
                require(dataLength, EVENT_HEADER_LENGTH + 16, "ptrace");
                yield new ProcEvent.Ptrace(cpu, ts, w[0], w[1], w[2], w[3]);
            }
            case PROC_EVENT_COMM -> {
                require(dataLength, EVENT_HEADER_LENGTH + 8 + TASK_COMM_LEN, "comm");
                yield new ProcEvent.Comm(cpu, ts, w[0], w[1], comm(segment, ev + EVENT_HEADER_LENGTH + 8));
            }
            case PROC_EVENT_COREDUMP -> {
                require(dataLength, EVENT_HEADER_LENGTH + 16, "coredump");
                yield new ProcEvent.Coredump(cpu, ts, w[0], w[1], w[2], w[3]);
            }
            case PROC_EVENT_EXIT, PROC_EVENT_NONZERO_EXIT -> {
                require(dataLength, EVENT_HEADER_LENGTH + 24, "exit");
                yield new ProcEvent.Exit(cpu, ts, w[0], w[1], w[2], w[3], w[4], w[5]);
            }
            default -> new ProcEvent.Unknown(cpu, ts, what);
        };
    }

    /**
     * Every proc event in a datagram as received from the socket (netlink header first): for tests
     * and fuzzing; the receive loop walks its buffer with a reused cursor instead.
     */
    public static List<ProcEvent> parseDatagram(byte[] datagram) {
        MemorySegment seg = MemorySegment.ofArray(datagram);
        NetlinkMessageCursor cursor = new NetlinkMessageCursor(seg, 0, datagram.length);
        List<ProcEvent> events = new ArrayList<>();
        while (cursor.next()) {
            ProcEvent e = parse(cursor);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    private static void require(int available, int needed, String what) {
        if (available < needed) {
            throw new MalformedNetlinkException("proc_event " + what + " of " + available + " bytes, needs " + needed);
        }
    }

    /** {@code count} consecutive 32-bit words from {@code base} (the caller checked the length). */
    private static int[] words(MemorySegment s, long base, int count) {
        int[] w = new int[count];
        MemorySegment.copy(s, U32, base, w, 0, count);
        return w;
    }

    /** comm: up to 16 bytes, NUL-terminated when shorter. Decoded as UTF-8 (invalid bytes become U+FFFD). */
    private static String comm(MemorySegment s, long at) {
        byte[] b = new byte[TASK_COMM_LEN];
        int n = 0;
        while (n < TASK_COMM_LEN) {
            byte c = s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + n);
            if (c == 0) {
                break;
            }
            b[n++] = c;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
