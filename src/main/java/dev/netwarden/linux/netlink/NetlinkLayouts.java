package dev.netwarden.linux.netlink;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The field layouts netlink payloads use: host byte order for the netlink and diag structs, network
 * byte order for ports and addresses. All unaligned, so the same parser reads a native receive buffer
 * and a heap {@code byte[]} (tests, fuzzing) alike.
 */
public final class NetlinkLayouts {
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    public static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetlinkLayouts() {
    }

    /** NLMSG_ALIGN / NLA_ALIGN: rounds up to a multiple of 4. */
    public static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
