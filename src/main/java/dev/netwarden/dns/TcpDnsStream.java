package dev.netwarden.dns;

import dev.netwarden.packet.IpPacket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Puts DNS-over-TCP messages back together from the segments a sniffer sees: each message is a
 * 2-byte length and the message, and either may span segments or share one with the next message.
 *
 * <p>Bounds: at most {@code maxFlows} flows (the least recently active one is dropped for a new one),
 * a flow idle for {@code idle} is dropped, and a flow holds at most one partial message of at most
 * {@code maxMessageBytes}; a message declaring more ends the flow. Memory is thus at most
 * {@code maxFlows * maxMessageBytes} whatever the peers send.
 *
 * <p>Limitation, by design: segments are taken in the order they arrive, not reordered. The TCP
 * sequence number is used only to skip retransmitted bytes and to notice a gap (a lost or reordered
 * segment); after a gap the flow restarts assuming the segment begins a message, which is right for
 * the common one-message-per-segment answer and otherwise yields a malformed message that is counted
 * and dropped. A sniffer joining mid-flow makes the same assumption. Never a wrong name, at worst a
 * missed one.
 *
 * <p>Not thread-safe: one sniffer thread owns it.
 */
public final class TcpDnsStream {
    public static final int DEFAULT_MAX_FLOWS = 64;
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);
    /** The largest message the 2-byte length can declare. */
    public static final int MAX_MESSAGE_BYTES = 65_535;

    /** Where complete messages go ({@link AnswerFeed#message} fits). The bytes are valid only during the call. */
    @FunctionalInterface
    public interface MessageSink {
        void message(byte[] bytes, int offset, int length);
    }

    /** Counters since creation. */
    public record Stats(int flows, long messages, long flowsEvicted, long flowsExpired, long gaps,
                        long oversized) {
    }

    private record FlowKey(InetAddress server, int serverPort, InetAddress client, int clientPort) {
    }

    private static final class Flow {
        long nextSequence = -1; // -1: not known yet
        long lastSeenNanos;
        int lengthBytes;        // 0..2 bytes of the length prefix collected
        int length;
        byte[] body;            // the partial message, when one spans segments
        int filled;

        void reset() {
            lengthBytes = 0;
            length = 0;
            body = null;
            filled = 0;
        }
    }

    private final int maxFlows;
    private final long idleNanos;
    private final int maxMessageBytes;
    private final MessageSink sink;
    private final LinkedHashMap<FlowKey, Flow> flows;
    private long messages;
    private long flowsEvicted;
    private long flowsExpired;
    private long gaps;
    private long oversized;

    public TcpDnsStream(MessageSink sink) {
        this(DEFAULT_MAX_FLOWS, DEFAULT_IDLE, MAX_MESSAGE_BYTES, sink);
    }

    public TcpDnsStream(int maxFlows, Duration idle, int maxMessageBytes, MessageSink sink) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be at least 1: " + maxFlows);
        }
        if (maxMessageBytes < DnsAnswers.HEADER_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes outside [12, 65535]: " + maxMessageBytes);
        }
        this.maxFlows = maxFlows;
        this.idleNanos = Objects.requireNonNull(idle, "idle is null").toNanos();
        this.maxMessageBytes = maxMessageBytes;
        this.sink = Objects.requireNonNull(sink, "sink is null");
        this.flows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FlowKey, Flow> eldest) {
                if (size() > TcpDnsStream.this.maxFlows) {
                    flowsEvicted++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Takes one TCP segment sent by a DNS server: {@code packet} as parsed from
     * {@code bytes[packetOffset...]}. Segments of other protocols are ignored.
     */
    public void segment(IpPacket packet, byte[] bytes, int packetOffset, long nowNanos) {
        if (packet.protocol() != IpPacket.TCP || packet.sourcePort() < 0) {
            return;
        }
        expireIdle(nowNanos);
        FlowKey key = new FlowKey(packet.source(), packet.sourcePort(), packet.destination(), packet.destinationPort());
        int flags = packet.tcpFlags();
        if ((flags & IpPacket.TCP_RST) != 0) {
            flows.remove(key);
            return;
        }
        Flow flow = flows.get(key);
        if ((flags & IpPacket.TCP_SYN) != 0) {
            flow = new Flow();
            flow.nextSequence = (packet.tcpSequence() + 1) & 0xFFFF_FFFFL;
            flow.lastSeenNanos = nowNanos;
            flows.put(key, flow);
            return;
        }
        int offset = packetOffset + packet.payloadOffset();
        int length = packet.payloadLength();
        if (length > 0) {
            if (flow == null) {
                flow = new Flow();
                flows.put(key, flow);
            }
            flow.lastSeenNanos = nowNanos;
            long sequence = packet.tcpSequence();
            if (flow.nextSequence >= 0) {
                int ahead = (int) (sequence - flow.nextSequence);
                if (ahead > 0) {
                    gaps++;
                    flow.reset();
                } else if (ahead < 0) {
                    long seen = -(long) ahead; // long: -Integer.MIN_VALUE overflows an int (found by fuzzing)
                    if (seen >= length) {
                        return; // a retransmission of bytes already taken
                    }
                    offset += (int) seen;
                    length -= (int) seen;
                    sequence += seen;
                }
            }
            flow.nextSequence = (sequence + length) & 0xFFFF_FFFFL;
            if (!take(flow, bytes, offset, length)) {
                oversized++;
                flows.remove(key);
                return;
            }
        }
        if ((flags & IpPacket.TCP_FIN) != 0) {
            flows.remove(key);
        }
    }

    /** Consumes the bytes into messages; false when a message declares more than the flow may hold. */
    private boolean take(Flow flow, byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (flow.lengthBytes < 2) {
                flow.length = (flow.length << 8) | (bytes[at++] & 0xFF);
                if (++flow.lengthBytes == 2) {
                    if (flow.length > maxMessageBytes) {
                        return false;
                    }
                    if (flow.length == 0) {
                        flow.reset();
                    }
                }
                continue;
            }
            if (flow.body == null && end - at >= flow.length) {
                // the whole message is in this segment: hand it over in place
                deliver(bytes, at, flow.length);
                at += flow.length;
                flow.reset();
                continue;
            }
            if (flow.body == null) {
                flow.body = new byte[flow.length];
            }
            int n = Math.min(end - at, flow.length - flow.filled);
            System.arraycopy(bytes, at, flow.body, flow.filled, n);
            flow.filled += n;
            at += n;
            if (flow.filled == flow.length) {
                byte[] whole = flow.body;
                flow.reset();
                deliver(whole, 0, whole.length);
            }
        }
        return true;
    }

    private void deliver(byte[] bytes, int offset, int length) {
        messages++;
        sink.message(bytes, offset, length);
    }

    private void expireIdle(long nowNanos) {
        // access order: the first flows are the least recently active ones
        for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastSeenNanos < idleNanos) {
                return;
            }
            it.remove();
            flowsExpired++;
        }
    }

    public Stats stats() {
        return new Stats(flows.size(), messages, flowsEvicted, flowsExpired, gaps, oversized);
    }
}
