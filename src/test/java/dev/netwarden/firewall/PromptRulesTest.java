package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-memory store of prompt-answer rules (used when answers cannot be written as rule files):
 * each duration lives exactly as long as it says, each scope matches exactly its conditions, and a
 * later answer overrides an earlier one. The clock is a counter the test moves, so expiry is exact.
 */
class PromptRulesTest {
    private static final String CURL = "/usr/bin/curl";
    private static final String WGET = "/usr/bin/wget";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PromptRules rules = new PromptRules(now::get);

    /** A connection of {@code exe} (null: a process whose executable is unknown) to {@code host} at {@code address}:{@code port}. */
    private static ConnectionFacts facts(String exe, int pid, long startTicks, List<String> cmdline, int uid,
                                         String host, String address, int port, Transport transport) throws Exception {
        ProcessSnapshot p = new ProcessSnapshot(new ProcessInfo(pid, 1, uid, "u" + uid, "proc", exe, false, cmdline,
                startTicks, "/", null), null, "not hashed in this test", List.of());
        InetAddress remote = InetAddress.getByName(address);
        return new ConnectionFacts(transport, remote.getAddress().length == 4 ? 2 : 10, Direction.OUTBOUND,
                new InetEndpoint(InetAddress.getByName(remote.getAddress().length == 4 ? "10.0.0.1" : "fd00::1"), 40000),
                new InetEndpoint(remote, port), host, "eth0", uid, p);
    }

    private static ConnectionFacts curl(String host, String address, int port) throws Exception {
        return facts(CURL, 100, 5000, List.of(CURL, "https://" + host + "/"), 1000, host, address, port, Transport.TCP);
    }

    /** A connection whose process could not be read at all: only the queue's uid is known. */
    private static ConnectionFacts unknownProcess(int uid, String address, int port) throws Exception {
        InetAddress remote = InetAddress.getByName(address);
        return new ConnectionFacts(Transport.TCP, 2, Direction.OUTBOUND, new InetEndpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new InetEndpoint(remote, port), null, "eth0", uid, null);
    }

    /** The rule the broker would make from an answer to {@code asked}. */
    private static PromptRule rule(Action action, PromptScope scope, RuleDuration duration, ConnectionFacts asked) {
        ProcessInfo info = asked.process() == null ? null : asked.process().info();
        return new PromptRule(action, scope, duration, info == null ? null : info.exe(),
                info == null ? List.of() : info.cmdline(), info == null ? asked.uid() : info.uid(), asked.domain(),
                asked.remote().address(), asked.remote().port(), asked.transport(), info == null ? -1 : info.pid(),
                info == null ? -1 : info.startTicks(), 7);
    }

    private Optional<Action> actionFor(ConnectionFacts f) {
        return rules.match(f).map(RuleMatch::action);
    }

    @Test
    void aOnceAnswerMakesNoRuleSoTheNextConnectionIsAskedAgain() throws Exception {
        assertThatThrownBy(() -> rule(Action.ALLOW, PromptScope.EXE, RuleDuration.ONCE, curl("a.test", "192.0.2.1", 443)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once-only");

        // through the broker, wired as the daemon wires it when answers are kept in memory
        Map<Integer, Verdict> verdicts = new ConcurrentHashMap<>();
        List<FlowEvent> events = new CopyOnWriteArrayList<>();
        PromptBroker broker = new PromptBroker(PromptBroker.Settings.of(Duration.ofMinutes(5), Action.DENY), rules, rules,
                EstablishedKiller.NONE, events::add, now::get);
        try {
            broker.attach((queue, packetId, verdict) -> verdicts.put(packetId, verdict));
            ConnectionFacts first = curl("a.test", "192.0.2.1", 443);
            assertThat(broker.hold(first, 1, 0, 11)).isTrue();
            long id = broker.pending().getFirst().id();
            assertThat(broker.answer(id, new PromptAnswer(Action.ALLOW, PromptScope.EXE, RuleDuration.ONCE))).isEmpty();
            assertThat(verdicts).containsEntry(11, Verdict.ACCEPT);
            assertThat(rules.rules()).isEmpty();
            assertThat(rules.match(first)).isEmpty();

            assertThat(broker.hold(curl("a.test", "192.0.2.1", 443), 2, 0, 12)).isTrue();
            assertThat(broker.pending()).singleElement().satisfies(p -> assertThat(p.id()).isNotEqualTo(id));
            assertThat(verdicts).doesNotContainKey(12);
        } finally {
            broker.close();
        }
    }

    @Test
    void aMinutesRuleHoldsUntilItsLastMillisecondAndIsDroppedAfter() throws Exception {
        ConnectionFacts f = curl("a.test", "192.0.2.1", 443);
        String id = rules.add(rule(Action.DENY, PromptScope.EXE, RuleDuration.minutes(15), f));

        assertThat(rules.match(f)).hasValueSatisfying(m -> {
            assertThat(m.ruleId()).isEqualTo(id);
            assertThat(m.action()).isEqualTo(Action.DENY);
            assertThat(m.explanation()).isEqualTo("prompt answer 15m (exe = " + CURL + ")");
        });
        now.addAndGet(Duration.ofMinutes(15).toMillis() - 1);
        assertThat(actionFor(f)).contains(Action.DENY);
        now.incrementAndGet();
        assertThat(rules.match(f)).isEmpty();
        assertThat(rules.rules()).as("an expired rule is removed, not just skipped").isEmpty();
        now.set(0);
        assertThat(rules.match(f)).as("gone for good, even if the clock went back").isEmpty();
    }

    @Test
    void anUntilExitRuleMatchesOnlyTheProcessThatWasAskedAbout() throws Exception {
        ConnectionFacts asked = curl("a.test", "192.0.2.1", 443);
        rules.add(rule(Action.ALLOW, PromptScope.EXE, RuleDuration.UNTIL_EXIT, asked));

        assertThat(rules.match(asked)).hasValueSatisfying(m ->
                assertThat(m.explanation()).isEqualTo("prompt answer until-exit (exe = " + CURL + ")"));
        assertThat(actionFor(facts(CURL, 100, 5000, List.of(CURL, "-v"), 1000, "b.test", "192.0.2.2", 80, Transport.TCP)))
                .as("same process, any destination (exe scope)").contains(Action.ALLOW);
        assertThat(actionFor(facts(CURL, 101, 5000, List.of(CURL), 1000, "a.test", "192.0.2.1", 443, Transport.TCP)))
                .as("another process of the same exe").isEmpty();
        assertThat(actionFor(facts(CURL, 100, 9999, List.of(CURL), 1000, "a.test", "192.0.2.1", 443, Transport.TCP)))
                .as("the pid reused by a later process (other start time)").isEmpty();
        now.addAndGet(Duration.ofDays(30).toMillis());
        assertThat(rules.match(asked)).as("no clock expiry while the process lives").isPresent();
    }

    @Test
    void untilRestartAndAlwaysRulesNeverExpireButLiveOnlyAsLongAsTheStore() throws Exception {
        ConnectionFacts f = curl("a.test", "192.0.2.1", 443);
        rules.add(rule(Action.REJECT, PromptScope.DESTINATION, RuleDuration.UNTIL_RESTART, f));
        ConnectionFacts g = facts(WGET, 200, 1, List.of(WGET), 1000, "b.test", "192.0.2.2", 443, Transport.TCP);
        rules.add(rule(Action.ALLOW, PromptScope.EXE, RuleDuration.ALWAYS, g));

        now.addAndGet(Duration.ofDays(365).toMillis());
        assertThat(rules.match(f)).hasValueSatisfying(m -> {
            assertThat(m.action()).isEqualTo(Action.REJECT);
            assertThat(m.explanation()).isEqualTo("prompt answer until-restart (exe = " + CURL + ", host a.test, port 443/tcp)");
        });
        assertThat(rules.match(g)).hasValueSatisfying(m ->
                assertThat(m.explanation()).isEqualTo("prompt answer always (exe = " + WGET + ")"));
        assertThat(rules.rules()).hasSize(2);

        PromptRules afterRestart = new PromptRules(now::get);
        assertThat(afterRestart.match(f)).isEmpty();
        assertThat(afterRestart.match(g)).isEmpty();
    }

    @Test
    void exeScopeCoversEveryDestinationOfThatExeOnly() throws Exception {
        rules.add(rule(Action.DENY, PromptScope.EXE, RuleDuration.UNTIL_RESTART, curl("a.test", "192.0.2.1", 443)));

        assertThat(actionFor(curl("other.test", "198.51.100.9", 8080))).contains(Action.DENY);
        assertThat(actionFor(facts(CURL, 300, 77, List.of(CURL, "-x"), 0, null, "2001:db8::5", 53, Transport.UDP)))
                .as("another process, user, address family and protocol of the same exe").contains(Action.DENY);
        assertThat(actionFor(facts(WGET, 100, 5000, List.of(WGET), 1000, "a.test", "192.0.2.1", 443, Transport.TCP))).isEmpty();
        assertThat(actionFor(unknownProcess(1000, "192.0.2.1", 443))).as("an unknown process is not that exe").isEmpty();
    }

    @Test
    void destinationScopeNeedsTheSameHostPortAndProtocol() throws Exception {
        rules.add(rule(Action.ALLOW, PromptScope.DESTINATION, RuleDuration.UNTIL_RESTART, curl("TestSite.com", "192.0.2.1", 443)));

        assertThat(actionFor(curl("testsite.com", "203.0.113.3", 443))).as("the domain, at any address, any case").contains(Action.ALLOW);
        assertThat(actionFor(curl("www.testsite.com", "192.0.2.1", 443))).as("not a subdomain").isEmpty();
        assertThat(actionFor(curl(null, "192.0.2.1", 443))).as("the address alone does not stand for a named host").isEmpty();
        assertThat(actionFor(curl("testsite.com", "192.0.2.1", 80))).as("another port").isEmpty();
        assertThat(actionFor(facts(CURL, 100, 5000, List.of(CURL), 1000, "testsite.com", "192.0.2.1", 443, Transport.UDP)))
                .as("another protocol").isEmpty();
        assertThat(actionFor(facts(WGET, 100, 5000, List.of(WGET), 1000, "testsite.com", "192.0.2.1", 443, Transport.TCP)))
                .as("another exe").isEmpty();
    }

    @Test
    void destinationScopeWithoutADomainMatchesTheAddressAlsoWhenV4MappedInV6() throws Exception {
        rules.add(rule(Action.DENY, PromptScope.DESTINATION, RuleDuration.UNTIL_RESTART, curl(null, "192.0.2.1", 443)));

        assertThat(rules.match(curl(null, "192.0.2.1", 443))).hasValueSatisfying(m ->
                assertThat(m.explanation()).isEqualTo("prompt answer until-restart (exe = " + CURL + ", host 192.0.2.1, port 443/tcp)"));
        assertThat(actionFor(curl("any.name", "192.0.2.1", 443))).as("the address, whatever name it was reached by").contains(Action.DENY);
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1});
        ConnectionFacts v6 = curl(null, "192.0.2.1", 443);
        v6 = new ConnectionFacts(v6.transport(), 10, v6.direction(), v6.local(), new InetEndpoint(mapped, 443), null,
                v6.interfaceName(), v6.uid(), v6.process());
        assertThat(actionFor(v6)).contains(Action.DENY);
        assertThat(actionFor(curl(null, "192.0.2.2", 443))).isEmpty();
    }

    @Test
    void cmdlineScopeNeedsExactlyTheSameArguments() throws Exception {
        List<String> argv = List.of(CURL, "-s", "https://a.test/");
        ConnectionFacts asked = facts(CURL, 100, 5000, argv, 1000, "a.test", "192.0.2.1", 443, Transport.TCP);
        rules.add(rule(Action.ALLOW, PromptScope.CMDLINE, RuleDuration.UNTIL_RESTART, asked));

        assertThat(rules.match(facts(CURL, 555, 1, argv, 0, "b.test", "192.0.2.9", 80, Transport.TCP))).hasValueSatisfying(m ->
                assertThat(m.explanation()).isEqualTo("prompt answer until-restart (exe = " + CURL + ", exact cmdline)"));
        assertThat(actionFor(facts(CURL, 100, 5000, List.of(CURL, "-s", "https://a.test/", "-v"), 1000, "a.test", "192.0.2.1", 443,
                Transport.TCP))).as("one more argument").isEmpty();
        assertThat(actionFor(facts(CURL, 100, 5000, List.of(CURL, "-s https://a.test/"), 1000, "a.test", "192.0.2.1", 443,
                Transport.TCP))).as("the same text split differently").isEmpty();
        assertThat(actionFor(facts(WGET, 100, 5000, List.of(WGET, "-s", "https://a.test/"), 1000, "a.test", "192.0.2.1", 443,
                Transport.TCP))).as("another exe").isEmpty();
    }

    @Test
    void anUnknownProcessIsNamedByItsUid() throws Exception {
        ConnectionFacts asked = unknownProcess(1000, "192.0.2.1", 443);
        rules.add(rule(Action.REJECT, PromptScope.EXE, RuleDuration.UNTIL_RESTART, asked));

        assertThat(rules.match(unknownProcess(1000, "198.51.100.1", 22))).hasValueSatisfying(m ->
                assertThat(m.explanation()).isEqualTo("prompt answer until-restart (unknown process of uid 1000)"));
        assertThat(actionFor(facts(null, 42, 1, List.of(), 1000, null, "192.0.2.1", 443, Transport.TCP)))
                .as("a process read without its exe, same uid").contains(Action.REJECT);
        assertThat(actionFor(unknownProcess(1001, "192.0.2.1", 443))).as("another uid").isEmpty();
        assertThat(actionFor(curl(null, "192.0.2.1", 443))).as("a known exe of that uid").isEmpty();

        PromptRule untilExit = rule(Action.ALLOW, PromptScope.EXE, RuleDuration.UNTIL_EXIT, asked);
        rules.add(untilExit);
        assertThat(actionFor(asked)).as("until-exit cannot bind to a process that was never known; the older rule applies")
                .contains(Action.REJECT);
    }

    @Test
    void theNewestAnswerThatCoversAConnectionDecidesIt() throws Exception {
        ConnectionFacts a = curl("a.test", "192.0.2.1", 443);
        ConnectionFacts b = curl("b.test", "192.0.2.2", 443);
        String allowAll = rules.add(rule(Action.ALLOW, PromptScope.EXE, RuleDuration.UNTIL_RESTART, a));
        String denyB = rules.add(rule(Action.DENY, PromptScope.DESTINATION, RuleDuration.minutes(5), b));

        assertThat(rules.match(b).map(RuleMatch::ruleId)).as("the narrower, newer answer").contains(denyB);
        assertThat(rules.match(a).map(RuleMatch::ruleId)).as("the older answer where the newer does not reach").contains(allowAll);
        assertThat(rules.rules()).extracting(PromptRule::action).containsExactly(Action.DENY, Action.ALLOW);

        now.addAndGet(Duration.ofMinutes(5).toMillis());
        assertThat(rules.match(b).map(RuleMatch::ruleId)).as("once the newer expires, the older decides again").contains(allowAll);

        String rejectAll = rules.add(rule(Action.REJECT, PromptScope.EXE, RuleDuration.UNTIL_RESTART, a));
        assertThat(rules.match(b).map(RuleMatch::ruleId)).as("a newer wide answer overrides an older narrow one").contains(rejectAll);
        assertThat(rejectAll).isNotIn(allowAll, denyB);
    }

    @Test
    void anExpiredRuleDoesNotHideTheRulesBehindIt() throws Exception {
        ConnectionFacts f = curl("a.test", "192.0.2.1", 443);
        rules.add(rule(Action.ALLOW, PromptScope.EXE, RuleDuration.minutes(10), f));
        rules.add(rule(Action.DENY, PromptScope.EXE, RuleDuration.minutes(1), f));
        rules.add(rule(Action.REJECT, PromptScope.DESTINATION, RuleDuration.minutes(2), curl("b.test", "192.0.2.2", 443)));

        assertThat(actionFor(f)).contains(Action.DENY);
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(actionFor(f)).contains(Action.ALLOW);
        assertThat(rules.rules()).as("both expired rules removed on the way").singleElement()
                .satisfies(r -> assertThat(r.duration()).isEqualTo(RuleDuration.minutes(10)));
    }

    @Test
    void aNullRuleIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> rules.add(null)).isInstanceOf(NullPointerException.class).hasMessage("rule is null");
        assertThat(rules.rules()).isEmpty();
    }
}
