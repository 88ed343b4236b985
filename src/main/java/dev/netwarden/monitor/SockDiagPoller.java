package dev.netwarden.monitor;

import dev.netwarden.flow.Transport;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.proc.MalformedProcFileException;
import dev.netwarden.linux.proc.ProcNetRawParser;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.linux.sockdiag.SockDiagQuery;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The passive level's periodic look: every {@code interval}, one sock_diag dump of TCP (with
 * tcp_info, for the byte counters), UDP and RAW sockets, IPv4 and IPv6, plus the ICMP ping sockets
 * of /proc/thread-self/net/icmp{,6} (sock_diag has no ICMP dump; the file has the raw table's
 * format), handed to {@link FlowTracker#onDump} as one batch.
 *
 * <p>What is asked for: TCP in every state but TIME-WAIT, SYN-RECV mini-sockets (NEW_SYN_RECV) and
 * CLOSE — those have no process and no tcp_info worth recording, and the kernel filters them out
 * before sending (idiag_states), which matters on a server with thousands in TIME-WAIT. UDP and RAW
 * in every state. UDP byte counts are not in sock_diag: UDP flows carry unknown (-1) counters.
 *
 * <p>Threading: one daemon thread, which first joins the monitored namespace (the netlink socket and
 * the /proc/thread-self reads must be there). A dump that failed part-way (ENOBUFS after rows were
 * delivered) is passed on as incomplete, so nothing is closed for being absent from it.
 */
public final class SockDiagPoller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SockDiagPoller.class.getName());
    private static final SockDiagQuery TCP = new SockDiagQuery(EnumSet.of(Netid.TCP), true, true,
            ~SockDiagQuery.maskOf(SocketState.TIME_WAIT, SocketState.NEW_SYN_RECV, SocketState.CLOSE), true);
    private static final SockDiagQuery UDP_RAW = new SockDiagQuery(EnumSet.of(Netid.UDP, Netid.RAW), true, true,
            SockDiagQuery.ALL_STATES, false);

    private final FlowTracker tracker;
    private final long intervalNanos;
    private final Path namespace;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CountDownLatch firstPoll = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean soon;
    private volatile Throwable startFailure;
    private Thread thread;

    private volatile long polls, failures, cpuNanos, lastPollCpuNanos, lastRows;

    /** @param namespace the network namespace file to watch, or null for the caller's */
    public SockDiagPoller(FlowTracker tracker, Duration interval, Path namespace) {
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.intervalNanos = Objects.requireNonNull(interval, "interval is null").toNanos();
        this.namespace = namespace;
    }

    /** Starts the thread and waits until its first poll is done, so existing sockets are flows on return. */
    public synchronized void start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform().name("nw-sockdiag-poll").daemon().start(this::run);
        try {
            if (!firstPoll.await(30, TimeUnit.SECONDS)) {
                throw new IOException("the first sock_diag poll did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the first poll", e);
        }
        Throwable t = startFailure;
        if (t != null) {
            close();
            throw t instanceof IOException io ? io : new IOException("poller failed to start: " + t, t);
        }
    }

    /** Asks for the next poll now (after lost destroy notifications). */
    public void pollSoon() {
        soon = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        SockDiag sockDiag;
        try {
            if (namespace != null) {
                NetNamespace.joinOnThisThread(namespace); // a new thread is in the caller's namespace otherwise
            }
            sockDiag = SockDiag.open();
        } catch (Throwable t) {
            startFailure = t;
            firstPoll.countDown();
            return;
        }
        try (sockDiag) {
            long next = System.nanoTime();
            while (running) {
                long cpuBefore = threads.getCurrentThreadCpuTime();
                try {
                    pollOnce(sockDiag);
                } catch (RuntimeException e) {
                    failures++;
                    LOG.log(System.Logger.Level.WARNING, "sock_diag poll failed", e);
                }
                long used = threads.getCurrentThreadCpuTime() - cpuBefore;
                lastPollCpuNanos = used;
                cpuNanos += used;
                polls++;
                firstPoll.countDown();
                next += intervalNanos;
                long now = System.nanoTime();
                if (next - now < 0) {
                    next = now; // fell behind: no burst of catch-up polls
                }
                while (running && !soon && next - System.nanoTime() > 0) {
                    LockSupport.parkNanos(this, next - System.nanoTime());
                }
                if (soon) {
                    soon = false;
                    next = System.nanoTime();
                }
            }
        }
    }

    /**
     * One look: dumps, then the tracker. On this thread's namespace. Public for a caller that polls on
     * its own schedule without {@link #start()} ({@code top} without a daemon).
     */
    public void pollOnce(SockDiag sockDiag) {
        List<Sighting> rows = new ArrayList<>();
        boolean complete = true;
        try {
            sockDiag.dump(TCP, e -> rows.add(Sighting.of(e, Transport.TCP, SightingSource.DUMP)));
        } catch (NetlinkOverrunException e) {
            complete = false;
        } catch (IOException e) {
            complete = false;
            failures++;
            LOG.log(System.Logger.Level.WARNING, "sock_diag TCP dump failed: " + e.getMessage());
        }
        try {
            sockDiag.dump(UDP_RAW, e -> rows.add(Sighting.of(e, Sighting.transportOf(e), SightingSource.DUMP)));
        } catch (NetlinkOverrunException e) {
            complete = false;
        } catch (IOException e) {
            complete = false;
            failures++;
            LOG.log(System.Logger.Level.WARNING, "sock_diag UDP/RAW dump failed: " + e.getMessage());
        }
        try {
            readIcmp(Path.of("/proc/thread-self/net/icmp"), SocketEntry.AF_INET, rows);
            readIcmp(Path.of("/proc/thread-self/net/icmp6"), SocketEntry.AF_INET6, rows);
        } catch (IOException | MalformedProcFileException e) {
            complete = false;
            failures++;
            LOG.log(System.Logger.Level.WARNING, "reading the ICMP socket table failed: " + e.getMessage());
        }
        lastRows = rows.size();
        tracker.onDump(rows, complete);
    }

    private static void readIcmp(Path file, int family, List<Sighting> out) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return; // no IPv6 in this namespace or kernel
        }
        for (SocketEntry e : ProcNetRawParser.parse(bytes, bytes.length, family)) {
            out.add(Sighting.of(e, Transport.ICMP, SightingSource.DUMP));
        }
    }

    public Stats stats() {
        return new Stats(polls, failures, cpuNanos / 1_000, lastPollCpuNanos / 1_000, lastRows);
    }

    /**
     * @param cpuMicros         CPU time of the poller thread (dump + tracker + owner resolution)
     * @param lastPollCpuMicros CPU time of the latest poll
     * @param lastRows          sockets in the latest poll
     */
    public record Stats(long polls, long failures, long cpuMicros, long lastPollCpuMicros, long lastRows) {}

    @Override
    public synchronized void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
