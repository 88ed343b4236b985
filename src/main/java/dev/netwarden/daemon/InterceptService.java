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
import dev.netwarden.intercept.AttributingHandler;
import dev.netwarden.intercept.FailPolicy;
import dev.netwarden.intercept.InterceptLoop;
import dev.netwarden.intercept.InterceptRules;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.packet.IpPacket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
final class InterceptService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.intercept");
    static final Duration RULE_CHECK_INTERVAL = Duration.ofSeconds(5);
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
    private InterceptLoop loop;
    private AttributingHandler attributing;
    private ScheduledExecutorService ruleChecker;

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
        NfQueueConfig queueConfig = NfQueueConfig.headersOnly(config.queueNum(), failOpen)
                .withMaxQueueLength(config.queueMaxlen()).withRejectMark(REJECT_MARK);
        if (config.queueDns()) {
            queueConfig = queueConfig.withCopyRange(NfQueueConfig.WHOLE_PACKET);
        }
        InterceptRules.Options options = InterceptRules.Options.outbound(config.queueNum(), config.failPolicy())
                .withInbound(config.inbound()).withIpv6(true).withRejectMark(REJECT_MARK);
        if (config.queueDns()) {
            options = options.withDnsAnswerQueue(config.queueNum());
        }
        // Bind first: with fail-closed rules and no listener, every new connection would be dropped.
        NfQueue queue = NfQueue.open(queueConfig, 200);
        attributing = new AttributingHandler(monitor.tracker());
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
        firewall = new Firewall(attributing, matcher, firewallConfig.defaultAction(), prompts, events, System::currentTimeMillis,
                interfaces::nameOf);
        loop = InterceptLoop.startHolding(queue, this::decide, config.failPolicy());
        if (prompts != null) {
            prompts.attach(loop::verdict);
        }
        rules = InterceptRules.of(options);
        try {
            List<String> stale = InterceptRules.cleanup();
            if (!stale.isEmpty()) {
                LOG.warning(() -> "removed rules a previous run left behind: " + stale);
            }
            rules.install();
        } catch (Exception e) {
            loop.close();
            throw e;
        }
        ruleChecker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("nw-rule-check").unstarted(r));
        long every = RULE_CHECK_INTERVAL.toMillis();
        ruleChecker.scheduleWithFixedDelay(this::checkRules, every, every, TimeUnit.MILLISECONDS);
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
        if (ruleChecker != null) {
            ruleChecker.shutdownNow();
        }
        try {
            rules.remove();
        } finally {
            if (prompts != null) {
                prompts.close();
            }
            loop.close();
        }
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = StatsMap.of(loop.counters());
        m.put("running", loop.isRunning());
        m.put("fail_policy", config.failPolicy().name().toLowerCase(java.util.Locale.ROOT));
        m.put("firewall", firewall.stats());
        m.put("rules_restored", rulesRestored.get());
        return m;
    }
}
