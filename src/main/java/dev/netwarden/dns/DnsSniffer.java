package dev.netwarden.dns;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.packet.Fragment;
import dev.netwarden.packet.IpPacket;
import dev.netwarden.packet.MalformedPacketException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens to the DNS answers this network namespace receives and teaches them to a
 * {@link DomainCache}: an AF_PACKET SOCK_DGRAM socket for every protocol, with the
 * {@link DnsAnswerFilter} BPF program attached so only UDP/TCP from port 53 reach it, and
 * PACKET_IGNORE_OUTGOING so a loopback answer (sent and received on lo) is seen once.
 *
 * <p>Read-only: it changes no firewall rule, route or setting, and sends nothing. The socket belongs
 * to the network namespace of the thread that calls {@link #open}; to watch another namespace, open
 * it on a thread that joined it ({@code NetNamespace.callIn}). One daemon thread receives, parses
 * ({@link IpPacket}, {@link AnswerFeed}, {@link TcpDnsStream}) and writes to the cache; nothing it
 * receives can make it throw, block or grow without bound.
 *
 * <p>What it can miss: answers the kernel drops when the thread falls behind (counted from
 * PACKET_STATISTICS), IPv4/IPv6 fragmented answers, answers behind IPv6 extension headers, DNS over
 * TLS/HTTPS/QUIC (encrypted: port 853/443), and answers a local stub resolver serves from its own
 * cache over a Unix socket (nscd, systemd-resolved's varlink) rather than over UDP/TCP. It also
 * believes unsolicited answers: anyone who can deliver a packet from port 53 to this machine can
 * attach a name to an address (the names are labels for humans, never used for a verdict here).
 */
public final class DnsSniffer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsSniffer.class.getName());
    /** Receive buffer: a 64 KiB IP packet plus room, to tell a truncated one (MSG_TRUNC) apart. */
    static final int BUFFER_BYTES = 128 * 1024;
    static final int SOCKET_RECEIVE_BUFFER = 1 << 20;
    /** How often the kernel's drop counter is read while no packet comes (with packets: every second). */
    private static final long IDLE_STATISTICS_MILLIS = 10_000;
    private static final long STATISTICS_EVERY_NANOS = 1_000_000_000L;

    /** Counters since open. {@code kernelDrops}: answers the kernel dropped because the queue was full. */
    public record Stats(long packets, long malformedPackets, long fragments, long truncated, long kernelPackets,
                        long kernelDrops, AnswerFeed.Stats answers, TcpDnsStream.Stats tcp) {
    }

    private final int fd;
    /** Ends the reader's wait for packets when the sniffer is closed. */
    private final Wakeup wakeup;
    private final AnswerFeed feed;
    private final TcpDnsStream tcp;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread reader;
    private volatile long packets;
    private volatile long malformedPackets;
    private volatile long fragments;
    private volatile long truncated;
    private volatile long kernelPackets;
    private volatile long kernelDrops;
    private volatile TcpDnsStream.Stats tcpStats;
    private volatile String failure;

    private DnsSniffer(int fd, Wakeup wakeup, DomainCache cache) {
        this.fd = fd;
        this.wakeup = wakeup;
        this.feed = new AnswerFeed(cache);
        this.tcp = new TcpDnsStream(feed::message);
        this.tcpStats = tcp.stats();
    }

    /**
     * Opens the socket in the calling thread's network namespace, filter attached. Needs CAP_NET_RAW.
     * Nothing is received until {@link #start()}.
     */
    public static DnsSniffer open(DomainCache cache) throws ErrnoException {
        Objects.requireNonNull(cache, "cache is null");
        Libc.CallState st = Libc.state();
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) Libc.ETH_P_ALL));
        int fd = (int) Libc.check(st, "socket(AF_PACKET)",
                Libc.socket(st, Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, protocol));
        try (Arena arena = Arena.ofConfined()) {
            Libc.check(st, "setsockopt(SO_ATTACH_FILTER)", Libc.setsockopt(st, fd, Libc.SOL_SOCKET,
                    Libc.SO_ATTACH_FILTER, DnsAnswerFilter.PROGRAM.sockFprog(arena), 16));
            Libc.check(st, "setsockopt(PACKET_IGNORE_OUTGOING)",
                    Libc.setsockoptInt(st, fd, Libc.SOL_PACKET, Libc.PACKET_IGNORE_OUTGOING, 1));
            // best effort: bursts of answers fit; the kernel caps it at net.core.rmem_max
            Libc.setsockoptInt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_RECEIVE_BUFFER);
            // packets queued between socket() and the filter were not filtered: drop them
            MemorySegment scratch = arena.allocate(2048);
            while (Libc.recv(st, fd, scratch, scratch.byteSize(), Libc.MSG_DONTWAIT) >= 0) {
                // discard
            }
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(st, fd);
            throw e;
        }
        Wakeup wakeup;
        try {
            wakeup = Wakeup.open();
        } catch (ErrnoException e) {
            Libc.close(st, fd);
            throw e;
        }
        return new DnsSniffer(fd, wakeup, cache);
    }

    /** Starts the daemon thread that receives. Once only. */
    public synchronized void start() {
        if (closed.get()) {
            throw new IllegalStateException("sniffer is closed");
        }
        if (reader != null) {
            throw new IllegalStateException("sniffer already started");
        }
        reader = Thread.ofPlatform().daemon().name("nw-dns-sniffer").start(this::receive);
    }

    private void receive() {
        Libc.CallState st = Libc.state();
        long nextStatistics = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment kernelStats = arena.allocate(8, 4);
            MemorySegment kernelStatsLength = arena.allocate(ValueLayout.JAVA_INT);
            byte[] copy = new byte[BUFFER_BYTES];
            while (!closed.get()) {
                long n = Libc.recv(st, fd, buffer, BUFFER_BYTES, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT);
                if (n < 0 && st.errno() == Errno.EAGAIN) {
                    // Nothing queued: sleep until a packet, close(), or the next statistics read.
                    Wakeup.Outcome o = wakeup.await(st, fd, IDLE_STATISTICS_MILLIS);
                    if (o == Wakeup.Outcome.TIMED_OUT) {
                        readKernelStatistics(st, kernelStats, kernelStatsLength);
                        tcpStats = tcp.stats();
                    }
                    continue;
                }
                long now = System.nanoTime();
                if (now - nextStatistics >= 0) {
                    nextStatistics = now + STATISTICS_EVERY_NANOS;
                    readKernelStatistics(st, kernelStats, kernelStatsLength);
                    tcpStats = tcp.stats();
                }
                if (n < 0) {
                    int errno = st.errno();
                    if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                        continue;
                    }
                    if (!closed.get()) {
                        failure = "recv: " + Errno.describe(errno);
                        LOG.log(Level.WARNING, "DNS sniffer stops: recv failed with {0}", Errno.describe(errno));
                    }
                    return;
                }
                packets++;
                if (n > BUFFER_BYTES) {
                    truncated++;
                    continue;
                }
                int length = (int) n;
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, copy, 0, length);
                handle(copy, length, now);
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e.toString();
            LOG.log(Level.SEVERE, "DNS sniffer thread failed", e);
        } finally {
            tcpStats = tcp.stats();
            wakeup.close(); // here, not in close(): only this thread waits on it
        }
    }

    private void handle(byte[] bytes, int length, long now) {
        IpPacket packet;
        try {
            packet = IpPacket.parse(bytes, 0, length);
        } catch (MalformedPacketException e) {
            malformedPackets++;
            return;
        }
        if (packet.sourcePort() != 53) {
            return; // a later fragment, or a packet the filter did not see (queued before it was attached)
        }
        if (packet.protocol() == IpPacket.UDP) {
            if (packet.fragment() != Fragment.NONE) {
                fragments++;
                return;
            }
            feed.message(bytes, packet.payloadOffset(), packet.payloadLength());
        } else if (packet.protocol() == IpPacket.TCP) {
            tcp.segment(packet, bytes, 0, now);
        }
    }

    private void readKernelStatistics(Libc.CallState st, MemorySegment stats, MemorySegment length) {
        length.set(ValueLayout.JAVA_INT, 0, 8);
        if (Libc.getsockopt(st, fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, stats, length) == 0) {
            // the kernel resets its counters on each read: accumulate
            kernelPackets += Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 0));
            kernelDrops += Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4));
        }
    }

    /** Counters so far; TCP and kernel counters are refreshed about once a second by the receiving thread. */
    public Stats stats() {
        return new Stats(packets, malformedPackets, fragments, truncated, kernelPackets, kernelDrops, feed.stats(),
                tcpStats);
    }

    /** Why the receiving thread stopped early, or null while it runs (or after a clean close). */
    public String failure() {
        return failure;
    }

    /** Stops the thread (its wait ends at once) and closes the socket. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        wakeup.wake();
        Thread t = reader;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Libc.close(Libc.state(), fd);
        if (t == null) {
            wakeup.close(); // never started: nobody else will
        }
    }
}
