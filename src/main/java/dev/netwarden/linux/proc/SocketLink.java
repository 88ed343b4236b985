package dev.netwarden.linux.proc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads the inode out of an fd link target {@code socket:[12345]}, straight from the buffer readlinkat
 * filled: this runs once per fd of every process, so no String, no regex, no allocation. The prefix
 * {@code "socket:["} is exactly 8 bytes and is compared as one long.
 */
public final class SocketLink {
    /** Returned for a target that is not {@code socket:[digits]} (a file, a pipe, anon_inode:...). */
    public static final long NOT_A_SOCKET = -1;

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long PREFIX = prefixAsLong();
    /** Inodes are at most 64-bit unsigned; more than 19 digits could overflow a long and never occur. */
    private static final int MAX_DIGITS = 19;

    private SocketLink() {
    }

    /** The inode of {@code socket:[N]} in the first {@code length} bytes of {@code target}, else {@link #NOT_A_SOCKET}. */
    public static long inode(MemorySegment target, long length) {
        if (length < 10 || length > 8 + MAX_DIGITS + 1 || length > target.byteSize()
                || target.get(LONG_LE, 0) != PREFIX
                || target.get(ValueLayout.JAVA_BYTE, length - 1) != ']') {
            return NOT_A_SOCKET;
        }
        long v = 0;
        for (long i = 8; i < length - 1; i++) {
            int d = target.get(ValueLayout.JAVA_BYTE, i) - '0';
            if (d < 0 || d > 9) {
                return NOT_A_SOCKET;
            }
            v = v * 10 + d;
        }
        return v < 0 ? NOT_A_SOCKET : v;
    }

    /** The same over a byte array (tests, fuzzing). */
    public static long inode(byte[] target, int length) {
        Objects.checkFromIndexSize(0, length, target.length);
        return inode(MemorySegment.ofArray(target), length);
    }

    private static long prefixAsLong() {
        byte[] p = {'s', 'o', 'c', 'k', 'e', 't', ':', '['};
        return MemorySegment.ofArray(p).get(LONG_LE, 0);
    }
}
