package dev.netwarden.linux.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The records {@link TaskSocketProgram} writes, as read from the iterator: 16 bytes each, native byte
 * order — u32 pid (the thread-group id), u32 fd, u64 socket inode. Pure: parses bytes it is given.
 */
public final class TaskSocketRecords {
    public static final int RECORD_BYTES = 16;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** Receives one record. */
    @FunctionalInterface
    public interface Sink {
        void accept(int pid, int fd, long inode);
    }

    private TaskSocketRecords() {
    }

    /**
     * Hands each whole record in {@code bytes[0, length)} to the sink.
     *
     * @return how many bytes were consumed (a multiple of 16; the rest is a record cut short)
     */
    public static long forEach(MemorySegment bytes, long length, Sink sink) {
        if (length < 0 || length > bytes.byteSize()) {
            throw new IllegalArgumentException("length " + length + " outside a buffer of " + bytes.byteSize());
        }
        int records = (int) (length / RECORD_BYTES);
        // One bulk copy into a Java array, then plain array reads: a short command parses 100k records
        // before the JIT compiles this loop, and a segment read per field is ~10× slower interpreted.
        long[] words = new long[records * 2];
        MemorySegment.copy(bytes, ValueLayout.JAVA_LONG_UNALIGNED, 0, words, 0, words.length);
        for (int r = 0; r < records; r++) {
            long pidAndFd = words[2 * r];
            int pid = (int) (LITTLE_ENDIAN ? pidAndFd : pidAndFd >>> 32);
            int fd = (int) (LITTLE_ENDIAN ? pidAndFd >>> 32 : pidAndFd);
            if (pid > 0 && fd >= 0) {
                sink.accept(pid, fd, words[2 * r + 1]);
            }
        }
        return (long) records * RECORD_BYTES;
    }
}
