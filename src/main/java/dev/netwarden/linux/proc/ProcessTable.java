package dev.netwarden.linux.proc;

import dev.netwarden.process.ProcessInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ProcessInfo} by pid, read from /proc on first request and cached.
 *
 * <p>What "exists" means: a process exists while {@code /proc/PID/stat} can be read. A process
 * that has exited gives {@link Optional#empty()} and is not cached (the pid may come back).
 * Everything else is best effort: as a non-root user the exe link of another user's process is
 * EACCES, and a kernel thread has no exe at all; such fields are null and the rest is still returned.
 * Unparseable files are treated the same way.
 *
 * <p>The uid is the <em>effective</em> uid from the status file's Uid line: ps's USER column, and the
 * uid the kernel stamps on sockets the process creates. See {@link ProcStatusParser} for why not the
 * owner of /proc/PID.
 *
 * <p>Pid reuse: the cache cannot see a pid die and be reused; the owner of a table calls
 * {@link #forget(int)} on exit events (proc connector) or {@link #forgetExited()} periodically. The
 * files of one process are read one after another, not atomically: a process that exits halfway
 * yields a record whose later fields are null. {@link ProcessInfo#startTicks()} with the pid
 * identifies the process for callers that need certainty.
 *
 * <p>Thread-safe: the cache is a concurrent map; two threads asking for the same new pid may both
 * read it, and one result wins.
 */
public final class ProcessTable {
    /**
     * Which /proc files a lookup reads. Why not always all: each file costs a few syscalls and the
     * kernel's work to render it (~15 us); with hundreds of holder processes the two that only
     * JSON/CSV show were a third of {@code conns -p}'s process reading.
     */
    public enum Detail {
        /** stat, status and the exe link: pid, ppid, comm, start time, uid, user, exe. cmdline is
         *  empty and cgroup/containerId are null (not read, not "none"). */
        BASIC,
        /** Also cmdline and cgroup. */
        FULL
    }

    private final Path procRoot;
    /** procRoot as the C path the JDK would pass to the kernel for it (sun.jnu.encoding), for readlinkat. */
    private final byte[] procRootBytes;
    private final UserNames users;
    private final Detail detail;
    private final ConcurrentHashMap<Integer, ProcessInfo> cache = new ConcurrentHashMap<>();

    /** The machine's /proc, users from /etc/passwd, every field. */
    public ProcessTable() {
        this(Detail.FULL);
    }

    /** The machine's /proc, users from /etc/passwd. */
    public ProcessTable(Detail detail) {
        this(Path.of("/proc"), UserNames.read(Path.of("/etc/passwd")), detail);
    }

    public ProcessTable(Path procRoot, UserNames users) {
        this(procRoot, users, Detail.FULL);
    }

    public ProcessTable(Path procRoot, UserNames users, Detail detail) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot is null");
        this.procRootBytes = nativePathBytes(procRoot);
        this.users = Objects.requireNonNull(users, "users is null");
        this.detail = Objects.requireNonNull(detail, "detail is null");
    }

    /** The process with this pid, from the cache or read now; empty when it does not exist (any more). */
    public Optional<ProcessInfo> lookup(int pid) {
        ProcessInfo cached = cache.get(pid);
        if (cached != null) {
            return Optional.of(cached);
        }
        ProcessInfo read = read(pid);
        if (read == null) {
            return Optional.empty();
        }
        ProcessInfo raced = cache.putIfAbsent(pid, read);
        return Optional.of(raced != null ? raced : read);
    }

    /**
     * Reads a process now, neither using nor filling the cache; empty when it does not exist. For an
     * owner that tracks lifetimes itself (from proc connector events) and must never be handed a
     * record of an earlier process with the same pid.
     */
    public Optional<ProcessInfo> readFresh(int pid) {
        return Optional.ofNullable(read(pid));
    }

    /**
     * {@code /proc/PID/stat} now (comm, state, ppid, start time), or null when the process does not
     * exist. One small read: how a caller checks that a pid still names the process it knows
     * (same start time) and that it has not exec'd or renamed itself since (same comm).
     */
    public ProcStat readStat(int pid) {
        byte[] bytes = readOrNull(pid, "stat");
        if (bytes == null) {
            return null;
        }
        try {
            return ProcStatParser.parse(bytes);
        } catch (MalformedProcFileException e) {
            return null;
        }
    }

    /**
     * {@code /proc/PID/exe} now, or null when it cannot be read (gone, kernel thread, no permission).
     * One readlink: how a holder of an earlier record learns that the executable has been deleted or
     * replaced since (the path then carries the kernel's " (deleted)" mark).
     */
    public ExeLink readExe(int pid) {
        try {
            return ExeLinkReader.forThisThread().read(procRootBytes, pid);
        } catch (MalformedProcFileException e) {
            return null;
        }
    }

    /**
     * The inode of {@code pid}'s network namespace now, or -1 when it cannot be read (the process is
     * gone, or not ours to read). One readlink.
     */
    public long netNamespaceOf(int pid) {
        return ExeLinkReader.forThisThread().netNamespace(procRootBytes, pid);
    }

    /** Drops the cached record of {@code pid} (it exited, or its pid may have been reused). */
    public void forget(int pid) {
        cache.remove(pid);
    }

    /** Drops cached records of every pid that is no longer in /proc. Costs one listing of /proc. */
    public void forgetExited() {
        int[] live = listPids();
        cache.keySet().removeIf(pid -> Arrays.binarySearch(live, pid) < 0);
    }

    /** How many processes are cached. */
    public int cachedCount() {
        return cache.size();
    }

    /** The pids in /proc now (its numeric entries), ascending. */
    public int[] listPids() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            int[] pids = new int[256];
            int n = 0;
            for (Path entry : entries) {
                int pid = parsePid(entry.getFileName().toString());
                if (pid > 0) {
                    if (n == pids.length) {
                        pids = Arrays.copyOf(pids, n * 2);
                    }
                    pids[n++] = pid;
                }
            }
            int[] result = Arrays.copyOf(pids, n);
            Arrays.sort(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + procRoot, e);
        }
    }

    /** Reads a process now, bypassing the cache; null when it does not exist. */
    ProcessInfo read(int pid) {
        ProcStat stat = readStat(pid);
        if (stat == null) {
            return null;
        }
        int uid = -1;
        String user = null;
        byte[] status = readOrNull(pid, "status");
        if (status != null) {
            try {
                uid = ProcStatusParser.parseUids(status).effective();
                user = users.nameOf(uid);
            } catch (MalformedProcFileException ignored) {
                // uid stays unknown
            }
        }
        String exe = null;
        boolean exeDeleted = false;
        try {
            // Not Files.readSymbolicLink: it decodes with the locale's charset (see ExeLinkReader).
            ExeLink link = ExeLinkReader.forThisThread().read(procRootBytes, pid);
            if (link != null) { // null: kernel thread (ENOENT) or another user's process (EACCES)
                exe = link.path();
                exeDeleted = link.deleted();
            }
        } catch (MalformedProcFileException ignored) {
            // no exe shown
        }
        if (detail == Detail.BASIC) {
            return new ProcessInfo(pid, stat.ppid(), uid, user, stat.comm(), exe, exeDeleted, List.of(),
                    stat.startTicks(), null, null);
        }
        byte[] cmdlineBytes = readOrNull(pid, "cmdline");
        List<String> cmdline = cmdlineBytes == null ? List.of() : CmdlineParser.parse(cmdlineBytes);
        String cgroup = null;
        String containerId = null;
        byte[] cgroupBytes = readOrNull(pid, "cgroup");
        if (cgroupBytes != null) {
            try {
                CgroupMembership membership = CgroupParser.parse(cgroupBytes);
                cgroup = membership.path();
                containerId = membership.containerId();
            } catch (MalformedProcFileException ignored) {
                // no cgroup shown
            }
        }
        return new ProcessInfo(pid, stat.ppid(), uid, user, stat.comm(), exe, exeDeleted, cmdline,
                stat.startTicks(), cgroup, containerId);
    }

    /** The bytes the JDK passes to the kernel for {@code path}: its string in sun.jnu.encoding. */
    private static byte[] nativePathBytes(Path path) {
        String jnu = System.getProperty("sun.jnu.encoding");
        Charset charset = jnu == null ? StandardCharsets.UTF_8 : Charset.forName(jnu, StandardCharsets.UTF_8);
        return path.toString().getBytes(charset);
    }

    /** {@code ROOT/PID/NAME}, or null: exited (ENOENT, ESRCH) or not ours to read (EACCES). */
    private byte[] readOrNull(int pid, String name) {
        return ProcFileReader.forThisThread().read(procRootBytes, pid, name);
    }

    /** The pid named by a /proc entry, or -1 when the name is not a positive decimal int. */
    static int parsePid(String name) {
        int n = name.length();
        if (n == 0 || n > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > 0 && v <= Integer.MAX_VALUE ? (int) v : -1;
    }
}
