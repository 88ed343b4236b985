package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

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
public final class NetlinkMessageCursor {
    private MemorySegment segment = MemorySegment.NULL;
    private long next;
    private long end;
    private long current;
    private int length;

    public NetlinkMessageCursor() {
    }

    /** A cursor over {@code [offset, offset + length)} of {@code segment}. */
    public NetlinkMessageCursor(MemorySegment segment, long offset, long length) {
        reset(segment, offset, length);
    }

    /** Points the cursor at a new range; the previous position is forgotten. */
    public NetlinkMessageCursor reset(MemorySegment segment, long offset, long length) {
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

    /** Moves to the next message; false at the end of the range. */
    public boolean next() {
        long remaining = end - next;
        if (remaining == 0) {
            current = -1;
            return false;
        }
        if (remaining < NetlinkHeader.LENGTH) {
            throw new MalformedNetlinkException("truncated netlink header: " + remaining + " bytes left at offset " + next);
        }
        long len = Integer.toUnsignedLong(segment.get(U32, next + NetlinkHeader.OFFSET_LEN));
        if (len < NetlinkHeader.LENGTH) {
            throw new MalformedNetlinkException("nlmsg_len " + len + " < 16 at offset " + next);
        }
        if (len > remaining) {
            throw new MalformedNetlinkException("nlmsg_len " + len + " exceeds the " + remaining + " bytes left at offset " + next);
        }
        current = next;
        length = (int) len;
        next += Math.min(NetlinkLayouts.align4(len), remaining);
        return true;
    }

    private long at() {
        if (current < 0) {
            throw new IllegalStateException("no current message: call next() first");
        }
        return current;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the current message's header in {@link #segment()}. */
    public long offset() {
        return at();
    }

    /** nlmsg_len: header plus payload. */
    public int length() {
        at();
        return length;
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
        at();
        return length - NetlinkHeader.LENGTH;
    }
}
