package dev.netwarden.daemon;

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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.netwarden.testing.RunningDaemon.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The application firewall end to end (issue 4's seed scenario and prompts) through what a user runs:
 * {@code netwarden rules add}, {@code netwarden daemon --level intercept}, {@code netwarden prompt} and
 * {@code netwarden history}, with real curl and python3 against a real dnsmasq and HTTP server inside a
 * namespace the test creates. The root namespace's firewall must be the same afterwards.
 */
@ExtendWith(RootFirewallUnchanged.class)
class FirewallIT {
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final String PYTHON = "/usr/bin/python3";
    private static final int HTTP_PORT = 8080;
    private static String curlExe;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates network namespaces and runs the daemon in them");
        assumeTrue(NamespaceDns.available(), "needs " + NamespaceDns.DNSMASQ + " (Debian package dnsmasq-base)");
        assumeTrue(Files.isExecutable(CURL) && Files.isExecutable(Path.of(PYTHON)), "needs curl and python3");
        assumeTrue(Files.isRegularFile(RunningDaemon.HOME.resolve("target/netwarden.jar")), "needs the packaged jar (mvn package)");
        curlExe = CURL.toRealPath().toString();
    }

    /**
     * A rule rejects curl → testsite.com and a second one rejects whatever is on the "ads" block list:
     * curl to testsite.com fails fast, curl elsewhere and python3 to testsite.com succeed, the refused
     * attempts are in history with their rule, and disabling the rule takes effect without a restart.
     */
    @Test
    void curlToTestsiteIsRejectedEverythingElseWorksAndHistoryShowsIt() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.writeString(lists.resolve("ads.list"), "# test list\nblocked.test\n");
        cli("rules", "add", "--rules-dir", rules.toString(), "--id", "no-curl-testsite", "--exe", curlExe,
                "--host", "testsite.com", "--action", "reject", "--description", "curl must not reach testsite.com");
        cli("rules", "add", "--rules-dir", rules.toString(), "--id", "no-ads", "--list", "ads", "--action", "reject");
        try (TestNamespace ns = TestNamespace.create("fwit");
             NamespaceDns dns = NamespaceDns.start(ns, names())) {
            NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
            try (RunningDaemon daemon = RunningDaemon.start(ns, dir.resolve("data"), dir.resolve("daemon.log"),
                    "--level", "intercept", "--rules-dir", rules.toString(), "--set", "firewall.lists_dir=" + lists)) {
                long t0 = System.nanoTime();
                Result denied = curl(ns, "http://testsite.com:" + HTTP_PORT + "/");
                long deniedMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(denied.exit).as("curl to testsite.com (7: could not connect)").isEqualTo(7);
                assertThat(deniedMillis).as("refused at once, not a timeout").isLessThan(3_000);
                assertThat(curl(ns, "http://other.test:" + HTTP_PORT + "/").out).isEqualTo("200");
                assertThat(ns.exec(20, PYTHON, "-c", "import urllib.request;print(urllib.request.urlopen('http://testsite.com:"
                        + HTTP_PORT + "/', timeout=10).status)").strip()).as("another program to testsite.com").isEqualTo("200");
                assertThat(curl(ns, "http://blocked.test:" + HTTP_PORT + "/").exit).as("a name on the ads list").isEqualTo(7);

                List<JsonNode> rejected = daemon.awaitRows(Duration.ofSeconds(15),
                        rows -> rows.stream().anyMatch(r -> "no-ads".equals(text(r, "rule_id"))), "--action", "reject");
                assertThat(rejected).anySatisfy(r -> {
                    assertThat(text(r, "exe")).isEqualTo(curlExe);
                    assertThat(text(r, "domain")).isEqualTo("testsite.com");
                    assertThat(text(r, "rule_id")).isEqualTo("no-curl-testsite");
                    assertThat(text(r, "action")).isEqualTo("reject");
                });
                assertThat(rejected).anySatisfy(r -> {
                    assertThat(text(r, "domain")).isEqualTo("blocked.test");
                    assertThat(text(r, "rule_id")).isEqualTo("no-ads");
                });
                assertThat(rejected).as("only curl's attempts were refused")
                        .allSatisfy(r -> assertThat(text(r, "exe")).isEqualTo(curlExe));

                // Hot reload: the daemon follows the rules directory.
                cli("rules", "disable", "--rules-dir", rules.toString(), "no-curl-testsite");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String code = curl(ns, "http://testsite.com:" + HTTP_PORT + "/").out;
                while (!code.equals("200") && System.nanoTime() < deadline) {
                    Thread.sleep(300);
                    code = curl(ns, "http://testsite.com:" + HTTP_PORT + "/").out;
                }
                assertThat(code).as("curl to testsite.com once the rule is disabled").isEqualTo("200");
                assertThat(daemon.stop()).isZero();
            }
            assertThat(ns.exec(10, "iptables-save")).as("the daemon removed its rules at stop").doesNotContain("NETWARDEN");
        }
    }

    /**
     * Default action "prompt": curl's first connection waits; {@code netwarden prompt} shows the question
     * (curl, its exe and destination) and the typed answer "allow, this exe, always" lets it through and
     * becomes a rule file that {@code netwarden rules list} shows.
     */
    @Test
    void aPromptAnsweredInTheTerminalReleasesTheConnectionAndBecomesARule() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (TestNamespace ns = TestNamespace.create("fwprompt");
             NamespaceDns dns = NamespaceDns.start(ns, names())) {
            NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
            Path data = dir.resolve("data");
            try (RunningDaemon daemon = RunningDaemon.start(ns, data, dir.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", rules.toString(), "--set", "firewall.default_action=prompt",
                    "--set", "firewall.prompt_timeout=60s")) {
                Process curl = ns.start(CURL.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "50",
                        "http://testsite.test:" + HTTP_PORT + "/");
                Process prompt = new ProcessBuilder("env", "NETWARDEN_NO_BUILD=1", RunningDaemon.LAUNCHER.toString(),
                        "prompt", "--data-dir", data.toString()).redirectErrorStream(true).start();
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(prompt.getInputStream(), StandardCharsets.UTF_8));
                    List<String> shown = readUntil(out, "wants to connect", 30);
                    String question = String.join("\n", shown) + "\n" + readLines(out, 4);
                    assertThat(question).contains("curl (pid " + curl.pid() + ", root) wants to connect", "exe      " + curlExe);
                    assertThat(curl.isAlive()).as("curl waits for the answer").isTrue();
                    Writer in = new OutputStreamWriter(prompt.getOutputStream(), StandardCharsets.UTF_8);
                    in.write("a exe always\n");
                    in.flush();
                    boolean finished = curl.waitFor(30, TimeUnit.SECONDS);
                    if (!finished) {
                        prompt.destroy();
                        throw new AssertionError("curl still waits after the answer; prompt said: "
                                + new String(prompt.getInputStream().readNBytes(4000), StandardCharsets.UTF_8)
                                + "\ndaemon log: " + daemon.log());
                    }
                    assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");
                    in.write("q\n");
                    in.flush();
                    assertThat(prompt.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(prompt.exitValue()).isZero();
                } finally {
                    prompt.destroyForcibly();
                    curl.destroyForcibly();
                }
                try (var files = Files.list(rules)) {
                    assertThat(files.map(p -> p.getFileName().toString()).toList())
                            .as("the answer is a rule file").singleElement().satisfies(f -> assertThat(f).startsWith("prompt-").endsWith(".toml"));
                }
                assertThat(cli("rules", "list", "--rules-dir", rules.toString())).contains("allow", curlExe);
                List<JsonNode> allowed = daemon.awaitRows(Duration.ofSeconds(15),
                        rows -> rows.stream().anyMatch(r -> "prompt".equals(text(r, "decision")) || text(r, "rule_id") != null),
                        "--action", "allow", "--app", "curl");
                assertThat(allowed).as("curl's connections were decided by the answer").isNotEmpty();
            }
        }
    }

    /**
     * kill -9 of the daemon: with fail_policy closed new connections fail until it is back, with open
     * they flow (queue bypass); a restarted daemon removes the rules the killed one left and works.
     */
    /**
     * Someone flushes netwarden's chain and later deletes the jump to it (an admin, a script, another
     * firewall tool): each time the daemon hears of it from nftables' change notifications and puts
     * its rules back within a second or two, long before its timer (60 s when notified) would have.
     */
    @Test
    void rulesRemovedBySomeoneElseAreRestoredAtOnce() throws Exception {
        try (TestNamespace ns = TestNamespace.create("fwtamper");
             RunningDaemon daemon = RunningDaemon.start(ns, dir.resolve("data"), dir.resolve("daemon.log"),
                     "--level", "intercept", "--rules-dir", dir.resolve("no-rules").toString())) {
            JsonNode intercept = daemon.status().get("services").get("intercept");
            assertThat(intercept.get("rules_watch").asString()).isEqualTo("nftables notifications");
            String installed = ns.exec(10, "iptables", "-w", "5", "-t", "mangle", "-S", "NETWARDEN-OUT");
            assertThat(installed).contains("NFQUEUE");
            long checksBefore = daemon.counter("intercept", "rules_checks");

            ns.exec(10, "iptables", "-w", "5", "-t", "mangle", "-F", "NETWARDEN-OUT");
            long restoredIn = awaitMillis(Duration.ofSeconds(4), () -> ns.exec(10, "iptables", "-w", "5", "-t", "mangle", "-S",
                    "NETWARDEN-OUT").equals(installed));
            assertThat(restoredIn).as("the flushed chain is refilled").isLessThan(3_000);
            awaitMillis(Duration.ofSeconds(4), () -> daemon.counter("intercept", "rules_restored") == 1); // counted once restore() returns

            String jump = java.util.Arrays.stream(ns.exec(10, "iptables-save", "-t", "mangle").split("\n"))
                    .filter(l -> l.startsWith("-A OUTPUT ") && l.contains("-j NETWARDEN-OUT")).findFirst().orElseThrow();
            List<String> delete = new ArrayList<>(List.of("iptables", "-w", "5", "-t", "mangle", "-D"));
            delete.addAll(List.of(jump.substring(3).split(" ")));
            ns.exec(10, delete);
            long jumpBackIn = awaitMillis(Duration.ofSeconds(4), () -> ns.exec(10, "iptables-save", "-t", "mangle").contains(jump));
            assertThat(jumpBackIn).as("the deleted jump is put back").isLessThan(3_000);
            awaitMillis(Duration.ofSeconds(4), () -> daemon.counter("intercept", "rules_restored") == 2);
            Thread.sleep(CHECK_SETTLE_MILLIS); // the check that follows our own restore's notifications
            assertThat(daemon.counter("intercept", "rules_checks")).as("checked on each change, not on a timer")
                    .isBetween(checksBefore + 2, checksBefore + 8);
            assertThat(daemon.log()).contains("intercept rules were removed by someone else; restored");
        }
    }

    /** More than InterceptService.CHANGE_SETTLE_MILLIS plus one check (a few iptables runs). */
    private static final long CHECK_SETTLE_MILLIS = 1_500;

    /** Milliseconds until {@code done} holds, failing after {@code timeout}. */
    private static long awaitMillis(Duration timeout, Check done) throws Exception {
        long t0 = System.nanoTime();
        while (!done.holds()) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void aKilledDaemonFailsClosedOrOpenAsConfiguredAndARestartCleansUp() throws Exception {
        for (String policy : List.of("closed", "open")) {
            try (TestNamespace ns = TestNamespace.create("fwkill");
                 NamespaceDns dns = NamespaceDns.start(ns, names())) {
                NamespaceHttpServer.start(ns, dir.resolve("www"), "127.0.0.2", HTTP_PORT);
                Path data = dir.resolve("data-" + policy);
                String[] args = {"--level", "intercept", "--rules-dir", dir.resolve("no-rules").toString(),
                        "--set", "intercept.fail_policy=" + policy};
                RunningDaemon first = RunningDaemon.start(ns, data, dir.resolve("first-" + policy + ".log"), args);
                try {
                    assertThat(curl(ns, "http://testsite.test:" + HTTP_PORT + "/").out).isEqualTo("200");
                    first.kill9();
                } finally {
                    first.close();
                }
                assertThat(ns.exec(10, "iptables-save")).as("a killed daemon leaves its rules").contains("NETWARDEN-OUT");
                Result whileDown = curl(ns, "http://127.0.0.2:" + HTTP_PORT + "/");
                if (policy.equals("closed")) {
                    assertThat(whileDown.exit).as("fail closed: no new connection while the daemon is down").isNotZero();
                } else {
                    assertThat(whileDown.out).as("fail open: connections flow while the daemon is down").isEqualTo("200");
                }
                try (RunningDaemon second = RunningDaemon.start(ns, data, dir.resolve("second-" + policy + ".log"), args)) {
                    assertThat(second.log()).contains("removed rules a previous run left behind");
                    assertThat(curl(ns, "http://testsite.test:" + HTTP_PORT + "/").out).isEqualTo("200");
                    assertThat(ns.exec(10, "iptables-save").split("-A OUTPUT -j NETWARDEN-OUT", -1))
                            .as("one jump to netwarden's chain, not two").hasSize(2);
                    assertThat(second.stop()).isZero();
                }
                assertThat(ns.exec(10, "iptables-save")).doesNotContain("NETWARDEN");
            }
        }
    }

    private record Result(int exit, String out) {}

    private static Result curl(TestNamespace ns, String url) throws Exception {
        Process p = new ProcessBuilder(ns.inside(List.of(CURL.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "10", url))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static List<String> readUntil(BufferedReader r, String marker, int seconds) throws Exception {
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            lines.add(line);
            if (line.contains(marker)) {
                return lines;
            }
        }
        throw new AssertionError("no line with '" + marker + "' in: " + lines);
    }

    private static String readLines(BufferedReader r, int n) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private static String text(JsonNode row, String field) {
        JsonNode n = row.get(field);
        return n == null || n.isNull() ? null : n.asString();
    }

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("testsite.com", "127.0.0.2");
        m.put("testsite.test", "127.0.0.2");
        m.put("other.test", "127.0.0.2");
        m.put("blocked.test", "127.0.0.2");
        return m;
    }
}
