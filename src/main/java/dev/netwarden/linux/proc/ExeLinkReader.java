package dev.netwarden.linux.proc;

import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads {@code /proc/PID/exe} with {@code readlinkat(2)} into reused buffers and hands the raw bytes
 * to {@link ExeLink#parse(byte[], int)}, which decodes them as UTF-8.
 *
 * <p>Why not {@code Files.readSymbolicLink}: the JDK decodes link targets with {@code sun.jnu.encoding},
 * which is ASCII when the JVM runs without a UTF-8 locale (LANG unset or C, as under systemd or
 * {@code env -i}); every non-ASCII byte of the path then becomes U+FFFD, while cmdline, read as bytes,
 * shows the same path correctly. Taking the bytes from the kernel makes the result independent of
 * the locale.
 *
 * <p>One reader per thread ({@link #forThisThread()}): its buffers and errno state are not shared.
 * The segments come from an automatic arena, so nothing needs closing.
 */
final class ExeLinkReader {
    /**
     * One byte more than any valid target (the kernel's d_path fails with ENAMETOOLONG beyond PATH_MAX),
     * so a result that fills the buffer is seen as truncated.
     */
    private static final int LINK_SIZE = ProcPath.PATH_MAX + 1;
    private static final ThreadLocal<ExeLinkReader> PER_THREAD = ThreadLocal.withInitial(ExeLinkReader::new);

    private final Libc.CallState state;
    private final MemorySegment path;
    private final MemorySegment link;
    private final byte[] bytes = new byte[LINK_SIZE];

    private ExeLinkReader() {
        Arena arena = Arena.ofAuto();
        this.state = new Libc.CallState(arena);
        this.path = arena.allocate(ProcPath.PATH_MAX + 1);
        this.link = arena.allocate(LINK_SIZE);
    }

    static ExeLinkReader forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * The exe link of {@code pid} under the proc root whose path bytes are {@code procRoot} (no
     * trailing slash, no NUL), or null when it cannot be read: a kernel thread (ENOENT), another
     * user's process (EACCES), an exited process, or a target longer than PATH_MAX.
     *
     * @throws MalformedProcFileException when the target is not an absolute path
     */
    /**
     * The inode of {@code pid}'s network namespace ({@code /proc/PID/ns/net}), or -1 when it cannot be
     * read (exited, or not ours to read). Here because it is the same readlinkat into the same buffers.
     */
    long netNamespace(byte[] procRoot, int pid) {
        if (!ProcPath.write(path, procRoot, pid, "ns/net")) {
            return -1;
        }
        long len = Libc.readlinkat(state, Libc.AT_FDCWD, path, link, LINK_SIZE);
        if (len < 0 || len >= LINK_SIZE) {
            return -1;
        }
        MemorySegment.copy(link, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
        return NamespaceLink.inode(bytes, (int) len, "net");
    }

    ExeLink read(byte[] procRoot, int pid) {
        if (!ProcPath.write(path, procRoot, pid, "exe")) {
            return null;
        }
        long len = Libc.readlinkat(state, Libc.AT_FDCWD, path, link, LINK_SIZE);
        if (len < 0 || len >= LINK_SIZE) {
            return null;
        }
        MemorySegment.copy(link, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
        return ExeLink.parse(bytes, (int) len);
    }
}
