package dev.netwarden.linux.nfqueue;

import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.ffm.Wakeup;
import dev.netwarden.linux.netlink.NetlinkErrorReply;
import dev.netwarden.linux.netlink.NetlinkException;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netlink.MalformedNetlinkException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Objects;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.BE32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;
import static dev.netwarden.linux.nfqueue.NfQueueMessages.attribute;
import static dev.netwarden.linux.nfqueue.NfQueueMessages.be32Attribute;

/**
 * One bound NFQUEUE: a NETLINK_NETFILTER socket that receives the packets an iptables
 * {@code -j NFQUEUE --queue-num N} rule queues and sends their verdicts back.
 *
 * <p>Why its own socket code and not {@link dev.netwarden.linux.netlink.NetlinkSocket}: that class
 * is request/reply (every receive belongs to a request it sent, replies of other requests are
 * skipped); here the kernel speaks first, a packet at a time, and we answer with verdicts that need
 * no reply. The system calls are the same {@link Libc} downcalls in the same style.
 *
 * <p>Receiving: {@link #receive} blocks up to the poll interval for one message, then drains what
 * else is already waiting (MSG_DONTWAIT) into the rest of one 256 KiB buffer, and hands each queued
 * packet to the sink as a byte range of that buffer. Verdicts are collected with {@link #addVerdict}
 * and sent by {@link #flushVerdicts} in one send(); each run of equal verdicts for packets in queue
 * order is one NFQNL_MSG_VERDICT_BATCH ({@link PendingVerdicts}). Nothing is allocated per packet here.
 *
 * <p>Overload: the kernel holds at most {@link NfQueueConfig#maxQueueLength()} packets waiting for
 * verdicts and our socket buffer holds {@link NfQueueConfig#socketBufferBytes()} of unread messages.
 * When either is full the kernel applies the fail policy itself: fail-open (NFQA_CFG_F_FAIL_OPEN)
 * accepts the packet unseen, fail-closed drops it (counted by the kernel as queue_dropped /
 * user_dropped in /proc/net/netfilter/nfnetlink_queue). NETLINK_NO_ENOBUFS is deliberately NOT
 * set: a socket-buffer overflow then surfaces here as ENOBUFS, which {@link #overruns()} counts, so
 * losses are visible; the lost packets themselves need no verdict (the kernel already decided).
 *
 * <p>Threads: one thread at a time (the intercept loop). Open it on any thread — in another network
 * namespace with {@code NetNamespace.callIn} — and use it on another; the buffers are shared-arena.
 */
public final class NfQueue implements AutoCloseable {
    /** One message is at most copy range + this many bytes of headers and attributes. */
    private static final int MESSAGE_OVERHEAD = 4096;
    private static final int RECEIVE_BUFFER_BYTES = 256 * 1024;
    private static final int SEND_BUFFER_BYTES = 64 * 1024;
    private static final int SOCKADDR_NL_LENGTH = 12;
    private static final int MAX_EINTR_RETRIES = 100;
    /** Most datagrams one {@link #receive} drains. */
    public static final int MAX_BATCH = 64;
    private static final long ACK_TIMEOUT_NANOS = 5_000_000_000L;

    private final NfQueueConfig config;
    private final Arena arena;
    private final Libc.CallState callState;
    private final MemorySegment receiveBuffer;
    private final MemorySegment sendBuffer;
    private final NetlinkMessageCursor cursor = new NetlinkMessageCursor();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private final int maxMessageBytes;
    private final long[] datagramOffsets = new long[MAX_BATCH];
    private final long[] datagramLengths = new long[MAX_BATCH];
    private final PendingVerdicts pending = new PendingVerdicts(SEND_BUFFER_BYTES / PendingVerdicts.MAX_MESSAGE_BYTES);
    private int fd;
    private int seq = 1;
    private long overruns;
    private long verdictErrors;
    private long malformed;
    private int lastVerdictErrno;
    private boolean batchVerdicts = true;

    private NfQueue(NfQueueConfig config, Arena arena, Libc.CallState callState, int fd) {
        this.config = config;
        this.arena = arena;
        this.callState = callState;
        this.fd = fd;
        this.receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
        this.sendBuffer = arena.allocate(SEND_BUFFER_BYTES, 8);
        this.maxMessageBytes = Math.max(config.copyRange(), 1) + MESSAGE_OVERHEAD;
    }

    /**
     * Opens a socket in the calling thread's network namespace and binds queue
     * {@code config.queueNumber()} with its copy mode, queue length and flags in one configuration
     * message, waiting for the kernel's acknowledgement.
     *
     * @param pollMillis how long one {@link #receive} blocks when nothing arrives (how fast a stop is noticed)
     * @throws NetlinkException the kernel refused: EPERM/EBUSY when another socket holds the queue,
     *                          EPERM without CAP_NET_ADMIN, EOPNOTSUPP for a flag this kernel lacks
     */
    public static NfQueue open(NfQueueConfig config, long pollMillis) throws IOException {
        Objects.requireNonNull(config, "config is null");
        if (pollMillis <= 0) {
            throw new IllegalArgumentException("poll interval must be positive: " + pollMillis);
        }
        Arena arena = Arena.ofShared();
        Libc.CallState st = new Libc.CallState(arena);
        int fd = Libc.socket(st, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NetlinkHeader.NETLINK_NETFILTER);
        if (fd < 0) {
            int errno = st.errno();
            arena.close();
            throw new ErrnoException("socket(AF_NETLINK, NETLINK_NETFILTER)", errno);
        }
        NfQueue q = new NfQueue(config, arena, st, fd);
        try {
            q.setUp(pollMillis);
            return q;
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
    }

    private void setUp(long pollMillis) throws IOException {
        MemorySegment local = arena.allocate(SOCKADDR_NL_LENGTH, 4);
        local.set(U16, 0, (short) Libc.AF_NETLINK);
        Libc.check(callState, "bind(NETLINK_NETFILTER)", Libc.bind(callState, fd, local, SOCKADDR_NL_LENGTH));
        Libc.setsockoptInt(callState, fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
        if (Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, config.socketBufferBytes()) < 0) {
            Libc.check(callState, "setsockopt(SO_RCVBUF)",
                    Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, config.socketBufferBytes()));
        }
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(ValueLayout.JAVA_LONG, 0, pollMillis / 1000);
        timeval.set(ValueLayout.JAVA_LONG, 8, (pollMillis % 1000) * 1000);
        Libc.check(callState, "setsockopt(SO_RCVTIMEO)", Libc.setsockopt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval, 16));

        int flags = NfQueueProtocol.NFQA_CFG_F_GSO | NfQueueProtocol.NFQA_CFG_F_UID_GID
                | (config.failOpen() ? NfQueueProtocol.NFQA_CFG_F_FAIL_OPEN : 0)
                | (config.conntrack() ? NfQueueProtocol.NFQA_CFG_F_CONNTRACK : 0);
        int mask = NfQueueProtocol.NFQA_CFG_F_GSO | NfQueueProtocol.NFQA_CFG_F_UID_GID
                | NfQueueProtocol.NFQA_CFG_F_FAIL_OPEN | NfQueueProtocol.NFQA_CFG_F_CONNTRACK;
        MemorySegment msg = sendBuffer;
        long at = startMessage(msg, 0, NfQueueProtocol.TYPE_CONFIG, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK);
        at = attribute(msg, at, NfQueueProtocol.NFQA_CFG_CMD, 4);
        msg.set(U8, at - 4, (byte) NfQueueProtocol.NFQNL_CFG_CMD_BIND);
        msg.set(U8, at - 3, (byte) 0);
        msg.set(BE16, at - 2, (short) 0);
        at = attribute(msg, at, NfQueueProtocol.NFQA_CFG_PARAMS, 5); // packed: be32 copy_range, u8 copy_mode
        long params = at - 8;
        msg.set(BE32, params, config.copyRange());
        msg.set(U8, params + 4, (byte) NfQueueProtocol.NFQNL_COPY_PACKET);
        at = be32Attribute(msg, at, NfQueueProtocol.NFQA_CFG_QUEUE_MAXLEN, config.maxQueueLength());
        at = be32Attribute(msg, at, NfQueueProtocol.NFQA_CFG_MASK, mask);
        at = be32Attribute(msg, at, NfQueueProtocol.NFQA_CFG_FLAGS, flags);
        int bindSeq = finishAndSend(msg, at);
        awaitAck(bindSeq);
    }

    /** Writes nlmsghdr + nfgenmsg for this queue at {@code offset}; returns where attributes start. */
    private long startMessage(MemorySegment msg, long offset, int type, int flags) {
        return NfQueueMessages.startMessage(msg, offset, config.queueNumber(), type, flags);
    }

    private int finishAndSend(MemorySegment msg, long end) throws IOException {
        int s = seq++;
        msg.set(U32, NetlinkHeader.OFFSET_LEN, (int) end);
        msg.set(U32, NetlinkHeader.OFFSET_SEQ, s);
        sendAll(msg, end);
        return s;
    }

    private void sendAll(MemorySegment msg, long len) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = Libc.send(callState, fd, msg, len, 0);
            if (n == len) {
                return;
            }
            if (n >= 0) {
                throw new IOException("netlink send sent " + n + " of " + len + " bytes");
            }
            if (callState.errno() != Errno.EINTR || attempt >= MAX_EINTR_RETRIES) {
                throw new ErrnoException("send(NETLINK_NETFILTER)", callState.errno());
            }
        }
    }

    /** Reads until the ACK of {@code ackSeq}; packets queued meanwhile are kept for the first {@link #receive}. */
    private void awaitAck(int ackSeq) throws IOException {
        long deadline = System.nanoTime() + ACK_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            long n = recvOnce(0, 0);
            if (n < 0) {
                continue; // poll timeout or overrun; keep waiting until the deadline
            }
            cursor.reset(receiveBuffer, 0, n);
            while (cursor.next()) {
                if (cursor.type() == NetlinkHeader.NLMSG_ERROR && cursor.seq() == ackSeq) {
                    NetlinkErrorReply reply = NetlinkErrorReply.parse(cursor);
                    if (reply.errno() != 0) {
                        String what = "bind NFQUEUE " + config.queueNumber();
                        if (reply.errno() == Errno.EOPNOTSUPP && config.conntrack()) {
                            what += " (conntrack info needs nf_conntrack_netlink, CONFIG_NF_CT_NETLINK; bind without it)";
                        }
                        throw new NetlinkException(what, reply.errno(), reply.extAckMessage());
                    }
                    return;
                }
                if (cursor.type() == NfQueueProtocol.TYPE_PACKET) {
                    early.add(receiveBuffer.asSlice(cursor.offset(), cursor.length()).toArray(U8));
                }
            }
        }
        throw new IOException("no acknowledgement from the kernel for binding NFQUEUE " + config.queueNumber());
    }

    /**
     * One recv() into the receive buffer at {@code offset}. Returns the length, or -1 when the poll
     * interval passed (blocking) / nothing is waiting (MSG_DONTWAIT) / an overrun was counted.
     */
    private long recvOnce(long offset, int flags) throws IOException {
        long space = RECEIVE_BUFFER_BYTES - offset;
        for (int attempt = 0; ; attempt++) {
            long n = Libc.recv(callState, fd, receiveBuffer.asSlice(offset), space, flags | Libc.MSG_TRUNC);
            if (n > space) {
                throw new IOException("nfqueue message of " + n + " bytes does not fit the " + space + " bytes left in the receive buffer");
            }
            if (n >= 0) {
                return n;
            }
            int errno = callState.errno();
            if (errno == Errno.EINTR && attempt < MAX_EINTR_RETRIES) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                return -1;
            }
            if (errno == Errno.ENOBUFS) {
                overruns++;
                return -1;
            }
            throw new ErrnoException("recv(NETLINK_NETFILTER)", errno);
        }
    }

    /** Receives queued packets, one at a time, as byte ranges of a buffer valid only during the call. */
    @FunctionalInterface
    public interface PacketSink {
        /** {@code [offset, offset + length)} of {@code buffer} is one whole NFQNL_MSG_PACKET netlink message. */
        void onPacket(MemorySegment buffer, long offset, int length);
    }

    /**
     * Waits up to the poll interval for packets, then drains up to {@code maxMessages} already
     * waiting, and hands each to {@code sink}. Returns how many packets were delivered (0 when the
     * interval passed without any). Verdict errors the kernel reports are counted, not thrown.
     */
    public int receive(PacketSink sink, int maxMessages) throws IOException {
        return receive(sink, maxMessages, null);
    }

    /**
     * As {@link #receive(PacketSink, int)}, but with {@code wakeup} the wait for the first packet has no
     * time limit and ends early, returning 0, when another thread calls {@link Wakeup#wake()} (to stop
     * the reader, or because it has verdicts to send). Why: the reader then sleeps until there is work
     * instead of waking every poll interval, and a late verdict is sent at once.
     */
    public int receive(PacketSink sink, int maxMessages, Wakeup wakeup) throws IOException {
        Objects.requireNonNull(sink, "sink is null");
        ensureOpen();
        if (!early.isEmpty()) {
            int delivered = 0;
            while (!early.isEmpty()) {
                byte[] m = early.poll();
                sink.onPacket(MemorySegment.ofArray(m), 0, m.length);
                delivered++;
            }
            return delivered;
        }
        int limit = Math.min(Math.max(maxMessages, 1), MAX_BATCH);
        long used = 0;
        int datagrams = 0;
        while (datagrams < limit && RECEIVE_BUFFER_BYTES - used >= maxMessageBytes) {
            long n = recvOnce(used, datagrams == 0 && wakeup == null ? 0 : Libc.MSG_DONTWAIT);
            if (n < 0) {
                if (datagrams == 0 && wakeup != null && wakeup.await(callState, fd, -1) == Wakeup.Outcome.READABLE) {
                    continue;
                }
                break;
            }
            datagramOffsets[datagrams] = used;
            datagramLengths[datagrams] = n;
            used += (n + 7) & ~7L;
            datagrams++;
        }
        int delivered = 0;
        for (int i = 0; i < datagrams; i++) {
            try {
                delivered += deliver(datagramOffsets[i], datagramLengths[i], sink);
            } catch (MalformedNetlinkException e) {
                malformed++; // the kernel never sends this; count it and keep serving the other datagrams
            }
        }
        return delivered;
    }

    private int deliver(long offset, long length, PacketSink sink) {
        // A datagram holds one message for nfqueue; walk it anyway in case of more.
        int delivered = 0;
        cursor.reset(receiveBuffer, offset, length);
        while (cursor.next()) {
            int type = cursor.type();
            if (type == NfQueueProtocol.TYPE_PACKET) {
                sink.onPacket(receiveBuffer, cursor.offset(), cursor.length());
                delivered++;
            } else if (type == NetlinkHeader.NLMSG_ERROR) {
                NetlinkErrorReply reply = NetlinkErrorReply.parse(cursor);
                if (reply.errno() != 0) {
                    verdictErrors++;
                    lastVerdictErrno = reply.errno();
                }
            }
        }
        return delivered;
    }

    /**
     * Collects the verdict for packet {@code packetId}; sent by {@link #flushVerdicts()} (or
     * earlier, when the send buffer is full). REJECT becomes accept-with-reject-mark, or DROP when
     * no reject mark is configured (see {@link Verdict}).
     */
    public void addVerdict(int packetId, Verdict verdict) throws IOException {
        Objects.requireNonNull(verdict, "verdict is null");
        ensureOpen();
        int nf;
        int mark = 0;
        switch (verdict) {
            case ACCEPT -> nf = NfQueueProtocol.NF_ACCEPT;
            case DROP -> nf = NfQueueProtocol.NF_DROP;
            case REJECT -> {
                if (config.rejectMark() != 0) {
                    nf = NfQueueProtocol.NF_ACCEPT;
                    mark = config.rejectMark();
                } else {
                    nf = NfQueueProtocol.NF_DROP;
                }
            }
            default -> throw new IllegalArgumentException("verdict " + verdict);
        }
        if (pending.isFull()) {
            flushVerdicts();
        }
        pending.add(packetId, nf, mark);
    }

    /**
     * Sends the collected verdicts in one send(): runs of equal verdicts as VERDICT_BATCH messages
     * while batching is on (this thread has received every packet up to the highest id, and holds
     * none back), else one message each (see {@link PendingVerdicts}).
     */
    public void flushVerdicts() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        try {
            long length = pending.write(sendBuffer, config.queueNumber(), seq, batchVerdicts);
            seq += pending.messagesWritten();
            sendAll(sendBuffer, length);
        } finally {
            pending.clear();
        }
    }

    public NfQueueConfig config() {
        return config;
    }

    /**
     * Whether {@link #flushVerdicts()} may answer several equal verdicts with one VERDICT_BATCH (the
     * default). A caller that holds packets back to answer them later must turn it off while it holds
     * any: a batch verdict covers every queued packet up to its id, the held ones included.
     */
    public void batchVerdicts(boolean on) {
        this.batchVerdicts = on;
    }

    /** Times the socket buffer overflowed (ENOBUFS): queued packets we never saw, decided by the fail policy. */
    public long overruns() {
        return overruns;
    }

    /** Verdicts the kernel refused (e.g. ENOENT: no queued packet with that id). */
    public long verdictErrors() {
        return verdictErrors;
    }

    /** Datagrams that were not valid netlink (never expected from the kernel). */
    public long malformedDatagrams() {
        return malformed;
    }

    /** The errno of the last refused verdict, 0 if none. */
    public int lastVerdictErrno() {
        return lastVerdictErrno;
    }

    private void ensureOpen() {
        if (fd < 0) {
            throw new IllegalStateException("nfqueue socket is closed");
        }
    }

    /**
     * Unbinds the queue and closes the socket. Packets still waiting for a verdict are dropped by the
     * kernel; new ones follow the iptables rule (accepted with --queue-bypass, else dropped).
     */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        try {
            long at = startMessage(sendBuffer, 0, NfQueueProtocol.TYPE_CONFIG, NetlinkHeader.NLM_F_REQUEST);
            at = attribute(sendBuffer, at, NfQueueProtocol.NFQA_CFG_CMD, 4);
            sendBuffer.set(U8, at - 4, (byte) NfQueueProtocol.NFQNL_CFG_CMD_UNBIND);
            finishAndSend(sendBuffer, at);
        } catch (IOException | RuntimeException ignored) {
            // closing the socket unbinds too (the kernel destroys a closed port's queues)
        }
        Libc.close(callState, fd);
        fd = -1;
        arena.close();
    }
}
