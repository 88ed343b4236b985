package dev.netwarden.linux.netlink;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The walk that netlink messages and netlink attributes share: records in a byte range, each starting
 * with its own length (header included), each padded to 4 bytes, the last one's padding optional (as
 * the kernel's {@code nlmsg_next}/{@code nla_next} allow).
 *
 * <p>Validation lives here once, so both cursors reject the same shapes: fewer bytes left than a
 * header, a declared length below the header's, or one past the end of the range — each a
 * {@link MalformedNetlinkException}. Every step advances by at least a header, so a walk always ends.
 */
abstract sealed class LengthPrefixedCursor permits NetlinkMessageCursor, NetlinkAttributeCursor {
    private final int headerLength;
    private final String lengthName;
    private final String recordName;
    MemorySegment segment = MemorySegment.NULL;
    private long next;
    private long end;
    private long current = -1;
    private int length;

    /**
     * @param lengthName how an error names the length field ("nlmsg_len")
     * @param recordName how an error names a record ("message")
     */
    LengthPrefixedCursor(int headerLength, String lengthName, String recordName) {
        this.headerLength = headerLength;
        this.lengthName = lengthName;
        this.recordName = recordName;
    }

    /** The record's declared length, read from its header at {@code offset} (at least a header is there). */
    abstract long declaredLength(long offset);

    final void resetRange(MemorySegment segment, long offset, long length) {
        Objects.requireNonNull(segment, "segment is null");
        if (offset < 0 || length < 0 || offset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside segment of " + segment.byteSize());
        }
        this.segment = segment;
        this.next = offset;
        this.end = offset + length;
        this.current = -1;
        this.length = 0;
    }

    /** Moves to the next record; false at the end of the range. */
    public final boolean next() {
        long remaining = end - next;
        if (remaining == 0) {
            current = -1;
            return false;
        }
        if (remaining < headerLength) {
            throw new MalformedNetlinkException("truncated " + recordName + " header: " + remaining + " bytes left at offset " + next);
        }
        long len = declaredLength(next);
        if (len < headerLength) {
            throw new MalformedNetlinkException(lengthName + " " + len + " < " + headerLength + " at offset " + next);
        }
        if (len > remaining) {
            throw new MalformedNetlinkException(lengthName + " " + len + " exceeds the " + remaining + " bytes left at offset " + next);
        }
        current = next;
        length = (int) len;
        next += Math.min(NetlinkLayouts.align4(len), remaining);
        return true;
    }

    /** The current record's offset; fails when {@link #next()} has not found one. */
    final long at() {
        if (current < 0) {
            throw new IllegalStateException("no current " + recordName + ": call next() first");
        }
        return current;
    }

    /** The current record's declared length, header included. */
    final int currentLength() {
        at();
        return length;
    }

    public final MemorySegment segment() {
        return segment;
    }
}
