package dev.netwarden.linux.proc;

/**
 * The socket fds one process held when it was last scanned: parallel arrays, ascending by fd as the
 * kernel lists them. {@code unreadable} marks a process whose fd directory could not be opened
 * (another user's process, read as non-root): its sockets are unknown, not absent.
 */
record PidSockets(long[] inodes, int[] fds, boolean unreadable) {
    static final PidSockets NONE = new PidSockets(new long[0], new int[0], false);
    static final PidSockets UNREADABLE = new PidSockets(new long[0], new int[0], true);

    int count() {
        return fds.length;
    }
}
