package dev.netwarden.web;

import dev.netwarden.intercept.RootFirewallUnchanged;
import dev.netwarden.testing.NamespaceDns;
import dev.netwarden.testing.NamespacePortForward;
import dev.netwarden.testing.NamespaceHttpServer;
import dev.netwarden.testing.RunningDaemon;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.netwarden.testing.RunningDaemon.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web API of the real daemon (bin/netwarden, intercept level, default action prompt) in a test
 * namespace, reached from this JVM's namespace through {@link NamespacePortForward} with
 * {@code java.net.http.HttpClient} — as a browser on the machine would: log in with the token
 * {@code netwarden ui-token} prints; a curl started in the namespace shows in /api/connections within
 * 2 s with its pid and exe and arrives as an SSE flow event; its prompt answered through the API lets it
 * through; a rule created through the API rejects the next curl; a connection to a hostile domain name
 * comes back as plain JSON text; a block list added through the API is in force in a rule without a
 * restart. The root namespace's firewall must be the same afterwards.
 */
@ExtendWith(RootFirewallUnchanged.class)
class WebApiIT {
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int HTTP_PORT = 8080;
    private static final JsonMapper JSON = JsonMapper.shared();
    private static String curlExe;
    private static String pythonExe;

    @TempDir
    Path dir;
    private HttpClient http;
    private String base;
    private String csrf;

    @BeforeAll
    static void tools() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates network namespaces and runs the daemon in them");
        assumeTrue(Files.isExecutable(CURL) && Files.isExecutable(PYTHON), "needs curl and python3");
        assumeTrue(NamespaceDns.available(), "needs dnsmasq (Debian package dnsmasq-base)");
        assumeTrue(Files.isRegularFile(RunningDaemon.HOME.resolve("target/netwarden.jar")), "needs the packaged jar (mvn package)");
        curlExe = CURL.toRealPath().toString();
        pythonExe = PYTHON.toRealPath().toString();
    }

    @Test
    void theApiSeesAndDrivesTheRealFirewall() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path data = dir.resolve("data");
        try (TestNamespace ns = TestNamespace.create("webapi");
             NamespaceDns dns = NamespaceDns.start(ns, Map.of("testsite.com", "127.0.0.2"))) {
            NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
            try (RunningDaemon daemon = RunningDaemon.start(ns, data, dir.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", rules.toString(), "--set", "firewall.default_action=prompt",
                    "--set", "firewall.prompt_timeout=60s", "--set", "firewall.lists_dir=" + dir.resolve("lists"));
                 NamespacePortForward forward = NamespacePortForward.start(ns, 7979)) {
                assertThat(daemon.log()).contains("  web UI:         http://127.0.0.1:7979/  (token: netwarden ui-token --data-dir " + data + ")");
                http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
                base = forward.httpBase();
                login(data);
                List<String[]> events = new CopyOnWriteArrayList<>();
                InputStream stream = openStream(events);
                try {
                    heldCurlIsListedStreamedAndReleasedByAnAnswer(ns, events);
                    aRuleMadeThroughTheApiTakesEffect(ns);
                    aHostileDomainComesBackAsPlainText(ns, daemon);
                    aListAddedThroughTheApiIsInForceWithoutARestart(ns);
                } finally {
                    stream.close();
                }
                JsonNode status = get("/api/status");
                assertThat(status.get("level").asString()).isEqualTo("intercept");
                assertThat(status.get("services").get("web").get("requests").asLong()).isPositive();
                assertThat(daemon.stop()).isZero();
            }
            assertThat(ns.exec(10, "iptables-save")).as("the daemon removed its rules at stop").doesNotContain("NETWARDEN");
        }
    }

    private void login(Path data) throws Exception {
        assertThat(send("GET", "/api/status", null).statusCode()).isEqualTo(401);
        String token = cli("ui-token", "--data-dir", data.toString()).strip();
        assertThat(send("POST", "/api/login", "{\"token\":\"wrong\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = send("POST", "/api/login", "{\"token\":\"" + token + "\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Set-Cookie").orElse("")).contains("HttpOnly", "SameSite=Strict");
        csrf = JSON.readTree(ok.body()).get("csrf").asString();
        assertThat(get("/api/health").get("ok").asBoolean()).isTrue();
    }

    private void heldCurlIsListedStreamedAndReleasedByAnAnswer(TestNamespace ns, List<String[]> events) throws Exception {
        Process curl = ns.start(CURL.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "50",
                "http://127.0.0.2:" + HTTP_PORT + "/");
        try {
            long t0 = System.nanoTime();
            JsonNode conn = await(Duration.ofSeconds(2), () -> {
                for (JsonNode c : get("/api/connections?q=curl").get("connections")) {
                    if (c.get("pid").asLong() == curl.pid() && c.get("remote").get("port").asInt() == HTTP_PORT) {
                        return c;
                    }
                }
                return null;
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(conn).as("curl's connection in /api/connections within 2 s").isNotNull();
            assertThat(conn.get("exe").asString()).isEqualTo(curlExe);
            assertThat(conn.get("remote").get("address").asString()).isEqualTo("127.0.0.2");
            assertThat(ms).isLessThan(2_000);
            long flowId = conn.get("id").asLong();
            String[] opened = await(Duration.ofSeconds(10), () -> events.stream()
                    .filter(e -> e[0].equals("flow") && e[1].contains("\"type\":\"opened\"") && JSON.readTree(e[1]).get("id").asLong() == flowId)
                    .findFirst().orElse(null));
            assertThat(opened).as("an SSE flow event for curl's connection").isNotNull();
            assertThat(JSON.readTree(opened[1]).get("pid").asLong()).isEqualTo(curl.pid());

            JsonNode prompt = await(Duration.ofSeconds(10), () -> {
                for (JsonNode p : get("/api/prompts").get("prompts")) {
                    if (p.get("pid").asLong() == curl.pid()) {
                        return p;
                    }
                }
                return null;
            });
            assertThat(prompt).as("curl's pending prompt").isNotNull();
            assertThat(curl.isAlive()).as("curl waits for the answer").isTrue();
            assertThat(await(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e[0].equals("prompts")
                    && JSON.readTree(e[1]).get("pending").asInt() >= 1) ? true : null)).as("an SSE prompts event").isTrue();
            HttpResponse<String> answered = send("POST", "/api/prompts/" + prompt.get("id").asLong() + "/answer",
                    "{\"action\":\"allow\",\"scope\":\"destination\",\"duration\":\"once\"}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finishes once allowed").isTrue();
            assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");
        } finally {
            curl.destroyForcibly();
        }
    }

    private void aRuleMadeThroughTheApiTakesEffect(TestNamespace ns) throws Exception {
        HttpResponse<String> created = send("POST", "/api/rules", "{\"id\":\"no-curl\",\"action\":\"reject\","
                + "\"conditions\":{\"exe\":[\"" + curlExe + "\"],\"port\":[" + HTTP_PORT + "]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Integer exit = await(Duration.ofSeconds(10), () -> {
            Process p = new ProcessBuilder(ns.inside(List.of(CURL.toString(), "-s", "-o", "/dev/null", "--max-time", "3",
                    "http://127.0.0.2:" + HTTP_PORT + "/"))).start();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
            return p.exitValue() == 7 ? 7 : null; // 7: could not connect (refused)
        });
        assertThat(exit).as("curl is refused by the rule made through the API").isEqualTo(7);
        JsonNode rule = get("/api/rules/no-curl");
        assertThat(rule.get("hits").asLong()).as("the rule's hits").isPositive();
    }

    private void aHostileDomainComesBackAsPlainText(TestNamespace ns, RunningDaemon daemon) throws Exception {
        // The script's own DNS query must pass (default action prompt): allowed by a rule made through the API.
        HttpResponse<String> dnsRule = send("POST", "/api/rules", "{\"id\":\"python-dns\",\"action\":\"allow\","
                + "\"conditions\":{\"exe\":[\"" + pythonExe + "\"],\"proto\":[\"udp\"],\"port\":[53]}}");
        assertThat(dnsRule.statusCode()).as(dnsRule.body()).isEqualTo(201);
        // The daemon follows the rules directory by itself: wait until its engine has both rules.
        assertThat(await(Duration.ofSeconds(10), () -> get("/api/status").get("services").get("rules").get("rules").asInt() >= 2 ? true : null))
                .as("the daemon loaded the new rule").isTrue();
        Path script = dir.resolve("xss_dns_client.py");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("web-it/xss_dns_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process python = ns.start(PYTHON.toString(), script.toString(), Integer.toString(HTTP_PORT));
        try {
            JsonNode prompt = await(Duration.ofSeconds(15), () -> {
                for (JsonNode p : get("/api/prompts").get("prompts")) {
                    if (p.get("pid").asLong() == python.pid() && p.get("port").asInt() == HTTP_PORT) {
                        return p;
                    }
                }
                return null;
            });
            assertThat(prompt).as("python's connection to the hostile name waits on a prompt").isNotNull();
            String domain = prompt.get("domain").asString();
            // DNS labels travel as bytes; the daemon records them as dnsjava prints them (space as \032).
            assertThat(domain).startsWith("<img").contains("src=x", "onerror=alert").endsWith(">.example");
            HttpResponse<String> raw = send("GET", "/api/prompts", null);
            assertThat(raw.body()).contains("\"domain\":\"" + domain.replace("\\", "\\\\") + "\"");
            assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            // The live table is sampled once a second.
            JsonNode conn = await(Duration.ofSeconds(3), () -> {
                for (JsonNode c : get("/api/connections?q=onerror").get("connections")) {
                    if (c.get("pid").asLong() == python.pid()) {
                        return c;
                    }
                }
                return null;
            });
            assertThat(conn).as("python's connection in /api/connections").isNotNull();
            assertThat(conn.get("domain").asString()).isEqualTo(domain);
            HttpResponse<String> answered = send("POST", "/api/prompts/" + prompt.get("id").asLong() + "/answer",
                    "{\"action\":\"reject\",\"scope\":\"destination\",\"duration\":\"once\"}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("resolved", "refused");
            List<JsonNode> rows = daemon.awaitRows(Duration.ofSeconds(10), r -> r.stream().anyMatch(x -> domain.equals(x.path("domain").asString(null))),
                    "--app", "python3");
            assertThat(rows).as("history holds the same name").anySatisfy(r -> assertThat(r.get("domain").asString()).isEqualTo(domain));
        } finally {
            python.destroyForcibly();
        }
    }

    /**
     * A rule rejects whatever is on block list "blocked-sites", which does not exist yet: curl to
     * testsite.com gets through (another rule allows curl). The list is added through the API with
     * testsite.com on it and the next curl is refused — the daemon picked the list up without a
     * restart — and the list counts the hit; deleted through the API, curl gets through again.
     */
    private void aListAddedThroughTheApiIsInForceWithoutARestart(TestNamespace ns) throws Exception {
        assertThat(send("DELETE", "/api/rules/no-curl", null).statusCode()).isEqualTo(200);
        for (String rule : List.of(
                "{\"id\":\"curl-dns\",\"action\":\"allow\",\"conditions\":{\"exe\":[\"" + curlExe + "\"],\"proto\":[\"udp\"],\"port\":[53]}}",
                "{\"id\":\"curl-web\",\"action\":\"allow\",\"conditions\":{\"exe\":[\"" + curlExe + "\"],\"port\":[" + HTTP_PORT + "]}}",
                "{\"id\":\"no-listed\",\"action\":\"reject\",\"conditions\":{\"list\":[\"blocked-sites\"]}}")) {
            HttpResponse<String> created = send("POST", "/api/rules", rule);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        // python-dns and the three above.
        assertThat(await(Duration.ofSeconds(10), () -> get("/api/status").get("services").get("rules").get("rules").asInt() == 4 ? true : null))
                .as("the daemon loaded the new rules").isTrue();
        String url = "http://testsite.com:" + HTTP_PORT + "/";
        assertThat(curlExit(ns, url)).as("curl to testsite.com while no list has it").isZero();

        HttpResponse<String> added = send("POST", "/api/lists", "{\"name\":\"blocked-sites\",\"content\":\"# test\\ntestsite.com\\n\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        long t0 = System.nanoTime();
        Integer refused = await(Duration.ofSeconds(15), () -> curlExit(ns, url) == 7 ? 7 : null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("WebApiIT: a list added through the API refused curl " + ms + " ms later");
        assertThat(refused).as("curl to testsite.com refused once the list is added (no restart)").isEqualTo(7);
        assertThat(ms).as("the list was in force within a few seconds").isLessThan(10_000);
        JsonNode list = null;
        for (JsonNode l : get("/api/lists").get("lists")) {
            if (l.get("name").asString().equals("blocked-sites")) {
                list = l;
            }
        }
        assertThat(list).as("the list in /api/lists").isNotNull();
        assertThat(list.get("loaded").asBoolean()).isTrue();
        assertThat(list.get("entries").asLong()).isEqualTo(1);
        assertThat(list.get("hits").asLong()).as("the list's hits").isPositive();
        assertThat(list.get("error").isNull()).isTrue();

        assertThat(send("DELETE", "/api/lists/blocked-sites", null).statusCode()).isEqualTo(200);
        assertThat(await(Duration.ofSeconds(15), () -> curlExit(ns, url) == 0 ? true : null))
                .as("curl to testsite.com gets through once the list is deleted").isTrue();
    }

    /** curl's exit status for one GET (0: got through; 7: refused), at most 3 s. */
    private static int curlExit(TestNamespace ns, String url) throws Exception {
        Process p = new ProcessBuilder(ns.inside(List.of(CURL.toString(), "-s", "-o", "/dev/null", "--max-time", "3", url)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Opens the live stream; its frames ({event, data}) are collected on a virtual thread. */
    private InputStream openStream(List<String[]> into) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        InputStream in = r.body();
        EventStreamReader.start(in, into::add);
        return in;
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls {@code probe} every 100 ms until it gives non-null or {@code timeout} passes (then null). */
    private static <T> T await(Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return probe.get();
    }
}
