package dev.netwarden.monitor;

import dev.netwarden.flow.Transport;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.proc.MalformedProcFileException;
import dev.netwarden.linux.proc.ProcNetRawParser;
import dev.netwarden.linux.proc.SockstatParser;
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
 * <p>The TCP dump is skipped when the previous one held listening sockets only and nothing says a
 * TCP socket came or went since ({@link TcpDumpGate}: the namespace's TCP socket count and the
 * destroy notifications): the walk of the machine-wide hash table behind it is most of an idle
 * poll's CPU. The previous rows stand in for it, so the tracker sees the same listeners.
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

    /** At most this many polls in a row stand on one TCP dump: a real dump at least every 10 polls. */
    static final int MAX_TCP_DUMP_REUSES = 9;
    private static final Path SOCKSTAT = Path.of("/proc/thread-self/net/sockstat");
    private static final Path SOCKSTAT6 = Path.of("/proc/thread-self/net/sockstat6");

    private final FlowTracker tracker;
    private final long intervalNanos;
    private final Path namespace;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CountDownLatch firstPoll = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean soon;
    private volatile Throwable startFailure;
    private Thread thread;

    private volatile long polls, failures, cpuNanos, lastPollCpuNanos, lastRows, tcpDumps, tcpDumpsSkipped;
    /** Set by {@link #pollSoon}: the next poll dumps TCP whatever the gate says. */
    private volatile boolean dumpRequested;
    /** Owned by the poller's thread. */
    private final TcpDumpGate tcpGate;

    /** @param namespace the network namespace file to watch, or null for the caller's */
    public SockDiagPoller(FlowTracker tracker, Duration interval, Path namespace) {
        this(tracker, interval, namespace, MAX_TCP_DUMP_REUSES);
    }

    /** @param maxTcpDumpReuses polls in a row that may stand on one TCP dump (a test sets it out of reach) */
    SockDiagPoller(FlowTracker tracker, Duration interval, Path namespace, int maxTcpDumpReuses) {
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
        this.intervalNanos = Objects.requireNonNull(interval, "interval is null").toNanos();
        this.namespace = namespace;
        this.tcpGate = new TcpDumpGate(maxTcpDumpReuses);
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

    /** Asks for the next poll now, with a fresh TCP dump (after lost destroy notifications). */
    public void pollSoon() {
        dumpRequested = true;
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
        if (dumpRequested) {
            dumpRequested = false;
            tcpGate.invalidate();
        }
        long destroysBefore = tracker.destroyNotifications();
        long inUseBefore = tcpInUse();
        List<Sighting> standing = tcpGate.standing(inUseBefore, destroysBefore);
        if (standing != null) {
            rows.addAll(standing);
            tcpDumpsSkipped++;
        } else {
            List<Sighting> tcp = new ArrayList<>();
            boolean tcpComplete = true;
            try {
                sockDiag.dumpInKernelOrder(TCP, e -> tcp.add(Sighting.of(e, Transport.TCP, SightingSource.DUMP)));
            } catch (NetlinkOverrunException e) {
                tcpComplete = false;
            } catch (IOException e) {
                tcpComplete = false;
                failures++;
                LOG.log(System.Logger.Level.WARNING, "sock_diag TCP dump failed: " + e.getMessage());
            }
            tcpGate.dumped(tcp, tcpComplete, inUseBefore, tcpInUse(), destroysBefore, tracker.destroyNotifications());
            rows.addAll(tcp);
            complete = tcpComplete;
            tcpDumps++;
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

    /**
     * The namespace's TCP sockets in the kernel's tables (IPv4 + IPv6 inuse of sockstat{,6}), or -1
     * when it cannot be read (then the poll dumps).
     */
    private static long tcpInUse() {
        try {
            byte[] v4 = Files.readAllBytes(SOCKSTAT);
            long n4 = SockstatParser.inUse(v4, v4.length, "TCP");
            long n6 = 0;
            try {
                byte[] v6 = Files.readAllBytes(SOCKSTAT6);
                n6 = SockstatParser.inUse(v6, v6.length, "TCP6");
            } catch (NoSuchFileException noIpv6) {
                // no IPv6 in this kernel: no TCP6 sockets
            }
            return n4 < 0 || n6 < 0 ? -1 : n4 + n6;
        } catch (IOException e) {
            return -1;
        }
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
        return new Stats(polls, failures, cpuNanos / 1_000, lastPollCpuNanos / 1_000, lastRows, tcpDumps, tcpDumpsSkipped);
    }

    /**
     * @param cpuMicros         CPU time of the poller thread (dump + tracker + owner resolution)
     * @param lastPollCpuMicros CPU time of the latest poll
     * @param lastRows          sockets in the latest poll
     * @param tcpDumps          polls that dumped TCP
     * @param tcpDumpsSkipped   polls that stood on the previous TCP dump ({@link TcpDumpGate})
     */
    public record Stats(long polls, long failures, long cpuMicros, long lastPollCpuMicros, long lastRows,
                        long tcpDumps, long tcpDumpsSkipped) {}

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
