package dev.netwarden.linux.bpf;

import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What netwarden's BPF tracing programs ({@link TaskSocketIterator}, {@link ConnectRecorder}) share:
 * whether this process may have one at all, one process-wide instance opened on first use, and the
 * program load with the verifier's log on failure.
 */
final class TracingProgram {
    private static final Logger LOG = Logger.getLogger(TracingProgram.class.getName());
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_TYPE_TRACING = 26;
    /** The prefix of {@code union bpf_attr} that BPF_PROG_LOAD reads, up to attach_btf_id. */
    private static final int PROG_LOAD_ATTR_BYTES = 128;
    /** PROC_PID_INIT_INO (include/linux/proc_ns.h): the initial pid namespace's inode number. */
    private static final String INITIAL_PID_NAMESPACE = "pid:[4026531836]";

    private TracingProgram() {
    }

    /**
     * Why this process cannot load a tracing program, or null when it may try. Checked before loading
     * anything, so a container or a plain user pays nothing for the attempt: the programs report the
     * kernel's pids, which must be the ones /proc shows here.
     */
    static String unavailable() {
        if ("1".equals(System.getenv("NETWARDEN_NO_BPF"))) {
            return "NETWARDEN_NO_BPF=1";
        }
        if (Libc.geteuid() != 0) {
            return "not root";
        }
        if (!Files.isReadable(Btf.VMLINUX)) {
            return "the kernel has no BTF (" + Btf.VMLINUX + ")";
        }
        if (!inInitialPidNamespace()) {
            return "not in the initial pid namespace";
        }
        return null;
    }

    /** True unless /proc/self/ns/pid names another namespace (unreadable: true, the self-tests decide). */
    static boolean inInitialPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().equals(INITIAL_PID_NAMESPACE);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Opens one program object; a failure says why in its message. */
    @FunctionalInterface
    interface Opener<T> {
        T open() throws IOException;
    }

    /** A process-wide program object, opened on the first {@link #get()}, or the reason there is none. */
    static final class Shared<T> {
        private final String what;
        private final Opener<T> opener;
        private volatile Optional<T> value;
        private volatile String reason;

        Shared(String what, Opener<T> opener) {
            this.what = what;
            this.opener = opener;
        }

        Optional<T> get() {
            Optional<T> v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = open();
                        value = v;
                    }
                }
            }
            return v;
        }

        /** Why {@link #get()} is empty, or null when it is not (or was not asked yet). */
        String reason() {
            return reason;
        }

        private Optional<T> open() {
            String missing = unavailable();
            if (missing != null) {
                reason = missing;
                return Optional.empty();
            }
            try {
                return Optional.of(opener.open());
            } catch (IOException | RuntimeException e) {
                reason = e.getMessage();
                LOG.log(Level.FINE, what + " unavailable", e);
                return Optional.empty();
            }
        }
    }

    /**
     * Loads a GPL tracing program (both use GPL-only helpers) and returns its fd; the verifier's
     * complaint, if any, is in the exception.
     *
     * @param attachType   the expected attach type (BPF_TRACE_ITER, BPF_TRACE_RAW_TP, …)
     * @param attachBtfId  the BTF id of what it attaches to
     */
    static int load(String name, long[] code, int attachType, int attachBtfId) throws ErrnoException {
        Arena arena = Arena.ofAuto();
        Libc.CallState st = new Libc.CallState(arena);
        MemorySegment insns = arena.allocate(8L * code.length, 8);
        MemorySegment.copy(code, 0, insns, ValueLayout.JAVA_LONG, 0, code.length);
        MemorySegment license = arena.allocateFrom("GPL");
        MemorySegment attr = arena.allocate(PROG_LOAD_ATTR_BYTES, 8);
        attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_TRACING);
        attr.set(ValueLayout.JAVA_INT, 4, code.length);
        attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
        attr.set(ValueLayout.JAVA_LONG, 16, license.address());
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(n, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(n.length, 15)); // prog_name[16]
        attr.set(ValueLayout.JAVA_INT, 68, attachType);
        attr.set(ValueLayout.JAVA_INT, 108, attachBtfId);
        int fd = Libc.bpf(st, BPF_PROG_LOAD, attr, PROG_LOAD_ATTR_BYTES);
        if (fd >= 0) {
            return fd;
        }
        int errno = st.errno();
        // Again with the verifier's log, only now: logging slows every load down.
        MemorySegment log = arena.allocate(64 * 1024);
        attr.set(ValueLayout.JAVA_INT, 24, 1);
        attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
        attr.set(ValueLayout.JAVA_LONG, 32, log.address());
        int again = Libc.bpf(st, BPF_PROG_LOAD, attr, PROG_LOAD_ATTR_BYTES);
        if (again >= 0) {
            Libc.close(st, again);
        }
        String verifier = log.getString(0).strip();
        String tail = verifier.substring(Math.max(0, verifier.length() - 600));
        throw new ErrnoException("bpf(PROG_LOAD) of " + name + (tail.isEmpty() ? "" : " (verifier: " + tail.replace('\n', ' ') + ")"), errno);
    }
}
