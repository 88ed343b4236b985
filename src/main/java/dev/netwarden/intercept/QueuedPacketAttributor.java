package dev.netwarden.intercept;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.monitor.FlowTracker;
import dev.netwarden.monitor.NewConnection;
import dev.netwarden.packet.Fragment;
import dev.netwarden.packet.IpPacket;
import dev.netwarden.socket.InetEndpoint;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns a queued packet into the connection it opens, attributed: the first packet of a connection
 * goes to the monitor's {@link FlowTracker} (the same path the passive sources take), which looks its
 * socket up and attributes it while the packet waits; the firewall then decides on the flow it returns.
 * Not a queue handler itself (the firewall is); the first step of one.
 *
 * <p>Why attribution happens while the packet is held: a program that connects and exits within
 * milliseconds still holds its socket while its SYN is queued, so this is the one moment its owner is
 * certain. A packet that cannot be parsed is counted and yields no flow.
 */
public final class QueuedPacketAttributor {
    private final FlowTracker tracker;
    private final LongAdder unparsable = new LongAdder();

    public QueuedPacketAttributor(FlowTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker is null");
    }

    /**
     * Parses {@code packet}, hands it to the tracker and returns the flow's {@code Opened} event (with
     * attribution and domain): what the firewall decides on. Null when the packet is not the start of
     * a connection this can read (unparsable — counted —, a later fragment, no ports).
     */
    public FlowEvent.Opened attribute(QueuedPacket packet) throws IOException {
        IpPacket ip;
        try {
            ip = IpPacket.parse(packet.payload(), 0, packet.payload().length);
        } catch (RuntimeException malformed) {
            unparsable.increment();
            return null;
        }
        if (ip.fragment() == Fragment.LATER || ip.sourcePort() < 0 && ip.protocol() != IpPacket.ICMP
                && ip.protocol() != IpPacket.ICMPV6) {
            return null;
        }
        boolean inbound = packet.hook() == QueuedPacket.HOOK_INPUT;
        int sourcePort = Math.max(ip.sourcePort(), 0);
        int destinationPort = Math.max(ip.destinationPort(), 0);
        InetEndpoint source = new InetEndpoint(ip.source(), sourcePort);
        InetEndpoint destination = new InetEndpoint(ip.destination(), destinationPort);
        NewConnection c = inbound
                ? new NewConnection(ip.transport(), packet.family(), destination, source, Direction.INBOUND, packet.uid())
                : new NewConnection(ip.transport(), packet.family(), source, destination, Direction.OUTBOUND, packet.uid());
        return tracker.onNewConnection(c);
    }

    /** Queued packets that were not IP packets we could read. */
    public long unparsable() {
        return unparsable.sum();
    }
}
