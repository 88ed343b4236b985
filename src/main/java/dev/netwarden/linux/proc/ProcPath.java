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
        if (pid < 0) {
            return false;
        }
        int digits = 1;
        for (int p = pid; p >= 10; p /= 10) {
            digits++;
        }
        int length = procRoot.length + 1 + digits + 1 + name.length();
        if (length > PATH_MAX) {
            return false;
        }
        MemorySegment.copy(procRoot, 0, into, ValueLayout.JAVA_BYTE, 0, procRoot.length);
        long at = procRoot.length;
        into.set(ValueLayout.JAVA_BYTE, at, (byte) '/');
        int p = pid;
        for (int i = digits; i >= 1; i--) {
            into.set(ValueLayout.JAVA_BYTE, at + i, (byte) ('0' + p % 10));
            p /= 10;
        }
        at += 1 + digits;
        into.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
        for (int i = 0; i < name.length(); i++) {
            into.set(ValueLayout.JAVA_BYTE, at++, (byte) name.charAt(i));
        }
        into.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        return true;
    }
}
