package dev.netwarden.web;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompts, the live stream, the overview, processes and ending a connection, over HTTP. */
class LiveApiTest {
    @TempDir
    Path tmp;
    WebFixture web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void promptsAreListedAndAnsweredWithPromptOpsVocabulary() throws Exception {
        web = new WebFixture(tmp, true, true);
        web.login();
        var curl = WebFixture.process(300, "curl", "/usr/bin/curl", "root", List.of("curl", "http://held.example/"));
        web.ask(curl, "192.0.2.30", 80, "held.example", 7);
        JsonNode p = web.get("/api/prompts").json().get("prompts").get(0);
        assertThat(p.get("exe").asString()).isEqualTo("/usr/bin/curl");
        assertThat(p.get("domain").asString()).isEqualTo("held.example");
        assertThat(p.get("address").asString()).isEqualTo("192.0.2.30");
        assertThat(p.get("port").asInt()).isEqualTo(80);
        assertThat(p.get("protocol").asString()).isEqualTo("tcp");
        assertThat(p.get("waiting").asInt()).isEqualTo(1);
        assertThat(p.get("expiresAt").asLong()).isGreaterThan(p.get("createdAt").asLong());
        long id = p.get("id").asLong();

        for (String bad : List.of("{\"action\":\"maybe\",\"scope\":\"exe\",\"duration\":\"once\"}",
                "{\"action\":\"allow\",\"scope\":\"everything\",\"duration\":\"once\"}",
                "{\"action\":\"allow\",\"scope\":\"exe\",\"duration\":\"15h\"}",
                "{\"action\":\"allow\",\"scope\":\"exe\"}",
                "{\"action\":\"allow\",\"scope\":\"exe\",\"duration\":\"once\",\"extra\":1}")) {
            WebFixture.Answer a = web.call("POST", "/api/prompts/" + id + "/answer", bad);
            assertThat(a.status()).as(bad + " → " + a.body()).isEqualTo(400);
        }
        assertThat(web.get("/api/prompts").json().get("prompts").size()).isEqualTo(1); // nothing changed
        assertThat(web.verdicts).isEmpty();
        assertThat(web.call("POST", "/api/prompts/999/answer", "{\"action\":\"allow\",\"scope\":\"exe\",\"duration\":\"once\"}").status())
                .isEqualTo(404);

        WebFixture.Answer ok = web.call("POST", "/api/prompts/" + id + "/answer",
                "{\"action\":\"allow\",\"scope\":\"destination\",\"duration\":\"15m\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("ruleId").asString()).isNotBlank();
        assertThat(web.verdicts).containsExactly("7 ACCEPT");
        assertThat(web.get("/api/prompts").json().get("prompts").size()).isZero();
        assertThat(web.call("POST", "/api/prompts/" + id + "/answer", "{\"action\":\"allow\",\"scope\":\"exe\",\"duration\":\"once\"}").status())
                .isEqualTo(404);
    }

    @Test
    void promptsOffIs503WithTheReason() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        WebFixture.Answer a = web.get("/api/prompts");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("error").asString()).startsWith("no prompts: ");
        assertThat(web.call("POST", "/api/prompts/1/answer", "{\"action\":\"allow\",\"scope\":\"exe\",\"duration\":\"once\"}").status())
                .isEqualTo(503);
    }

    /** Reads SSE frames on a thread into a queue. */
    private BlockingQueue<String[]> stream(List<AutoCloseable> toClose) throws Exception {
        HttpResponse<InputStream> r = web.http.send(HttpRequest.newBuilder(URI.create(web.base() + "/api/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-store");
        BlockingQueue<String[]> frames = new ArrayBlockingQueue<>(10_000);
        InputStream in = r.body();
        toClose.add(in);
        EventStreamReader.start(in, frames::offer);
        return frames;
    }

    private static JsonNode await(BlockingQueue<String[]> frames, String event, java.util.function.Predicate<JsonNode> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String[] f = frames.poll(200, TimeUnit.MILLISECONDS);
            if (f == null) {
                continue;
            }
            seen.add(f[0] + " " + f[1]);
            JsonNode data = WebFixture.JSON.readTree(f[1]);
            if (f[0].equals(event) && match.test(data)) {
                return data;
            }
        }
        throw new AssertionError("no " + event + " event within 10 s; saw " + seen);
    }

    @Test
    void theStreamCarriesFlowsRatesAndPrompts() throws Exception {
        web = new WebFixture(tmp, true, true);
        web.login();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            BlockingQueue<String[]> frames = stream(open);
            var curl = WebFixture.process(301, "curl", "/usr/bin/curl", "root", List.of("curl"));
            FlowEvent.Opened o = web.open(Transport.TCP, curl, "192.0.2.40", 443, "<img src=x onerror=alert(1)>.example", 10, 20);
            JsonNode opened = await(frames, "flow", d -> d.get("type").asString().equals("opened") && d.get("id").asLong() == o.flowId());
            assertThat(opened.get("exe").asString()).isEqualTo("/usr/bin/curl");
            assertThat(opened.get("pid").asInt()).isEqualTo(301);
            assertThat(opened.get("domain").asString()).isEqualTo("<img src=x onerror=alert(1)>.example");
            web.bus.publish(new FlowEvent.Decided(o.flowId(), System.currentTimeMillis(), "deny", "r1", "rule r1"));
            JsonNode decided = await(frames, "flow", d -> d.get("type").asString().equals("decided"));
            assertThat(decided.get("action").asString()).isEqualTo("deny");
            assertThat(decided.get("ruleId").asString()).isEqualTo("r1");
            web.bus.publish(new FlowEvent.Alert(o.flowId(), System.currentTimeMillis(), AlertKind.COMM_MISMATCH, curl, null, "renamed"));
            assertThat(await(frames, "flow", d -> d.get("type").asString().equals("alert")).get("kind").asString()).isEqualTo("comm_mismatch");
            web.close(o, 100, 200);
            JsonNode closed = await(frames, "flow", d -> d.get("type").asString().equals("closed"));
            assertThat(closed.get("bytesIn").asLong()).isEqualTo(200);
            JsonNode rates = await(frames, "rates", d -> true);
            assertThat(rates.has("in")).isTrue();
            assertThat(rates.get("apps").isArray()).isTrue();
            web.ask(curl, "192.0.2.41", 80, "ask.example", 9);
            assertThat(await(frames, "prompts", d -> d.get("pending").asInt() == 1).get("pending").asInt()).isEqualTo(1);
            assertThat(web.get("/api/status").status()).isEqualTo(200);
            assertThat(web.server.stats().get("sse_clients")).isEqualTo(1);
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void aClientQueueDropsItsOldestAndNeverWaits() throws Exception {
        java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
        EventQueue q = new EventQueue(8, dropped);
        for (int i = 0; i < 20; i++) {
            q.offer(i);
        }
        assertThat(dropped.sum()).isEqualTo(12);
        assertThat(q.take(0, 100)).containsExactly(12, 13, 14, 15, 16, 17, 18, 19);
        assertThat(q.take(50, 100)).isEmpty();
        q.end();
        assertThat(q.take(1000, 100)).isNull();
        q.offer(1); // after the end: ignored, not queued
        assertThat(q.size()).isZero();
    }

    @Test
    void aBrowserThatDoesNotReadCostsTheBusNothing() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            stream(open); // connected, but this test never reads the frames: the socket buffers fill up
            // Wait until the server registered the client.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!web.server.stats().get("sse_clients").equals(1) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            var p = WebFixture.process(500, "x".repeat(15), "/opt/" + "long".repeat(40) + "/app", "root", List.of("a".repeat(2000)));
            FlowEvent.Opened o = web.open(Transport.TCP, p, "192.0.2.60", 443, "d".repeat(200) + ".example", 0, 0);
            long t0 = System.nanoTime();
            for (int i = 0; i < 100_000; i++) {
                web.bus.publish(o);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("publishing 100000 events with a stalled browser").isLessThan(5_000);
            assertThat((long) web.server.stats().get("dropped_events")).isGreaterThan(0);
        } finally {
            open.forEach(c -> {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing
                }
            });
        }
    }

    @Test
    void overviewProcessesAndKill() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        var curl = WebFixture.process(400, "curl", "/usr/bin/curl", "root", List.of("curl"));
        var dig = WebFixture.process(401, "dig", "/usr/bin/dig", "root", List.of("dig"));
        FlowEvent.Opened tcp = web.open(Transport.TCP, curl, "192.0.2.50", 443, "a.example", 1_000, 9_000);
        web.open(Transport.TCP, curl, "192.0.2.51", 443, "a.example", 1_000, 1_000);
        FlowEvent.Opened udp = web.open(Transport.UDP, dig, "192.0.2.53", 53, null, 100, 100);
        var self = WebFixture.process((int) ProcessHandle.current().pid(), "java", "/usr/bin/java", "root", List.of("java"));
        FlowEvent.Opened own = web.open(Transport.TCP, self, "192.0.2.60", 443, null, 10, 10);
        web.server.sampler().sample();
        JsonNode ov = web.get("/api/overview?minutes=5").json();
        assertThat(ov.get("counters").get("connections").asInt()).isEqualTo(4);
        assertThat(ov.get("series").get("t").size()).isEqualTo(300);
        assertThat(ov.get("series").get("in").size()).isEqualTo(300);
        assertThat(ov.get("series").get("apps").findValuesAsString("app")).contains("curl", "dig");
        assertThat(ov.get("topApps").get(0).get("exe").asString()).isEqualTo("/usr/bin/curl");
        assertThat(ov.get("topApps").get(0).get("rateIn").asDouble()).isGreaterThan(0);
        assertThat(ov.get("topDomains").get(0).get("domain").asString()).isEqualTo("a.example");
        assertThat(ov.get("topDomains").get(0).get("connections").asInt()).isEqualTo(2);
        assertThat(web.get("/api/overview?minutes=61").status()).isEqualTo(400);

        JsonNode procs = web.get("/api/processes").json().get("processes");
        assertThat(procs.get(0).get("pid").asInt()).isEqualTo(400);
        assertThat(procs.get(0).get("connections").asInt()).isEqualTo(2);
        assertThat(procs.get(0).get("bytesIn").asLong()).isEqualTo(10_000);

        assertThat(web.call("DELETE", "/api/connections/" + udp.flowId(), null).status()).isEqualTo(409);
        WebFixture.Answer ownKill = web.call("DELETE", "/api/connections/" + own.flowId(), null);
        assertThat(ownKill.status()).isEqualTo(409);
        assertThat(ownKill.body()).contains("netwarden daemon itself");
        assertThat(web.call("DELETE", "/api/connections/abc", null).status()).isEqualTo(400);
        assertThat(web.call("DELETE", "/api/connections/123456789", null).status()).isEqualTo(404);
        WebFixture.Answer killed = web.call("DELETE", "/api/connections/" + tcp.flowId(), null);
        assertThat(killed.status()).isEqualTo(200);
        assertThat(web.closed).containsExactly(tcp.local() + " " + tcp.remote());
        // The sampler has not run since: the kernel (here: the live list) no longer has it.
        assertThat(web.call("DELETE", "/api/connections/" + tcp.flowId(), null).status()).isEqualTo(404);
    }
}
