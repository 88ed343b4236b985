package dev.netwarden.rules;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live engine over a real directory: durations, hot reload, process exits. */
class RuleEngineTest {
    @TempDir
    Path dir;
    private final Facts.TestClock clock = new Facts.TestClock();
    private RuleEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private RuleEngine engine() {
        engine = new RuleEngine(dir, ListMembership.NONE, clock);
        engine.reload();
        return engine;
    }

    private void write(String id, String text) throws Exception {
        new RuleFiles(dir).writeText(id, text, true);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private Optional<String> decider(Facts f) {
        return engine.match(f.build()).map(RuleMatch::ruleId);
    }

    @Test
    void onceRuleDecidesOneConnectionAndItsFileIsRemoved() throws Exception {
        write("once-curl", "action = \"allow\"\nduration = \"once\"\n[match]\nexe = \"/usr/bin/curl\"\n");
        engine();
        Optional<RuleMatch> first = engine.match(Facts.curl("a.com").build());
        assertThat(first).map(RuleMatch::action).contains(Action.ALLOW);
        assertThat(decider(Facts.curl("a.com"))).as("consumed at once, before the file is gone").isEmpty();
        eventually("the file is deleted and the rule gone",
                () -> !Files.exists(dir.resolve("once-curl.toml")) && engine.rules().size() == 0);
    }

    @Test
    void timedRuleExpiresWithTheClockAndItsFileIsRemoved() throws Exception {
        Instant until = clock.instant().plusSeconds(30 * 60);
        write("half-hour", "action = \"deny\"\nduration = \"30m\"\nexpires = \"" + until + "\"\n[match]\nhost = \"a.com\"\n");
        engine().start();
        assertThat(decider(Facts.curl("a.com"))).contains("half-hour");
        clock.advanceMinutes(29);
        assertThat(decider(Facts.curl("a.com"))).contains("half-hour");
        clock.advanceMinutes(1);
        assertThat(decider(Facts.curl("a.com"))).as("expired at exactly 30 minutes").isEmpty();
        eventually("the sweep deletes the file", () -> !Files.exists(dir.resolve("half-hour.toml")));
    }

    @Test
    void untilExitRuleMatchesOnlyThatProcessAndGoesWhenItExits() throws Exception {
        write("while-4242", "action = \"allow\"\nduration = \"until-exit\"\npid = 4242\nstart_ticks = 777\n[match]\nhost = \"a.com\"\n");
        engine();
        assertThat(decider(Facts.curl("a.com"))).contains("while-4242");
        Facts reused = Facts.curl("a.com");
        reused.startTicks = 778;
        assertThat(decider(reused)).as("same pid, other process").isEmpty();
        engine.onExit(999, 0);
        assertThat(Files.exists(dir.resolve("while-4242.toml"))).isTrue();
        engine.onExit(4242, 0);
        eventually("the rule is gone", () -> engine.rules().size() == 0);
        assertThat(dir.resolve("while-4242.toml")).doesNotExist();
    }

    @Test
    void inMemoryUntilExitRuleAlsoGoesOnExit() throws Exception {
        engine();
        engine.addInMemory(new Rule("prompt-1", "", true, Action.DENY, 0, new RuleDuration.UntilExit(4242, 777),
                List.of(Condition.of(ConditionKind.HOST, "a.com"))));
        assertThat(decider(Facts.curl("a.com"))).contains("prompt-1");
        engine.onExit(4242, 0);
        eventually("the rule is gone", () -> engine.rules().size() == 0);
    }

    @Test
    void untilRestartRulesStayInMemoryAndSurviveReloads() throws Exception {
        engine();
        Rule r = new Rule("until-restart-1", "", true, Action.DENY, 0, RuleDuration.UNTIL_RESTART,
                List.of(Condition.of(ConditionKind.HOST, "b.com")));
        engine.addInMemory(r);
        assertThat(decider(Facts.curl("b.com"))).contains("until-restart-1");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        write("other", "action = \"allow\"\n");
        engine.reload();
        assertThat(decider(Facts.curl("b.com"))).contains("until-restart-1");
        assertThatThrownBy(() -> RuleFileWriter.write(r)).hasMessageContaining("never written to disk");
        assertThatThrownBy(() -> engine.addInMemory(r.withId("other"))).hasMessageContaining("exists as a file");
    }

    @Test
    void hotReloadWhileMatchingContinues() throws Exception {
        write("deny-a", "action = \"deny\"\n[match]\nhost = \"a.com\"\n");
        engine().start();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Thread matcher = new Thread(() -> {
            var facts = Facts.curl("a.com").build();
            while (!stop.get()) {
                try {
                    engine.match(facts);
                    lookups.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
            }
        });
        matcher.start();
        try {
            assertThat(decider(Facts.curl("a.com"))).contains("deny-a");
            // changed
            write("deny-a", "action = \"deny\"\n[match]\nhost = \"b.com\"\n");
            eventually("the change is seen", () -> decider(Facts.curl("b.com")).isPresent());
            assertThat(decider(Facts.curl("a.com"))).isEmpty();
            // added
            write("allow-c", "action = \"allow\"\n[match]\nhost = \"c.com\"\n");
            eventually("the new file is seen", () -> decider(Facts.curl("c.com")).isPresent());
            // broken: reported with path and line; the other rules keep working, the broken one is left out
            Files.writeString(dir.resolve("deny-a.toml"), "action = \"deny\"\n[match]\nport = \"http\"\n");
            eventually("the error is reported", () -> !engine.errors().isEmpty());
            assertThat(engine.errors().getFirst().toString())
                    .isEqualTo(dir.resolve("deny-a.toml") + " line 3: match.port: 'http' is not a port or port range (N or N-M, 0..65535)");
            assertThat(decider(Facts.curl("c.com"))).contains("allow-c");
            assertThat(decider(Facts.curl("b.com"))).isEmpty();
            // fixed again, then removed
            Files.writeString(dir.resolve("deny-a.toml"), "action = \"deny\"\n[match]\nport = 80\n");
            eventually("the fix is seen", () -> engine.errors().isEmpty() && decider(Facts.curl("x.com").port(80)).isPresent());
            Files.delete(dir.resolve("allow-c.toml"));
            eventually("the removal is seen", () -> decider(Facts.curl("c.com")).isEmpty());
            // ignored files
            Files.writeString(dir.resolve("notes.txt"), "not a rule");
            Files.writeString(dir.resolve(".hidden.toml"), "garbage");
            engine.reload();
            assertThat(engine.errors()).isEmpty();
        } finally {
            stop.set(true);
            matcher.join();
        }
        assertThat(failures.get()).isZero();
        assertThat(lookups.get()).isPositive();
    }

    @Test
    void aMissingDirectoryMeansNoRulesUntilItAppears() throws Exception {
        Path later = dir.resolve("later");
        engine = new RuleEngine(later, ListMembership.NONE, clock);
        assertThat(engine.reload()).isEmpty();
        engine.start();
        new RuleFiles(later).writeText("r", "action = \"deny\"\n", false);
        eventually("the directory is found", () -> engine.rules().size() == 1);
    }

    /**
     * Without inotify (a missing directory) the engine polls every second; a poll that finds the same
     * files builds no new rule set (it did, once a second, on a machine without /etc/netwarden/rules).
     */
    @Test
    void aReloadThatFindsTheSameFilesBuildsNothing() throws Exception {
        write("a", "action = \"deny\"\n[match]\nport = \"22\"\n");
        engine();
        long reloads = engine.reloadCount();
        RuleSet before = engine.rules();
        engine.reload();
        engine.reload();
        assertThat(engine.reloadCount()).isEqualTo(reloads);
        assertThat(engine.rules()).isSameAs(before);

        write("b", "action = \"allow\"\n");
        engine.reload();
        assertThat(engine.reloadCount()).isEqualTo(reloads + 1);
        assertThat(engine.rules().size()).isEqualTo(2);
        Files.delete(dir.resolve("b.toml"));
        engine.reload();
        assertThat(engine.reloadCount()).isEqualTo(reloads + 2);
        assertThat(engine.rules().size()).isEqualTo(1);
    }

    /** A deleted directory takes its rules; made again, it is watched again (not listed every second meanwhile). */
    @Test
    void aDeletedDirectoryTakesItsRulesAndIsWatchedAgainWhenItComesBack() throws Exception {
        Path sub = dir.resolve("rules");
        new RuleFiles(sub).writeText("r", "action = \"deny\"\n", false);
        engine = new RuleEngine(sub, ListMembership.NONE, clock);
        engine.reload();
        engine.start();
        assertThat(engine.rules().size()).isEqualTo(1);
        eventually("the directory is watched", () -> engine.stats().get("watching") == Boolean.TRUE);
        Files.delete(sub.resolve("r.toml"));
        Files.delete(sub);
        eventually("the deleted directory's rules are gone", () -> engine.rules().size() == 0);
        eventually("the watch ends with the directory", () -> engine.stats().get("watching") == Boolean.FALSE);
        long reloads = engine.reloadCount();
        Thread.sleep(2_500);
        assertThat(engine.reloadCount()).as("a missing directory is not re-read every second").isEqualTo(reloads);
        new RuleFiles(sub).writeText("r2", "action = \"allow\"\n", false);
        eventually("the directory is found and watched again", () -> engine.rules().size() == 1
                && engine.stats().get("watching") == Boolean.TRUE);
    }

    @Test
    void listHitsAreRecordedForTheDecidingRule() throws Exception {
        AtomicLong hits = new AtomicLong();
        ListMembership lists = new ListMembership() {
            @Override
            public boolean containsDomain(String listName, String domain) {
                return domain.equals("ads.example");
            }

            @Override
            public boolean containsAddress(String listName, java.net.InetAddress address) {
                return false;
            }

            @Override
            public void recordHit(String listName) {
                hits.incrementAndGet();
            }
        };
        write("ads", "action = \"deny\"\n[match]\nlist = \"ads\"\n");
        engine = new RuleEngine(dir, lists, clock);
        engine.reload();
        RuleMatch m = engine.match(Facts.curl("ads.example").build()).orElseThrow();
        assertThat(m.explanation()).isEqualTo("rule ads (deny): list ads contains ads.example / 192.0.2.10");
        assertThat(hits.get()).isEqualTo(1);
        assertThat(engine.match(Facts.curl("fine.example").build())).isEmpty();
        assertThat(hits.get()).isEqualTo(1);
    }
}
