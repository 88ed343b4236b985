package dev.netwarden.linux.bpf;

import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every process's socket fds, read through a BPF task_file iterator ({@link TaskSocketProgram}) instead
 * of /proc/PID/fd: the kernel walks the fd tables itself and hands over 16 bytes per socket, so
 * 500 processes × 1,000 open files take ~0.1 s instead of ~1 s of procfs path walks, and one process's
 * sockets cost one read instead of one readlinkat per fd.
 *
 * <p>Needs root (CAP_BPF and CAP_PERFMON), a kernel with BTF, and to run in the initial pid namespace
 * (the program reports kernel-wide pids, which must be the pids /proc shows here). {@link #system()}
 * checks all of that once, including a self-test on a socket of its own, and answers empty when any
 * of it fails — callers then read /proc as before, so the only cost of a missing feature is speed.
 * The struct offsets found in the BTF are kept for the rest of the boot in
 * {@code /run/netwarden/task-socket-program} ({@link TaskSocketProgramCache}).
 *
 * <p>Thread-safe: each thread scans with its own buffers (256 KiB, kept for the thread's life), so a
 * long machine-wide scan never blocks another thread's one-pid scan; threads share only the kept
 * one-pid links ({@link PidLinkCache}, locked to take and give back a link, not while reading). One
 * process's scan takes ~14 µs (bench/scan-pid-bench.sh, 40 sockets), a read per 16,000 sockets.
 */
public final class TaskSocketIterator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskSocketIterator.class.getName());

    // bpf(2) commands and constants (include/uapi/linux/bpf.h)
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_LINK_CREATE = 28;
    private static final int BPF_ITER_CREATE = 33;
    private static final int BPF_PROG_TYPE_TRACING = 26;
    private static final int BPF_TRACE_ITER = 28;
    private static final int PROG_LOAD_ATTR_BYTES = 128;
    private static final int LINK_CREATE_ATTR_BYTES = 64;
    private static final int ITER_CREATE_ATTR_BYTES = 8;
    /** {@code union bpf_iter_link_info}: for task iterators {u32 tid; u32 pid; u32 pid_fd}. */
    private static final int ITER_LINK_INFO_BYTES = 16;
    private static final int READ_BUFFER = 256 * 1024;
    /** One-process links kept open for the next scan of the same pid ({@link PidLinkCache}): one fd each. */
    private static final int PID_LINKS = 8;

    private static final Object SYSTEM_LOCK = new Object();
    private static volatile Optional<TaskSocketIterator> system;
    private static volatile String unavailableReason;

    private final int programFd;
    /** Buffers and errno state per scanning thread, so a long machine-wide scan never blocks another thread's one-pid scan. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final Object linkLock = new Object();
    private volatile int allTasksLink = -1;
    private final PidLinkCache pidLinks = new PidLinkCache(PID_LINKS, pid -> createLink(scratch.get(), pid),
            fd -> Libc.close(Libc.state(), fd));
    private volatile boolean closed;

    private static final class Scratch {
        final Libc.CallState state;
        final MemorySegment buffer;
        final MemorySegment linkAttr;
        final MemorySegment linkInfo;
        final MemorySegment iterAttr;

        Scratch() {
            Arena arena = Arena.ofAuto();
            state = new Libc.CallState(arena);
            buffer = arena.allocate(READ_BUFFER, 8);
            linkAttr = arena.allocate(LINK_CREATE_ATTR_BYTES, 8);
            linkInfo = arena.allocate(ITER_LINK_INFO_BYTES, 8);
            iterAttr = arena.allocate(ITER_CREATE_ATTR_BYTES, 8);
        }
    }

    private TaskSocketIterator(int programFd) {
        this.programFd = programFd;
    }

    /**
     * The process-wide iterator, loaded on first use; empty when this machine or user cannot have one
     * ({@link #unavailableReason()} says why). Set {@code NETWARDEN_NO_BPF=1} to use /proc only.
     */
    public static Optional<TaskSocketIterator> system() {
        Optional<TaskSocketIterator> s = system;
        if (s == null) {
            synchronized (SYSTEM_LOCK) {
                s = system;
                if (s == null) {
                    s = openSystem();
                    system = s;
                }
            }
        }
        return s;
    }

    /** For status output: "bpf" when {@link #system()} has an iterator, else "/proc (why)". */
    public static String describeSource() {
        return system().isPresent() ? "bpf" : "/proc (" + unavailableReason + ")";
    }

    /** Why {@link #system()} is empty, or null when it is not (or was not asked yet). */
    public static String unavailableReason() {
        return unavailableReason;
    }

    private static Optional<TaskSocketIterator> openSystem() {
        if ("1".equals(System.getenv("NETWARDEN_NO_BPF"))) {
            unavailableReason = "NETWARDEN_NO_BPF=1";
            return Optional.empty();
        }
        if (Libc.geteuid() != 0) {
            unavailableReason = "not root";
            return Optional.empty();
        }
        if (!Files.isReadable(Btf.VMLINUX)) {
            unavailableReason = "the kernel has no BTF (" + Btf.VMLINUX + ")";
            return Optional.empty();
        }
        if (!inInitialPidNamespace()) {
            // The program reports the kernel's pids, /proc here shows this namespace's: checked before
            // loading anything, so a container pays nothing for the attempt.
            unavailableReason = "not in the initial pid namespace";
            return Optional.empty();
        }
        try {
            return Optional.of(open(TaskSocketProgramCache.system()));
        } catch (IOException | RuntimeException e) {
            unavailableReason = e.getMessage();
            LOG.log(Level.FINE, "BPF task iterator unavailable, reading /proc instead", e);
            return Optional.empty();
        }
    }

    /** PROC_PID_INIT_INO (include/linux/proc_ns.h): the initial pid namespace's inode number. */
    private static final String INITIAL_PID_NAMESPACE = "pid:[4026531836]";

    /** True unless /proc/self/ns/pid names another namespace (unreadable: true, the self-test decides). */
    static boolean inInitialPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().equals(INITIAL_PID_NAMESPACE);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Loads and self-tests the program with this boot's cached offsets, or else with offsets read from
     * the kernel's BTF (then cached). A cached entry that fails is forgotten and the BTF read.
     */
    static TaskSocketIterator open(TaskSocketProgramCache cache) throws IOException {
        Optional<TaskSocketProgram> cached = cache.read();
        if (cached.isPresent()) {
            try {
                return loadAndTest(cached.get());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "cached BPF offsets rejected, reading the BTF again", e);
                cache.forget();
            }
        }
        // 5 MB, unmapped as soon as the offsets are read: never on the Java heap
        TaskSocketProgram program = Btf.withVmlinux(TaskSocketProgram::of);
        TaskSocketIterator it = loadAndTest(program);
        cache.write(program);
        return it;
    }

    private static TaskSocketIterator loadAndTest(TaskSocketProgram program) throws IOException {
        TaskSocketIterator it = load(program);
        try {
            it.selfTest();
            return it;
        } catch (IOException | RuntimeException e) {
            it.close();
            throw e;
        }
    }

    /** Loads the program; the verifier's complaint, if any, is in the exception. */
    public static TaskSocketIterator load(TaskSocketProgram program) throws ErrnoException {
        Arena arena = Arena.ofAuto();
        Libc.CallState state = new Libc.CallState(arena);
        long[] code = program.instructions();
        MemorySegment insns = arena.allocate(8L * code.length, 8);
        MemorySegment.copy(code, 0, insns, ValueLayout.JAVA_LONG, 0, code.length);
        MemorySegment license = arena.allocateFrom("GPL"); // bpf_seq_write is a GPL-only helper
        MemorySegment attr = arena.allocate(PROG_LOAD_ATTR_BYTES, 8);
        attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_TRACING);
        attr.set(ValueLayout.JAVA_INT, 4, code.length);
        attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
        attr.set(ValueLayout.JAVA_LONG, 16, license.address());
        MemorySegment.copy("nw_task_socks".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0,
                attr, ValueLayout.JAVA_BYTE, 48, 13);
        attr.set(ValueLayout.JAVA_INT, 68, BPF_TRACE_ITER);
        attr.set(ValueLayout.JAVA_INT, 108, program.attachBtfId());
        int fd = Libc.bpf(state, BPF_PROG_LOAD, attr, PROG_LOAD_ATTR_BYTES);
        if (fd < 0) {
            int errno = state.errno();
            // Again with the verifier's log, only now: logging slows every load down.
            MemorySegment log = arena.allocate(64 * 1024);
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            int again = Libc.bpf(state, BPF_PROG_LOAD, attr, PROG_LOAD_ATTR_BYTES);
            if (again >= 0) {
                Libc.close(state, again);
            }
            String verifier = log.getString(0).strip();
            String tail = verifier.substring(Math.max(0, verifier.length() - 600));
            throw new ErrnoException("bpf(PROG_LOAD) of the task_file iterator"
                    + (tail.isEmpty() ? "" : " (verifier: " + tail.replace('\n', ' ') + ")"), errno);
        }
        return new TaskSocketIterator(fd);
    }

    /**
     * Every socket fd of every process, in pid order (fds ascending within a process). A process whose
     * threads do not share one fd table appears once per table.
     */
    public void scanAll(TaskSocketRecords.Sink sink) throws ErrnoException {
        Scratch s = scratch.get();
        int link = allTasksLink;
        if (link < 0) {
            synchronized (linkLock) {
                ensureOpen();
                if (allTasksLink < 0) {
                    allTasksLink = createLink(s, 0);
                }
                link = allTasksLink;
            }
        }
        readIterator(s, link, sink);
    }

    /** The socket fds of one process; nothing when it has none or is gone. */
    public void scanPid(int pid, TaskSocketRecords.Sink sink) throws ErrnoException {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid);
        }
        ensureOpen();
        Scratch s = scratch.get();
        PidLinkCache.Link link = pidLinks.acquire(pid);
        try {
            readIterator(s, link.fd, sink);
        } finally {
            pidLinks.release(link);
        }
    }

    /** One-process links made and reused so far ({@link PidLinkCache}). */
    long[] pidLinkCounts() {
        return pidLinks.counts();
    }

    private int createLink(Scratch s, int pid) throws ErrnoException {
        MemorySegment attr = s.linkAttr;
        attr.fill((byte) 0);
        attr.set(ValueLayout.JAVA_INT, 0, programFd);
        attr.set(ValueLayout.JAVA_INT, 8, BPF_TRACE_ITER);
        if (pid > 0) {
            s.linkInfo.fill((byte) 0);
            s.linkInfo.set(ValueLayout.JAVA_INT, 4, pid);
            attr.set(ValueLayout.JAVA_LONG, 16, s.linkInfo.address());
            attr.set(ValueLayout.JAVA_INT, 24, ITER_LINK_INFO_BYTES);
        }
        int link = Libc.bpf(s.state, BPF_LINK_CREATE, attr, LINK_CREATE_ATTR_BYTES);
        if (link < 0) {
            throw new ErrnoException("bpf(LINK_CREATE) for " + (pid > 0 ? "pid " + pid : "all tasks"), s.state.errno());
        }
        return link;
    }

    private void readIterator(Scratch s, int link, TaskSocketRecords.Sink sink) throws ErrnoException {
        s.iterAttr.set(ValueLayout.JAVA_INT, 0, link);
        s.iterAttr.set(ValueLayout.JAVA_INT, 4, 0);
        int iter = Libc.bpf(s.state, BPF_ITER_CREATE, s.iterAttr, ITER_CREATE_ATTR_BYTES);
        if (iter < 0) {
            throw new ErrnoException("bpf(ITER_CREATE)", s.state.errno());
        }
        try {
            while (true) {
                long got = Libc.read(s.state, iter, s.buffer, READ_BUFFER);
                if (got == 0) {
                    return;
                }
                if (got < 0) {
                    if (s.state.errno() == Errno.EINTR) {
                        continue;
                    }
                    throw new ErrnoException("read of the task_file iterator", s.state.errno());
                }
                long used = TaskSocketRecords.forEach(s.buffer, got, sink);
                if (used != got) {
                    // bpf_seq_write hands over whole records or none: a remainder means a different program.
                    throw new IllegalStateException("task_file iterator returned " + got + " bytes, not whole records");
                }
            }
        } finally {
            Libc.close(s.state, iter);
        }
    }

    /**
     * Finds a socket of this process in its own scan, with this process's pid and the right inode.
     * Catches offsets that load but read the wrong fields, and a pid namespace whose pids differ from
     * the kernel-wide ones the program reports.
     */
    private void selfTest() throws IOException {
        Libc.CallState state = scratch.get().state;
        int fd = Libc.socket(state, Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("socket(AF_UNIX) for the BPF self-test", state.errno());
        }
        try {
            long inode = socketInode(Path.of("/proc/self/fd/" + fd));
            int pid = (int) ProcessHandle.current().pid();
            boolean[] seen = new boolean[1];
            scanPid(pid, (p, f, i) -> seen[0] |= p == pid && f == fd && i == inode);
            if (!seen[0]) {
                throw new IllegalStateException("self-test failed: the iterator did not report this process's socket"
                        + " (fd " + fd + ", inode " + inode + ", pid " + pid + "); another pid namespace?");
            }
        } finally {
            Libc.close(state, fd);
        }
    }

    private static long socketInode(Path fdLink) throws IOException {
        String target = Files.readSymbolicLink(fdLink).toString();
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            throw new IOException(fdLink + " is not a socket: " + target);
        }
        return Long.parseLong(target, 8, target.length() - 1, 10);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("task socket iterator closed");
        }
    }

    /** Closes the program (scans on other threads at that moment fail with EBADF). */
    @Override
    public void close() {
        synchronized (linkLock) {
            if (!closed) {
                closed = true;
                pidLinks.close();
                Libc.CallState state = Libc.state();
                if (allTasksLink >= 0) {
                    Libc.close(state, allTasksLink);
                }
                Libc.close(state, programFd);
            }
        }
    }

    @Override
    public String toString() {
        return "TaskSocketIterator[prog fd " + programFd + (closed ? ", closed" : "") + "]";
    }
}
