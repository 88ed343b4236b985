package dev.netwarden.firewall;

import dev.netwarden.dns.AnswerFeed;
import dev.netwarden.dns.DomainCache;
import dev.netwarden.flow.Transport;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.HistoryWriter;
import dev.netwarden.intercept.QueuedPacketAttributor;
import dev.netwarden.intercept.Decision;
import dev.netwarden.intercept.FailPolicy;
import dev.netwarden.intercept.InterceptLoop;
import dev.netwarden.intercept.InterceptRules;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.monitor.AlertDetector;
import dev.netwarden.monitor.CommCheck;
import dev.netwarden.monitor.MonitorConfig;
import dev.netwarden.monitor.PassiveMonitor;
import dev.netwarden.packet.IpPacket;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.testing.NamespaceDns;
import dev.netwarden.testing.TestNamespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test support: the firewall's verdict path for real in a test namespace — dnsmasq answering
 * testsite.com (127.0.0.2) and other.test (127.0.0.3), an HTTP server on port 8080, a history database,
 * the passive monitor's flow tracker, an NFQUEUE with netwarden's rules (mangle queue chains and the
 * filter reject chain, installed through {@code ip netns exec}), and the intercept loop deciding
 * through a {@link Firewall}. DNS answers are queued too and feed the domain cache, as in the daemon.
 */
final class FirewallHarness implements AutoCloseable {
    static final int QUEUE = 7;
    static final int REJECT_MARK = 0x0100_0000;
    static final String TESTSITE = "127.0.0.2";
    static final String OTHER = "127.0.0.3";

    final TestNamespace ns;
    final Path dataDir;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    NamespaceDns dns;
    HistoryStore store;
    HistoryWriter writer;
    PassiveMonitor monitor;
    InterceptLoop loop;
    InterceptRules rules;
    Firewall firewall;
    PromptBroker prompts;
    private AnswerFeed answers;

    FirewallHarness(String purpose) throws IOException, InterruptedException {
        ns = TestNamespace.create(purpose);
        dataDir = Files.createTempDirectory("nw-fw-history");
        try {
            dns = NamespaceDns.start(ns, Map.of("testsite.com", TESTSITE, "other.test", OTHER));
            // exec: the started process is the server itself (stopped by pid with the namespace)
            ns.start("sh", "-c", "exec python3 -m http.server --bind 0.0.0.0 --directory /usr/share 8080 >/dev/null 2>&1");
            awaitListening(8080);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts history, monitor, queue, loop and rules with this rule matcher and default action. */
    void start(RuleMatcher matcher, DefaultAction defaultAction, PromptBroker.Settings promptSettings, RuleSink sink)
            throws Exception {
        store = HistoryStore.open(dataDir);
        writer = HistoryWriter.start(store, HistoryWriter.Options.defaults().withFlushInterval(Duration.ofMillis(100)));
        DomainCache cache = new DomainCache(a -> null);
        answers = new AnswerFeed(cache);
        ProcessTable table = new ProcessTable();
        monitor = PassiveMonitor.open(writer, cache, pid -> table.lookup(pid).map(i -> new ProcessSnapshot(i, null, null, List.of())),
                writer.flowIds(), new AlertDetector(Map.of(), List.of(), 1000, new CommCheck()),
                MonitorConfig.defaults().withPollInterval(Duration.ofMillis(500)), NetNamespace.named(ns.name()));
        monitor.start();
        if (promptSettings != null) {
            EstablishedKiller inNamespace = (exe, address, port) -> {
                try {
                    return NetNamespace.callIn(NetNamespace.named(ns.name()), () -> new ConnectionKiller().killOrThrow(exe, address, port));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            prompts = new PromptBroker(promptSettings, sink, matcher, inNamespace, writer, System::currentTimeMillis);
        }
        firewall = new Firewall(new QueuedPacketAttributor(monitor.tracker()), matcher, defaultAction, prompts, writer,
                System::currentTimeMillis, i -> null);
        NfQueue queue = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> NfQueue.open(
                NfQueueConfig.headersOnly(QUEUE, false).withCopyRange(NfQueueConfig.WHOLE_PACKET).withRejectMark(REJECT_MARK), 100));
        loop = InterceptLoop.startHolding(queue, this::decide, FailPolicy.CLOSED);
        if (prompts != null) {
            prompts.attach((queueNumber, packetId, verdict) -> loop.verdict(packetId, verdict));
        }
        rules = InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED).withDnsAnswerQueue(QUEUE)
                .withRejectMark(REJECT_MARK), List.of("ip", "netns", "exec", ns.name()));
        rules.install();
    }

    private Decision decide(QueuedPacket packet) throws Exception {
        if (packet.hook() == QueuedPacket.HOOK_INPUT) {
            IpPacket ip = IpPacket.parse(packet.payload(), 0, packet.payload().length);
            if (ip.protocol() == IpPacket.UDP && ip.sourcePort() == 53) {
                answers.message(packet.payload(), ip.payloadOffset(), ip.payloadLength());
                return Decision.ACCEPT;
            }
        }
        return firewall.decide(packet);
    }

    /** Allows DNS to the namespace's resolver (rule "dns"), then asks {@code rest}. */
    static RuleMatcher allowingDns(RuleMatcher rest) {
        return f -> f.transport() == Transport.UDP && f.remote().port() == 53
                ? Optional.of(new RuleMatch("dns", Action.ALLOW, "udp port 53"))
                : rest.match(f);
    }

    private void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                ns.exec(5, "python3", "-c", "import socket; socket.create_connection(('127.0.0.1', " + port + "), 1).close()");
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nothing listens on port " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** The exit code, output and duration of one command run to completion inside the namespace. */
    record Run(int exit, String out, long millis) {}

    Run run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(ns.inside(List.of(command))).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + List.of(command));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** A line reader on a started process's stdout. */
    static BufferedReader lines(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        List<Exception> errors = new ArrayList<>();
        if (rules != null) {
            try {
                rules.remove();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        if (prompts != null) {
            prompts.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (monitor != null) {
            monitor.close();
            monitor.tracker().closeAll();
        }
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != null) {
            store.close();
        }
        try {
            if (dns != null) {
                dns.close();
            }
        } catch (Exception e) {
            errors.add(e);
        }
        ns.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("cleanup failed: " + errors, errors.getFirst());
        }
    }
}
