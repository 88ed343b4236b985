package dev.netwarden.linux.connector;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.process.ProcessEventListener;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * Subscribes to the proc connector and hands process lifecycle events to a listener, on one daemon
 * thread that does nothing but receive, parse and dispatch.
 *
 * <p><b>Why the socket lives in the initial network namespace.</b> The kernel creates the
 * connector's kernel socket only in the initial namespace (drivers/connector/connector.c:
 * {@code netlink_kernel_create(&init_net, NETLINK_CONNECTOR, ...)}) and multicasts proc events only
 * to sockets of that namespace. Measured on this kernel (6.18): in a namespace made by
 * {@code ip netns add}, sending PROC_CN_MCAST_LISTEN fails with ECONNREFUSED, and a socket bound to
 * CN_IDX_PROC there receives nothing even while another listener in the initial namespace receives
 * events ({@code ProcConnectorNamespaceTest} keeps proving it). The daemon, which tests run inside
 * {@code ip netns exec nw-...}, therefore creates this socket in the initial namespace (through
 * {@link NetNamespace#callIn}, entering kthreadd's namespace; see {@link #initialNetNamespace()})
 * unless it already is there. That is read-only: process events are
 * machine-wide (pids are not per network namespace) and nothing is sent there except the
 * subscription of this socket. It needs CAP_SYS_ADMIN for setns, as well as CAP_NET_ADMIN, which
 * the kernel requires to listen.
 *
 * <p>What reaches the listener: only processes (thread groups). A fork whose child is a thread, the
 * exit or rename of a non-leader thread, and the event kinds no listener method names are dropped in
 * the kernel by a socket filter ({@link ProcEventFilter}: they never wake the thread), and again
 * here for a socket without it; {@code onExit}'s exit code is the kernel's wait
 * status. An ENOBUFS from recv() means the kernel dropped events because the receive buffer (8 MiB,
 * SO_RCVBUFFORCE) was full: the listener gets {@code onOverrun()} and receiving goes on.
 *
 * <p>Thread safety: {@link #close()} may be called from any thread; the receiving thread owns the
 * socket's receive side and closes the descriptor itself when it stops, so no recv() ever runs on a
 * closed (and possibly reused) descriptor.
 */
public final class ProcConnector implements AutoCloseable {
    public static final int NETLINK_CONNECTOR = 11;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_CN_MCAST_IGNORE = 2;
    private static final int SOCKADDR_NL_LENGTH = 12;
    private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    private static final int SOCKET_RCVBUF_BYTES = 8 * 1024 * 1024;
    /** How long {@link #close()} waits for the receiver (woken at once; this covers a slow listener). */
    private static final long JOIN_MILLIS = 2_000;
    private static final long ACK_TIMEOUT_MILLIS = 3_000;
    private static final System.Logger LOG = System.getLogger(ProcConnector.class.getName());

    /** Where the socket is created. */
    public enum Placement {
        /** The initial namespace, where the kernel delivers proc events (the default; see the class doc). */
        INITIAL_NAMESPACE,
        /** The calling thread's namespace, as is: only useful to show that elsewhere nothing arrives. */
        CALLER_NAMESPACE
    }

    /**
     * Counters since start.
     *
     * @param events              datagrams received and parsed (with a kernel filter: only those it let through)
     * @param threadEventsSkipped thread events received and not dispatched (0 with the kernel filter)
     * @param kernelFiltered      whether the socket carries {@link ProcEventFilter}
     */
    public record Stats(long events, long dispatched, long threadEventsSkipped, long overruns,
                        long listenerFailures, long unknownEvents, boolean kernelFiltered) {}

    private final Arena arena;
    private final int fd;
    private final Consumer<ProcEvent> sink;
    private final Runnable onOverrun;
    private final boolean filtered;
    /** cn_msg.ack of our requests: the kernel answers with this + 1, which tells our ack from other listeners'. */
    private final int requestNonce = (int) (System.nanoTime() & 0x3FFF_FFFF) | 1;
    private final CountDownLatch acked = new CountDownLatch(1);
    private final AtomicReference<ProcEvent.Ack> ack = new AtomicReference<>();
    private final Thread receiver;
    /** Ends the receiver's wait for events when the connector is closed (no receive timeout to poll a flag). */
    private final Wakeup wakeup;
    private volatile boolean running = true;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong unknownEvents = new AtomicLong();

    private ProcConnector(Arena arena, int fd, Wakeup wakeup, Consumer<ProcEvent> sink, Runnable onOverrun, boolean filtered) {
        this.filtered = filtered;
        this.wakeup = wakeup;
        this.arena = arena;
        this.fd = fd;
        this.sink = sink;
        this.onOverrun = onOverrun;
        this.receiver = Thread.ofPlatform().daemon().name("nw-proc-connector").unstarted(this::receiveLoop);
    }

    /** Listens in the initial network namespace and dispatches process events to {@code listener}. */
    public static ProcConnector start(ProcessEventListener listener) throws IOException {
        return start(listener, Placement.INITIAL_NAMESPACE);
    }

    public static ProcConnector start(ProcessEventListener listener, Placement placement) throws IOException {
        Objects.requireNonNull(listener, "listener is null");
        return open(new ProcessDispatch(listener), listener::onOverrun, placement, true);
    }

    /**
     * Listens and hands every parsed event (threads, acks, uid changes included) to {@code sink}.
     * Returns once the kernel acknowledged the subscription, so every event raised after this
     * returns is delivered (unless an overrun is reported).
     *
     * @throws ErrnoException the kernel refused (EPERM without CAP_NET_ADMIN; ECONNREFUSED in a
     *                        namespace without the connector)
     */
    public static ProcConnector startRaw(Consumer<ProcEvent> sink, Runnable onOverrun, Placement placement) throws IOException {
        return open(sink, onOverrun, placement, false);
    }

    /**
     * {@link #startRaw}, with {@code filtered}: the socket carries {@link ProcEventFilter}, so only
     * the events a process listener is told about (and the ack) reach {@code sink}.
     */
    static ProcConnector open(Consumer<ProcEvent> sink, Runnable onOverrun, Placement placement, boolean filtered) throws IOException {
        Objects.requireNonNull(sink, "sink is null");
        Objects.requireNonNull(onOverrun, "onOverrun is null");
        Objects.requireNonNull(placement, "placement is null");
        int fd = placement == Placement.INITIAL_NAMESPACE && !inInitialNetNamespace()
                ? NetNamespace.callIn(initialNetNamespace(), () -> openSocket(filtered))
                : openSocket(filtered);
        Wakeup wakeup;
        try {
            wakeup = Wakeup.open();
        } catch (IOException | RuntimeException e) {
            Libc.close(Libc.state(), fd);
            throw e;
        }
        Arena arena = Arena.ofShared();
        ProcConnector c = new ProcConnector(arena, fd, wakeup, sink, onOverrun, filtered);
        Libc.CallState st = new Libc.CallState(arena);
        try {
            c.sendOp(st, PROC_CN_MCAST_LISTEN);
        } catch (IOException | RuntimeException e) {
            Libc.close(st, fd);
            wakeup.close();
            arena.close();
            throw e;
        }
        c.receiver.start();
        try {
            if (!c.acked.await(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                c.close();
                throw new IOException("the proc connector did not acknowledge the listen request within " + ACK_TIMEOUT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new IOException("interrupted while waiting for the proc connector", e);
        }
        ProcEvent.Ack a = c.ack.get();
        if (a.err() != 0) {
            c.close();
            throw new ErrnoException("proc connector listen", a.err());
        }
        return c;
    }

    /**
     * A file naming the initial network namespace. Kernel threads always run in the initial
     * namespaces, so kthreadd (pid 2, ppid 0) is the reliable handle; pid 1 is the fallback (a
     * sandbox's init may hide its namespace links: on this test machine, opening /proc/1/ns/net
     * fails with EACCES even for root, while /proc/2/ns/net is readable).
     */
    static Path initialNetNamespace() {
        try {
            String comm = Files.readString(Path.of("/proc/2/comm")).strip();
            if (comm.equals("kthreadd") && Files.readString(Path.of("/proc/2/stat")).contains(") S 0 ")) {
                return NetNamespace.ofProcess(2);
            }
        } catch (IOException e) {
            // no /proc/2 (a pid namespace): fall back to pid 1
        }
        return NetNamespace.ofProcess(1);
    }

    /** True when this thread is in the initial network namespace (same nsfs inode). */
    static boolean inInitialNetNamespace() {
        try {
            Object mine = Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
            Object init = Files.getAttribute(initialNetNamespace(), "unix:ino");
            return mine.equals(init);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // cannot tell: try to enter the initial namespace, which reports its own error
        }
    }

    /**
     * socket + bind to CN_IDX_PROC in the calling thread's namespace; returns the descriptor. With
     * {@code filtered}, {@link ProcEventFilter} is attached before the bind, so no event reaches the
     * socket unfiltered.
     */
    private static int openSocket(boolean filtered) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(a);
            int fd = Libc.socket(st, Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, NETLINK_CONNECTOR);
            if (fd < 0) {
                throw new ErrnoException("socket(AF_NETLINK, NETLINK_CONNECTOR)", st.errno());
            }
            try {
                if (filtered) {
                    Libc.check(st, "setsockopt(SO_ATTACH_FILTER)", Libc.setsockopt(st, fd, Libc.SOL_SOCKET,
                            Libc.SO_ATTACH_FILTER, ProcEventFilter.program(ByteOrder.nativeOrder()).sockFprog(a), 16));
                }
                MemorySegment addr = a.allocate(SOCKADDR_NL_LENGTH, 4);
                addr.set(U16, 0, (short) Libc.AF_NETLINK);
                addr.set(U32, 8, ProcEventParser.CN_IDX_PROC); // nl_groups: the proc connector's group
                Libc.check(st, "bind(NETLINK_CONNECTOR, CN_IDX_PROC)", Libc.bind(st, fd, addr, SOCKADDR_NL_LENGTH));
                if (Libc.setsockoptInt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, SOCKET_RCVBUF_BYTES) < 0) {
                    Libc.setsockoptInt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_RCVBUF_BYTES);
                }
                return fd;
            } catch (IOException | RuntimeException e) {
                Libc.close(st, fd);
                throw e;
            }
        }
    }

    /** Sends nlmsghdr + cn_msg + the 4-byte multicast op. */
    private void sendOp(Libc.CallState st, int op) throws IOException {
        int total = NetlinkHeader.LENGTH + ProcEventParser.CN_MSG_LENGTH + 4;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(total, 8);
            m.set(U32, NetlinkHeader.OFFSET_LEN, total);
            m.set(U16, NetlinkHeader.OFFSET_TYPE, (short) NetlinkHeader.NLMSG_DONE); // the connector's message type
            
            long cn = NetlinkHeader.LENGTH;
            m.set(U32, cn, ProcEventParser.CN_IDX_PROC);
            m.set(U32, cn + 4, ProcEventParser.CN_VAL_PROC);
            m.set(U32, cn + 12, requestNonce);
            m.set(U16, cn + 16, (short) 4);
            m.set(U32, cn + ProcEventParser.CN_MSG_LENGTH, op);
            long n = Libc.send(st, fd, m, total, 0);
            if (n < 0) {
                throw new ErrnoException("send(proc connector " + (op == PROC_CN_MCAST_LISTEN ? "listen" : "ignore") + ")", st.errno());
            }
        }
    }

    private void receiveLoop() {
        Libc.CallState st = new Libc.CallState(arena);
        MemorySegment buffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
        NetlinkMessageCursor cursor = new NetlinkMessageCursor();
        try {
            while (running) {
                long n = Libc.recv(st, fd, buffer, RECEIVE_BUFFER_BYTES, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT);
                if (n < 0) {
                    int errno = st.errno();
                    if (errno == Errno.EAGAIN) {
                        try {
                            wakeup.await(st, fd, -1); // until an event or close()
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.ERROR, "proc connector: " + e.getMessage() + "; events stop");
                            notifyOverrun();
                            return;
                        }
                        continue;
                    }
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    if (errno == Errno.ENOBUFS) {
                        overruns.incrementAndGet();
                        notifyOverrun();
                        continue;
                    }
                    LOG.log(System.Logger.Level.ERROR, "proc connector: recv failed, errno " + errno + "; events stop");
                    notifyOverrun();
                    return;
                }
                if (n > RECEIVE_BUFFER_BYTES) {
                    overruns.incrementAndGet(); // never for the connector's 76-byte messages
                    notifyOverrun();
                    continue;
                }
                try {
                    cursor.reset(buffer, 0, n);
                    while (cursor.next()) {
                        if (cursor.type() != NetlinkHeader.NLMSG_DONE) {
                            continue; // the connector sends every event as NLMSG_DONE; NOOP/ERROR are not events
                        }
                        ProcEvent e = ProcEventParser.parse(cursor);
                        if (e != null) {
                            deliver(e);
                        }
                    }
                } catch (MalformedNetlinkException e) {
                    LOG.log(System.Logger.Level.WARNING, "proc connector: dropped a malformed datagram: " + e.getMessage());
                }
            }
        } finally {
            Libc.close(st, fd);
            wakeup.close();
        }
    }

    private void deliver(ProcEvent e) {
        events.incrementAndGet();
        if (e instanceof ProcEvent.Ack a) {
            if (a.ack() == requestNonce + 1 && ack.compareAndSet(null, a)) {
                acked.countDown();
            }
        } else if (e instanceof ProcEvent.Unknown) {
            unknownEvents.incrementAndGet();
        }
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            listenerFailures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "proc connector: listener failed on " + e.getClass().getSimpleName(), ex);
        }
    }

    private void notifyOverrun() {
        try {
            onOverrun.run();
        } catch (RuntimeException ex) {
            listenerFailures.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "proc connector: listener failed on overrun", ex);
        }
    }

    public Stats stats() {
        long dispatched = sink instanceof ProcessDispatch d ? d.dispatched.get() : events.get();
        long skipped = sink instanceof ProcessDispatch d ? d.threadEventsSkipped.get() : 0;
        return new Stats(events.get(), dispatched, skipped, overruns.get(), listenerFailures.get(), unknownEvents.get(), filtered);
    }

    /** Unsubscribes (PROC_CN_MCAST_IGNORE), stops the thread and closes the socket. Idempotent. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        // First, while the receiver still holds the socket open: once woken it closes the fd, and a send
        // after that could reach whatever file reuses the number.
        try (Arena a = Arena.ofConfined()) {
            sendOp(new Libc.CallState(a), PROC_CN_MCAST_IGNORE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "proc connector: ignore request failed: " + e.getMessage());
        }
        running = false;
        wakeup.wake();
        if (receiver.isAlive() && receiver != Thread.currentThread()) {
            try {
                receiver.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!receiver.isAlive()) {
            arena.close();
        } // else: a listener is stuck; the thread closes the fd when it returns, the arena stays
    }

    /** Turns raw events into listener calls for processes only. */
    private static final class ProcessDispatch implements Consumer<ProcEvent> {
        private final ProcessEventListener listener;
        final AtomicLong dispatched = new AtomicLong();
        final AtomicLong threadEventsSkipped = new AtomicLong();

        ProcessDispatch(ProcessEventListener listener) {
            this.listener = listener;
        }

        @Override
        public void accept(ProcEvent e) {
            switch (e) {
                case ProcEvent.Fork f when f.isThread() -> threadEventsSkipped.incrementAndGet();
                case ProcEvent.Fork f -> {
                    dispatched.incrementAndGet();
                    listener.onFork(f.parentTgid(), f.childTgid());
                }
                case ProcEvent.Exec x -> {
                    dispatched.incrementAndGet();
                    listener.onExec(x.tgid());
                }
                case ProcEvent.Comm c when c.pid() != c.tgid() -> threadEventsSkipped.incrementAndGet();
                case ProcEvent.Comm c -> {
                    dispatched.incrementAndGet();
                    listener.onComm(c.tgid());
                }
                case ProcEvent.Exit x when x.isThread() -> threadEventsSkipped.incrementAndGet();
                case ProcEvent.Exit x -> {
                    dispatched.incrementAndGet();
                    listener.onExit(x.tgid(), x.exitCode());
                }
                default -> {
                    // acks, id changes, sid, ptrace, coredump: nothing the listener asks for
                }
            }
        }
    }
}
