package dev.netwarden.linux.sockdiag;

import dev.netwarden.socket.TcpInfo;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U64;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Parses the INET_DIAG_INFO attribute: {@code struct tcp_info} from uapi/linux/tcp.h, host byte order.
 * The struct has grown over kernel versions (fields are only ever appended), so a shorter value is
 * fine: every field that lies beyond the given length stays 0. Never throws for any length.
 */
public final class TcpInfoParser {
    // Offsets in struct tcp_info (uapi/linux/tcp.h).
    static final int STATE = 0;
    static final int RETRANSMITS = 2;
    static final int SND_MSS = 16;
    static final int RCV_MSS = 20;
    static final int LAST_DATA_SENT = 44;
    static final int LAST_DATA_RECV = 52;
    static final int RTT = 68;
    static final int RTTVAR = 72;
    static final int SND_CWND = 80;
    static final int TOTAL_RETRANS = 100;
    static final int BYTES_ACKED = 120;
    static final int BYTES_RECEIVED = 128;
    static final int SEGS_OUT = 136;
    static final int SEGS_IN = 140;

    private TcpInfoParser() {
    }

    public static TcpInfo parse(MemorySegment seg, long offset, int length) {
        return new TcpInfo(
                u8(seg, offset, length, STATE),
                u8(seg, offset, length, RETRANSMITS),
                (int) u32(seg, offset, length, TOTAL_RETRANS),
                (int) u32(seg, offset, length, RTT),
                (int) u32(seg, offset, length, RTTVAR),
                (int) u32(seg, offset, length, SND_MSS),
                (int) u32(seg, offset, length, RCV_MSS),
                (int) u32(seg, offset, length, SND_CWND),
                u64(seg, offset, length, BYTES_ACKED),
                u64(seg, offset, length, BYTES_RECEIVED),
                u32(seg, offset, length, SEGS_OUT),
                u32(seg, offset, length, SEGS_IN),
                u32(seg, offset, length, LAST_DATA_SENT),
                u32(seg, offset, length, LAST_DATA_RECV));
    }

    private static int u8(MemorySegment seg, long base, int length, int field) {
        return field + 1 <= length ? Byte.toUnsignedInt(seg.get(U8, base + field)) : 0;
    }

    private static long u32(MemorySegment seg, long base, int length, int field) {
        return field + 4 <= length ? Integer.toUnsignedLong(seg.get(U32, base + field)) : 0;
    }

    private static long u64(MemorySegment seg, long base, int length, int field) {
        return field + 8 <= length ? seg.get(U64, base + field) : 0;
    }
}
