package dev.netwarden.web;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.EstablishedKiller;
import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.firewall.PromptRules;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.HistoryWriter;
import dev.netwarden.live.FlowEventBus;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.LiveFlowSource;
import dev.netwarden.lists.BlockLists;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process web server over real parts for the API tests: a real SQLite history in a temp data
 * dir written by a real {@link HistoryWriter} (through the same {@link FlowEventBus} the live stream
 * subscribes to), real rule and list directories, live flows the test adds and removes, and an HTTP
 * client that logs in like the pages do. Pages come from the test resource root {@code webtest/}.
 */
final class WebFixture implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.shared();

    final Path dataDir;
    final Path rulesDir;
    final Path listsDir;
    final HistoryStore store;
    final HistoryWriter writer;
    final FlowEventBus bus;
    final List<LiveFlow> live = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    volatile PromptBroker prompts;
    final List<String> verdicts = new CopyOnWriteArrayList<>();
    volatile BlockLists lists;
    volatile boolean firewall;
    final WebServer server;
    final HttpClient http;
    String csrf;

    WebFixture(Path tmp) throws Exception {
        this(tmp, false, false);
    }

    /**
     * @param withPrompts a real prompt broker (answers become in-memory rules; verdicts are collected in {@link #verdicts})
     * @param firewall    whether the parts say a firewall decides (intercept level: rules have hits)
     */
    WebFixture(Path tmp, boolean withPrompts, boolean firewall) throws Exception {
        this.firewall = firewall;
        dataDir = Files.createDirectories(tmp.resolve("data"));
        rulesDir = tmp.resolve("rules");
        listsDir = tmp.resolve("lists");
        store = HistoryStore.open(dataDir);
        writer = HistoryWriter.start(store, HistoryWriter.Options.defaults().withFlushInterval(Duration.ofMillis(50)));
        bus = new FlowEventBus(writer);
        if (withPrompts) {
            PromptRules answers = new PromptRules(System::currentTimeMillis);
            prompts = new PromptBroker(PromptBroker.Settings.of(Duration.ofSeconds(60), Action.DENY), answers, answers,
                    EstablishedKiller.NONE, bus, System::currentTimeMillis);
            prompts.attach((queue, packetId, verdict) -> verdicts.add(packetId + " " + verdict));
        }
        server = new WebServer(new Parts(), new WebOptions("127.0.0.1", 0, null, null, "webtest"));
        server.start();
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    final class Parts implements DaemonParts {
        @Override
        public String version() {
            return "test-version";
        }

        @Override
        public JsonNode status() {
            return JSON.readTree("{\"ok\":true,\"pid\":" + ProcessHandle.current().pid()
                    + ",\"version\":\"test-version\",\"level\":\"passive\",\"uptime_ms\":5,\"services\":{\"web\":{}}}");
        }

        @Override
        public LiveFlowSource live() {
            return () -> {
                long now = System.currentTimeMillis();
                List<LiveFlow> out = new ArrayList<>();
                for (LiveFlow f : live) {
                    out.add(new LiveFlow(f.opened(), f.state(), f.counters(), now));
                }
                return out;
            };
        }

        @Override
        public FlowEventBus events() {
            return bus;
        }

        @Override
        public Path dataDir() {
            return dataDir;
        }

        @Override
        public Path rulesDir() {
            return rulesDir;
        }

        @Override
        public Path listsDir() {
            return listsDir;
        }

        @Override
        public PromptBroker prompts() {
            return prompts;
        }

        @Override
        public String promptsOffReason() {
            return "no prompts: the daemon runs at the passive level";
        }

        @Override
        public boolean firewall() {
            return firewall;
        }

        @Override
        public BlockLists blockLists() {
            return lists;
        }

        @Override
        public boolean closeConnection(InetEndpoint local, InetEndpoint remote) {
            closed.add(local + " " + remote);
            return live.removeIf(f -> f.opened().local().equals(local) && f.opened().remote().equals(remote));
        }

        @Override
        public Map<String, Map<String, Object>> settings() {
            Map<String, Map<String, Object>> m = new LinkedHashMap<>();
            m.put("web", Map.of("enabled", true, "port", 0));
            return m;
        }
    }

    /** A process snapshot as the monitor makes them. */
    static ProcessSnapshot process(int pid, String comm, String exe, String user, List<String> cmdline) {
        return new ProcessSnapshot(new ProcessInfo(pid, 1, 0, user, comm, exe, false, cmdline, 100, null, null),
                "ab".repeat(32), null, List.of());
    }

    /** Opens a flow: published on the bus (so history has it) and listed as live. */
    FlowEvent.Opened open(Transport t, ProcessSnapshot p, String remote, int port, String domain, long bytesOut, long bytesIn)
            throws IOException {
        long id = writer.nextFlowId();
        InetAddress r = InetAddress.ofLiteral(remote);
        FlowEvent.Opened o = new FlowEvent.Opened(id, System.currentTimeMillis() - 2_000, t, r.getAddress().length == 4 ? 2 : 10,
                new InetEndpoint(InetAddress.ofLiteral(r.getAddress().length == 4 ? "10.0.0.2" : "fd00::2"), 40_000 + (int) (id % 20_000)),
                new InetEndpoint(r, port), Direction.OUTBOUND, t == Transport.TCP ? "ESTAB" : "UNCONN",
                p == null ? Attribution.unknown("socket gone before it was read") : Attribution.of(p), domain,
                InterceptionLevel.PASSIVE, 0);
        bus.publish(o);
        live.add(new LiveFlow(o, o.state(), new Counters(bytesOut, bytesIn, 1, 1), System.currentTimeMillis()));
        return o;
    }

    /**
     * A listening socket of {@code p} on {@code address:port} (TCP: state LISTEN; UDP: bound, UNCONN):
     * its remote is the unspecified address and port 0, as the kernel reports it.
     */
    FlowEvent.Opened listen(Transport t, ProcessSnapshot p, String address, int port) {
        long id = writer.nextFlowId();
        InetAddress local = InetAddress.ofLiteral(address);
        boolean v4 = local.getAddress().length == 4;
        FlowEvent.Opened o = new FlowEvent.Opened(id, System.currentTimeMillis() - 5_000, t, v4 ? 2 : 10,
                new InetEndpoint(local, port), new InetEndpoint(InetAddress.ofLiteral(v4 ? "0.0.0.0" : "::"), 0),
                Direction.LISTEN, t == Transport.TCP ? "LISTEN" : "UNCONN",
                p == null ? Attribution.unknown("socket gone before it was read") : Attribution.of(p), null,
                InterceptionLevel.PASSIVE, 0);
        bus.publish(o);
        live.add(new LiveFlow(o, o.state(), new Counters(0, 0, 0, 0), System.currentTimeMillis()));
        return o;
    }

    /** Ends a flow: closed on the bus with these final counters, gone from the live list. */
    void close(FlowEvent.Opened o, long bytesOut, long bytesIn) {
        live.removeIf(f -> f.flowId() == o.flowId());
        bus.publish(new FlowEvent.Closed(o.flowId(), System.currentTimeMillis(), "CLOSE", new Counters(bytesOut, bytesIn, 2, 2)));
    }

    /** Holds packet {@code packetId} of a new flow of {@code p} to {@code remote:port} on a prompt, as the firewall does. */
    FlowEvent.Opened ask(ProcessSnapshot p, String remote, int port, String domain, int packetId) throws IOException {
        FlowEvent.Opened o = open(Transport.TCP, p, remote, port, domain, 0, 0);
        ConnectionFacts facts = new ConnectionFacts(Transport.TCP, o.family(), Direction.OUTBOUND, o.local(), o.remote(), domain, "eth0",
                p == null ? -1 : p.info().uid(), p);
        if (!prompts.hold(facts, o.flowId(), 0, packetId)) {
            throw new AssertionError("the broker refused to hold the packet");
        }
        return o;
    }

    void flushHistory() throws InterruptedException {
        writer.flush(Duration.ofSeconds(10));
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    // ------------------------------------------------------------------ HTTP

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    Answer login() throws Exception {
        String token = UiToken.read(dataDir).value();
        Answer a = send("POST", "/api/login", "{\"token\":\"" + token + "\"}", Map.of());
        if (a.status() != 200) {
            throw new AssertionError("login failed: " + a.status() + " " + a.body());
        }
        csrf = a.json().get("csrf").asString();
        return a;
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null, Map.of());
    }

    /** A state-changing request with the session's CSRF header. */
    Answer call(String method, String path, String body) throws Exception {
        return send(method, path, body, csrf == null ? Map.of() : Map.of("X-CSRF-Token", csrf));
    }

    Answer send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // Jetty closes the connection after some 400s (an ambiguous URI); when the client had already
            // picked that pooled connection for this request, the server never read it: send it once more.
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
        return new Answer(r.statusCode(), r.body(), r);
    }

    @Override
    public void close() throws Exception {
        server.close();
        writer.close();
        store.close();
        if (prompts != null) {
            prompts.close();
        }
    }
}
