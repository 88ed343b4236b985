package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * What one fd of one process points at now: one {@code readlinkat("/proc/PID/fd/FD")}. Why: a warm
 * {@link SocketHolderIndex} is a picture of the past; before a daemon tells a client that pid P holds
 * socket I through fd F, it checks that link, which costs one syscall instead of a rescan.
 *
 * <p>One reader per thread (reused buffers and errno state); segments from an automatic arena.
 */
public final class FdLinkReader {
    private static final long LINK_SIZE = 64;

    private final Libc.CallState state;
    private final MemorySegment path;
    private final MemorySegment link;

    public FdLinkReader() {
        Arena arena = Arena.ofAuto();
        this.state = new Libc.CallState(arena);
        this.path = arena.allocate(64);
        this.link = arena.allocate(LINK_SIZE, 8);
    }

    /** The socket inode fd {@code fd} of {@code pid} refers to now, or {@link SocketLink#NOT_A_SOCKET} (not a socket, closed, exited). */
    public long socketInode(int pid, int fd) {
        byte[] p = ("/proc/" + pid + "/fd/" + fd).getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(p, 0, path, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, p.length);
        path.set(java.lang.foreign.ValueLayout.JAVA_BYTE, p.length, (byte) 0);
        long n = Libc.readlinkat(state, Libc.AT_FDCWD, path, link, LINK_SIZE);
        return n <= 0 ? SocketLink.NOT_A_SOCKET : SocketLink.inode(link, n);
    }
}
