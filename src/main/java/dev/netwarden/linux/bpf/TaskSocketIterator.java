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
    private static final int BPF_LINK_CREATE = 28;
    private static final int BPF_ITER_CREATE = 33;
    private static final int BPF_TRACE_ITER = 28;
    private static final int LINK_CREATE_ATTR_BYTES = 64;
    private static final int ITER_CREATE_ATTR_BYTES = 8;
    /** {@code union bpf_iter_link_info}: for task iterators {u32 tid; u32 pid; u32 pid_fd}. */
    private static final int ITER_LINK_INFO_BYTES = 16;
    private static final int READ_BUFFER = 256 * 1024;
    /** One-process links kept open for the next scan of the same pid ({@link PidLinkCache}): one fd each. */
    private static final int PID_LINKS = 8;

    private static final TracingProgram.Shared<TaskSocketIterator> SYSTEM =
            new TracingProgram.Shared<>("BPF task iterator", () -> open(TaskSocketProgramCache.system()));

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
        return SYSTEM.get();
    }

    /** For status output: "bpf" when {@link #system()} has an iterator, else "/proc (why)". */
    public static String describeSource() {
        return system().isPresent() ? "bpf" : "/proc (" + SYSTEM.reason() + ")";
    }

    /** Why {@link #system()} is empty, or null when it is not (or was not asked yet). */
    public static String unavailableReason() {
        return SYSTEM.reason();
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
        // bpf_seq_write is a GPL-only helper
        return new TaskSocketIterator(TracingProgram.load("nw_task_socks", program.instructions(), BPF_TRACE_ITER,
                program.attachBtfId()));
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
