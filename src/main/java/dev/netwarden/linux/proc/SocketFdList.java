package dev.netwarden.linux.proc;

import java.util.Arrays;

/**
 * A growing list of (socket inode, fd) pairs in primitive arrays, reused from one process to the next
 * by whoever gathers a process's sockets (the /proc scanner, the BPF records' collector); copied out
 * as a {@link PidSockets} once the process is complete.
 */
final class SocketFdList {
    private long[] inodes;
    private int[] fds;
    private int count;

    /** @param capacity the room to start with; it doubles as needed */
    SocketFdList(int capacity) {
        inodes = new long[Math.max(1, capacity)];
        fds = new int[Math.max(1, capacity)];
    }

    void add(long inode, int fd) {
        if (count == fds.length) {
            inodes = Arrays.copyOf(inodes, count * 2);
            fds = Arrays.copyOf(fds, count * 2);
        }
        inodes[count] = inode;
        fds[count] = fd;
        count++;
    }

    int size() {
        return count;
    }

    void clear() {
        count = 0;
    }

    /** The pairs gathered so far, in the order added ({@link PidSockets#NONE} when none). */
    PidSockets toPidSockets() {
        if (count == 0) {
            return PidSockets.NONE;
        }
        return new PidSockets(Arrays.copyOf(inodes, count), Arrays.copyOf(fds, count), false);
    }
}
