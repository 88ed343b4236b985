package dev.netwarden.live;

import dev.netwarden.flow.DomainLookup;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.monitor.EphemeralPorts;
import dev.netwarden.monitor.FlowTracker;
import dev.netwarden.monitor.MonitorConfig;
import dev.netwarden.monitor.SockDiagPoller;
import dev.netwarden.monitor.SocketOwners;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live flows without a daemon: {@code top}'s own look at the kernel each time it is asked — the
 * daemon's passive poll (one sock_diag dump with tcp_info, {@link SockDiagPoller#pollOnce}) fed into
 * its own {@link FlowTracker}, whose owners come from the socket-inode index kept up to date
 * incrementally ({@link SocketOwners}: new pids in /proc first, a full fd scan at most every 2 s). So a
 * flow is keyed by its socket cookie and keeps the process it was first seen with, and a process that
 * lives a few seconds is named while it lives.
 *
 * <p>What it cannot do that the daemon does: name remote addresses (no DNS cache: domains are null),
 * see connections that open and close between two looks, or describe a process that exited before its
 * socket was first seen. A closed connection leaves the list after two looks (there are no destroy
 * notifications here; one look may miss a socket whose hash bucket is changing).
 *
 * <p>Runs on the calling thread, in the calling thread's network namespace. Not thread-safe.
 */
public final class OwnScan implements LiveFlowSource, AutoCloseable {
    private final SockDiag sockDiag;
    private final FlowTracker tracker;
    private final SockDiagPoller poller;

    private OwnScan(SockDiag sockDiag, FlowTracker tracker, SockDiagPoller poller) {
        this.sockDiag = sockDiag;
        this.tracker = tracker;
        this.poller = poller;
    }

    /** Opens the sock_diag socket in the calling thread's namespace. */
    public static OwnScan open() throws IOException {
        SockDiag sockDiag = SockDiag.open();
        try {
            // No history to feed: no Updated events worth publishing (a day apart), and no destroy
            // notifications to wait for (a vanished flow goes after two complete dumps).
            MonitorConfig config = new MonitorConfig(Duration.ofSeconds(1), Duration.ofDays(1), 2, Duration.ofSeconds(2),
                    Duration.ofMillis(1), Duration.ofMinutes(5), 1);
            SocketOwners owners = new SocketOwners(new SocketHolderIndex(), new ProcessReads(),
                    config.fullRescanMinInterval().toNanos(), System::nanoTime);
            AtomicLong ids = new AtomicLong(1);
            FlowTracker tracker = new FlowTracker(event -> { }, owners, DomainLookup.NONE, ids::getAndIncrement,
                    sockDiag::lookup, System::currentTimeMillis, EphemeralPorts.readOrDefault(), config);
            return new OwnScan(sockDiag, tracker, new SockDiagPoller(tracker, config.pollInterval(), null));
        } catch (RuntimeException e) {
            sockDiag.close();
            throw e;
        }
    }

    @Override
    public List<LiveFlow> liveFlows() {
        poller.pollOnce(sockDiag);
        return tracker.snapshot();
    }

    @Override
    public void close() {
        sockDiag.close();
    }
}
