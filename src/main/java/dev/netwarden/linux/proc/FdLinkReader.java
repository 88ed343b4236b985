package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What one fd of one process points at now: one {@code readlinkat("/proc/PID/fd/FD")}. Why: a warm
 * {@link SocketHolderIndex} is a picture of the past; before a daemon tells a client that pid P holds
 * socket I through fd F, it checks that link, which costs one syscall instead of a rescan. The path is
 * assembled by {@link ProcPath} in a reused buffer, like the other /proc readers: no String per call.
 *
 * <p>One reader per thread (reused buffers and errno state); segments from an automatic arena.
 */
public final class FdLinkReader {
    /** Enough for any socket link ({@code socket:[}, up to 20 digits, {@code ]}); a longer target is not a socket. */
    private static final long LINK_SIZE = 64;

    private final byte[] procRoot;
    private final Libc.CallState state;
    private final MemorySegment path;
    private final MemorySegment link;

    /** Reads the real {@code /proc}. */
    public FdLinkReader() {
        this(Path.of("/proc"));
    }

    /** Reads under {@code procRoot} (a fake tree in tests). */
    FdLinkReader(Path procRoot) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot is null").toString().getBytes(StandardCharsets.UTF_8);
        Arena arena = Arena.ofAuto();
        this.state = new Libc.CallState(arena);
        this.path = arena.allocate(ProcPath.PATH_MAX + 1);
        this.link = arena.allocate(LINK_SIZE, 8);
    }

    /**
     * The socket inode fd {@code fd} of {@code pid} refers to now, or {@link SocketLink#NOT_A_SOCKET}
     * (not a socket, closed, exited, a negative pid or fd).
     */
    public long socketInode(int pid, int fd) {
        if (!ProcPath.writeNumbered(path, procRoot, pid, "fd/", fd)) {
            return SocketLink.NOT_A_SOCKET;
        }
        long n = Libc.readlinkat(state, Libc.AT_FDCWD, path, link, LINK_SIZE);
        return n <= 0 ? SocketLink.NOT_A_SOCKET : SocketLink.inode(link, n);
    }
}
