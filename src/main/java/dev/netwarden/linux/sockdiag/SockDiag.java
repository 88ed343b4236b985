package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.netlink.NetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netlink.NetlinkMessageHandler;
import dev.netwarden.linux.netlink.NetlinkOverrunException;
import dev.netwarden.linux.netlink.NetlinkSocket;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import dev.netwarden.linux.proc.ProcNetRawParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The sockets of the caller's network namespace, from the kernel's sock_diag netlink interface.
 *
 * <p>{@link #dump(SockDiagQuery, Consumer)} streams: each socket is parsed straight out of the
 * netlink receive buffer and handed to the sink, so 100k sockets never sit in memory at once.
 * {@link #lookup} asks for one TCP/UDP socket by its addresses (the kernel does a hash lookup, not a
 * walk), reusing a request buffer so a per-packet caller pays one send + one recv.
 *
 * <p>Failures: an ENOBUFS overrun is retried once on a fresh socket (see the dump methods for what the
 * sink sees then); RAW dumps quietly yield nothing when the kernel has no raw_diag (ENOENT). All
 * methods are synchronized; one instance serves one thread at a time.
 */
public final class SockDiag implements AutoCloseable {
    private final MemorySegment requestBuffer = MemorySegment.ofArray(new byte[InetDiagRequest.LENGTH]);
    private final InetDiagParser lookupParser = new InetDiagParser();
    private final LookupHandler lookupHandler = new LookupHandler();
    private NetlinkSocket socket;
    /**
     * Set once the kernel answered a RAW dump with ENOENT (no raw_diag module): it will not grow one
     * while we run, so later dumps go to /proc directly instead of paying a failed request and an
     * exception on every poll.
     */
    private boolean noRawDiag;
    /** Set once the kernel refused the legacy TCP request: TCP is then dumped per family. */
    private boolean noCompatTcpDump;

    /** False once the kernel refused the one-walk TCP dump of both families (then TCP goes per family). */
    synchronized boolean dumpsTcpInOneRequest() {
        return !noCompatTcpDump;
    }

    private SockDiag(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a NETLINK_SOCK_DIAG socket in the caller's current network namespace. */
    public static SockDiag open() throws IOException {
        return new SockDiag(NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG));
    }

    private NetlinkSocket socket() throws IOException {
        if (socket == null) {
            throw new IllegalStateException("SockDiag is closed");
        }
        if (socket.isBroken()) {
            socket.close();
            socket = null;
            socket = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG);
        }
        return socket;
    }

    /**
     * Streams every socket matching {@code query} to {@code sink}, kind by kind (TCP, UDP, RAW, then
     * UNIX; IPv4 before IPv6). If the kernel drops replies (ENOBUFS) before this request delivered
     * anything, it is retried once; after rows were delivered, the {@link NetlinkOverrunException} is
     * thrown instead, since retrying would hand the sink duplicates.
     */
    public synchronized void dump(SockDiagQuery query, Consumer<SocketEntry> sink) throws IOException {
        Objects.requireNonNull(query, "query is null");
        Objects.requireNonNull(sink, "sink is null");
        runDump(query, new CountingSink(sink), false, false);
    }

    /**
     * As {@link #dump(SockDiagQuery, Consumer)}, but TCP of both families comes from one dump in the
     * kernel's hash order, IPv4 and IPv6 interleaved ({@link InetDiagRequest#TCPDIAG_GETSOCK}): one
     * walk of the machine-wide established hash table instead of two. For a caller to whom the order
     * does not matter (the monitor's poll); {@code conns} keeps the order {@code ss} shows.
     */
    public synchronized void dumpInKernelOrder(SockDiagQuery query, Consumer<SocketEntry> sink) throws IOException {
        Objects.requireNonNull(query, "query is null");
        Objects.requireNonNull(sink, "sink is null");
        runDump(query, new CountingSink(sink), false, true);
    }

    /** Collects every socket matching {@code query}; an ENOBUFS overrun is retried once from scratch. */
    public synchronized List<SocketEntry> dump(SockDiagQuery query) throws IOException {
        Objects.requireNonNull(query, "query is null");
        List<SocketEntry> out = new ArrayList<>();
        runDump(query, new CountingSink(out), true, false);
        return out;
    }

    private void runDump(SockDiagQuery query, CountingSink sink, boolean collecting, boolean oneTcpWalk) throws IOException {
        int states = query.stateMask();
        if (query.includes(Netid.TCP)) {
            int ext = query.tcpInfo() ? InetDiagRequest.EXT_INFO | InetDiagRequest.EXT_CONG : 0;
            boolean inOneWalk = oneTcpWalk && query.ipv4() && query.ipv6() && !noCompatTcpDump
                    && dumpTcpBothFamilies(new InetDiagParser(), ext, states, sink, collecting);
            if (!inOneWalk) {
                dumpInet(query, Netid.TCP, InetDiagRequest.IPPROTO_TCP, ext, states, sink, collecting);
            }
        }
        if (query.includes(Netid.UDP)) {
            dumpInet(query, Netid.UDP, InetDiagRequest.IPPROTO_UDP, 0, states, sink, collecting);
        }
        if (query.includes(Netid.RAW)) {
            if (noRawDiag) {
                dumpRawFromProc(query, states, sink::accept);
            } else {
                try {
                    dumpInet(query, Netid.RAW, InetDiagRequest.IPPROTO_RAW, 0, states, sink, collecting);
                } catch (NetlinkException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                    // No raw_diag in this kernel (CONFIG_INET_RAW_DIAG off): read the namespace's own
                    // raw tables in /proc instead, as ss -w does.
                    noRawDiag = true;
                    dumpRawFromProc(query, states, sink::accept);
                }
            }
        }
        if (query.includes(Netid.UNIX_STREAM) || query.includes(Netid.UNIX_DGRAM) || query.includes(Netid.UNIX_SEQPACKET)) {
            MemorySegment request = UnixDiagRequest.dump(states, UnixDiagRequest.DEFAULT_SHOW);
            NetlinkMessageHandler handler = message -> {
                if (message.type() != InetDiagRequest.SOCK_DIAG_BY_FAMILY) {
                    return;
                }
                SocketEntry entry = UnixDiagParser.parse(message.segment(), message.payloadOffset(), message.payloadLength());
                if (query.includes(entry.netid())) {
                    sink.accept(entry);
                }
            };
            dumpWithRetry(request, handler, sink, collecting);
        }
    }

    /**
     * The RAW sockets of the calling thread's network namespace from /proc/thread-self/net/raw{,6}.
     *
     * <p>Why thread-self and not /proc/net (= /proc/self/net): /proc/self/net is the namespace of the
     * process's main thread, while the sock_diag socket and everything else here work in the calling
     * thread's namespace; a daemon that setns()es a worker thread into a container's namespace would
     * otherwise list the host's raw sockets as the container's. (The netlink socket itself lives in
     * the namespace of the thread that opened it, so such a daemon opens SockDiag on that thread too.)
     */
    static void dumpRawFromProc(SockDiagQuery query, int states, Consumer<SocketEntry> sink) throws IOException {
        if (query.ipv4()) {
            rawTable(Path.of("/proc/thread-self/net/raw"), SocketEntry.AF_INET, states, sink);
        }
        if (query.ipv6()) {
            rawTable(Path.of("/proc/thread-self/net/raw6"), SocketEntry.AF_INET6, states, sink);
        }
    }

    private static void rawTable(Path file, int family, int states, Consumer<SocketEntry> sink) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return; // no IPv6 in this kernel or namespace
        }
        for (SocketEntry e : ProcNetRawParser.parse(bytes, bytes.length, family)) {
            if ((states & e.state().maskBit()) != 0) {
                sink.accept(e);
            }
        }
    }

    private void dumpInet(SockDiagQuery query, Netid netid, int protocol, int ext, int states,
                          CountingSink sink, boolean collecting) throws IOException {
        InetDiagParser parser = new InetDiagParser();
        NetlinkMessageHandler handler = message -> {
            if (message.type() == InetDiagRequest.SOCK_DIAG_BY_FAMILY) {
                sink.accept(parser.parse(message.segment(), message.payloadOffset(), message.payloadLength(), netid));
            }
        };
        if (query.ipv4()) {
            dumpWithRetry(InetDiagRequest.dump(InetDiagParser.AF_INET, protocol, ext, states), handler, sink, collecting);
        }
        if (query.ipv6()) {
            dumpWithRetry(InetDiagRequest.dump(InetDiagParser.AF_INET6, protocol, ext, states), handler, sink, collecting);
        }
    }

    /**
     * TCP of both families in one {@link InetDiagRequest#TCPDIAG_GETSOCK} dump: one walk of the
     * machine-wide established hash table instead of two (it is most of a poll's CPU, all of it in the
     * kernel: on a machine whose table has 262,144 buckets, about 1 ms per walk, more when other
     * namespaces hold many sockets). False, having delivered nothing, when the kernel refuses the
     * legacy request type (remembered: later dumps go per family at once).
     */
    private boolean dumpTcpBothFamilies(InetDiagParser parser, int ext, int states, CountingSink sink,
                                        boolean collecting) throws IOException {
        NetlinkMessageHandler handler = message -> {
            if (message.type() == InetDiagRequest.TCPDIAG_GETSOCK) {
                sink.accept(parser.parse(message.segment(), message.payloadOffset(), message.payloadLength(), Netid.TCP));
            }
        };
        long before = sink.count;
        try {
            dumpWithRetry(InetDiagRequest.tcpDumpBothFamilies(ext, states), handler, sink, collecting);
            return true;
        } catch (NetlinkException e) {
            if (e instanceof NetlinkOverrunException || sink.count != before
                    || (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENOENT)) {
                throw e;
            }
            noCompatTcpDump = true;
            return false;
        }
    }

    private void dumpWithRetry(MemorySegment request, NetlinkMessageHandler handler, CountingSink sink,
                               boolean collecting) throws IOException {
        long before = sink.count;
        int listMark = collecting ? sink.mark() : 0;
        try {
            socket().dump(request, handler);
        } catch (NetlinkOverrunException e) {
            if (!collecting && sink.count != before) {
                throw e;
            }
            if (collecting) {
                sink.rewind(listMark);
            }
            socket().dump(request, handler);
        }
    }

    /**
     * The socket with exactly these addresses, looked up on the interface that {@code local}'s IPv6
     * scope id names (0, meaning sockets bound to no interface, when it has none): as
     * {@link #lookup(Netid, InetEndpoint, InetEndpoint, int)}.
     */
    public Optional<SocketEntry> lookup(Netid netid, InetEndpoint local, InetEndpoint remote) throws IOException {
        Objects.requireNonNull(local, "local is null");
        return lookup(netid, local, remote, InetDiagRequest.scopeOf(local));
    }

    /**
     * The socket with exactly these addresses, if the kernel has one. {@code netid} must be TCP or
     * UDP. For a listening or unconnected socket, {@code remote} is the wildcard address with port 0;
     * a TCP lookup with a real remote also finds the listener when no connection matches, as the
     * kernel's own lookup does. An IPv4 pair is looked up in AF_INET, anything else in AF_INET6.
     *
     * <p>{@code interfaceIndex} is the interface the traffic is on (a packet's ifindex, or a dump
     * row's {@link SocketEntry#interfaceIndex()}). A socket bound to an interface, which every IPv6
     * link-local socket is (fe80::/10 needs a scope), is only found with that interface's index; 0
     * finds only sockets bound to no interface. The kernel's own lookup works the same way.
     */
    public synchronized Optional<SocketEntry> lookup(Netid netid, InetEndpoint local, InetEndpoint remote,
                                                     int interfaceIndex) throws IOException {
        int protocol = switch (Objects.requireNonNull(netid, "netid is null")) {
            case TCP -> InetDiagRequest.IPPROTO_TCP;
            case UDP -> InetDiagRequest.IPPROTO_UDP;
            default -> throw new IllegalArgumentException("lookup supports TCP and UDP, not " + netid);
        };
        InetDiagRequest.writeExact(requestBuffer, 0, protocol, local, remote, interfaceIndex);
        lookupHandler.netid = netid;
        lookupHandler.result = null;
        int errno = socket().requestForErrno(requestBuffer, lookupHandler);
        if (errno == Errno.ENOENT) {
            return Optional.empty();
        }
        if (errno != 0) {
            throw new NetlinkException("sock_diag lookup " + netid + " " + local + " -> " + remote
                    + " if " + interfaceIndex, errno, null);
        }
        SocketEntry found = lookupHandler.result;
        lookupHandler.result = null;
        return Optional.ofNullable(found);
    }

    /**
     * Destroys {@code socket} (a TCP or UDP socket from a dump or lookup of this namespace): the kernel
     * aborts it — a TCP peer gets a reset, the owner's next call fails with ECONNABORTED. Returns false
     * when it no longer exists (ENOENT).
     *
     * @throws NetlinkException EPERM without CAP_NET_ADMIN, EOPNOTSUPP when the kernel lacks
     *                          CONFIG_INET_DIAG_DESTROY
     */
    public synchronized boolean destroy(SocketEntry socket) throws IOException {
        Objects.requireNonNull(socket, "socket is null");
        int protocol = switch (socket.netid()) {
            case TCP -> InetDiagRequest.IPPROTO_TCP;
            case UDP -> InetDiagRequest.IPPROTO_UDP;
            default -> throw new IllegalArgumentException("destroy supports TCP and UDP, not " + socket.netid());
        };
        InetDiagRequest.writeDestroy(requestBuffer, 0, protocol, socket.local(), socket.remote(), socket.interfaceIndex(),
                socket.cookie());
        int errno = socket().requestForErrno(requestBuffer, message -> { });
        if (errno == Errno.ENOENT) {
            return false;
        }
        if (errno != 0) {
            throw new NetlinkException("sock_diag destroy " + socket.netid() + " " + socket.local() + " -> " + socket.remote(),
                    errno, null);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private final class LookupHandler implements NetlinkMessageHandler {
        Netid netid;
        SocketEntry result;

        @Override
        public void onMessage(NetlinkMessageCursor message) {
            if (message.type() == InetDiagRequest.SOCK_DIAG_BY_FAMILY) {
                result = lookupParser.parse(message.segment(), message.payloadOffset(), message.payloadLength(), netid);
            }
        }
    }

    /** Counts what reached the sink, so a retry knows whether the caller already saw rows. */
    private static final class CountingSink {
        private final Consumer<SocketEntry> delegate;
        private final List<SocketEntry> list;
        long count;

        CountingSink(Consumer<SocketEntry> delegate) {
            this.delegate = delegate;
            this.list = null;
        }

        CountingSink(List<SocketEntry> list) {
            this.delegate = list::add;
            this.list = list;
        }

        void accept(SocketEntry e) {
            count++;
            delegate.accept(e);
        }

        int mark() {
            return list == null ? 0 : list.size();
        }

        void rewind(int mark) {
            if (list != null) {
                list.subList(mark, list.size()).clear();
            }
        }
    }
}
