package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;

/**
 * Walks netlink attributes ({@code struct nlattr} / {@code struct rtattr}: u16 length, u16 type,
 * value, padded to 4 bytes) in a byte range, without allocating.
 *
 * <p>Validation (each failure is a {@link MalformedNetlinkException}): 1–3 stray bytes where a header
 * should be, a length below 4, or a length past the end of the range. The type is returned without
 * the NLA_F_NESTED / NLA_F_NET_BYTEORDER flag bits. Each step advances by at least 4 bytes.
 */
public final class NetlinkAttributeCursor extends LengthPrefixedCursor {
    public static final int HEADER_LENGTH = 4;
    private static final int TYPE_MASK = 0x3FFF;

    public NetlinkAttributeCursor() {
        super(HEADER_LENGTH, "attribute length", "attribute");
    }

    public NetlinkAttributeCursor(MemorySegment segment, long offset, long length) {
        this();
        reset(segment, offset, length);
    }

    public NetlinkAttributeCursor reset(MemorySegment segment, long offset, long length) {
        resetRange(segment, offset, length);
        return this;
    }

    @Override
    long declaredLength(long offset) {
        return Short.toUnsignedInt(segment.get(U16, offset));
    }

    /** The attribute type without flag bits. */
    public int type() {
        return Short.toUnsignedInt(segment.get(U16, at() + 2)) & TYPE_MASK;
    }

    public long valueOffset() {
        return at() + HEADER_LENGTH;
    }

    public int valueLength() {
        return currentLength() - HEADER_LENGTH;
    }
}
