package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Reads the socket fds of one process at a time: {@code openat("PID/fd")} relative to an open /proc,
 * {@code getdents64} into a reused buffer, {@code readlinkat} of each entry relative to that directory
 * with the fd number copied into a reused C string, and {@link SocketLink} on the reused link buffer.
 * Nothing is allocated per fd; per process only the result arrays.
 *
 * <p>One scanner per thread: its buffers and errno state are not shared. The segments come from an
 * automatic arena so a scanner may move between threads (one at a time) and needs no closing.
 */
final class FdDirScanner {
    /** What {@link #scan} found out about a process, besides its sockets. */
    enum Outcome { SCANNED, GONE, UNREADABLE }

    private static final int O_DIR = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC;
    private static final int DIRENT_RECLEN = 16;
    private static final int DIRENT_NAME = 19;
    private static final long DENTS_SIZE = 64 * 1024;
    /** "socket:[" + 19 digits + "]" is 28; anything longer is not a socket, so 64 bytes suffice. */
    private static final long LINK_SIZE = 64;

    private final Libc.CallState state;
    private final MemorySegment dents;
    private final MemorySegment link;
    private final MemorySegment name;
    private final MemorySegment pidPath;

    private final SocketFdList found = new SocketFdList(1024);

    FdDirScanner() {
        Arena arena = Arena.ofAuto();
        this.state = new Libc.CallState(arena);
        this.dents = arena.allocate(DENTS_SIZE, 8);
        this.link = arena.allocate(LINK_SIZE, 8);
        this.name = arena.allocate(32);
        this.pidPath = arena.allocate(32);
    }

    /** Opens a directory (the proc root); returns the fd, or -errno. */
    int openDirectory(MemorySegment path) {
        int fd = Libc.openat(state, Libc.AT_FDCWD, path, O_DIR);
        return fd >= 0 ? fd : -state.errno();
    }

    void close(int fd) {
        Libc.close(state, fd);
    }

    /** The numeric entries (pids) of the open directory {@code procFd}, in directory order. */
    int[] listPids(int procFd) {
        int[] pids = new int[512];
        int n = 0;
        while (true) {
            long got = Libc.getdents64(state, procFd, dents, DENTS_SIZE);
            if (got <= 0) {
                break;
            }
            for (long off = 0; off < got; ) {
                int pid = parseDecimalName(off + DIRENT_NAME, false);
                if (pid > 0) {
                    if (n == pids.length) {
                        pids = Arrays.copyOf(pids, n * 2);
                    }
                    pids[n++] = pid;
                }
                off += Short.toUnsignedInt(dents.get(ValueLayout.JAVA_SHORT, off + DIRENT_RECLEN));
            }
        }
        return Arrays.copyOf(pids, n);
    }

    /**
     * Scans {@code /proc/PID/fd} (relative to the open proc root {@code procFd}), keeping socket fds
     * whose inode {@code wanted} accepts (all when null). Read the result with {@link #result()}.
     */
    Outcome scan(int procFd, int pid, LongPredicate wanted) {
        found.clear();
        writePidPath(pid);
        int dirFd = Libc.openat(state, procFd, pidPath, O_DIR);
        if (dirFd < 0) {
            int errno = state.errno();
            return errno == Errno.ENOENT || errno == Errno.ESRCH ? Outcome.GONE : Outcome.UNREADABLE;
        }
        try {
            while (true) {
                long got = Libc.getdents64(state, dirFd, dents, DENTS_SIZE);
                if (got == 0) {
                    return Outcome.SCANNED;
                }
                if (got < 0) {
                    int errno = state.errno();
                    return errno == Errno.ENOENT || errno == Errno.ESRCH ? Outcome.GONE : Outcome.UNREADABLE;
                }
                for (long off = 0; off < got; ) {
                    int fd = parseDecimalName(off + DIRENT_NAME, true);
                    if (fd >= 0) {
                        long len = Libc.readlinkat(state, dirFd, name, link, LINK_SIZE);
                        if (len > 0) { // < 0: the fd was closed meanwhile
                            long inode = SocketLink.inode(link, len);
                            if (inode >= 0 && (wanted == null || wanted.test(inode))) {
                                found.add(inode, fd);
                            }
                        }
                    }
                    off += Short.toUnsignedInt(dents.get(ValueLayout.JAVA_SHORT, off + DIRENT_RECLEN));
                }
            }
        } finally {
            Libc.close(state, dirFd);
        }
    }

    /** Whether {@code /proc/PID/fd} can be opened: the process exists and its fds are readable. */
    boolean fdDirectoryOpens(int procFd, int pid) {
        writePidPath(pid);
        int dirFd = Libc.openat(state, procFd, pidPath, O_DIR);
        if (dirFd < 0) {
            return false;
        }
        Libc.close(state, dirFd);
        return true;
    }

    /** The sockets of the last successful {@link #scan}. */
    PidSockets result() {
        return found.toPidSockets();
    }

    /**
     * Parses the NUL-terminated d_name at {@code at} as a non-negative decimal int (-1 for ".", ".."
     * or anything else); when {@code copy}, also copies it with its NUL into {@link #name}.
     */
    private int parseDecimalName(long at, boolean copy) {
        long v = 0;
        int i = 0;
        for (; i < 11; i++) {
            byte b = dents.get(ValueLayout.JAVA_BYTE, at + i);
            if (b == 0) {
                break;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
            if (copy) {
                name.set(ValueLayout.JAVA_BYTE, i, b);
            }
        }
        if (i == 0 || i == 11 || v > Integer.MAX_VALUE) {
            return -1;
        }
        if (copy) {
            name.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        return (int) v;
    }

    /** Writes "PID/fd\0" into {@link #pidPath}. */
    private void writePidPath(int pid) {
        int digits = 1;
        for (int p = pid; p >= 10; p /= 10) {
            digits++;
        }
        int p = pid;
        for (int i = digits - 1; i >= 0; i--) {
            pidPath.set(ValueLayout.JAVA_BYTE, i, (byte) ('0' + p % 10));
            p /= 10;
        }
        pidPath.set(ValueLayout.JAVA_BYTE, digits, (byte) '/');
        pidPath.set(ValueLayout.JAVA_BYTE, digits + 1, (byte) 'f');
        pidPath.set(ValueLayout.JAVA_BYTE, digits + 2, (byte) 'd');
        pidPath.set(ValueLayout.JAVA_BYTE, digits + 3, (byte) 0);
    }
}
