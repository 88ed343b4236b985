package dev.netwarden.linux.sockdiag;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U64;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Turns the 4 or 16 address bytes of an inet_diag_sockid into an {@link InetAddress}, reusing the
 * object when the same address was seen recently. A dump of 100k sockets usually holds a handful of
 * distinct local addresses (0.0.0.0, 127.0.0.1, the host's own) and this saves most of the 200k
 * array + InetAddress allocations. Direct-mapped, 256 slots; not thread-safe (one per parser).
 *
 * <p>IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) come back as {@code Inet4Address}, because that is
 * what {@link InetAddress#getByAddress(byte[])} makes of them.
 */
final class InetAddressCache {
    private static final int SLOTS = 256;
    private final long[] hi = new long[SLOTS];
    private final long[] lo = new long[SLOTS];
    private final InetAddress[] values = new InetAddress[SLOTS];
    private final boolean[] v6 = new boolean[SLOTS];

    /** The address whose bytes start at {@code offset}: 4 bytes when {@code ipv6} is false, else 16. */
    InetAddress get(MemorySegment seg, long offset, boolean ipv6) {
        long h;
        long l;
        if (ipv6) {
            h = seg.get(U64, offset);
            l = seg.get(U64, offset + 8);
        } else {
            h = Integer.toUnsignedLong(seg.get(U32, offset));
            l = 0;
        }
        long mix = (h * 0x9E3779B97F4A7C15L) ^ (l * 0xC2B2AE3D27D4EB4FL);
        int slot = (int) (mix >>> 56) & (SLOTS - 1);
        InetAddress cached = values[slot];
        if (cached != null && hi[slot] == h && lo[slot] == l && v6[slot] == ipv6) {
            return cached;
        }
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        MemorySegment.copy(seg, U8, offset, bytes, 0, bytes.length);
        InetAddress made;
        try {
            made = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
        hi[slot] = h;
        lo[slot] = l;
        v6[slot] = ipv6;
        values[slot] = made;
        return made;
    }
}
