package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;

/**
 * Walks netlink attributes ({@code struct nlattr} / {@code struct rtattr}: u16 length, u16 type,
 * value, padded to 4 bytes) in a byte range, without allocating.
 *
 * <p>Validation (each failure is a {@link MalformedNetlinkException}): 1–3 stray bytes where a header
 * should be, a length below 4, or a length past the end of the range. The type is returned without
 * the NLA_F_NESTED / NLA_F_NET_BYTEORDER flag bits. Each step advances by at least 4 bytes.
 */
public final class NetlinkAttributeCursor {
    public static final int HEADER_LENGTH = 4;
    private static final int TYPE_MASK = 0x3FFF;

    private MemorySegment segment = MemorySegment.NULL;
    private long next;
    private long end;
    private long current = -1;
    private int length;

    public NetlinkAttributeCursor() {
    }

    public NetlinkAttributeCursor(MemorySegment segment, long offset, long length) {
        reset(segment, offset, length);
    }

    public NetlinkAttributeCursor reset(MemorySegment segment, long offset, long length) {
        Objects.requireNonNull(segment, "segment is null");
        if (offset < 0 || length < 0 || offset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside segment of " + segment.byteSize());
        }
        this.segment = segment;
        this.next = offset;
        this.end = offset + length;
        this.current = -1;
        this.length = 0;
        return this;
    }

    /** Moves to the next attribute; false at the end of the range. */
    public boolean next() {
        long remaining = end - next;
        if (remaining == 0) {
            current = -1;
            return false;
        }
        if (remaining < HEADER_LENGTH) {
            throw new MalformedNetlinkException("truncated attribute header: " + remaining + " bytes left at offset " + next);
        }
        int len = Short.toUnsignedInt(segment.get(U16, next));
        if (len < HEADER_LENGTH) {
            throw new MalformedNetlinkException("attribute length " + len + " < 4 at offset " + next);
        }
        if (len > remaining) {
            throw new MalformedNetlinkException("attribute length " + len + " exceeds the " + remaining + " bytes left at offset " + next);
        }
        current = next;
        length = len;
        next += Math.min(NetlinkLayouts.align4(len), remaining);
        return true;
    }

    private long at() {
        if (current < 0) {
            throw new IllegalStateException("no current attribute: call next() first");
        }
        return current;
    }

    /** The attribute type without flag bits. */
    public int type() {
        return Short.toUnsignedInt(segment.get(U16, at() + 2)) & TYPE_MASK;
    }

    public long valueOffset() {
        return at() + HEADER_LENGTH;
    }

    public int valueLength() {
        at();
        return length - HEADER_LENGTH;
    }

    public MemorySegment segment() {
        return segment;
    }
}
