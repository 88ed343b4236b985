package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.intercept.RootFirewallUnchanged;
import dev.netwarden.testing.NamespaceDns;
import dev.netwarden.testing.NamespaceHttpServer;
import dev.netwarden.testing.RunningDaemon;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code intercept.queues = 2}: new connections are spread over two NFQUEUEs by sending CPU, one loop
 * thread each. Programs pinned with {@code taskset} to CPU 0 and CPU 1 send their SYNs through queue
 * 0 and queue 1; both loops must attribute and decide them, and a prompt holding packets of both
 * queues must release each to its own queue (packet ids are per queue: a verdict sent to the wrong
 * loop would leave the packet held, and curl would not finish).
 */
@ExtendWith(RootFirewallUnchanged.class)
class InterceptQueuesIT {
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    private static final int HTTP_PORT = 8080;
    private static String curlExe;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates network namespaces and runs the daemon in them");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 CPUs: queues are chosen by sending CPU");
        assumeTrue(NamespaceDns.available(), "needs " + NamespaceDns.DNSMASQ + " (Debian package dnsmasq-base)");
        assumeTrue(Files.isExecutable(CURL) && Files.isExecutable(TASKSET), "needs curl and taskset (util-linux)");
        assumeTrue(Files.isRegularFile(RunningDaemon.HOME.resolve("target/netwarden.jar")), "needs the packaged jar (mvn package)");
        curlExe = CURL.toRealPath().toString();
    }

    @Test
    void connectionsFromTwoCpusAreDecidedByBothLoopsAndAttributed() throws Exception {
        try (TestNamespace ns = TestNamespace.create("fwqueues");
             NamespaceDns dns = NamespaceDns.start(ns, Map.of("testsite.test", "127.0.0.2"))) {
            NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
            try (RunningDaemon daemon = RunningDaemon.start(ns, dir.resolve("data"), dir.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", dir.resolve("no-rules").toString(), "--set", "intercept.queues=2")) {
                String rules = ns.exec(10, "iptables", "-t", "mangle", "-S", "NETWARDEN-OUT");
                assertThat(rules).contains("--queue-balance 0:1", "--queue-cpu-fanout");
                for (int round = 0; round < 3; round++) {
                    for (int cpu = 0; cpu < 2; cpu++) {
                        assertThat(curlOn(ns, cpu, "http://testsite.test:" + HTTP_PORT + "/").out).isEqualTo("200");
                    }
                }
                JsonNode queues = daemon.status().get("services").get("intercept").get("queues");
                assertThat(queues.get("0").get("queued").asLong()).as("queue 0 (CPU 0) decided packets").isPositive();
                assertThat(queues.get("1").get("queued").asLong()).as("queue 1 (CPU 1) decided packets").isPositive();
                assertThat(daemon.counter("intercept", "handler_errors")).isZero();
                List<JsonNode> rows = daemon.awaitRows(Duration.ofSeconds(15), r -> r.stream()
                        .filter(x -> curlExe.equals(text(x, "exe")) && Long.valueOf(HTTP_PORT).equals(port(x))).count() >= 6,
                        "--app", "curl");
                assertThat(rows.stream().filter(x -> Long.valueOf(HTTP_PORT).equals(port(x))).toList())
                        .as("every curl connection attributed and allowed").hasSizeGreaterThanOrEqualTo(6)
                        .allSatisfy(r -> {
                            assertThat(text(r, "exe")).isEqualTo(curlExe);
                            assertThat(text(r, "action")).isEqualTo("allow");
                        });
                assertThat(daemon.stop()).isZero();
            }
            assertThat(ns.exec(10, "iptables-save")).as("the daemon removed its balanced rules at stop").doesNotContain("NETWARDEN");
        }
    }

    @Test
    void aPromptHoldingPacketsOfBothQueuesReleasesEachToItsOwnQueue() throws Exception {
        try (TestNamespace ns = TestNamespace.create("fwqprompt");
             NamespaceDns dns = NamespaceDns.start(ns, Map.of("testsite.test", "127.0.0.2"))) {
            NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
            try (RunningDaemon daemon = RunningDaemon.start(ns, dir.resolve("data"), dir.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", Files.createDirectories(dir.resolve("rules")).toString(), "--set", "intercept.queues=2",
                    "--set", "firewall.default_action=prompt", "--set", "firewall.prompt_timeout=60s")) {
                // The address, not the name: DNS (UDP to dnsmasq) would be a question of its own.
                String url = "http://127.0.0.2:" + HTTP_PORT + "/";
                List<Process> curls = new ArrayList<>();
                try {
                    for (int cpu = 0; cpu < 2; cpu++) {
                        curls.add(ns.start(TASKSET.toString(), "-c", Integer.toString(cpu), CURL.toString(), "-s", "-o", "/dev/null",
                                "-w", "%{http_code}", "--max-time", "50", url));
                    }
                    JsonNode queues = awaitHeldInBothQueues(daemon);
                    assertThat(queues.get("0").get("held").asLong()).isPositive();
                    assertThat(queues.get("1").get("held").asLong()).isPositive();
                    JsonNode prompts = call(daemon, ControlClient.request("prompts")).get("prompts");
                    assertThat(prompts).as("one question: same app, same destination").hasSize(1);
                    ObjectNode answer = ControlClient.request("prompt-answer");
                    answer.put("id", prompts.get(0).get("id").asLong());
                    answer.put("action", "allow");
                    answer.put("scope", "destination");
                    answer.put("duration", "once");
                    call(daemon, answer);
                    for (Process curl : curls) {
                        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).as("curl finishes once its held SYN is released").isTrue();
                        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");
                    }
                } finally {
                    curls.forEach(Process::destroyForcibly);
                }
                assertThat(daemon.counter("intercept", "late_unknown")).as("no verdict went to a loop that did not hold its packet").isZero();
                assertThat(daemon.counter("intercept", "held")).isZero();
                assertThat(daemon.stop()).isZero();
            }
        }
    }

    /** Waits until both queues hold a packet (both curls' SYNs wait on the prompt); returns the per-queue stats. */
    private static JsonNode awaitHeldInBothQueues(RunningDaemon daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode queues = null;
        while (System.nanoTime() < deadline) {
            queues = daemon.status().get("services").get("intercept").get("queues");
            if (queues.get("0").get("held").asLong() > 0 && queues.get("1").get("held").asLong() > 0) {
                return queues;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("packets not held in both queues within 30 s: " + queues + "\n" + daemon.log());
    }

    private static JsonNode call(RunningDaemon daemon, ObjectNode request) throws Exception {
        try (ControlClient c = ControlClient.connect(daemon.controlSocket(), Duration.ofSeconds(2))) {
            JsonNode reply = c.call(request, Duration.ofSeconds(10));
            assertThat(reply.get("ok").asBoolean()).as("reply to " + request + ": " + reply).isTrue();
            return reply;
        }
    }

    private record Result(int exit, String out) {}

    private static Result curlOn(TestNamespace ns, int cpu, String url) throws Exception {
        Process p = new ProcessBuilder(ns.inside(List.of(TASKSET.toString(), "-c", Integer.toString(cpu), CURL.toString(), "-s",
                "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", url))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String text(JsonNode row, String field) {
        JsonNode n = row.get(field);
        return n == null || n.isNull() ? null : n.asString();
    }

    private static Long port(JsonNode row) {
        JsonNode n = row.get("remote_port");
        return n == null || n.isNull() ? null : n.asLong();
    }
}
