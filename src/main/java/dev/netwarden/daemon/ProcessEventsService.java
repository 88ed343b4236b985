package dev.netwarden.daemon;

import dev.netwarden.daemon.config.MonitorSection;
import dev.netwarden.executable.ExecutableHasher;
import dev.netwarden.linux.connector.ProcConnector;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.monitor.ProcessRegistry;
import dev.netwarden.process.ProcessEventListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Process knowledge: the kernel's proc connector (fork/exec/exit, machine-wide) feeding the
 * {@link ProcessRegistry}, which describes each process (exe, sha256, parents) and keeps it after it
 * exits. Started before the monitor so that a process which connects and exits at once was already
 * read at its exec. Other parts (the monitor's socket-owner index) subscribe with {@link #subscribe}.
 */
final class ProcessEventsService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.processes");

    /** Subscribes a listener to process events: the proc connector; a test substitutes one the kernel refuses. */
    @FunctionalInterface
    interface ConnectorOpener {
        ProcConnector open(ProcessEventListener listener) throws IOException;
    }

    private final ConnectorOpener opener;
    private final ProcessRegistry registry;
    private final List<ProcessEventListener> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong subscriberFailures = new AtomicLong();
    private ProcConnector connector;
    private volatile String connectorFailure;

    ProcessEventsService(MonitorSection config) {
        this(config, ProcConnector::start);
    }

    ProcessEventsService(MonitorSection config, ConnectorOpener opener) {
        Objects.requireNonNull(config, "config is null");
        this.opener = Objects.requireNonNull(opener, "opener is null");
        ProcessRegistry.Config defaults = ProcessRegistry.Config.defaults();
        this.registry = new ProcessRegistry(Path.of("/proc"), UserNames.read(Path.of("/etc/passwd")), new ExecutableHasher(),
                new ProcessRegistry.Config(config.exitedProcessGrace(), defaults.maxExited(), defaults.maxParentDepth(),
                        defaults.hashWait(), defaults.hashQueue()),
                System::nanoTime, ownNetNamespace());
        subscribers.add(registry);
    }

    /**
     * The inode of the daemon's network namespace, the one it monitors: only processes there are read
     * at their events (see ProcessRegistry, "Which processes"). 0 (every namespace) when it cannot be told.
     */
    static long ownNetNamespace() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            LOG.warning(() -> "cannot read the daemon's network namespace (" + e.getMessage()
                    + "); processes of every namespace are read at their events");
            return 0;
        }
    }

    @Override
    public String name() {
        return "processes";
    }

    @Override
    public void start() {
        try {
            connector = opener.open(new Fanout(subscribers, subscriberFailures));
        } catch (IOException | RuntimeException e) {
            // Inside a container's own pid or user namespace the kernel refuses the proc connector. The
            // monitor still works without it (it finds new processes by listing /proc), only a process
            // that connects and exits at once is no longer described from its exec.
            connectorFailure = e.getMessage();
            LOG.warning(() -> "no process events (proc connector: " + e.getMessage()
                    + "); processes are found by scanning /proc, and short-lived ones may go undescribed");
        }
    }

    /** True when process events arrive (the proc connector started). */
    boolean following() {
        return connector != null;
    }

    ProcessRegistry registry() {
        return registry;
    }

    /** Adds a listener after the registry (which reads the process first); called during start-up. */
    void subscribe(ProcessEventListener listener) {
        subscribers.add(Objects.requireNonNull(listener, "listener is null"));
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } finally {
            registry.close();
        }
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = StatsMap.of(registry.stats());
        m.put("following", following());
        if (connector != null) {
            m.put("connector", StatsMap.of(connector.stats()));
        }
        m.put("subscriber_failures", subscriberFailures.get());
        if (connectorFailure != null) {
            m.put("connector_failure", connectorFailure);
        }
        return m;
    }

    /** Hands each event to every subscriber in order; one failing subscriber does not starve the others. */
    private record Fanout(List<ProcessEventListener> listeners, AtomicLong failures) implements ProcessEventListener {
        private void each(Consumer<ProcessEventListener> call) {
            for (ProcessEventListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    if (failures.getAndIncrement() == 0) {
                        LOG.log(Level.WARNING, "a process event subscriber failed (counted in processes.subscriber_failures)", e);
                    }
                }
            }
        }

        @Override
        public void onFork(int parentPid, int childPid) {
            each(l -> l.onFork(parentPid, childPid));
        }

        @Override
        public void onExec(int pid) {
            each(l -> l.onExec(pid));
        }

        @Override
        public void onComm(int pid) {
            each(l -> l.onComm(pid));
        }

        @Override
        public void onExit(int pid, int exitCode) {
            each(l -> l.onExit(pid, exitCode));
        }

        @Override
        public void onOverrun() {
            each(ProcessEventListener::onOverrun);
        }
    }
}
