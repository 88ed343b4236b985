package dev.netwarden.intercept;

import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.linux.nfqueue.QueuedPacket;
import dev.netwarden.linux.nfqueue.Verdict;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The intercept level against the real kernel, every rule and queue inside namespaces this test
 * creates; the root namespace's firewall is compared before and after the whole class.
 */
@ExtendWith(RootFirewallUnchanged.class)
class InterceptLiveTest {
    private static final int QUEUE = 7;

    @BeforeAll
    static void snapshotRoot() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root for network namespaces and iptables");
        assumeTrue(hasCommand("iptables") && hasCommand("python3"), "needs iptables and python3");
    }

    static boolean hasCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name));
    }

    /** What the test handler saw of one queued packet. */
    record Seen(int family, int proto, int sport, int dport, int hook, int uid) {
        static Seen of(QueuedPacket p) {
            byte[] b = p.payload();
            int version = (b[0] & 0xF0) >> 4;
            int proto;
            int l4;
            if (version == 4) {
                proto = b[9] & 0xFF;
                l4 = (b[0] & 0x0F) * 4;
            } else {
                proto = b[6] & 0xFF;
                l4 = 40;
            }
            int sport = proto == 6 || proto == 17 ? ((b[l4] & 0xFF) << 8) | (b[l4 + 1] & 0xFF) : -1;
            int dport = proto == 6 || proto == 17 ? ((b[l4 + 2] & 0xFF) << 8) | (b[l4 + 3] & 0xFF) : -1;
            return new Seen(version, proto, sport, dport, p.hook(), p.uid());
        }
    }

    /** Handler that records and answers {@code verdict}. */
    private static InterceptHandler recording(Queue<Seen> seen, Verdict verdict) {
        return p -> {
            seen.add(Seen.of(p));
            return verdict;
        };
    }

    private static void assertQueuedOnceEach(Queue<Seen> seen, int family, int proto, List<Integer> clientPorts, int hook) {
        Map<Integer, Long> bySport = seen.stream()
                .filter(s -> s.family() == family && s.proto() == proto && s.dport() == QueueNamespace.PORT)
                .collect(Collectors.groupingBy(Seen::sport, Collectors.counting()));
        assertThat(bySport.keySet()).as("queued client ports, family %d proto %d", family, proto).containsExactlyInAnyOrderElementsOf(clientPorts);
        assertThat(bySport.values()).as("each connection queued exactly once").allMatch(n -> n == 1);
        assertThat(seen.stream().filter(s -> s.sport() == QueueNamespace.PORT))
                .as("server replies (established) are never queued").isEmpty();
        assertThat(seen.stream().filter(s -> s.family() == family && s.proto() == proto && s.dport() == QueueNamespace.PORT))
                .allMatch(s -> s.hook() == hook);
    }

    @Test
    void everyNewLoopbackConnectionIsQueuedOnceAndAccepted() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-lo")) {
            InterceptRules rules = InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED), ns.prefix());
            rules.install();
            ns.startEchoServer(ns.client);
            Queue<Seen> seen = new ConcurrentLinkedQueue<>();
            try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)),
                    recording(seen, Verdict.ACCEPT), FailPolicy.CLOSED)) {
                // each TCP connection does 3 echo round trips; each UDP flow 3 (only the first datagram is NEW)
                List<Integer> tcp4 = ns.echo("tcp", "127.0.0.1", 20, 3, 3);
                List<Integer> tcp6 = ns.echo("tcp", "::1", 20, 3, 3);
                List<Integer> udp4 = ns.echo("udp", "127.0.0.1", 10, 3, 3);
                List<Integer> udp6 = ns.echo("udp", "::1", 10, 3, 3);
                assertThat(tcp4).hasSize(20);
                assertQueuedOnceEach(seen, 4, 6, tcp4, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 6, 6, tcp6, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 4, 17, udp4, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 6, 17, udp6, QueuedPacket.HOOK_OUTPUT);
                assertThat(seen).as("the socket owner comes with the packet").allMatch(s -> s.uid() == 0);

                // curl: a real client program over HTTP (the echo server answers with an echo, which
                // curl reports as a bad reply -- what counts is that its connection got through)
                seen.clear();
                Process curl = new ProcessBuilder(ns.client.inside(List.of("curl", "-s", "-m", "3", "-o", "/dev/null",
                        "-w", "%{local_port}", "http://127.0.0.1:" + QueueNamespace.PORT + "/"))).start();
                String localPort = new String(curl.getInputStream().readAllBytes()).strip();
                curl.waitFor();
                assertThat(localPort).matches("\\d+").isNotEqualTo("0");
                assertQueuedOnceEach(seen, 4, 6, List.of(Integer.parseInt(localPort)), QueuedPacket.HOOK_OUTPUT);

                InterceptCounters c = loop.counters();
                assertThat(c.queued()).isEqualTo(c.accepted()).isEqualTo(61);
                assertThat(c.dropped() + c.handlerErrors() + c.malformed() + c.verdictErrors()).isZero();
            }
        }
    }

    @Test
    void connectionsOverVethAreQueuedOnceInBothDirections() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-veth")) {
            TestNamespace server = ns.addServer();
            InterceptRules rules = InterceptRules.of(
                    InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED).withInbound(true), ns.prefix());
            rules.install();
            ns.startEchoServer(server);
            ns.startEchoServer(ns.client);
            Queue<Seen> seen = new ConcurrentLinkedQueue<>();
            try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)),
                    recording(seen, Verdict.ACCEPT), FailPolicy.CLOSED)) {
                List<Integer> tcp4 = ns.echo("tcp", "10.77.0.2", 10, 3, 3);
                List<Integer> tcp6 = ns.echo("tcp", "fd77::2", 10, 3, 3);
                List<Integer> udp4 = ns.echo("udp", "10.77.0.2", 5, 3, 3);
                List<Integer> udp6 = ns.echo("udp", "fd77::2", 5, 3, 3);
                assertQueuedOnceEach(seen, 4, 6, tcp4, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 6, 6, tcp6, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 4, 17, udp4, QueuedPacket.HOOK_OUTPUT);
                assertQueuedOnceEach(seen, 6, 17, udp6, QueuedPacket.HOOK_OUTPUT);

                // inbound: the server namespace connects to the client namespace's echo server
                seen.clear();
                String out = server.exec(30, "python3", "-c", """
                        import socket
                        ports = []
                        for host, fam in (("10.77.0.1", socket.AF_INET), ("fd77::1", socket.AF_INET6)):
                            for i in range(5):
                                s = socket.socket(fam, socket.SOCK_STREAM); s.settimeout(3)
                                s.connect((host, 7777)); s.sendall(b"x"); assert s.recv(10) == b"x"
                                ports.append(s.getsockname()[1]); s.close()
                        print(" ".join(map(str, ports)))
                        """);
                List<Integer> inPorts = new ArrayList<>();
                for (String p : out.strip().split(" ")) {
                    inPorts.add(Integer.parseInt(p));
                }
                assertQueuedOnceEach(seen, 4, 6, inPorts.subList(0, 5), QueuedPacket.HOOK_INPUT);
                assertQueuedOnceEach(seen, 6, 6, inPorts.subList(5, 10), QueuedPacket.HOOK_INPUT);
                assertThat(loop.counters().accepted()).isEqualTo(loop.counters().queued());
            }
        }
    }

    /**
     * A held packet's late verdict (a prompt answered) wakes the loop: it is sent within milliseconds,
     * not at the loop's next poll (the queue here polls every 100 ms, the daemon's every 200 ms).
     */
    @Test
    void aLateVerdictForAHeldPacketIsSentAtOnce() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-late")) {
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED), ns.prefix()).install();
            ns.startEchoServer(ns.client);
            java.util.concurrent.LinkedBlockingQueue<Integer> held = new java.util.concurrent.LinkedBlockingQueue<>();
            try (InterceptLoop loop = InterceptLoop.startHolding(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)), p -> {
                held.add(p.packetId());
                return Decision.HOLD;
            }, FailPolicy.CLOSED)) {
                for (int round = 1; round <= 5; round++) {
                    java.util.concurrent.CompletableFuture<Boolean> connected = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return ns.tcpConnects("127.0.0.1", 10);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    Integer id = held.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(id).as("the SYN is held").isNotNull();
                    Thread.sleep(250); // the loop is back in its wait for packets
                    long t0 = System.nanoTime();
                    loop.verdict(id, Verdict.ACCEPT);
                    while (loop.counters().lateVerdicts() < round) {
                        assertThat(System.nanoTime() - t0).as("late verdict sent").isLessThan(2_000_000_000L);
                        Thread.onSpinWait();
                    }
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(millis).as("round %d: sent %d ms after the answer", round, millis).isLessThan(60);
                    assertThat(connected.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
                assertThat(loop.counters().held()).isZero();
            }
        }
    }

    @Test
    void dropVerdictStopsTheConnection() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-drop")) {
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED), ns.prefix()).install();
            ns.startEchoServer(ns.client);
            Queue<Seen> seen = new ConcurrentLinkedQueue<>();
            try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)),
                    recording(seen, Verdict.DROP), FailPolicy.CLOSED)) {
                assertThat(ns.tcpConnects("127.0.0.1", 1.5)).as("dropped SYN: no connection").isFalse();
                assertThat(loop.counters().dropped()).isPositive();
                assertThat(seen).allMatch(s -> s.dport() == QueueNamespace.PORT);
            }
        }
    }

    @Test
    void rejectWithoutRejectMarkIsSentAsDrop() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-rej")) {
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED), ns.prefix()).install();
            ns.startEchoServer(ns.client);
            try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)),
                    p -> Verdict.REJECT, FailPolicy.CLOSED)) {
                assertThat(ns.tcpConnects("127.0.0.1", 1.5)).isFalse();
                assertThat(loop.counters().dropped()).isPositive();
                assertThat(loop.counters().rejected()).isZero();
            }
        }
    }

    @Test
    void failOpenWithNobodyBoundLetsTrafficThrough() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-open")) {
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.OPEN), ns.prefix()).install();
            ns.startEchoServer(ns.client);
            assertThat(ns.tcpConnects("127.0.0.1", 2)).as("queue-bypass accepts").isTrue();
            assertThat(ns.tcpConnects("::1", 2)).isTrue();
        }
    }

    @Test
    void failClosedWithNobodyBoundBlocksNewConnections() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-closed")) {
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED), ns.prefix()).install();
            ns.startEchoServer(ns.client);
            assertThat(ns.tcpConnects("127.0.0.1", 1.5)).as("no bypass: dropped").isFalse();
            // once a consumer binds, traffic flows; after it stops (unbind), it is blocked again
            try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, false)),
                    p -> Verdict.ACCEPT, FailPolicy.CLOSED)) {
                assertThat(ns.tcpConnects("127.0.0.1", 3)).isTrue();
            }
            assertThat(ns.tcpConnects("127.0.0.1", 1.5)).as("after the loop stopped").isFalse();
        }
    }

    @Test
    void handlerFailureFollowsTheFailPolicy() throws Exception {
        for (FailPolicy policy : FailPolicy.values()) {
            try (QueueNamespace ns = new QueueNamespace("icpt-thr")) {
                InterceptRules.of(InterceptRules.Options.outbound(QUEUE, policy), ns.prefix()).install();
                ns.startEchoServer(ns.client);
                try (InterceptLoop loop = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, policy == FailPolicy.OPEN)),
                        p -> {
                            throw new IllegalStateException("handler bug");
                        }, policy)) {
                    assertThat(ns.tcpConnects("127.0.0.1", 1.5)).as(policy.toString()).isEqualTo(policy == FailPolicy.OPEN);
                    assertThat(loop.counters().handlerErrors()).isPositive();
                    assertThat(policy == FailPolicy.OPEN ? loop.counters().accepted() : loop.counters().dropped())
                            .isEqualTo(loop.counters().handlerErrors());
                }
            }
        }
    }

    @Test
    void rulesAreVerifiedRestoredAndRemovedExactly() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-rules")) {
            // someone else's rules, in the same tables, must survive untouched
            ns.client.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "MARK", "--set-mark", "5");
            ns.client.exec(10, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "9", "-j", "DROP");
            ns.client.exec(10, "ip6tables", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "--dport", "9", "-j", "MARK", "--set-mark", "6");
            String before = ns.savedRules();
            InterceptRules rules = InterceptRules.of(
                    InterceptRules.Options.outbound(QUEUE, FailPolicy.OPEN).withInbound(true).withDnsAnswerQueue(QUEUE + 1), ns.prefix());
            assertThat(rules.verify()).hasSize(4); // two chains missing, per family
            assertThat(rules.install()).isNotEmpty();
            assertThat(rules.verify()).isEmpty();
            assertThat(rules.install()).as("idempotent").isEmpty();
            String installed = ns.savedRules();
            assertThat(installed).contains("-A OUTPUT -j NETWARDEN-OUT", "-A INPUT -j NETWARDEN-IN",
                    "--queue-num 7 --queue-bypass", "--sport 53 -j NFQUEUE --queue-num 8");

            ns.client.exec(10, "iptables", "-t", "mangle", "-D", "OUTPUT", "-j", "NETWARDEN-OUT");
            assertThat(rules.verify()).containsExactly("ipv4 mangle: jump OUTPUT -> NETWARDEN-OUT is missing");
            ns.client.exec(10, "ip6tables", "-t", "mangle", "-F", "NETWARDEN-IN");
            assertThat(rules.verify()).containsExactly("ipv4 mangle: jump OUTPUT -> NETWARDEN-OUT is missing",
                    "ipv6 mangle: rules of NETWARDEN-IN were changed");
            assertThat(rules.restore()).hasSize(2);
            assertThat(rules.verify()).isEmpty();
            assertThat(ns.savedRules()).isEqualTo(installed);

            rules.remove();
            assertThat(ns.savedRules()).as("ruleset exactly as before").isEqualTo(before);
            assertThat(rules.remove()).as("nothing left to remove").isEmpty();
        }
    }

    @Test
    void balancedQueuesAreInstalledServedByCpuAndRemovedExactly() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs 2 CPUs: the queue is chosen by sending CPU");
        try (QueueNamespace ns = new QueueNamespace("icpt-bal")) {
            // mangle exists before (else iptables-nft leaves its empty built-in chains behind, see InterceptRules)
            ns.client.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "MARK", "--set-mark", "5");
            ns.client.exec(10, "ip6tables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "MARK", "--set-mark", "5");
            String before = ns.savedRules();
            InterceptRules rules = InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.OPEN).withQueueCount(2)
                    .withDnsAnswerQueue(QUEUE), ns.prefix());
            assertThat(rules.install()).isNotEmpty();
            assertThat(rules.verify()).isEmpty();
            assertThat(rules.install()).as("idempotent: -C finds the balanced rule as it was written").isEmpty();
            assertThat(ns.savedRules()).contains("--queue-balance 7:8 --queue-bypass --queue-cpu-fanout",
                    "--sport 53 -j NFQUEUE --queue-num 7 --queue-bypass");
            ns.startEchoServer(ns.client);
            Queue<Seen> first = new ConcurrentLinkedQueue<>();
            Queue<Seen> second = new ConcurrentLinkedQueue<>();
            try (InterceptLoop a = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE, true)), recording(first, Verdict.ACCEPT),
                    FailPolicy.OPEN);
                 InterceptLoop b = InterceptLoop.start(ns.openQueue(NfQueueConfig.headersOnly(QUEUE + 1, true)),
                         recording(second, Verdict.ACCEPT), FailPolicy.OPEN)) {
                for (int cpu = 0; cpu < 2; cpu++) {
                    ns.client.exec(60, "taskset", "-c", Integer.toString(cpu), "python3", "-c",
                            "import socket\nfor _ in range(3):\n s=socket.create_connection(('127.0.0.1', " + QueueNamespace.PORT
                                    + "), timeout=5); s.close()");
                }
                assertThat(a.counters().queued()).as("CPU 0 -> queue 7").isGreaterThanOrEqualTo(3);
                assertThat(b.counters().queued()).as("CPU 1 -> queue 8").isGreaterThanOrEqualTo(3);
                assertThat(first).allMatch(s -> s.dport() == QueueNamespace.PORT);
                assertThat(second).allMatch(s -> s.dport() == QueueNamespace.PORT);
            }
            rules.remove();
            assertThat(ns.savedRules()).as("ruleset exactly as before").isEqualTo(before);
            InterceptRules.of(InterceptRules.Options.outbound(QUEUE, FailPolicy.CLOSED).withQueueCount(4), ns.prefix()).install();
            assertThat(InterceptRules.cleanup(ns.prefix())).contains("ipv4 mangle: removed chain NETWARDEN-OUT");
            assertThat(ns.savedRules()).as("cleanup removes balanced leftovers too").isEqualTo(before);
        }
    }

    @Test
    void cleanupRemovesLeftoversOfAnyConfiguration() throws Exception {
        try (QueueNamespace ns = new QueueNamespace("icpt-clean")) {
            ns.client.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "MARK", "--set-mark", "5");
            ns.client.exec(10, "ip6tables", "-t", "mangle", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "MARK", "--set-mark", "5");
            ns.client.exec(10, "iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "ACCEPT");
            String before = ns.savedRules();
            // a crashed daemon's rules, plus a duplicate jump and a future filter-table chain
            InterceptRules.of(InterceptRules.Options.outbound(3, FailPolicy.CLOSED).withInbound(true), ns.prefix()).install();
            ns.client.exec(10, "iptables", "-t", "mangle", "-A", "OUTPUT", "-j", "NETWARDEN-OUT");
            ns.client.exec(10, "iptables", "-N", "NETWARDEN-REJECT");
            ns.client.exec(10, "iptables", "-A", "NETWARDEN-REJECT", "-m", "mark", "--mark", "0x100/0x100", "-j", "REJECT");
            ns.client.exec(10, "iptables", "-I", "OUTPUT", "1", "-j", "NETWARDEN-REJECT");

            List<String> removed = InterceptRules.cleanup(ns.prefix());
            assertThat(removed).contains("ipv4 mangle: removed chain NETWARDEN-OUT", "ipv6 mangle: removed chain NETWARDEN-IN",
                    "ipv4 filter: removed chain NETWARDEN-REJECT");
            assertThat(removed.stream().filter(r -> r.equals("ipv4 mangle: removed jump OUTPUT -j NETWARDEN-OUT"))).hasSize(2);
            assertThat(ns.savedRules()).isEqualTo(before);
            assertThat(InterceptRules.cleanup(ns.prefix())).isEmpty();
        }
    }

    @Test
    void reportsWhetherNftHasNativeQueue() throws Exception {
        assumeTrue(hasCommand("nft"), "nft not installed");
        try (QueueNamespace ns = new QueueNamespace("icpt-nft")) {
            NativeQueueSupport support = NativeQueueSupport.detect(ns.prefix());
            Path config = Path.of("/boot/config-" + System.getProperty("os.version"));
            if (Files.isReadable(config)) {
                String cfg = Files.readString(config);
                NativeQueueSupport.State expected = cfg.contains("CONFIG_NFT_QUEUE=y") || cfg.contains("CONFIG_NFT_QUEUE=m")
                        ? NativeQueueSupport.State.SUPPORTED : NativeQueueSupport.State.UNSUPPORTED;
                assertThat(support.state()).as(support.detail()).isEqualTo(expected);
            } else {
                assertThat(support.state()).isNotEqualTo(NativeQueueSupport.State.NFT_MISSING);
            }
            assertThat(ns.savedRules().replace("\n--\n", "").strip()).as("the probe commits nothing").isEmpty();
        }
    }
}
