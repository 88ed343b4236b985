package dev.netwarden.daemon;

import dev.netwarden.daemon.config.DaemonConfig;
import dev.netwarden.daemon.config.WebSection;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.firewall.ConnectionKiller;
import dev.netwarden.firewall.DefaultAction;
import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.live.FlowEventBus;
import dev.netwarden.live.LiveFlowSource;
import dev.netwarden.lists.BlockLists;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.web.DaemonParts;
import dev.netwarden.web.WebOptions;
import dev.netwarden.web.WebServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The web UI ({@code [web]}, docs/web.md): started after the monitor and the firewall, whose live
 * flows, events, prompts and lists it shows, and before the control socket. Hands the web server the
 * daemon's parts as {@link DaemonParts}; the status it shows is the control op's own answer.
 */
final class WebService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.web");

    private final DaemonConfig config;
    private final ControlHandlers handlers;
    private final MonitorService monitor;
    private final InterceptService intercept;
    private final ListsService lists;
    private final ConnectionKiller killer = new ConnectionKiller();
    private WebServer server;

    /**
     * @param intercept the firewall, null at the passive level
     * @param lists     the block lists, null at the passive level
     */
    WebService(DaemonConfig config, ControlHandlers handlers, MonitorService monitor, InterceptService intercept,
               ListsService lists) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.handlers = Objects.requireNonNull(handlers, "handlers is null");
        this.monitor = Objects.requireNonNull(monitor, "monitor is null");
        this.intercept = intercept;
        this.lists = lists;
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public void start() throws Exception {
        WebSection w = config.web();
        server = new WebServer(new Parts(), new WebOptions(w.address(), w.port(), w.tlsKeystore(), w.tlsKeystorePasswordFile(), "web"));
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            throw new IOException("web UI on " + w.address() + ":" + w.port() + ": " + e.getMessage()
                    + " (set web.port, or web.enabled = false)", e);
        }
        LOG.info(() -> "web UI at " + server.url());
    }

    /** The UI's address once started, e.g. {@code http://127.0.0.1:7979/}. */
    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public Map<String, Object> stats() {
        return server == null ? Map.of() : server.stats();
    }

    /** The daemon's parts as the web server sees them. */
    private final class Parts implements DaemonParts {
        @Override
        public String version() {
            return StatusOp.version();
        }

        @Override
        public JsonNode status() {
            return JsonMapper.shared().readTree(handlers.dispatch("{\"op\":\"" + StatusOp.OP + "\"}"));
        }

        @Override
        public LiveFlowSource live() {
            return monitor.live();
        }

        @Override
        public FlowEventBus events() {
            return monitor.events();
        }

        @Override
        public Path dataDir() {
            return config.daemon().dataDir();
        }

        @Override
        public Path rulesDir() {
            return config.daemon().rulesDir();
        }

        @Override
        public Path listsDir() {
            return config.firewall().listsDir();
        }

        @Override
        public PromptBroker prompts() {
            return intercept == null ? null : intercept.prompts();
        }

        @Override
        public String promptsOffReason() {
            if (config.daemon().level() != InterceptionLevel.INTERCEPT) {
                return "no prompts: the daemon runs at the passive level (start it with --level intercept"
                        + " and firewall.default_action = \"prompt\")";
            }
            if (config.firewall().defaultAction() != DefaultAction.PROMPT) {
                return "no prompts: firewall.default_action is \"" + config.firewall().defaultAction().label()
                        + "\", not \"prompt\"";
            }
            return "no prompts: the firewall is not running";
        }

        @Override
        public boolean firewall() {
            return intercept != null;
        }

        @Override
        public BlockLists blockLists() {
            return lists == null ? null : lists.lists();
        }

        @Override
        public boolean closeConnection(InetEndpoint local, InetEndpoint remote) throws IOException {
            return killer.killOne(local, remote);
        }

        @Override
        public Map<String, Map<String, Object>> settings() {
            return config.toSections();
        }
    }
}
