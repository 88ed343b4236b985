package dev.netwarden.linux.nfqueue;

/**
 * How a queue is bound.
 *
 * @param queueNumber   the NFQUEUE number the iptables rule sends to (0..65535)
 * @param copyRange     how many bytes of each packet the kernel copies to us: the IP and transport
 *                      headers ({@link #HEADERS_ONLY}) are enough to attribute a new connection; DNS
 *                      answers need the whole packet ({@link #WHOLE_PACKET})
 * @param maxQueueLength packets the kernel holds waiting for verdicts before the fail policy applies
 * @param failOpen      when the queue or our socket buffer is full: true accepts the packet
 *                      unseen (NFQA_CFG_F_FAIL_OPEN), false drops it
 * @param conntrack     ask for conntrack state and id with each packet (NFQA_CFG_F_CONNTRACK; costs
 *                      a few hundred bytes and a little kernel time per packet)
 * @param rejectMark    mark set on packets given {@link Verdict#REJECT} (accepted with this mark for a
 *                      later REJECT rule); 0 = no reject rule exists, REJECT is sent as DROP
 * @param socketBufferBytes receive buffer of the netlink socket (SO_RCVBUFFORCE): how many queued
 *                      messages may wait for us to read them
 */
public record NfQueueConfig(
        int queueNumber,
        int copyRange,
        int maxQueueLength,
        boolean failOpen,
        boolean conntrack,
        int rejectMark,
        int socketBufferBytes) {

    /** IPv6 header (40) + TCP header with options (60) + slack for extension headers. */
    public static final int HEADERS_ONLY = 160;
    public static final int WHOLE_PACKET = 0xFFFF;
    public static final int DEFAULT_MAX_QUEUE_LENGTH = 4096;
    public static final int DEFAULT_SOCKET_BUFFER = 4 * 1024 * 1024;

    public NfQueueConfig {
        if (queueNumber < 0 || queueNumber > 0xFFFF) {
            throw new IllegalArgumentException("queue number " + queueNumber + " outside 0..65535");
        }
        if (copyRange < 0 || copyRange > WHOLE_PACKET) {
            throw new IllegalArgumentException("copy range " + copyRange + " outside 0..65535");
        }
        if (maxQueueLength < 1) {
            throw new IllegalArgumentException("max queue length must be positive: " + maxQueueLength);
        }
        if (socketBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("socket buffer of " + socketBufferBytes + " bytes is below 64 KiB");
        }
    }

    /** Header-only copies, default queue length and buffer, no conntrack, no reject mark. */
    public static NfQueueConfig headersOnly(int queueNumber, boolean failOpen) {
        return new NfQueueConfig(queueNumber, HEADERS_ONLY, DEFAULT_MAX_QUEUE_LENGTH, failOpen, false, 0, DEFAULT_SOCKET_BUFFER);
    }

    public NfQueueConfig withCopyRange(int bytes) {
        return new NfQueueConfig(queueNumber, bytes, maxQueueLength, failOpen, conntrack, rejectMark, socketBufferBytes);
    }

    public NfQueueConfig withMaxQueueLength(int packets) {
        return new NfQueueConfig(queueNumber, copyRange, packets, failOpen, conntrack, rejectMark, socketBufferBytes);
    }

    public NfQueueConfig withConntrack(boolean on) {
        return new NfQueueConfig(queueNumber, copyRange, maxQueueLength, failOpen, on, rejectMark, socketBufferBytes);
    }

    public NfQueueConfig withRejectMark(int mark) {
        return new NfQueueConfig(queueNumber, copyRange, maxQueueLength, failOpen, conntrack, mark, socketBufferBytes);
    }

    public NfQueueConfig withSocketBufferBytes(int bytes) {
        return new NfQueueConfig(queueNumber, copyRange, maxQueueLength, failOpen, conntrack, rejectMark, bytes);
    }
}
