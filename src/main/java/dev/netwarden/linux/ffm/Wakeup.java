package dev.netwarden.linux.ffm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Lets one thread wait until a file descriptor is readable <em>or</em> another thread wakes it: an
 * eventfd polled together with the descriptor ({@code ppoll}).
 *
 * <p>Why: a reader blocked in {@code recv} can only be told to stop, or that other work arrived, by a
 * receive timeout, so every listener woke several times a second to look at a flag. Idle, those
 * wake-ups were a good part of the daemon's CPU, and an answer to a firewall prompt waited up to the
 * timeout before its packet was released. With a wakeup the reader sleeps until there is something to
 * do, and {@link #wake()} ends the wait at once.
 *
 * <p>Threads: {@link #await} on one thread at a time, {@link #wake()} from any; {@link #close()} once the
 * waiting thread is done with it.
 */
public final class Wakeup implements AutoCloseable {
    /** What ended a wait. */
    public enum Outcome { READABLE, WOKEN, TIMED_OUT }

    private final Arena arena = Arena.ofShared();
    private final int eventFd;
    private final MemorySegment pollFds;
    private final MemorySegment timeout;
    private final MemorySegment drain;
    private final MemorySegment one;
    private boolean closed; // guarded by this

    private Wakeup(int eventFd) {
        this.eventFd = eventFd;
        this.pollFds = arena.allocate(16, 4);
        this.timeout = arena.allocate(16, 8);
        this.drain = arena.allocate(8, 8);
        this.one = arena.allocate(8, 8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** A new wakeup (one eventfd, non-blocking, close-on-exec). */
    public static Wakeup open() throws ErrnoException {
        Libc.CallState st = Libc.state();
        int fd = (int) Libc.check(st, "eventfd", Libc.eventfd(st, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC));
        return new Wakeup(fd);
    }

    /** Ends the current or the next {@link #await} with {@link Outcome#WOKEN}; from any thread. */
    public synchronized void wake() {
        if (!closed) {
            // A full counter (2^64 - 2 wakes unread) fails with EAGAIN, which still leaves it readable.
            Libc.write(Libc.state(), eventFd, one, 8);
        }
    }

    /**
     * Waits until {@code fd} is readable (or in error: the caller's read then reports it), or
     * {@link #wake()} was called since the last wait that returned {@link Outcome#WOKEN}, or
     * {@code timeoutMillis} passed ({@code < 0}: no limit). A wake is consumed by the wait it ends;
     * when both happened, {@link Outcome#WOKEN} wins, so a caller that checks its flags on a wake never
     * misses one.
     */
    public Outcome await(Libc.CallState st, int fd, long timeoutMillis) throws IOException {
        pollFds.set(ValueLayout.JAVA_INT, 0, fd);
        pollFds.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
        pollFds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        pollFds.set(ValueLayout.JAVA_INT, 8, eventFd);
        pollFds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
        pollFds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
        MemorySegment limit = MemorySegment.NULL;
        if (timeoutMillis >= 0) {
            timeout.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
            timeout.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000);
            limit = timeout;
        }
        int n = Libc.ppoll(st, pollFds, 2, limit);
        if (n < 0) {
            int errno = st.errno();
            if (errno == Errno.EINTR) {
                return Outcome.TIMED_OUT; // the caller loops and waits again
            }
            throw new ErrnoException("ppoll", errno);
        }
        if (n == 0) {
            return Outcome.TIMED_OUT;
        }
        if (pollFds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
            Libc.read(st, eventFd, drain, 8); // resets the counter: one wait per burst of wakes
            return Outcome.WOKEN;
        }
        return Outcome.READABLE;
    }

    /** Closes the eventfd; a later {@link #wake()} does nothing (never writes to a reused fd number). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(Libc.state(), eventFd);
            arena.close();
        }
    }
}
