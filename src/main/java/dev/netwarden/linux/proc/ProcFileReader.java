package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Reads one small file of a process ({@code ROOT/PID/NAME}: stat, status, cmdline, cgroup) with
 * openat + read + close through reused native buffers.
 *
 * <p>Why not {@code Files.readAllBytes}: it builds Path objects, a FileChannel and a direct buffer per
 * call and makes a few more syscalls (fstat, two reads into a growing array); the daemon reads these files
 * at every fork and exec of the machine and on every queued packet, and that overhead was about a third
 * of its process-reading time. The bytes read are the same.
 *
 * <p>One reader per thread ({@link #forThisThread()}): its buffers and errno state are not shared. The
 * segments come from an automatic arena, so nothing needs closing.
 */
final class ProcFileReader {
    private static final int CHUNK = 4096;
    private static final ThreadLocal<ProcFileReader> PER_THREAD = ThreadLocal.withInitial(ProcFileReader::new);

    private final Libc.CallState state;
    private final MemorySegment path;
    private final MemorySegment chunk;

    private ProcFileReader() {
        Arena arena = Arena.ofAuto();
        this.state = new Libc.CallState(arena);
        this.path = arena.allocate(ProcPath.PATH_MAX + 1);
        this.chunk = arena.allocate(CHUNK);
    }

    static ProcFileReader forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * The whole content of {@code ROOT/PID/NAME}, or null when it cannot be read (the process is gone,
     * no permission, or the path is longer than PATH_MAX).
     *
     * @param procRoot the proc root's path bytes (no trailing slash, no NUL)
     * @param name     the file's name, ASCII
     */
    byte[] read(byte[] procRoot, int pid, String name) {
        if (!ProcPath.write(path, procRoot, pid, name)) {
            return null;
        }
        int fd = Libc.openat(state, Libc.AT_FDCWD, path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            return null;
        }
        try {
            byte[] out = null;
            int size = 0;
            while (true) {
                long n = Libc.read(state, fd, chunk, CHUNK);
                if (n < 0) {
                    if (state.errno() == Errno.EINTR) {
                        continue;
                    }
                    return null; // ESRCH: exited while being read
                }
                if (n == 0) {
                    return out == null ? new byte[0] : (size == out.length ? out : Arrays.copyOf(out, size));
                }
                if (out == null) {
                    out = new byte[(int) n];
                } else if (size + n > out.length) {
                    out = Arrays.copyOf(out, Math.max(size + (int) n, out.length * 2));
                }
                MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, out, size, (int) n);
                size += (int) n;
            }
        } finally {
            Libc.close(state, fd);
        }
    }
}
