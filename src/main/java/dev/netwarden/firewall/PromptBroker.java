package dev.netwarden.firewall;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The questions the firewall asks about connections no rule decides, while their packets are held.
 *
 * <p>One question per (executable, destination host — the domain when known, else the address —,
 * port, protocol): later connections of the same app to the same destination, and the retransmits of
 * a held SYN, are added to the pending question and get its answer. Questions of different apps are
 * pending at once, each with its own deadline; when it passes, the timeout action applies to every
 * held packet and no rule is made.
 *
 * <p>An answer releases every held packet of its question with its verdict, publishes a
 * {@link FlowEvent.Decided} per connection, asks the {@link RuleSink} for a rule unless it is
 * once-only (before anything is released: when the sink fails, the question stays pending and the
 * caller learns why), ends established connections a deny covers, and then re-checks the other
 * pending questions against the rules (a rule for the whole executable answers them too).
 *
 * <p>Never accepts by accident: a packet is released only with the answer's or the timeout action's
 * verdict; when {@code maxQuestions} questions are pending or a question holds {@code maxHeldPerQuestion}
 * packets, more packets are dropped (a TCP client retries its SYN) and counted, never accepted.
 *
 * <p>Thread-safe: held from the intercept loop's thread, answered from control threads, timed out on
 * its own timer thread; one lock, never held while calling the rule sink or the killer.
 */
public final class PromptBroker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("netwarden.firewall");

    /**
     * @param timeout            how long a question waits for an answer
     * @param timeoutAction      what happens to its packets then
     * @param maxQuestions       questions pending at once
     * @param maxHeldPerQuestion packets one question holds
     */
    public record Settings(Duration timeout, Action timeoutAction, int maxQuestions, int maxHeldPerQuestion) {
        public Settings {
            Objects.requireNonNull(timeout, "timeout is null");
            Objects.requireNonNull(timeoutAction, "timeoutAction is null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("prompt timeout must be positive");
            }
            if (maxQuestions < 1 || maxHeldPerQuestion < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public static Settings of(Duration timeout, Action timeoutAction) {
            return new Settings(timeout, timeoutAction, 256, 1024);
        }
    }

    /** What one question is about: the app and the destination. */
    private record Key(String exe, int uid, String host, int port, Transport transport) {}

    private static final class Question {
        final long id;
        final Key key;
        final ConnectionFacts facts;
        final long createdMillis;
        final long deadlineMillis;
        /** Held packets: queue number in the high 32 bits, packet id in the low ones. */
        final List<Long> packets = new ArrayList<>();
        final Set<Long> flows = new HashSet<>();
        ScheduledFuture<?> timer;

        Question(long id, Key key, ConnectionFacts facts, long createdMillis, long deadlineMillis) {
            this.id = id;
            this.key = key;
            this.facts = facts;
            this.createdMillis = createdMillis;
            this.deadlineMillis = deadlineMillis;
        }
    }

    /** A question taken out of the pending set, to be released outside the lock. */
    private record Released(Question question, Action action, String ruleId, String reason) {}

    private final Settings settings;
    private final RuleSink rules;
    private final RuleMatcher matcher;
    private final EstablishedKiller killer;
    private final FlowEventSink events;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private final Map<Key, Question> byKey = new LinkedHashMap<>();
    private final Map<Long, Question> byId = new LinkedHashMap<>();
    private volatile VerdictSink verdicts;
    private long nextId = 1;
    private long version;
    private long asked;
    private long answered;
    private long timedOut;
    private long refused;
    private long killed;

    public PromptBroker(Settings settings, RuleSink rules, RuleMatcher matcher, EstablishedKiller killer,
                        FlowEventSink events, LongSupplier clockMillis) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.rules = Objects.requireNonNull(rules, "rules is null");
        this.matcher = Objects.requireNonNull(matcher, "matcher is null");
        this.killer = Objects.requireNonNull(killer, "killer is null");
        this.events = Objects.requireNonNull(events, "events is null");
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("nw-prompt-timeout").unstarted(r));
    }

    /**
     * Where held packets' verdicts go (the intercept loops, which exist only after their handler):
     * must be set before the first {@link #hold}.
     */
    public void attach(VerdictSink sink) {
        this.verdicts = Objects.requireNonNull(sink, "sink is null");
    }

    /**
     * Holds packet {@code packetId} of queue {@code queueNumber}, of flow {@code flowId}, on the question
     * for its app and destination, asking a new one if none is pending. Returns true when held; false
     * when a limit refused it (the caller must then drop the packet).
     */
    public boolean hold(ConnectionFacts facts, long flowId, int queueNumber, int packetId) {
        Objects.requireNonNull(facts, "facts is null");
        if (verdicts == null) {
            throw new IllegalStateException("no verdict sink attached");
        }
        Key key = keyOf(facts);
        synchronized (lock) {
            Question q = byKey.get(key);
            if (q == null) {
                if (byKey.size() >= settings.maxQuestions()) {
                    refused++;
                    return false;
                }
                long now = clock.getAsLong();
                q = new Question(nextId++, key, facts, now, now + settings.timeout().toMillis());
                byKey.put(key, q);
                byId.put(q.id, q);
                asked++;
                long qid = q.id;
                q.timer = timer.schedule(() -> timeOut(qid), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } else if (q.packets.size() >= settings.maxHeldPerQuestion()) {
                refused++;
                return false;
            }
            q.packets.add(((long) queueNumber << 32) | (packetId & 0xFFFF_FFFFL));
            q.flows.add(flowId);
            version++;
            lock.notifyAll();
            return true;
        }
    }

    private static Key keyOf(ConnectionFacts f) {
        ProcessSnapshot p = f.process();
        String exe = p == null ? null : p.info().exe();
        int uid = p == null ? f.uid() : p.info().uid();
        String host = f.domain() != null ? f.domain() : f.remote().address().getHostAddress();
        return new Key(exe, exe == null ? uid : -1, host, f.remote().port(), f.transport());
    }

    /** The pending questions, oldest first. */
    public List<PendingPrompt> pending() {
        synchronized (lock) {
            List<PendingPrompt> out = new ArrayList<>(byId.size());
            for (Question q : byId.values()) {
                out.add(snapshot(q));
            }
            return out;
        }
    }

    private PendingPrompt snapshot(Question q) {
        ConnectionFacts f = q.facts;
        ProcessInfo info = f.process() == null ? null : f.process().info();
        return new PendingPrompt(q.id, info == null ? null : info.comm(), info == null ? null : info.exe(),
                info == null ? List.of() : info.cmdline(), info == null ? null : info.user(),
                info == null ? f.uid() : info.uid(), info == null ? -1 : info.pid(), f.remote().address(), f.domain(),
                f.remote().port(), f.transport(), q.packets.size(), q.flows.size(), q.createdMillis, q.deadlineMillis,
                settings.timeoutAction());
    }

    /** Changes whenever a question is asked, grows (more packets) or goes: what {@link #await} waits for. */
    public long version() {
        synchronized (lock) {
            return version;
        }
    }

    /**
     * Waits until the version differs from {@code seenVersion} or {@code timeout} passes; returns the
     * version then (equal to {@code seenVersion} on timeout).
     */
    public long await(long seenVersion, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (version == seenVersion) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return version;
        }
    }

    /**
     * Answers question {@code id}.
     *
     * @return the rule id created, or empty for a once-only answer
     * @throws IllegalArgumentException no such question is pending (answered, timed out, unknown id)
     * @throws IOException              the rule sink could not add the rule; nothing changed
     */
    public Optional<String> answer(long id, PromptAnswer answer) throws IOException {
        Objects.requireNonNull(answer, "answer is null");
        Question q;
        synchronized (lock) {
            q = byId.get(id);
        }
        if (q == null) {
            throw new IllegalArgumentException("no pending prompt " + id + " (answered, timed out, or never asked)");
        }
        String ruleId = null;
        if (answer.duration().kind() != RuleDuration.Kind.ONCE) {
            ruleId = rules.add(ruleFor(q, answer));
        }
        String reason = "prompt answered: " + answer.action().label() + " " + answer.scope().label() + " "
                + answer.duration().label();
        Released r;
        synchronized (lock) {
            if (byId.get(id) != q) {
                // timed out (or answered by someone else) while the rule was being added: the rule stays
                r = null;
            } else {
                r = take(q, answer.action(), ruleId, reason);
                answered++;
            }
        }
        if (r == null) {
            throw new IllegalArgumentException("prompt " + id + " was decided meanwhile"
                    + (ruleId == null ? "" : "; rule " + ruleId + " was added and applies from now on"));
        }
        release(r);
        if (answer.action() != Action.ALLOW) {
            killEstablished(q, answer.scope());
        }
        if (ruleId != null) {
            recheckOthers();
        }
        return Optional.ofNullable(ruleId);
    }

    private static PromptRule ruleFor(Question q, PromptAnswer a) {
        ConnectionFacts f = q.facts;
        ProcessInfo info = f.process() == null ? null : f.process().info();
        return new PromptRule(a.action(), a.scope(), a.duration(), info == null ? null : info.exe(),
                info == null ? List.of() : info.cmdline(), info == null ? f.uid() : info.uid(), f.domain(),
                f.remote().address(), f.remote().port(), f.transport(), info == null ? -1 : info.pid(),
                info == null ? -1 : info.startTicks(), q.id);
    }

    private void killEstablished(Question q, PromptScope scope) {
        try {
            InetAddress address = scope == PromptScope.DESTINATION ? q.facts.remote().address() : null;
            int port = scope == PromptScope.DESTINATION ? q.facts.remote().port() : 0;
            int n = killer.kill(q.key.exe(), address, port);
            synchronized (lock) {
                killed += n;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not end established connections after a deny: " + e, e);
        }
    }

    /** Pending questions a new rule now decides are released with its action. */
    private void recheckOthers() {
        List<Released> now = new ArrayList<>();
        List<Question> snapshot;
        synchronized (lock) {
            snapshot = List.copyOf(byId.values());
        }
        for (Question q : snapshot) {
            Optional<RuleMatch> m;
            try {
                m = matcher.match(q.facts);
            } catch (RuntimeException e) {
                continue;
            }
            if (m.isPresent()) {
                synchronized (lock) {
                    if (byId.get(q.id) == q) {
                        now.add(take(q, m.get().action(), m.get().ruleId(), m.get().explanation()));
                    }
                }
            }
        }
        now.forEach(this::release);
    }

    private void timeOut(long id) {
        Released r;
        synchronized (lock) {
            Question q = byId.get(id);
            if (q == null) {
                return;
            }
            r = take(q, settings.timeoutAction(), null, "prompt timed out after "
                    + settings.timeout().toSeconds() + " s: " + settings.timeoutAction().label());
            timedOut++;
        }
        release(r);
    }

    /** Removes {@code q} from the pending set (under the lock). */
    private Released take(Question q, Action action, String ruleId, String reason) {
        byKey.remove(q.key);
        byId.remove(q.id);
        if (q.timer != null) {
            q.timer.cancel(false);
        }
        version++;
        lock.notifyAll();
        return new Released(q, action, ruleId, reason);
    }

    /** Sends the verdict for every held packet and a decision per connection (outside the lock). */
    private void release(Released r) {
        Verdict v = verdictOf(r.action());
        List<Long> packets;
        List<Long> flows;
        synchronized (lock) { // hold() may have added to it until take(); nothing adds after
            packets = List.copyOf(r.question().packets);
            flows = List.copyOf(r.question().flows);
        }
        VerdictSink sink = verdicts;
        for (long held : packets) {
            sink.verdict((int) (held >>> 32), (int) held, v);
        }
        long now = clock.getAsLong();
        for (long flow : flows) {
            events.publish(new FlowEvent.Decided(flow, now, r.action().label(), r.ruleId(), r.reason()));
        }
    }

    static Verdict verdictOf(Action a) {
        return switch (a) {
            case ALLOW -> Verdict.ACCEPT;
            case DENY -> Verdict.DROP;
            case REJECT -> Verdict.REJECT;
        };
    }

    public Settings settings() {
        return settings;
    }

    /** Counters for status: pending, asked, answered, timed_out, refused (packets dropped at a limit), killed. */
    public Map<String, Object> stats() {
        synchronized (lock) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pending", byId.size());
            m.put("held_packets", byId.values().stream().mapToInt(q -> q.packets.size()).sum());
            m.put("asked", asked);
            m.put("answered", answered);
            m.put("timed_out", timedOut);
            m.put("refused", refused);
            m.put("connections_killed", killed);
            return m;
        }
    }

    /**
     * Stops the timer. Pending questions are left as they are: their packets are released by the
     * intercept loop when it closes (fail policy verdict).
     */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
