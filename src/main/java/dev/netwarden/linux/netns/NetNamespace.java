package dev.netwarden.linux.netns;

import dev.netwarden.linux.ffm.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls code on a fresh platform thread that first joined a network namespace.
 *
 * <p>Why a fresh thread: setns(2) moves only the calling thread, and a pooled or virtual thread
 * would carry the namespace into unrelated work. The thread ends when the call returns, so nothing
 * else ever runs in the borrowed namespace. Whatever the call creates (sockets) stays bound to that
 * namespace for its whole life, which is the point.
 */
public final class NetNamespace {

    private NetNamespace() {}

    /** The file naming a namespace created by {@code ip netns add NAME}. */
    public static Path named(String name) {
        Objects.requireNonNull(name, "name is null");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a namespace name: " + name);
        }
        return Path.of("/run/netns", name);
    }

    /** The namespace of process {@code pid} ({@code /proc/PID/ns/net}); pid 1 is the initial one. */
    public static Path ofProcess(int pid) {
        return Path.of("/proc/" + pid + "/ns/net");
    }

    /**
     * Runs {@code call} in the namespace {@code nsFile} refers to and returns its result. Failing to
     * enter the namespace (no such file, no CAP_SYS_ADMIN) is an IOException; what {@code call}
     * throws is rethrown as is (checked exceptions wrapped in IOException).
     */
    public static <T> T callIn(Path nsFile, Callable<T> call) throws IOException {
        Objects.requireNonNull(nsFile, "nsFile is null");
        Objects.requireNonNull(call, "call is null");
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("nw-netns-" + nsFile.getFileName()).unstarted(() -> {
            try {
                enter(nsFile);
                result.set(call.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running in namespace " + nsFile, e);
        }
        Throwable t = failure.get();
        if (t == null) {
            return result.get();
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IOException(t.getMessage(), t);
    }

    /**
     * Moves the calling thread into the namespace {@code nsFile} for the rest of its life. Only for a
     * dedicated thread that its owner created for this purpose (for example a monitor's poller,
     * whose sockets and /proc/thread-self/net reads must all be in the monitored namespace); never
     * call it on a pooled, virtual or borrowed thread.
     */
    public static void joinOnThisThread(Path nsFile) throws IOException {
        enter(Objects.requireNonNull(nsFile, "nsFile is null"));
    }

    private static void enter(Path nsFile) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(arena);
            int fd = Libc.openat(state, Libc.AT_FDCWD, arena.allocateFrom(nsFile.toString()),
                    Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open network namespace " + nsFile + ": errno " + state.errno());
            }
            try {
                if (Libc.setns(state, fd, Libc.CLONE_NEWNET) < 0) {
                    throw new IOException("cannot enter network namespace " + nsFile + ": errno " + state.errno());
                }
            } finally {
                Libc.close(state, fd);
            }
        }
    }
}
