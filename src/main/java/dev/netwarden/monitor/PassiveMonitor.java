package dev.netwarden.monitor;

import dev.netwarden.flow.DomainLookup;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.linux.bpf.ConnectRecorder;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.process.ProcessDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The passive level for one network namespace: {@link SockDiagDestroyListener} and
 * {@link SockDiagPoller} feeding one {@link FlowTracker}, whose events go to the sink with the
 * {@link AlertDetector}'s alerts after each opened flow. Changes nothing in the kernel.
 *
 * <p>Construction opens what must live in the namespace (the lookup socket, the ephemeral port
 * range); {@link #start()} subscribes to destroy notifications first, then runs the first poll
 * before returning, so no socket closed after {@code start()} returns is missed and every socket
 * open at that moment is a flow. The proc connector (another component) should forward process
 * events to {@link #owners()} (a {@code ProcessEventListener}) to keep owner resolution cheap.
 */
public final class PassiveMonitor implements AutoCloseable {
    private final SockDiag lookups;
    private final SocketOwners owners;
    private final FlowTracker tracker;
    private final SockDiagPoller poller;
    private final SockDiagDestroyListener destroyListener;
    private boolean started;

    private PassiveMonitor(SockDiag lookups, SocketOwners owners, FlowTracker tracker, SockDiagPoller poller,
                           SockDiagDestroyListener destroyListener) {
        this.lookups = lookups;
        this.owners = owners;
        this.tracker = tracker;
        this.poller = poller;
        this.destroyListener = destroyListener;
    }

    /**
     * @param sink      where flows and alerts go (history); must not block
     * @param domains   names of remote addresses (the DNS cache)
     * @param processes pid → process snapshot (the process registry)
     * @param flowIds   the next flow id, unique within the history
     * @param alerts    the alert detector, seeded from history
     * @param namespace the network namespace file to watch ({@code /run/netns/NAME}), or null for the
     *                  caller's
     */
    public static PassiveMonitor open(FlowEventSink sink, DomainLookup domains, ProcessDirectory processes,
                                      LongSupplier flowIds, AlertDetector alerts, MonitorConfig config,
                                      Path namespace) throws IOException {
        return open(sink, domains, processes, flowIds, alerts, config, namespace, SockDiagPoller.MAX_TCP_DUMP_REUSES);
    }

    /** {@link #open}, with the poller's limit of polls in a row on one TCP dump ({@link TcpDumpGate}). */
    static PassiveMonitor open(FlowEventSink sink, DomainLookup domains, ProcessDirectory processes,
                               LongSupplier flowIds, AlertDetector alerts, MonitorConfig config,
                               Path namespace, int maxTcpDumpReuses) throws IOException {
        Objects.requireNonNull(sink, "sink is null");
        Objects.requireNonNull(alerts, "alerts is null");
        Objects.requireNonNull(config, "config is null");
        SockDiag lookups = namespace == null ? SockDiag.open() : NetNamespace.callIn(namespace, SockDiag::open);
        try {
            EphemeralPorts ephemeral = namespace == null ? EphemeralPorts.readOrDefault()
                    : NetNamespace.callIn(namespace, EphemeralPorts::readOrDefault);
            SocketOwners owners = new SocketOwners(new SocketHolderIndex(), processes,
                    config.fullRescanMinInterval().toNanos(), System::nanoTime);
            // Attached before the poller and the destroy listener start: its self-test's own loopback
            // connection is then over before anything records connections.
            FlowTracker.ConnectingPids connecting = ConnectRecorder.system()
                    .<FlowTracker.ConnectingPids>map(r -> r::pidOf).orElse(FlowTracker.ConnectingPids.NONE);
            FlowTracker tracker = new FlowTracker(new AlertingSink(sink, alerts), owners, domains, flowIds,
                    lookups::lookup, connecting, System::currentTimeMillis, ephemeral, config);
            SockDiagPoller poller = new SockDiagPoller(tracker, config.pollInterval(), namespace, maxTcpDumpReuses);
            SockDiagDestroyListener destroy = new SockDiagDestroyListener(tracker, namespace, () -> {
                tracker.onDestroyNotificationsLost();
                poller.pollSoon();
            });
            return new PassiveMonitor(lookups, owners, tracker, poller, destroy);
        } catch (IOException | RuntimeException e) {
            lookups.close();
            throw e;
        }
    }

    /** Subscribes to destroy notifications, then polls once (synchronously) and keeps polling. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        destroyListener.start();
        try {
            poller.start();
        } catch (IOException | RuntimeException e) {
            destroyListener.close();
            throw e;
        }
    }

    /** The tracker, whose {@link FlowTracker#onNewConnection} the NFQUEUE path calls. */
    public FlowTracker tracker() {
        return tracker;
    }

    /** The socket owner resolver: forward proc connector events to it. */
    public SocketOwners owners() {
        return owners;
    }

    public Stats stats() {
        return new Stats(tracker.stats(), poller.stats(), destroyListener.stats(), owners.stats(),
                ConnectRecorder.describeSource());
    }

    /** @param connectRecords where connect records come from: "bpf", or "off (why)" */
    public record Stats(FlowTracker.Stats flows, SockDiagPoller.Stats poller, SockDiagDestroyListener.Stats destroy,
                        SocketOwners.Stats owners, String connectRecords) {}

    /** Stops the threads and closes the sockets; open flows stay open in history (no Closed is invented). */
    @Override
    public synchronized void close() {
        poller.close();
        destroyListener.close();
        lookups.close();
    }
}
