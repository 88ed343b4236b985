package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * {@code struct nlmsghdr} (16 bytes, host byte order): its constants and a writer for request headers.
 * <pre>
 *   u32 nlmsg_len   u16 nlmsg_type   u16 nlmsg_flags   u32 nlmsg_seq   u32 nlmsg_pid
 * </pre>
 */
public final class NetlinkHeader {
    public static final int LENGTH = 16;
    public static final int OFFSET_LEN = 0;
    public static final int OFFSET_TYPE = 4;
    public static final int OFFSET_FLAGS = 6;
    public static final int OFFSET_SEQ = 8;
    public static final int OFFSET_PID = 12;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** In an NLMSG_ERROR reply: the original request was not echoed, only its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an NLMSG_ERROR reply: extended-ack attributes follow the echoed request. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_NETFILTER = 12;

    private NetlinkHeader() {
    }

    /** Writes a request header at {@code offset}; seq and pid are left 0 for the socket to fill in. */
    public static void write(MemorySegment dst, long offset, int totalLength, int type, int flags) {
        dst.set(U32, offset + OFFSET_LEN, totalLength);
        dst.set(U16, offset + OFFSET_TYPE, (short) type);
        dst.set(U16, offset + OFFSET_FLAGS, (short) flags);
        dst.set(U32, offset + OFFSET_SEQ, 0);
        dst.set(U32, offset + OFFSET_PID, 0);
    }
}
