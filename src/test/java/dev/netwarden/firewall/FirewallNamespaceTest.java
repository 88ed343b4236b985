package dev.netwarden.firewall;

import dev.netwarden.daemon.PromptOps;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.history.HistoryQuery;
import dev.netwarden.history.HistoryReader;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.intercept.RootFirewallUnchanged;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.NamespaceDns;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The firewall's verdict path against the real kernel, in namespaces these tests create: the seed
 * scenario (a rule rejects curl → testsite.com; other apps and domains pass; history has the decision
 * and rule), DENY vs REJECT, prompts (answered through the control ops, timed out, a 200-connection
 * burst held until the answer) and SOCK_DESTROY of an established connection. The root namespace's
 * rulesets are compared before and after.
 */
@ExtendWith(RootFirewallUnchanged.class)
class FirewallNamespaceTest {
    private static String curl;

    @BeforeAll
    static void needsRoot() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates network namespaces, NFQUEUE and iptables rules in them");
        assumeTrue(NamespaceDns.available(), "needs dnsmasq (Debian package dnsmasq-base)");
        curl = Path.of("/usr/bin/curl").toRealPath().toString();
    }

    @Test
    void seedScenarioCurlToTestsiteFailsFastOthersPassAndHistoryHasTheDecision() throws Exception {
        AtomicReference<Action> action = new AtomicReference<>(Action.REJECT);
        RuleMatcher rule = f -> f.process() != null && curl.equals(f.process().info().exe()) && "testsite.com".equals(f.domain())
                ? Optional.of(new RuleMatch("curl-testsite", action.get(), "exe = " + curl + ", host testsite.com"))
                : Optional.empty();
        try (FirewallHarness h = new FirewallHarness("fw-seed")) {
            h.start(rule, DefaultAction.ALLOW, null, null);
            assertThat(h.rules.verify()).isEmpty();
            assertThat(h.ns.exec(10, "iptables-save", "-t", "filter")).contains("NETWARDEN-REJECT")
                    .contains("--reject-with tcp-reset");

            FirewallHarness.Run rejected = h.run(30, "curl", "-sS", "-o", "/dev/null", "--max-time", "10", "http://testsite.com:8080/");
            assertThat(rejected.exit()).as("curl to testsite.com: " + rejected.out()).isEqualTo(7);
            assertThat(rejected.millis()).as("fails fast").isLessThan(3000);

            FirewallHarness.Run other = h.run(30, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                    "http://other.test:8080/");
            assertThat(other.out()).isEqualTo("200");
            FirewallHarness.Run python = h.run(30, "python3", "-c",
                    "import urllib.request; print(urllib.request.urlopen('http://testsite.com:8080/', timeout=10).status)");
            assertThat(python.out()).isEqualTo("200");

            action.set(Action.DENY);
            FirewallHarness.Run denied = h.run(30, "curl", "-sS", "-o", "/dev/null", "--max-time", "3", "http://testsite.com:8080/");
            assertThat(denied.exit()).as("DENY drops: curl times out (28): " + denied.out()).isEqualTo(28);
            assertThat(denied.millis()).isGreaterThanOrEqualTo(2900);

            List<HistoryReader.ConnectionRecord> rejectedRows = awaitRows(h.dataDir, "reject", 1);
            assertThat(rejectedRows).anySatisfy(r -> {
                assertThat(r.exe()).isEqualTo(curl);
                assertThat(r.domain()).isEqualTo("testsite.com");
                assertThat(r.ruleId()).isEqualTo("curl-testsite");
                assertThat(r.decision()).contains("host testsite.com");
            });
            assertThat(awaitRows(h.dataDir, "deny", 1)).anySatisfy(r -> assertThat(r.exe()).isEqualTo(curl));
            assertThat(awaitRows(h.dataDir, "allow", 2)).anySatisfy(r -> {
                assertThat(r.domain()).isEqualTo("testsite.com");
                assertThat(r.exe()).isNotEqualTo(curl);
                assertThat(r.ruleId()).isNull();
                assertThat(r.decision()).contains("default action allow");
            });
        }
    }

    /** Polls history (read-only, as {@code netwarden history} does) until {@code min} rows with {@code action} are in. */
    private static List<HistoryReader.ConnectionRecord> awaitRows(Path dataDir, String action, int min) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<HistoryReader.ConnectionRecord> rows;
            try (HistoryStore ro = HistoryStore.openReadOnly(dataDir)) {
                rows = new HistoryReader(ro).connections(HistoryQuery.between(0, Long.MAX_VALUE).withAction(action).withTransport("tcp"));
            }
            if (rows.size() >= min || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void promptHoldsABurstOf200UntilAnsweredThroughTheControlApi() throws Exception {
        PromptRules answers = new PromptRules(System::currentTimeMillis);
        try (FirewallHarness h = new FirewallHarness("fw-prompt")) {
            h.start(FirewallHarness.allowingDns(answers), DefaultAction.PROMPT,
                    PromptBroker.Settings.of(Duration.ofSeconds(60), Action.DENY), answers);
            ControlHandlers handlers = new ControlHandlers();
            new PromptOps(() -> h.prompts).register(handlers);

            Process server = h.ns.start("python3", resource("counting_server.py"), FirewallHarness.TESTSITE, "8081");
            BufferedReader serverOut = FirewallHarness.lines(server);
            assertThat(serverOut.readLine()).isEqualTo("ready");
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try {
                    for (String l; (l = serverOut.readLine()) != null; ) {
                        accepted.set(Integer.parseInt(l.substring("accepted ".length())));
                    }
                } catch (Exception ignored) {
                    // server stopped
                }
            });

            Process burst = h.ns.start("python3", resource("burst_client.py"), FirewallHarness.TESTSITE, "8081", "200", "40");
            BufferedReader burstOut = FirewallHarness.lines(burst);
            assertThat(burstOut.readLine()).isEqualTo("started");

            PendingPrompt p = awaitPrompt(h.prompts, q -> q.connections() == 200);
            assertThat(h.prompts.pending()).hasSize(1);
            // A held SYN is not retransmitted (the kernel skips a retransmit while the first copy is still
            // queued in the host), so the count stays at one packet per connection; none gets through.
            Thread.sleep(2500);
            assertThat(accepted.get()).as("server accepts before the answer").isZero();
            PendingPrompt after = h.prompts.pending().getFirst();
            assertThat(after.id()).isEqualTo(p.id());
            assertThat(after.heldPackets()).isGreaterThanOrEqualTo(200);
            assertThat(h.loop.counters().accepted()).as("no queued packet of the burst was accepted").isLessThan(after.heldPackets());

            String listed = handlers.dispatch("{\"op\":\"prompts\"}");
            assertThat(listed).contains("\"enabled\":true").contains("\"remote_address\":\"127.0.0.2\"")
                    .contains("\"port\":8081").contains("\"protocol\":\"tcp\"").contains("\"connections\":200");
            String bad = handlers.dispatch("{\"op\":\"prompt-answer\",\"id\":" + p.id()
                    + ",\"action\":\"allow\",\"scope\":\"everything\",\"duration\":\"once\"}");
            assertThat(bad).contains("\"ok\":false").contains("scope must be");
            assertThat(h.prompts.pending()).hasSize(1);
            assertThat(accepted.get()).isZero();

            String ok = handlers.dispatch("{\"op\":\"prompt-answer\",\"id\":" + p.id()
                    + ",\"action\":\"allow\",\"scope\":\"destination\",\"duration\":\"until-restart\"}");
            assertThat(ok).contains("\"ok\":true").contains("\"rule_id\":\"prompt-1\"");
            assertThat(burstOut.readLine()).isEqualTo("connected 200");
            assertThat(h.prompts.pending()).isEmpty();
            // the answer's rule decides the app's next connection to that destination: no new prompt
            FirewallHarness.Run again = h.run(20, "python3", resource("burst_client.py"), FirewallHarness.TESTSITE, "8081", "1", "10");
            assertThat(again.out()).endsWith("connected 1");
            assertThat(h.prompts.stats().get("asked")).isEqualTo(1L);
        }
    }

    @Test
    void unansweredPromptGetsTheTimeoutAction() throws Exception {
        PromptRules answers = new PromptRules(System::currentTimeMillis);
        try (FirewallHarness h = new FirewallHarness("fw-timeout")) {
            h.start(FirewallHarness.allowingDns(answers), DefaultAction.PROMPT,
                    PromptBroker.Settings.of(Duration.ofSeconds(2), Action.REJECT), answers);
            FirewallHarness.Run r = h.run(30, "curl", "-sS", "-o", "/dev/null", "--max-time", "15", "http://other.test:8080/");
            assertThat(r.exit()).as(r.out()).isEqualTo(7);
            assertThat(r.millis()).isBetween(1900L, 8000L);
            assertThat(awaitRows(h.dataDir, "reject", 1)).anySatisfy(row -> {
                assertThat(row.exe()).isEqualTo(curl);
                assertThat(row.decision()).contains("prompt timed out");
                assertThat(row.ruleId()).isNull();
            });
        }
    }

    @Test
    void sockDestroyResetsAnEstablishedConnectionOfTheDeniedApp() throws Exception {
        String nc = Path.of("/usr/bin/nc").toRealPath().toString();
        try (TestNamespace ns = TestNamespace.create("fw-kill")) {
            Process server = ns.start("nc", "-l", FirewallHarness.TESTSITE, "9000");
            Thread.sleep(300);
            Process client = ns.start("nc", FirewallHarness.TESTSITE, "9000");
            client.getOutputStream().write("hello\n".getBytes());
            client.getOutputStream().flush();
            assertThat(FirewallHarness.lines(server).readLine()).isEqualTo("hello");
            assertThat(client.isAlive()).isTrue();

            ConnectionKiller killer = new ConnectionKiller();
            var target = NetNamespace.named(ns.name());
            int other = NetNamespace.callIn(target, () -> killer.killOrThrow("/usr/bin/not-nc", InetAddress.getByName(FirewallHarness.TESTSITE), 9000));
            assertThat(other).as("another exe's sockets are left alone").isZero();
            assertThat(client.isAlive()).isTrue();
            int killed = NetNamespace.callIn(target, () -> killer.killOrThrow(nc, InetAddress.getByName(FirewallHarness.TESTSITE), 9000));
            assertThat(killed).isEqualTo(1);
            assertThat(server.waitFor(5, TimeUnit.SECONDS)).as("the peer got a reset and nc -l ended").isTrue();
        }
    }

    private static PendingPrompt awaitPrompt(PromptBroker b, java.util.function.Predicate<PendingPrompt> p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            for (PendingPrompt q : b.pending()) {
                if (p.test(q)) {
                    return q;
                }
            }
            seen = b.await(b.version(), Duration.ofMillis(200));
        }
        throw new AssertionError("no such prompt; pending: " + b.pending() + " (version " + seen + ")");
    }

    private static String resource(String name) throws Exception {
        return Path.of(FirewallNamespaceTest.class.getResource(name).toURI()).toString();
    }
}
