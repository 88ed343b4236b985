package dev.netwarden.linux.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The records {@link TaskSocketProgram} writes, as read from the iterator: 16 bytes each, native byte
 * order — u32 pid (the thread-group id), u32 fd, u64 socket inode. Pure: parses bytes it is given.
 */
public final class TaskSocketRecords {
    public static final int RECORD_BYTES = 16;

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
        long whole = length - length % RECORD_BYTES;
        for (long at = 0; at < whole; at += RECORD_BYTES) {
            int pid = bytes.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            int fd = bytes.get(ValueLayout.JAVA_INT_UNALIGNED, at + 4);
            long inode = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8);
            if (pid > 0 && fd >= 0) {
                sink.accept(pid, fd, inode);
            }
        }
        return whole;
    }
}
