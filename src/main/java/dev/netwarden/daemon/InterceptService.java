package dev.netwarden.daemon;

import dev.netwarden.daemon.config.FirewallSection;
import dev.netwarden.daemon.config.InterceptSection;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.firewall.ConnectionKiller;
import dev.netwarden.firewall.DefaultAction;
import dev.netwarden.firewall.Firewall;
import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.firewall.PromptRules;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.firewall.RuleMatcher;
import dev.netwarden.firewall.RuleSink;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.intercept.Decision;
import dev.netwarden.linux.sysfs.NetInterfaces;
import java.util.Optional;
import dev.netwarden.intercept.QueuedPacketAttributor;
import dev.netwarden.intercept.FailPolicy;
import dev.netwarden.intercept.InterceptCounters;
import dev.netwarden.intercept.InterceptLoop;
import dev.netwarden.intercept.InterceptRules;
import dev.netwarden.intercept.RulesetWatch;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.packet.IpPacket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The intercept level: netwarden's own iptables chains queue every new connection's first packet
 * (and, with {@code queue_dns}, every DNS answer) to NFQUEUE; the loop hands each to the
 * {@link Firewall}, which has the monitor's flow tracker attribute it while the packet waits, asks the
 * rules, and answers with the rule's action or the default one — or holds the packet on a prompt
 * ({@link PromptBroker}, answered through the control ops {@link PromptOps}). REJECT verdicts carry
 * {@link #REJECT_MARK}, which the filter-table chain installed with the queue rules turns into a TCP
 * reset or ICMP unreachable. Rules are bound to the queue before they are installed, re-checked every
 * few seconds and restored if someone removed them, and removed on stop.
 *
 * <p>Several queues ({@code intercept.queues}): new connections are spread over queues
 * {@code queue_num .. queue_num + K - 1} by the sending CPU, one {@link InterceptLoop} thread each,
 * all sharing one {@link Firewall} (its counters are adders; the tracker, owners, rules and prompt
 * broker are thread-safe). Why: one loop thread's CPU per connection capped the rate; the verdict
 * send (the kernel re-injecting the packets) and the rules then run on as many threads. A held packet
 * is named to the broker by its queue and id, and its late verdict goes to that queue's loop only.
 * DNS answers (with {@code queue_dns}) stay on the first queue.
 */
final class InterceptService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.intercept");
    /** How often the intercept rules are checked when no notification says that the ruleset changed. */
    static final Duration RULE_CHECK_INTERVAL = Duration.ofSeconds(5);
    /**
     * The same with nftables notifications ({@link RulesetWatch}): they show every change, so the
     * timer only covers a lost or failed watch.
     */
    static final Duration RULE_CHECK_INTERVAL_WATCHED = Duration.ofSeconds(60);
    /** A change is checked this long after its notification, so one check covers a burst (iptables-restore, docker). */
    static final long CHANGE_SETTLE_MILLIS = 200;
    /** How long start-up waits to see its own rules notified before it decides the watch works. */
    private static final long WATCH_PROOF_MILLIS = 1_000;
    /**
     * The packet mark of rejected connections (one bit; matched as {@code MARK/MARK}). Chosen away
     * from the bits Kubernetes (0x4000, 0x8000), Docker and Tailscale (0xff0000 range) use.
     */
    static final int REJECT_MARK = 0x0100_0000;

    private final InterceptSection config;
    private final FirewallSection firewallConfig;
    private final MonitorService monitor;
    private final DnsService dns;
    private final RuleMatcher ruleEngine;
    /** Where prompt answers become rules: the rules engine's own (then they are its rules too), else in memory. */
    private final RuleSink promptAnswers;
    private final PromptRules memoryRules;
    private final PromptOps promptOps;
    private Firewall firewall;
    private PromptBroker prompts;
    private final AtomicLong rulesRestored = new AtomicLong();
    private InterceptRules rules;
    /** One loop per queue, loop i serving queue {@code queue_num + i}. */
    private volatile List<InterceptLoop> loops = List.of();
    private QueuedPacketAttributor attributor;
    private ScheduledExecutorService ruleChecker;
    /** Null when the ruleset's changes are not notified (iptables-legacy, no CAP_NET_ADMIN): the timer then checks. */
    private RulesetWatch watch;
    private final AtomicBoolean checkPending = new AtomicBoolean();
    /**
     * Set once start-up installed the rules: notifications before that are start-up's own (the
     * cleanup, the install), and a check then would race the install (InterceptRules is one thread's).
     */
    private volatile boolean rulesInstalled;
    private final AtomicLong ruleChecks = new AtomicLong();

    /**
     * @param ruleEngine the rules (the rules engine once it exists; asked before the rules made from
     *                   prompt answers, which this service keeps in memory)
     * @param promptAnswers where prompt answers become rules of {@code ruleEngine}; null: kept in this
     *                      service's memory and asked after {@code ruleEngine}
     * @param handlers   where the prompt ops are registered
     */
    InterceptService(InterceptSection config, FirewallSection firewallConfig, MonitorService monitor, DnsService dns,
                     RuleMatcher ruleEngine, RuleSink promptAnswers, ControlHandlers handlers) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.firewallConfig = Objects.requireNonNull(firewallConfig, "firewallConfig is null");
        this.monitor = Objects.requireNonNull(monitor, "monitor is null");
        this.dns = Objects.requireNonNull(dns, "dns is null");
        this.ruleEngine = Objects.requireNonNull(ruleEngine, "ruleEngine is null");
        this.memoryRules = promptAnswers == null ? new PromptRules(System::currentTimeMillis) : null;
        this.promptAnswers = promptAnswers == null ? memoryRules : promptAnswers;
        this.promptOps = new PromptOps(() -> prompts);
        promptOps.register(Objects.requireNonNull(handlers, "handlers is null"));
    }

    @Override
    public String name() {
        return "intercept";
    }

    @Override
    public void start() throws Exception {
        boolean failOpen = config.failPolicy() == FailPolicy.OPEN;
        int queueCount = config.effectiveQueues();
        InterceptRules.Options options = InterceptRules.Options.outbound(config.queueNum(), config.failPolicy())
                .withInbound(config.inbound()).withIpv6(true).withRejectMark(REJECT_MARK).withQueueCount(queueCount);
        if (config.queueDns()) {
            options = options.withDnsAnswerQueue(config.queueNum());
        }
        attributor = new QueuedPacketAttributor(monitor.tracker());
        RuleMatcher matcher = facts -> {
            Optional<RuleMatch> m = ruleEngine.match(facts);
            return m.isPresent() || memoryRules == null ? m : memoryRules.match(facts);
        };
        FlowEventSink events = monitor.events();
        if (firewallConfig.defaultAction() == DefaultAction.PROMPT) {
            prompts = new PromptBroker(PromptBroker.Settings.of(firewallConfig.promptTimeout(), firewallConfig.promptTimeoutAction()),
                    promptAnswers, matcher, new ConnectionKiller(), events, System::currentTimeMillis);
        }
        NetInterfaces interfaces = NetInterfaces.current();
        firewall = new Firewall(attributor, matcher, firewallConfig.defaultAction(), prompts, events, System::currentTimeMillis,
                interfaces::nameOf);
        // Bind first: with fail-closed rules and no listener, every new connection would be dropped.
        List<InterceptLoop> started = new ArrayList<>(queueCount);
        try {
            for (int i = 0; i < queueCount; i++) {
                NfQueueConfig queueConfig = NfQueueConfig.headersOnly(config.queueNum() + i, failOpen)
                        .withMaxQueueLength(config.queueMaxlen()).withRejectMark(REJECT_MARK);
                if (config.queueDns() && i == 0) {
                    queueConfig = queueConfig.withCopyRange(NfQueueConfig.WHOLE_PACKET);
                }
                started.add(InterceptLoop.startHolding(NfQueue.open(queueConfig, 200), this::decide, config.failPolicy()));
            }
        } catch (Exception | Error e) {
            started.forEach(InterceptLoop::close);
            throw e;
        }
        loops = List.copyOf(started);
        if (prompts != null) {
            prompts.attach(this::lateVerdict);
        }
        rules = InterceptRules.of(options);
        ruleChecker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("nw-rule-check").unstarted(r));
        // Subscribed before our own rules go in: if installing them is notified, every later change will be.
        watch = openWatch();
        try {
            List<String> stale = InterceptRules.cleanup();
            if (!stale.isEmpty()) {
                LOG.warning(() -> "removed rules a previous run left behind: " + stale);
            }
            long before = watch == null ? 0 : watch.changes();
            rules.install();
            if (watch != null && !watch.awaitChangesAfter(before, WATCH_PROOF_MILLIS)) {
                watch.close();
                watch = null;
                LOG.info(() -> "installing the intercept rules sent no nftables notification (iptables-legacy?): they are checked every "
                        + RULE_CHECK_INTERVAL.toSeconds() + " s");
            }
        } catch (Exception e) {
            if (watch != null) {
                watch.close();
            }
            ruleChecker.shutdownNow();
            loops.forEach(InterceptLoop::close);
            throw e;
        }
        if (queueCount > 1) {
            LOG.info(() -> "new connections spread over queues " + config.queueNum() + ".." + (config.queueNum() + queueCount - 1)
                    + ", one loop thread each");
        }
        rulesInstalled = true;
        long every = (watch != null ? RULE_CHECK_INTERVAL_WATCHED : RULE_CHECK_INTERVAL).toMillis();
        ruleChecker.scheduleWithFixedDelay(this::checkRules, every, every, TimeUnit.MILLISECONDS);
    }

    private RulesetWatch openWatch() {
        try {
            return RulesetWatch.start(this::rulesetChanged);
        } catch (IOException | RuntimeException e) {
            LOG.info(() -> "no nftables change notifications (" + e.getMessage() + "): the intercept rules are checked every "
                    + RULE_CHECK_INTERVAL.toSeconds() + " s");
            return null;
        }
    }

    /** From the watch's thread: check the rules soon, once for a whole burst of changes. */
    private void rulesetChanged() {
        ScheduledExecutorService checker = ruleChecker;
        if (checker != null && rulesInstalled && checkPending.compareAndSet(false, true)) {
            try {
                checker.schedule(() -> {
                    checkPending.set(false); // first: a change during the check schedules another one
                    checkRules();
                }, CHANGE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /** A held packet's verdict, to the loop of the queue that holds it (another queue's loop would not know its id). */
    private void lateVerdict(int queueNumber, int packetId, Verdict verdict) {
        int i = queueNumber - config.queueNum();
        List<InterceptLoop> all = loops;
        if (i >= 0 && i < all.size()) {
            all.get(i).verdict(packetId, verdict);
        } else {
            LOG.warning(() -> "verdict for packet " + packetId + " of queue " + queueNumber + ", which no loop serves: ignored");
        }
    }

    private Decision decide(QueuedPacket packet) throws Exception {
        if (config.queueDns() && packet.hook() == QueuedPacket.HOOK_INPUT) {
            IpPacket answer = dnsAnswer(packet);
            if (answer != null) {
                dns.queuedAnswers().message(packet.payload(), answer.payloadOffset(), answer.payloadLength());
                return Decision.ACCEPT;
            }
        }
        return firewall.decide(packet);
    }

    /** The packet parsed when it is a DNS answer (UDP from port 53), else null. */
    private static IpPacket dnsAnswer(QueuedPacket packet) {
        try {
            IpPacket ip = IpPacket.parse(packet.payload(), 0, packet.payload().length);
            return ip.protocol() == IpPacket.UDP && ip.sourcePort() == 53 ? ip : null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** The pending prompts, or null when prompts are off (default action not prompt) or before start. */
    PromptBroker prompts() {
        return prompts;
    }

    private void checkRules() {
        ruleChecks.incrementAndGet();
        try {
            List<String> missing = rules.verify();
            if (!missing.isEmpty()) {
                rules.restore();
                rulesRestored.incrementAndGet();
                LOG.warning(() -> "intercept rules were removed by someone else; restored: " + missing);
            }
        } catch (Exception e) {
            LOG.warning(() -> "cannot check the intercept rules: " + e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            watch.close(); // first: removing our own rules below is a change too
        }
        if (ruleChecker != null) {
            ruleChecker.shutdownNow();
            // A check still running could restore what remove() below takes away: let it end first.
            if (!ruleChecker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("the intercept rule check did not stop within 10 s");
            }
        }
        try {
            rules.remove();
        } finally {
            if (prompts != null) {
                prompts.close();
            }
            loops.forEach(InterceptLoop::close);
        }
    }

    @Override
    public Map<String, Object> stats() {
        InterceptCounters sum = InterceptCounters.ZERO;
        Map<String, Object> perQueue = new LinkedHashMap<>(); // queue number → its loop's share
        boolean running = !loops.isEmpty();
        for (InterceptLoop l : loops) {
            InterceptCounters c = l.counters();
            sum = sum.plus(c);
            running &= l.isRunning();
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("running", l.isRunning());
            q.put("queued", c.queued());
            q.put("held", c.held());
            perQueue.put(Integer.toString(l.queueNumber()), q);
        }
        Map<String, Object> m = StatsMap.of(sum);
        m.put("running", running);
        m.put("queues", perQueue);
        m.put("fail_policy", config.failPolicy().name().toLowerCase(java.util.Locale.ROOT));
        m.put("firewall", firewall.stats());
        m.put("rules_restored", rulesRestored.get());
        m.put("rules_checks", ruleChecks.get());
        RulesetWatch w = watch;
        m.put("rules_watch", w != null && w.isRunning() ? "nftables notifications" : "every " + RULE_CHECK_INTERVAL.toSeconds() + " s");
        m.put("ruleset_changes_seen", w == null ? 0 : w.changes());
        return m;
    }
}
