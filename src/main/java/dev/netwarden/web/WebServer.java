package dev.netwarden.web;

import dev.netwarden.firewall.PromptBroker;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web UI's server: Jetty with one connector (HTTP, or HTTPS with a PKCS#12 keystore), requests on
 * virtual threads (at most {@link #MAX_CONCURRENT} at once), no JMX, no servlet container; the routes
 * of the API; the 1 Hz sampler; the live stream and the prompt watcher that feeds it.
 *
 * <p>Life: construct, {@link #start()} (reads or creates the UI token, binds, starts sampling),
 * {@link #close()}.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("netwarden.web");
    /** Held so the level sticks (java.util.logging keeps loggers weakly): Jetty's INFO start/stop lines are noise. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    static {
        JETTY_LOG.setLevel(Level.WARNING);
    }
    /** Most requests served at once (each on a virtual thread; live streams count). */
    static final int MAX_CONCURRENT = 64;
    static final int MAX_SSE_CLIENTS = 16;
    static final int SSE_QUEUE = 2048;
    static final Duration SESSION_IDLE = Duration.ofHours(12);
    static final int MAX_SESSIONS = 64;
    static final Duration RATE_WINDOW = Duration.ofSeconds(5);
    static final int RING_SECONDS = 3600;
    static final int RING_APPS = 24;

    private final DaemonParts parts;
    private final WebOptions options;
    private final Sessions sessions = new Sessions(SESSION_IDLE, MAX_SESSIONS, System::currentTimeMillis);
    private final LoginThrottle throttle = new LoginThrottle(10, 60_000, 1_000, System::currentTimeMillis);
    private final DecisionCounters counters = new DecisionCounters();
    private final ConnectionJson connectionJson = ConnectionJson.withSystemServices();
    private final EventStream stream = new EventStream(connectionJson, MAX_SSE_CLIENTS, SSE_QUEUE);
    private final LiveSampler sampler;
    private Server server;
    private ServerConnector connector;
    private WebHandler handler;
    private Router router;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private Thread promptWatcher;
    private volatile boolean closed;

    public WebServer(DaemonParts parts, WebOptions options) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
        this.options = Objects.requireNonNull(options, "options is null");
        this.sampler = new LiveSampler(parts.live(), RATE_WINDOW, new TrafficRing(RING_SECONDS, RING_APPS),
                Duration.ofSeconds(1), stream::rates);
    }

    /** Every route of the API (the OpenAPI test checks each is documented). */
    List<Route> routes(UiToken token) {
        List<Route> r = new ArrayList<>();
        r.addAll(new AuthApi(token, sessions, throttle, options.https(), parts.version()).routes());
        r.addAll(new StatusApi(parts).routes());
        r.addAll(new ConnectionsApi(sampler::latest, connectionJson, parts).routes());
        r.addAll(new OverviewApi(sampler::latest, sampler.ring(), counters, parts).routes());
        RulesApi rules = new RulesApi(parts, parts.firewall() ? counters::hits : null);
        r.addAll(rules.routes());
        r.addAll(new ListsApi(parts).routes());
        r.addAll(new PromptsApi(parts).routes());
        r.addAll(new HistoryApi(parts, rules).routes());
        r.add(Route.get("/api/openapi.yaml", req -> {
            req.onlyParams(java.util.Set.of());
            StaticFiles.File f = new StaticFiles("web").find("/openapi.yaml");
            if (f == null) {
                throw ApiError.notFound("openapi.yaml is not in this build");
            }
            return new ApiResponse(200, "application/yaml", f.body(), Map.of());
        }));
        return r;
    }

    public synchronized void start() throws Exception {
        UiToken token = UiToken.loadOrCreate(parts.dataDir());
        router = new Router(routes(token));
        handler = new WebHandler(router, sessions, new StaticFiles(options.resourceRoot()), options.https(), "/api/events", stream);

        VirtualThreadPool pool = new VirtualThreadPool(MAX_CONCURRENT);
        pool.setName("nw-web");
        server = new Server(pool, new ScheduledExecutorScheduler("nw-web-scheduler", true, 1), null);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        if (options.https()) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // reached as 127.0.0.1 through a tunnel: the certificate's name differs
            http.addCustomizer(secure);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(options.tlsKeystore().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(password());
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(options.address());
        connector.setPort(options.port());
        connector.setIdleTimeout(60_000);
        connector.setAcceptQueueSize(64);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();

        subscriptions.add(parts.events().subscribe(counters));
        subscriptions.add(parts.events().subscribe(stream));
        sampler.start();
        if (parts.prompts() != null) {
            promptWatcher = Thread.ofVirtual().name("nw-web-prompts").start(this::watchPrompts);
        }
    }

    private String password() throws IOException {
        if (options.tlsKeystorePasswordFile() == null) {
            return "";
        }
        List<String> lines = Files.readAllLines(options.tlsKeystorePasswordFile(), StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.getFirst().strip();
    }

    /** Sends the live stream the number of pending prompts whenever the set of them changes. */
    private void watchPrompts() {
        PromptBroker broker = parts.prompts();
        long version = -1;
        List<Long> ids = null;
        while (!closed) {
            try {
                version = broker.await(version, Duration.ofSeconds(20));
                List<Long> now = broker.pending().stream().map(p -> p.id()).toList();
                if (!now.equals(ids)) {
                    ids = now;
                    stream.prompts(now.size());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "web: prompt watcher: " + e, e);
                return;
            }
        }
    }

    /** The bound port (the real one when 0 was asked). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The UI's address, e.g. {@code http://127.0.0.1:7979/}. */
    public String url() {
        String host = options.address().contains(":") ? "[" + options.address() + "]" : options.address();
        return (options.https() ? "https" : "http") + "://" + host + ":" + port() + "/";
    }

    Router router() {
        return router;
    }

    LiveSampler sampler() {
        return sampler;
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", server == null ? null : url());
        m.put("requests", handler == null ? 0 : handler.requests());
        m.put("refused", handler == null ? 0 : handler.refused());
        m.put("sessions", sessions.size());
        m.put("sse_clients", stream.clients());
        m.put("sse_events_sent", stream.sent());
        m.put("dropped_events", stream.dropped());
        m.put("sampler_ticks", sampler.ticks());
        m.put("sampler_failures", sampler.failures());
        m.put("overview_apps", sampler.ring().appRows());
        return m;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.fine(() -> "web: unsubscribe: " + e);
            }
        }
        subscriptions.clear();
        if (promptWatcher != null) {
            promptWatcher.interrupt();
        }
        stream.close();
        sampler.close();
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "web: stopping the server: " + e, e);
            }
        }
    }
}
