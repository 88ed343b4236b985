package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkAttributeCursor;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Parses one sock_diag reply payload for a UNIX socket: {@code struct unix_diag_msg} (16 bytes) and
 * its attributes (uapi/linux/unix_diag.h):
 * <pre>
 *  0 u8 family  1 u8 type  2 u8 state  3 u8 pad  4 u32 ino  8 u32 cookie[2]
 * </pre>
 * UNIX_DIAG_NAME: a path (cut at its NUL), or an abstract name shown as '@' + name (every NUL in it
 * shown as '@', as ss does); absent or empty for unnamed sockets → "". UNIX_DIAG_PEER → peer inode.
 * UNIX_DIAG_RQLEN → recv/send queue (for LISTEN: pending connections / backlog). UNIX_DIAG_UID
 * (kernel 5.3+) → uid, else -1. The cookie is left 0, as {@link SocketEntry} documents for UNIX.
 *
 * <p>Pure; bad bytes (short struct, unknown socket type, short attribute) throw
 * {@link MalformedNetlinkException} only.
 */
public final class UnixDiagParser {
    public static final int AF_UNIX = SocketEntry.AF_UNIX;
    public static final int MSG_LENGTH = 16;

    public static final int UNIX_DIAG_NAME = 0;
    public static final int UNIX_DIAG_PEER = 2;
    public static final int UNIX_DIAG_RQLEN = 4;
    public static final int UNIX_DIAG_UID = 7;

    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_SEQPACKET = 5;

    private UnixDiagParser() {
    }

    /** Maps unix_diag_msg.udiag_type; null for a type that is not a UNIX socket type. */
    public static Netid netidOf(int type) {
        return switch (type) {
            case SOCK_STREAM -> Netid.UNIX_STREAM;
            case SOCK_DGRAM -> Netid.UNIX_DGRAM;
            case SOCK_SEQPACKET -> Netid.UNIX_SEQPACKET;
            default -> null;
        };
    }

    public static SocketEntry parse(MemorySegment seg, long offset, int length) {
        if (length < MSG_LENGTH) {
            throw new MalformedNetlinkException("unix_diag_msg of " + length + " bytes, need " + MSG_LENGTH);
        }
        int family = Byte.toUnsignedInt(seg.get(U8, offset));
        if (family != AF_UNIX) {
            throw new MalformedNetlinkException("unix_diag_msg with family " + family);
        }
        int type = Byte.toUnsignedInt(seg.get(U8, offset + 1));
        Netid netid = netidOf(type);
        if (netid == null) {
            throw new MalformedNetlinkException("unix_diag_msg with socket type " + type);
        }
        SocketState state = SocketState.fromCode(Byte.toUnsignedInt(seg.get(U8, offset + 2)));
        long inode = Integer.toUnsignedLong(seg.get(U32, offset + 4));

        String path = "";
        long peer = 0;
        long rqueue = 0;
        long wqueue = 0;
        int uid = -1;
        NetlinkAttributeCursor attrs = new NetlinkAttributeCursor(seg, offset + MSG_LENGTH, length - MSG_LENGTH);
        while (attrs.next()) {
            long v = attrs.valueOffset();
            int len = attrs.valueLength();
            switch (attrs.type()) {
                case UNIX_DIAG_NAME -> path = name(seg, v, len);
                case UNIX_DIAG_PEER -> peer = Integer.toUnsignedLong(seg.get(U32, v + need(len, 4, "UNIX_DIAG_PEER")));
                case UNIX_DIAG_RQLEN -> {
                    need(len, 8, "UNIX_DIAG_RQLEN");
                    rqueue = Integer.toUnsignedLong(seg.get(U32, v));
                    wqueue = Integer.toUnsignedLong(seg.get(U32, v + 4));
                }
                case UNIX_DIAG_UID -> uid = seg.get(U32, v + need(len, 4, "UNIX_DIAG_UID"));
                default -> {
                }
            }
        }
        return new SocketEntry(netid, AF_UNIX, state, null, null, path, peer, rqueue, wqueue, uid, inode, 0, 0, null, null, null);
    }

    private static int need(int len, int min, String what) {
        if (len < min) {
            throw new MalformedNetlinkException(what + " of " + len + " bytes, need " + min);
        }
        return 0;
    }

    private static String name(MemorySegment seg, long offset, int len) {
        if (len == 0) {
            return "";
        }
        byte[] bytes = new byte[len];
        MemorySegment.copy(seg, U8, offset, bytes, 0, len);
        if (bytes[0] == 0) {
            for (int i = 0; i < len; i++) {
                if (bytes[i] == 0) {
                    bytes[i] = '@';
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        int n = 0;
        while (n < len && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
