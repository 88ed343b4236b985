package dev.netwarden.linux.proc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes {@code ROOT/PID/NAME\0} into a native buffer without building a String per call: the /proc
 * readers run once per process (and at the intercept level per connection), so the path is assembled
 * byte by byte in a buffer the reader keeps.
 */
final class ProcPath {
    /** The kernel's PATH_MAX: no path (or link target) it hands out is longer. */
    static final int PATH_MAX = 4096;

    private ProcPath() {
    }

    /**
     * Writes the path into {@code into} (at least {@code PATH_MAX + 1} bytes); false, writing nothing,
     * for a negative pid or a path longer than PATH_MAX.
     *
     * @param procRoot the proc root's path bytes (no trailing slash, no NUL)
     * @param name     the file's name under the pid's directory, ASCII
     */
    static boolean write(MemorySegment into, byte[] procRoot, int pid, String name) {
        return write(into, procRoot, pid, name, -1);
    }

    /**
     * Writes {@code ROOT/PID/NAMENUMBER\0}, e.g. {@code /proc/42/fd/7} for name {@code "fd/"} and number 7;
     * false, writing nothing, for a negative pid or number or a path longer than PATH_MAX.
     */
    static boolean writeNumbered(MemorySegment into, byte[] procRoot, int pid, String name, int number) {
        return number >= 0 && write(into, procRoot, pid, name, number);
    }

    /** {@code number} < 0: none. */
    private static boolean write(MemorySegment into, byte[] procRoot, int pid, String name, int number) {
        if (pid < 0) {
            return false;
        }
        int length = procRoot.length + 1 + digits(pid) + 1 + name.length() + (number < 0 ? 0 : digits(number));
        if (length > PATH_MAX) {
            return false;
        }
        MemorySegment.copy(procRoot, 0, into, ValueLayout.JAVA_BYTE, 0, procRoot.length);
        long at = procRoot.length;
        into.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
        at = decimal(into, at, pid);
        into.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
        for (int i = 0; i < name.length(); i++) {
            into.set(ValueLayout.JAVA_BYTE, at++, (byte) name.charAt(i));
        }
        if (number >= 0) {
            at = decimal(into, at, number);
        }
        into.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        return true;
    }

    private static int digits(int value) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes non-negative {@code value} in decimal at {@code at}; returns the offset after it. */
    private static long decimal(MemorySegment into, long at, int value) {
        int digits = digits(value);
        int v = value;
        for (int i = digits - 1; i >= 0; i--) {
            into.set(ValueLayout.JAVA_BYTE, at + i, (byte) ('0' + v % 10));
            v /= 10;
        }
        return at + digits;
    }
}
