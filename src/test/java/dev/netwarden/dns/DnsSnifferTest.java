package dev.netwarden.dns;

import dev.netwarden.flow.DomainLookup;
import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.testing.TestNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real path: dnsmasq in a test namespace, dig asking it over UDP (IPv4, IPv6) and TCP, and a
 * DnsSniffer opened inside that namespace naming the addresses. Needs root, dnsmasq and dig
 * (Debian: dnsmasq-base, bind9-dnsutils).
 */
class DnsSnifferTest {

    static final List<String> DNSMASQ = List.of("dnsmasq", "-k", "--no-resolv", "--no-hosts", "--bind-interfaces",
            "--listen-address=127.0.0.1,::1", "--local=/test/", "--local-ttl=300", "--pid-file=", "--user=root",
            "--host-record=testsite.test,10.53.0.10,fd53::10", "--host-record=edge.cdn.test,10.53.0.20,fd53::20",
            "--cname=www.testsite.test,edge.cdn.test", "--cname=c1.chain.test,c2.chain.test",
            "--cname=c2.chain.test,final.chain.test", "--host-record=final.chain.test,10.53.0.30");

    static boolean installed(String tool) {
        return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static String dig(TestNamespace ns, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "+short", "+time=2", "+tries=1"));
        command.addAll(List.of(args));
        return ns.exec(10, command).strip();
    }

    @Test
    void namesWhatProgramsInTheNamespaceResolve() throws Exception {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "needs root to create a network namespace and an AF_PACKET socket");
        Assumptions.assumeTrue(installed("dnsmasq") && installed("dig"),
                "needs dnsmasq and dig (apt-get install dnsmasq-base bind9-dnsutils)");
        try (TestNamespace ns = TestNamespace.create("dns")) {
            ns.start(DNSMASQ);
            DomainCache cache = new DomainCache(1024, Duration.ofHours(1), DomainLookup.NONE);
            try (DnsSniffer sniffer = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> DnsSniffer.open(cache))) {
                sniffer.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String first = "";
                while (!first.equals("10.53.0.10") && System.nanoTime() < deadline) {
                    try {
                        first = dig(ns, "@127.0.0.1", "testsite.test", "A");
                    } catch (IOException notYet) {
                        Thread.sleep(100); // dnsmasq still starting
                    }
                }
                assertThat(first).as("dnsmasq answers").isEqualTo("10.53.0.10");

                assertThat(dig(ns, "@::1", "testsite.test", "AAAA")).isEqualTo("fd53::10");
                assertThat(dig(ns, "+tcp", "@127.0.0.1", "www.testsite.test", "A")).endsWith("10.53.0.20");
                assertThat(dig(ns, "+tcp", "@::1", "www.testsite.test", "AAAA")).endsWith("fd53::20");
                assertThat(dig(ns, "@127.0.0.1", "c1.chain.test", "A")).endsWith("10.53.0.30");

                await("UDP/IPv4 answer", () -> "testsite.test".equals(cache.nameFor(ip("10.53.0.10"))));
                await("UDP/IPv6 answer", () -> "testsite.test".equals(cache.nameFor(ip("fd53::10"))));
                await("TCP/IPv4 answer", () -> "www.testsite.test".equals(cache.nameFor(ip("10.53.0.20"))));
                await("TCP/IPv6 answer", () -> "www.testsite.test".equals(cache.nameFor(ip("fd53::20"))));
                await("chain", () -> "c1.chain.test".equals(cache.nameFor(ip("10.53.0.30"))));
                assertThat(cache.canonicalFor(ip("10.53.0.20"))).isEqualTo("edge.cdn.test");
                assertThat(cache.canonicalFor(ip("10.53.0.30"))).isEqualTo("final.chain.test");

                DnsSniffer.Stats stats = sniffer.stats();
                assertThat(stats.answers().malformed()).isZero();
                assertThat(stats.malformedPackets()).isZero();
                assertThat(stats.answers().answers()).isGreaterThanOrEqualTo(5);
                // each answer seen once: PACKET_IGNORE_OUTGOING hides the sending copy on lo
                assertThat(stats.answers().messages()).as("messages %s", stats).isEqualTo(5); // five digs answered
                assertThat(sniffer.failure()).isNull();
            }
        }
    }

    @Test
    void doesNotSeeAnswersOfTheRootNamespace() throws Exception {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "needs root to create a network namespace and an AF_PACKET socket");
        Assumptions.assumeTrue(installed("dnsmasq") && installed("dig"),
                "needs dnsmasq and dig (apt-get install dnsmasq-base bind9-dnsutils)");
        try (TestNamespace ns = TestNamespace.create("dnsroot")) {
            ns.start(DNSMASQ);
            DomainCache cache = new DomainCache(1024, Duration.ofHours(1), DomainLookup.NONE);
            try (DnsSniffer sniffer = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> DnsSniffer.open(cache))) {
                sniffer.start();
                // An answer from port 53 over the root namespace's loopback (this JVM's namespace).
                try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
                     DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    receiver.bind(new InetSocketAddress("127.0.0.1", 0));
                    server.bind(new InetSocketAddress("127.77.0.1", 53));
                    server.send(ByteBuffer.wrap(answer("rootonly.test.", "10.53.0.99")), receiver.getLocalAddress());
                    ByteBuffer got = ByteBuffer.allocate(512);
                    receiver.receive(got);
                    assertThat(got.position()).as("the root answer was delivered").isPositive();
                }
                // then one inside the namespace: once that is named, the root one would have been too
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (cache.nameFor(ip("10.53.0.10")) == null && System.nanoTime() < deadline) {
                    try {
                        dig(ns, "@127.0.0.1", "testsite.test", "A");
                    } catch (IOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertThat(cache.nameFor(ip("10.53.0.10"))).isEqualTo("testsite.test");
                assertThat(cache.nameFor(ip("10.53.0.99"))).as("answer in the root namespace").isNull();
            }
        }
    }

    private static byte[] answer(String name, String address) throws IOException {
        Message m = new Message(4242);
        m.getHeader().setFlag(Flags.QR);
        Name owner = Name.fromString(name);
        m.addRecord(Record.newRecord(owner, Type.A, DClass.IN), Section.QUESTION);
        m.addRecord(new ARecord(owner, DClass.IN, 300, ip(address)), Section.ANSWER);
        return m.toWire();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
