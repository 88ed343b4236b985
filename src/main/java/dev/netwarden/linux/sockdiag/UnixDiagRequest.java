package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.NetlinkHeader;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Writes the dump request for UNIX sockets: {@code struct unix_diag_req} (uapi/linux/unix_diag.h):
 * <pre>
 *  0 u8 sdiag_family (AF_UNIX)  1 u8 sdiag_protocol (0)  2 u16 pad
 *  4 u32 udiag_states  8 u32 udiag_ino  12 u32 udiag_show  16 u32 udiag_cookie[2]
 * </pre>
 */
public final class UnixDiagRequest {
    public static final int BODY_LENGTH = 24;
    public static final int LENGTH = NetlinkHeader.LENGTH + BODY_LENGTH;

    public static final int UDIAG_SHOW_NAME = 0x01;
    public static final int UDIAG_SHOW_VFS = 0x02;
    public static final int UDIAG_SHOW_PEER = 0x04;
    public static final int UDIAG_SHOW_ICONS = 0x08;
    public static final int UDIAG_SHOW_RQLEN = 0x10;
    public static final int UDIAG_SHOW_MEMINFO = 0x20;
    public static final int UDIAG_SHOW_UID = 0x40;

    /** What netwarden asks for: name, peer, queues and (kernel 5.3+; older kernels ignore the bit) the uid. */
    public static final int DEFAULT_SHOW = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;

    private UnixDiagRequest() {
    }

    public static int writeDump(MemorySegment dst, long offset, int stateMask, int show) {
        NetlinkHeader.write(dst, offset, LENGTH, InetDiagRequest.SOCK_DIAG_BY_FAMILY,
                NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP);
        long b = offset + NetlinkHeader.LENGTH;
        dst.asSlice(b, BODY_LENGTH).fill((byte) 0);
        dst.set(U8, b, (byte) UnixDiagParser.AF_UNIX);
        dst.set(U32, b + 4, stateMask);
        dst.set(U32, b + 12, show);
        dst.set(U32, b + 16, InetDiagRequest.NO_COOKIE);
        dst.set(U32, b + 20, InetDiagRequest.NO_COOKIE);
        return LENGTH;
    }

    public static MemorySegment dump(int stateMask, int show) {
        MemorySegment seg = MemorySegment.ofArray(new byte[LENGTH]);
        writeDump(seg, 0, stateMask, show);
        return seg;
    }
}
