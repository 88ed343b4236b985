package dev.netwarden.daemon;

import dev.netwarden.daemon.config.MonitorSection;
import dev.netwarden.live.FlowEventBus;
import dev.netwarden.live.LiveFlowSource;
import dev.netwarden.monitor.AlertDetector;
import dev.netwarden.monitor.CommCheck;
import dev.netwarden.monitor.FlowTracker;
import dev.netwarden.monitor.MonitorConfig;
import dev.netwarden.monitor.PassiveMonitor;

import java.util.Map;
import java.util.Objects;

/**
 * The passive level, which runs at both levels: sock_diag dumps and destroy notifications feeding the
 * flow tracker, whose flows and alerts go to history. At the intercept level the queue feeds the same
 * tracker ({@link InterceptService}); listening sockets, final byte counts and connection ends still
 * come from here.
 */
final class MonitorService implements Service {
    private final MonitorSection config;
    private final HistoryService history;
    private final DnsService dns;
    private final ProcessEventsService processes;
    private PassiveMonitor monitor;
    private FlowEventBus events;

    MonitorService(MonitorSection config, HistoryService history, DnsService dns, ProcessEventsService processes) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.history = Objects.requireNonNull(history, "history is null");
        this.dns = Objects.requireNonNull(dns, "dns is null");
        this.processes = Objects.requireNonNull(processes, "processes is null");
    }

    @Override
    public String name() {
        return "monitor";
    }

    @Override
    public void start() throws Exception {
        MonitorConfig monitorConfig = MonitorConfig.defaults()
                .withPollInterval(config.pollInterval())
                .withUpdateInterval(config.updateInterval());
        AlertDetector alerts = new AlertDetector(history.seenExecutables(), history.seenExeDomains(),
                monitorConfig.alertMemory(), new CommCheck());
        events = new FlowEventBus(history.writer());
        monitor = PassiveMonitor.open(events, dns.cache(), processes.registry(), history.writer().flowIds(),
                alerts, monitorConfig, null);
        processes.subscribe(monitor.owners());
        if (processes.following()) {
            monitor.owners().followProcessEvents();
        }
        try {
            monitor.start();
        } catch (Exception e) {
            monitor.close();
            throw e;
        }
    }

    FlowTracker tracker() {
        return monitor.tracker();
    }

    /** Every flow event of the daemon: history first, then live subscribers (the web UI's stream). */
    FlowEventBus events() {
        return events;
    }

    /** The connections open now, for {@code top} and the web UI. */
    LiveFlowSource live() {
        return () -> monitor.tracker().snapshot();
    }

    @Override
    public void close() {
        monitor.close();
        // After the sources stopped (nothing reopens a flow), before history closes (it flushes these).
        monitor.tracker().closeAll();
    }

    @Override
    public Map<String, Object> stats() {
        return StatsMap.of(monitor.stats());
    }
}
