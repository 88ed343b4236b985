package dev.netwarden.daemon;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.daemon.config.DaemonConfig;
import dev.netwarden.daemon.config.DaemonSection;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.daemon.control.ControlServer;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.daemon.owners.SocketOwnerSource;
import dev.netwarden.daemon.owners.SocketOwnersOp;
import dev.netwarden.daemon.owners.WarmSocketIndex;
import dev.netwarden.flow.InterceptionLevel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * One run of {@code netwarden daemon} with a valid configuration: checks capabilities, locks the data
 * dir, starts the services, and runs until SIGTERM/SIGINT, when the services are closed in reverse
 * (flushing) and the process exits 0.
 *
 * <p>Where the monitor's parts go: {@link #services} builds the service list; each part is a
 * {@link Service} and registers its control ops on the {@link ControlHandlers} it is given. The control
 * server starts last (clients see a fully started daemon) and stops first (no request meets a closing
 * service).
 */
public final class DaemonRun {
    /** Started and running until a signal: never returned. */
    public static final int EXIT_OK = 0;
    /** A runtime failure: missing capability, data dir in use, a service failed to start. */
    public static final int EXIT_FAILURE = 1;
    /** A usage or configuration error. */
    public static final int EXIT_CONFIG = 2;

    /** Control requests larger than this are refused: a socket-owners request for 1M sockets fits. */
    static final int MAX_REQUEST_BYTES = 16 << 20;
    static final Duration CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger("netwarden.daemon");

    private DaemonRun() {
    }

    /**
     * Builds the daemon's services in start order.
     *
     * @param owners the socket-owner index {@code conns} asks; the daemon's own {@link WarmSocketIndex}
     *               until the monitor hands in its event-driven one (pass it as {@code owners} and add
     *               the monitor to the list instead)
     */
    static List<Service> services(DaemonConfig config, ControlHandlers handlers, WarmSocketIndex owners) {
        List<Service> list = new ArrayList<>();
        list.add(new HeapGuard());
        list.add(owners);
        // The monitor's parts in dependency order: history first (flow ids, alert memory) and closed last
        // (it flushes what the others published); process events before the monitor so a process that
        // connects and exits at once was read at its exec.
        HistoryService history = new HistoryService(config.daemon().dataDir(), config.history());
        DnsService dns = new DnsService(config.dns());
        ProcessEventsService processes = new ProcessEventsService(config.monitor());
        MonitorService monitor = new MonitorService(config.monitor(), history, dns, processes);
        list.add(history);
        list.add(dns);
        list.add(processes);
        list.add(monitor);
        ListsService lists = null;
        InterceptService intercept = null;
        if (config.daemon().level() == InterceptionLevel.INTERCEPT) {
            lists = new ListsService(config.firewall(), config.daemon().dataDir());
            RulesService rules = new RulesService(config.daemon().rulesDir(), lists, processes);
            list.add(lists);
            list.add(rules);
            intercept = new InterceptService(config.intercept(), config.firewall(), monitor, dns,
                    new OwnWebUiRule(config.web(), facts -> rules.matcher().match(facts)), rules::add, handlers);
            list.add(intercept);
        }
        if (config.web().enabled()) {
            list.add(new WebService(config, handlers, monitor, intercept, lists));
        }
        registerOwnerOp(handlers, owners);
        list.add(new ControlServer(config.daemon().controlSocket(), handlers, MAX_REQUEST_BYTES, CLIENT_IDLE_TIMEOUT));
        return list;
    }

    /** Registers {@code socket-owners} for {@code conns}, answered by {@code source}. */
    public static void registerOwnerOp(ControlHandlers handlers, SocketOwnerSource source) {
        handlers.register(SocketOwnersOp.OP, new SocketOwnersOp(source, Namespaces.current()));
    }

    /** Runs the daemon in the foreground; returns only on a failure to start (exit code). */
    public static int run(DaemonConfig config, PrintStream err) throws InterruptedException {
        LogFormat.install(config.daemon().logLevel().julLevel());
        String capabilityProblem = capabilityProblem();
        if (capabilityProblem != null) {
            err.println("netwarden daemon: " + capabilityProblem);
            return EXIT_FAILURE;
        }
        DaemonSection d = config.daemon();
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(d.dataDir(), d.lockFile(), d.pidFile());
        } catch (IOException e) {
            err.println("netwarden daemon: " + (e instanceof DataDirLock.HeldException ? e.getMessage()
                    : "cannot use data dir " + d.dataDir() + ": " + e.getMessage()));
            return EXIT_FAILURE;
        }
        ControlHandlers handlers = new ControlHandlers();
        List<Service> services = services(config, handlers, new WarmSocketIndex());
        Daemon daemon = new Daemon(services);
        handlers.register(StatusOp.OP, new StatusOp(daemon, config, Namespaces.current()));

        err.println("netwarden daemon " + StatusOp.version() + ": " + d.level().label() + " level, pid " + ProcessHandle.current().pid());
        err.println("  data dir:       " + TerminalText.sanitize(d.dataDir().toString()));
        err.println("  history:        " + TerminalText.sanitize(d.database().toString()));
        err.println("  control socket: " + TerminalText.sanitize(d.controlSocket().toString()));
        err.println("  look with:      netwarden history --data-dir " + TerminalText.sanitize(d.dataDir().toString())
                + "   netwarden conns" + (d.controlSocket().equals(DaemonSection.DEFAULT_CONTROL_SOCKET) ? ""
                : " --daemon-socket " + TerminalText.sanitize(d.controlSocket().toString())));
        if (config.web().enabled()) {
            err.println("  web UI:         " + webUrl(config) + "  (token: netwarden ui-token --data-dir "
                    + TerminalText.sanitize(d.dataDir().toString()) + ")");
        }

        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] failedStart = {false};
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            // SIGTERM/SIGINT (or exit): close in reverse, flushing; then exit 0 rather than the JVM's 128+signal,
            // so systemd and scripts see a clean stop. A failed start exits with its own code instead.
            daemon.close();
            closeQuietly(lock);
            LOG.info("stopped");
            stopped.countDown();
            if (!failedStart[0]) {
                Runtime.getRuntime().halt(EXIT_OK);
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.start();
        } catch (ServiceStartException e) {
            failedStart[0] = true;
            Runtime.getRuntime().removeShutdownHook(hook);
            closeQuietly(lock);
            err.println("netwarden daemon: " + TerminalText.sanitize(e.getMessage()));
            return EXIT_FAILURE;
        }
        LOG.info(() -> "running; stop with SIGTERM or Ctrl-C");
        stopped.await();
        return EXIT_OK;
    }

    /** The UI's address as configured, e.g. {@code http://127.0.0.1:7979/}. */
    static String webUrl(DaemonConfig config) {
        String a = config.web().address();
        String host = a.contains(":") ? "[" + a + "]" : a;
        return (config.web().tlsKeystore() != null ? "https" : "http") + "://" + host + ":" + config.web().port() + "/";
    }

    /** Null when this process has every capability the daemon needs; else what is missing and how to fix it. */
    static String capabilityProblem() {
        long effective;
        try {
            effective = Capabilities.parseEffective(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | IllegalArgumentException e) {
            return "cannot read this process's capabilities from /proc/self/status: " + e.getMessage();
        }
        List<Capabilities.Required> missing = Capabilities.missing(effective);
        if (missing.isEmpty()) {
            return null;
        }
        return "missing capabilities " + String.join(", ", missing.stream().map(Enum::name).toList())
                + ": run as root, or grant them (packaging/netwarden.service: AmbientCapabilities)";
    }

    private static void closeQuietly(DataDirLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warning("cannot release data dir lock: " + e.getMessage());
        }
    }
}
