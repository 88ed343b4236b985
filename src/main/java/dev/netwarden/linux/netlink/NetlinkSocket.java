package dev.netwarden.linux.netlink;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.ffm.Wakeup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;

/**
 * A netlink socket talking to the kernel: sends requests with sequence numbers it assigns and reads
 * the replies into one reusable native buffer, so a dump of 100k sockets allocates no memory per
 * message (the handler sees each message through a {@link NetlinkMessageCursor} into that buffer).
 *
 * <p>Replies are matched by sequence number and port id; anything else (leftovers of an abandoned
 * request) is skipped, never handed to the handler. Every receive has a timeout (SO_RCVTIMEO), so a
 * silent kernel cannot hang a caller.
 *
 * <p>Thread safety: all methods are synchronized; the buffers live in a shared arena so any thread
 * may use the socket (one at a time). After a dump ends abnormally (handler exception, overrun,
 * timeout) the kernel may still hold the rest of that dump and would refuse a new one with EBUSY;
 * {@link #isBroken()} then turns true and the owner should open a new socket.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** Receive buffer: the kernel sends at most ~32 KiB per dump datagram, so this never truncates. */
    public static final int RECEIVE_BUFFER_BYTES = 256 * 1024;
    private static final int SEND_BUFFER_BYTES = 16 * 1024;
    private static final int SOCKET_RCVBUF_BYTES = 4 * 1024 * 1024;
    private static final int SOCKADDR_NL_LENGTH = 12;
    private static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_EINTR_RETRIES = 100;

    private final int protocol;
    private final Arena arena;
    private final Libc.CallState callState;
    private final MemorySegment receiveBuffer;
    private final MemorySegment sendBuffer;
    private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
    /** The sender of the last notification datagram (sockaddr_nl) and its length. */
    private final MemorySegment sender;
    private final MemorySegment senderLength;
    private final int portId;
    private int fd;
    private int nextSeq;
    private boolean broken;
    private String lastExtAck;

    private NetlinkSocket(int protocol, Arena arena, Libc.CallState callState, int fd, long timeoutMillis) throws IOException {
        this.protocol = protocol;
        this.arena = arena;
        this.callState = callState;
        this.fd = fd;
        this.receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
        this.sendBuffer = arena.allocate(SEND_BUFFER_BYTES, 8);
        this.sender = arena.allocate(SOCKADDR_NL_LENGTH, 4);
        this.senderLength = arena.allocate(ValueLayout.JAVA_INT);
        // nl_pid 0: the kernel picks our port id. Unconnected, the socket sends to the kernel.
        MemorySegment local = arena.allocate(SOCKADDR_NL_LENGTH, 4);
        local.set(U16, 0, (short) Libc.AF_NETLINK);
        Libc.check(callState, "bind(AF_NETLINK)", Libc.bind(callState, fd, local, SOCKADDR_NL_LENGTH));
        MemorySegment bound = arena.allocate(SOCKADDR_NL_LENGTH, 4);
        MemorySegment boundLen = arena.allocateFrom(ValueLayout.JAVA_INT, SOCKADDR_NL_LENGTH);
        Libc.check(callState, "getsockname(AF_NETLINK)", Libc.getsockname(callState, fd, bound, boundLen));
        this.portId = bound.get(U32, 4);
        this.nextSeq = (int) (System.nanoTime() & 0x3FFF_FFFF) | 1;

        // Optional features: an old kernel without them still works, with plainer errors.
        Libc.setsockoptInt(callState, fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
        if (Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, SOCKET_RCVBUF_BYTES) < 0) {
            Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_RCVBUF_BYTES);
        }
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
        timeval.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1000);
        Libc.check(callState, "setsockopt(SO_RCVTIMEO)", Libc.setsockopt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, 16));
    }

    /** Opens and binds a netlink socket of {@code protocol} (e.g. NETLINK_SOCK_DIAG) in the caller's network namespace. */
    public static NetlinkSocket open(int protocol) throws IOException {
        return open(protocol, DEFAULT_TIMEOUT_MILLIS);
    }

    /** As {@link #open(int)}, with a receive timeout per recv() call. */
    public static NetlinkSocket open(int protocol, long receiveTimeoutMillis) throws IOException {
        if (receiveTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + receiveTimeoutMillis);
        }
        Arena arena = Arena.ofShared();
        Libc.CallState st = new Libc.CallState(arena);
        int fd = Libc.socket(st, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            int errno = st.errno();
            arena.close();
            throw new ErrnoException("socket(AF_NETLINK, " + protocol + ")", errno);
        }
        try {
            return new NetlinkSocket(protocol, arena, st, fd, receiveTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            Libc.close(st, fd);
            arena.close();
            throw e;
        }
    }

    /** The port id the kernel assigned at bind time (nlmsg_pid of its replies to us). */
    public int portId() {
        return portId;
    }

    public int protocol() {
        return protocol;
    }

    /** True after a request ended abnormally; the owner should close this socket and open another. */
    public synchronized boolean isBroken() {
        return broken;
    }

    /**
     * Sends one request (a complete netlink message whose nlmsg_len is its byte size), stamping a new
     * sequence number into the copy it sends. Returns that sequence number.
     */
    public synchronized int send(MemorySegment request) throws IOException {
        ensureOpen();
        long len = request.byteSize();
        if (len < NetlinkHeader.LENGTH || len > SEND_BUFFER_BYTES) {
            throw new IllegalArgumentException("request of " + len + " bytes (must be 16.." + SEND_BUFFER_BYTES + ")");
        }
        if (Integer.toUnsignedLong(request.get(U32, 0)) != len) {
            throw new IllegalArgumentException("nlmsg_len " + Integer.toUnsignedLong(request.get(U32, 0)) + " != request size " + len);
        }
        MemorySegment.copy(request, 0, sendBuffer, 0, len);
        int seq = nextSeq++;
        if (nextSeq == 0) {
            nextSeq = 1;
        }
        sendBuffer.set(U32, NetlinkHeader.OFFSET_SEQ, seq);
        sendBuffer.set(U32, NetlinkHeader.OFFSET_PID, 0);
        for (int attempt = 0; ; attempt++) {
            // send, not sendto: an unconnected netlink socket sends to the kernel (nl_pid 0) by
            // default, and send shares its downcall stub with recv (one stub less to link).
            long n = Libc.send(callState, fd, sendBuffer, len, 0);
            if (n >= 0) {
                if (n != len) {
                    throw new IOException("netlink send sent " + n + " of " + len + " bytes");
                }
                return seq;
            }
            if (callState.errno() != Errno.EINTR || attempt >= MAX_EINTR_RETRIES) {
                throw new ErrnoException("send(netlink)", callState.errno());
            }
        }
    }

    /**
     * Sends a dump request (it should carry NLM_F_DUMP) and hands every reply message to
     * {@code handler} until NLMSG_DONE.
     *
     * @throws NetlinkException          the kernel reported an error
     * @throws NetlinkOverrunException   replies were dropped (ENOBUFS); ask again on a new socket
     * @throws MalformedNetlinkException the reply bytes are not valid netlink
     */
    public synchronized void dump(MemorySegment request, NetlinkMessageHandler handler) throws IOException {
        int seq = send(request);
        receive(seq, handler, true, false);
    }

    /**
     * Sends a single request and waits for its answer: the first reply message (handed to
     * {@code handler}) or, if the request set NLM_F_ACK, everything up to the ACK. An NLMSG_ERROR with
     * a non-zero errno throws {@link NetlinkException}.
     */
    public synchronized void request(MemorySegment request, NetlinkMessageHandler handler) throws IOException {
        int errno = requestForErrno(request, handler);
        if (errno != 0) {
            throw new NetlinkException("netlink request", errno, lastExtAck);
        }
    }

    /**
     * As {@link #request}, but a kernel error comes back as its errno (0 = success) instead of an
     * exception: for per-packet callers to whom "not found" (ENOENT) is an ordinary answer and an
     * exception per miss would cost more than the system calls. Transport failures still throw.
     */
    public synchronized int requestForErrno(MemorySegment request, NetlinkMessageHandler handler) throws IOException {
        boolean ack = (Short.toUnsignedInt(request.get(U16, NetlinkHeader.OFFSET_FLAGS)) & NetlinkHeader.NLM_F_ACK) != 0;
        int seq = send(request);
        return receive(seq, handler, false, ack);
    }

    /** Returns 0, or for a single request the kernel's errno; dumps throw on errors. */
    private int receive(int seq, NetlinkMessageHandler handler, boolean dump, boolean waitForAck) throws IOException {
        boolean finished = false;
        lastExtAck = null;
        try {
            while (true) {
                long n = receiveDatagram();
                cursor.reset(receiveBuffer, 0, n);
                while (cursor.next()) {
                    if (cursor.seq() != seq || cursor.portId() != portId) {
                        continue;
                    }
                    int type = cursor.type();
                    if (type == NetlinkHeader.NLMSG_ERROR) {
                        NetlinkErrorReply err = NetlinkErrorReply.parse(cursor);
                        finished = true; // an error or ACK ends the request
                        if (err.errno() != 0 && dump) {
                            throw new NetlinkException("netlink dump", err.errno(), err.extAckMessage());
                        }
                        lastExtAck = err.extAckMessage();
                        return err.errno();
                    }
                    if (type == NetlinkHeader.NLMSG_DONE && dump) {
                        finished = true;
                        NetlinkErrorReply err = NetlinkErrorReply.parseDone(cursor);
                        if (err != null) {
                            throw new NetlinkException("netlink dump", err.errno(), err.extAckMessage());
                        }
                        return 0;
                    }
                    if (type == NetlinkHeader.NLMSG_OVERRUN) {
                        throw new NetlinkOverrunException("netlink " + (dump ? "dump" : "request"));
                    }
                    if (type == NetlinkHeader.NLMSG_NOOP) {
                        continue;
                    }
                    handler.onMessage(cursor);
                    if (!dump && !waitForAck) {
                        finished = true;
                        return 0;
                    }
                }
            }
        } finally {
            if (!finished && dump) {
                broken = true;
            }
        }
    }

    /**
     * Joins multicast group {@code group} (NETLINK_ADD_MEMBERSHIP), so the kernel sends this socket
     * its notifications of that group (for NETLINK_SOCK_DIAG, e.g. SKNLGRP_INET_TCP_DESTROY = 1).
     * Joining may need a capability (CAP_NET_ADMIN for sock_diag's destroy groups): EPERM is an
     * {@link ErrnoException}.
     */
    public synchronized void joinGroup(int group) throws IOException {
        ensureOpen();
        if (group <= 0) {
            throw new IllegalArgumentException("netlink group must be positive: " + group);
        }
        Libc.check(callState, "setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")",
                Libc.setsockoptInt(callState, fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, group));
    }

    /**
     * Waits (up to the receive timeout) for one datagram of kernel notifications and hands each
     * message in it to {@code handler}; returns how many, or 0 when the timeout passed first, so a
     * listener loop can check whether it should stop. A datagram whose sender is not the kernel
     * (source port id 0) is skipped whole. Why the sender and not each message's port id field: a
     * notification caused by a process's request carries that process's port id there (nftables
     * changes, routes added with ip), and it still comes from the kernel.
     *
     * <p>Unlike a request, an overrun here does not break the socket: the kernel dropped
     * notifications (the receive buffer was full), the socket itself is fine, and the caller is told
     * by a {@link NetlinkOverrunException} so it can reconcile from a dump.
     */
    public synchronized int receiveNotifications(NetlinkMessageHandler handler) throws IOException {
        return Math.max(0, receiveNotifications(handler, Libc.MSG_TRUNC));
    }

    /**
     * Waits until a datagram is queued for this socket, or {@code wakeup} is woken, or the timeout
     * passes ({@code < 0}: none); see {@link Wakeup#await}. For a listener thread that owns the socket:
     * it holds no lock while it waits, and then drains with {@link #receiveQueuedNotifications}.
     */
    public Wakeup.Outcome awaitReadable(Wakeup wakeup, long timeoutMillis) throws IOException {
        ensureOpen();
        return wakeup.await(callState, fd, timeoutMillis);
    }

    /**
     * As {@link #receiveNotifications}, without waiting: -1 when no datagram is queued. For a listener
     * that drains what arrived while it slept.
     */
    public synchronized int receiveQueuedNotifications(NetlinkMessageHandler handler) throws IOException {
        return receiveNotifications(handler, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT);
    }

    /** -1 when recv() found nothing within the timeout (or at once, with MSG_DONTWAIT). */
    private int receiveNotifications(NetlinkMessageHandler handler, int flags) throws IOException {
        ensureOpen();
        long n;
        for (int attempt = 0; ; attempt++) {
            senderLength.set(ValueLayout.JAVA_INT, 0, SOCKADDR_NL_LENGTH);
            n = Libc.recvfrom(callState, fd, receiveBuffer, RECEIVE_BUFFER_BYTES, flags, sender, senderLength);
            if (n >= 0) {
                break;
            }
            int errno = callState.errno();
            if (errno == Errno.EINTR && attempt < MAX_EINTR_RETRIES) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                return -1;
            }
            if (errno == Errno.ENOBUFS) {
                throw new NetlinkOverrunException("netlink notifications");
            }
            throw new ErrnoException("recv(netlink notifications)", errno);
        }
        if (n > RECEIVE_BUFFER_BYTES) {
            throw new IOException("netlink notification of " + n + " bytes truncated to the "
                    + RECEIVE_BUFFER_BYTES + "-byte receive buffer");
        }
        int delivered = 0;
        if (sender.get(U32, 4) != 0) {
            return 0; // another process wrote to our socket: nothing the kernel said
        }
        cursor.reset(receiveBuffer, 0, n);
        while (cursor.next()) {
            int type = cursor.type();
            if (type == NetlinkHeader.NLMSG_NOOP || type == NetlinkHeader.NLMSG_DONE) {
                continue;
            }
            if (type == NetlinkHeader.NLMSG_OVERRUN) {
                throw new NetlinkOverrunException("netlink notifications");
            }
            handler.onMessage(cursor);
            delivered++;
        }
        return delivered;
    }

    /** One recv(); returns the datagram's length. Detects truncation with MSG_TRUNC. */
    private long receiveDatagram() throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = Libc.recv(callState, fd, receiveBuffer, RECEIVE_BUFFER_BYTES, Libc.MSG_TRUNC);
            if (n > RECEIVE_BUFFER_BYTES) {
                broken = true;
                throw new IOException("netlink reply of " + n + " bytes truncated to the " + RECEIVE_BUFFER_BYTES + "-byte receive buffer");
            }
            if (n >= 0) {
                return n;
            }
            int errno = callState.errno();
            if (errno == Errno.EINTR && attempt < MAX_EINTR_RETRIES) {
                continue;
            }
            broken = true;
            if (errno == Errno.ENOBUFS) {
                throw new NetlinkOverrunException("netlink recv");
            }
            if (errno == Errno.EAGAIN) {
                throw new ErrnoException("recv(netlink): no reply within the receive timeout", errno);
            }
            throw new ErrnoException("recv(netlink)", errno);
        }
    }

    private void ensureOpen() {
        if (fd < 0) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Libc.close(callState, fd);
            fd = -1;
            arena.close();
        }
    }
}
