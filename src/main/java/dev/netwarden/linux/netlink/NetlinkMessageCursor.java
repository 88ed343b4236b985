package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * Walks the netlink messages in a byte range, one {@link #next()} at a time, without allocating:
 * the same cursor is reset for every received datagram of a 100k-socket dump.
 *
 * <p>Validation (each failure is a {@link MalformedNetlinkException}): fewer than 16 bytes left for a
 * header, {@code nlmsg_len < 16}, or {@code nlmsg_len} past the end of the range. Messages start at
 * 4-byte aligned offsets (NLMSG_ALIGN); a final message whose padding is missing is accepted, as the
 * kernel's own {@code nlmsg_next} does. Every step advances by at least 16 bytes, so the walk ends.
 */
public final class NetlinkMessageCursor extends LengthPrefixedCursor {
    public NetlinkMessageCursor() {
        super(NetlinkHeader.LENGTH, "nlmsg_len", "netlink message");
    }

    /** A cursor over {@code [offset, offset + length)} of {@code segment}. */
    public NetlinkMessageCursor(MemorySegment segment, long offset, long length) {
        this();
        reset(segment, offset, length);
    }

    /** Points the cursor at a new range; the previous position is forgotten. */
    public NetlinkMessageCursor reset(MemorySegment segment, long offset, long length) {
        resetRange(segment, offset, length);
        return this;
    }

    @Override
    long declaredLength(long offset) {
        return Integer.toUnsignedLong(segment.get(U32, offset + NetlinkHeader.OFFSET_LEN));
    }

    /** Offset of the current message's header in {@link #segment()}. */
    public long offset() {
        return at();
    }

    /** nlmsg_len: header plus payload. */
    public int length() {
        return currentLength();
    }

    public int type() {
        return Short.toUnsignedInt(segment.get(U16, at() + NetlinkHeader.OFFSET_TYPE));
    }

    public int flags() {
        return Short.toUnsignedInt(segment.get(U16, at() + NetlinkHeader.OFFSET_FLAGS));
    }

    public int seq() {
        return segment.get(U32, at() + NetlinkHeader.OFFSET_SEQ);
    }

    /** nlmsg_pid: for kernel replies, the port id of the socket that asked. */
    public int portId() {
        return segment.get(U32, at() + NetlinkHeader.OFFSET_PID);
    }

    /** Offset of the payload (right after the 16-byte header). */
    public long payloadOffset() {
        return at() + NetlinkHeader.LENGTH;
    }

    public int payloadLength() {
        return currentLength() - NetlinkHeader.LENGTH;
    }
}
