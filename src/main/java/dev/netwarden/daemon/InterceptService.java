package dev.netwarden.daemon;

import dev.netwarden.daemon.config.InterceptSection;
import dev.netwarden.intercept.AttributingHandler;
import dev.netwarden.intercept.FailPolicy;
import dev.netwarden.intercept.InterceptHandler;
import dev.netwarden.intercept.InterceptLoop;
import dev.netwarden.intercept.InterceptRules;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;
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
 * (and, with {@code queue_dns}, every DNS answer) to NFQUEUE; the loop hands each to the monitor's
 * flow tracker, which attributes it while the packet waits, then accepts it (the firewall issue adds
 * the other verdicts). Rules are bound to the queue before they are installed, re-checked every few
 * seconds and restored if someone removed them, and removed on stop.
 */
final class InterceptService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.intercept");
    static final Duration RULE_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final InterceptSection config;
    private final MonitorService monitor;
    private final DnsService dns;
    private final AtomicLong rulesRestored = new AtomicLong();
    private InterceptRules rules;
    private InterceptLoop loop;
    private AttributingHandler attributing;
    private ScheduledExecutorService ruleChecker;

    InterceptService(InterceptSection config, MonitorService monitor, DnsService dns) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.monitor = Objects.requireNonNull(monitor, "monitor is null");
        this.dns = Objects.requireNonNull(dns, "dns is null");
    }

    @Override
    public String name() {
        return "intercept";
    }

    @Override
    public void start() throws Exception {
        boolean failOpen = config.failPolicy() == FailPolicy.OPEN;
        NfQueueConfig queueConfig = NfQueueConfig.headersOnly(config.queueNum(), failOpen)
                .withMaxQueueLength(config.queueMaxlen());
        if (config.queueDns()) {
            queueConfig = queueConfig.withCopyRange(NfQueueConfig.WHOLE_PACKET);
        }
        InterceptRules.Options options = InterceptRules.Options.outbound(config.queueNum(), config.failPolicy())
                .withInbound(config.inbound()).withIpv6(true);
        if (config.queueDns()) {
            options = options.withDnsAnswerQueue(config.queueNum());
        }
        // Bind first: with fail-closed rules and no listener, every new connection would be dropped.
        NfQueue queue = NfQueue.open(queueConfig, 200);
        attributing = new AttributingHandler(monitor.tracker());
        loop = InterceptLoop.start(queue, this::decide, config.failPolicy());
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

    private Verdict decide(QueuedPacket packet) throws Exception {
        if (config.queueDns() && packet.hook() == QueuedPacket.HOOK_INPUT && isDnsAnswer(packet)) {
            IpPacket ip = IpPacket.parse(packet.payload(), 0, packet.payload().length);
            dns.queuedAnswers().message(packet.payload(), ip.payloadOffset(), ip.payloadLength());
            return Verdict.ACCEPT;
        }
        return attributing.decide(packet);
    }

    private static boolean isDnsAnswer(QueuedPacket packet) {
        try {
            IpPacket ip = IpPacket.parse(packet.payload(), 0, packet.payload().length);
            return ip.protocol() == IpPacket.UDP && ip.sourcePort() == 53;
        } catch (RuntimeException malformed) {
            return false;
        }
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
            loop.close();
        }
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = StatsMap.of(loop.counters());
        m.put("running", loop.isRunning());
        m.put("fail_policy", config.failPolicy().name().toLowerCase(java.util.Locale.ROOT));
        m.put("unparsable", attributing.unparsable());
        m.put("rules_restored", rulesRestored.get());
        return m;
    }
}
