package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The prompt broker without a kernel: questions are grouped per app and destination, held packets get
 * a verdict only from an answer or the timeout, and an answer's rule exists before anything is released.
 */
class PromptBrokerTest {
    private final Map<Integer, Verdict> verdicts = new ConcurrentHashMap<>();
    /** Every release as "queue:id VERDICT". */
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final List<PromptRule> added = new CopyOnWriteArrayList<>();
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    private PromptBroker broker;

    private PromptBroker broker(Duration timeout, Action timeoutAction, RuleSink sink) {
        broker = new PromptBroker(PromptBroker.Settings.of(timeout, timeoutAction), sink, facts -> Optional.empty(),
                EstablishedKiller.NONE, events::add, System::currentTimeMillis);
        broker.attach((queue, packetId, verdict) -> {
            released.add(queue + ":" + packetId + " " + verdict);
            Verdict before = queue == 0 ? verdicts.put(packetId, verdict) : null;
            assertThat(before).as("one verdict per packet").isNull();
        });
        return broker;
    }

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    private static ConnectionFacts facts(String exe, int pid, String host, String address, int port) throws Exception {
        ProcessSnapshot p = new ProcessSnapshot(new ProcessInfo(pid, 1, 0, "root", exe.substring(exe.lastIndexOf('/') + 1), exe,
                false, List.of(exe, "http://" + host + "/"), 1000 + pid, "/", null), "ab".repeat(32), null, List.of());
        return new ConnectionFacts(Transport.TCP, 2, Direction.OUTBOUND, new InetEndpoint(InetAddress.getByName("10.0.0.1"), 40000 + pid),
                new InetEndpoint(InetAddress.getByName(address), port), host, "eth0", 0, p);
    }

    @Test
    void packetsWithTheSameIdInTwoQueuesAreEachReleasedToTheirOwnQueue() throws Exception {
        broker(Duration.ofMinutes(1), Action.DENY, rule -> "r1");
        // Several intercept loops: packet ids are per queue, so queue 0 and queue 1 can both hold id 7.
        assertThat(broker.hold(facts("/usr/bin/curl", 10, "testsite.com", "192.0.2.7", 443), 1, 0, 7)).isTrue();
        assertThat(broker.hold(facts("/usr/bin/curl", 11, "testsite.com", "192.0.2.7", 443), 2, 1, 7)).isTrue();
        assertThat(broker.hold(facts("/usr/bin/curl", 12, "testsite.com", "192.0.2.7", 443), 3, 65535, -2)).isTrue();
        PendingPrompt q = broker.pending().getFirst();
        assertThat(q.heldPackets()).isEqualTo(3);
        assertThat(released).isEmpty();
        broker.answer(q.id(), new PromptAnswer(Action.REJECT, PromptScope.DESTINATION, RuleDuration.ONCE));
        assertThat(released).containsExactlyInAnyOrder("0:7 REJECT", "1:7 REJECT", "65535:-2 REJECT");
    }

    @Test
    void connectionsOfOneAppToOneDestinationWaitOnOneQuestionAndAnAnswerReleasesThemAll() throws Exception {
        broker(Duration.ofMinutes(1), Action.DENY, rule -> {
            added.add(rule);
            return "r1";
        });
        assertThat(broker.hold(facts("/usr/bin/curl", 10, "testsite.com", "192.0.2.7", 443), 1, 0, 101)).isTrue();
        assertThat(broker.hold(facts("/usr/bin/curl", 11, "testsite.com", "192.0.2.7", 443), 2, 0, 102)).isTrue();
        assertThat(broker.hold(facts("/usr/bin/wget", 12, "testsite.com", "192.0.2.7", 443), 3, 0, 103)).isTrue();
        assertThat(broker.hold(facts("/usr/bin/curl", 13, "other.test", "192.0.2.8", 443), 4, 0, 104)).isTrue();

        List<PendingPrompt> pending = broker.pending();
        assertThat(pending).hasSize(3);
        PendingPrompt curl = pending.stream().filter(p -> p.exe().equals("/usr/bin/curl") && "testsite.com".equals(p.domain()))
                .findFirst().orElseThrow();
        assertThat(curl.heldPackets()).isEqualTo(2);
        assertThat(verdicts).as("nothing is released before an answer").isEmpty();

        Optional<String> rule = broker.answer(curl.id(), new PromptAnswer(Action.ALLOW, PromptScope.DESTINATION, RuleDuration.ALWAYS));
        assertThat(rule).contains("r1");
        assertThat(added).singleElement().satisfies(r -> {
            assertThat(r.exe()).isEqualTo("/usr/bin/curl");
            assertThat(r.host()).isEqualTo("testsite.com");
            assertThat(r.port()).isEqualTo(443);
        });
        assertThat(verdicts).containsOnly(Map.entry(101, Verdict.ACCEPT), Map.entry(102, Verdict.ACCEPT));
        assertThat(broker.pending()).hasSize(2).noneMatch(p -> p.id() == curl.id());
        assertThatThrownBy(() -> broker.answer(curl.id(), new PromptAnswer(Action.DENY, PromptScope.EXE, RuleDuration.ONCE)))
                .as("a question is answered once").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRuleThatCannotBeStoredKeepsTheQuestionAndItsPackets() throws Exception {
        broker(Duration.ofMinutes(1), Action.DENY, rule -> {
            throw new java.io.IOException("rules directory is read-only");
        });
        broker.hold(facts("/usr/bin/curl", 10, "testsite.com", "192.0.2.7", 443), 1, 0, 101);
        long id = broker.pending().getFirst().id();
        assertThatThrownBy(() -> broker.answer(id, new PromptAnswer(Action.ALLOW, PromptScope.EXE, RuleDuration.ALWAYS)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(verdicts).isEmpty();
        assertThat(broker.pending()).singleElement().satisfies(p -> assertThat(p.heldPackets()).isEqualTo(1));
        // "once" needs no rule: it releases the packets.
        assertThat(broker.answer(id, new PromptAnswer(Action.REJECT, PromptScope.EXE, RuleDuration.ONCE))).isEmpty();
        assertThat(verdicts).containsExactly(Map.entry(101, Verdict.REJECT));
    }

    @Test
    void anUnansweredQuestionGetsTheTimeoutActionAndNoRule() throws Exception {
        broker(Duration.ofMillis(300), Action.DENY, rule -> {
            added.add(rule);
            return "never";
        });
        broker.hold(facts("/usr/bin/curl", 10, "testsite.com", "192.0.2.7", 443), 1, 0, 101);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (verdicts.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(verdicts).containsExactly(Map.entry(101, Verdict.DROP));
        assertThat(added).isEmpty();
        assertThat(broker.pending()).isEmpty();
        assertThat(events).anyMatch(e -> e instanceof FlowEvent.Decided d && d.flowId() == 1 && d.action().equals("deny"));
    }
}
