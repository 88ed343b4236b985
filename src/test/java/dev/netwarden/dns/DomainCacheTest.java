package dev.netwarden.dns;

import dev.netwarden.flow.DomainLookup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DomainCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private DomainCache cache(int capacity, Duration grace, DomainLookup fallback) {
        return new DomainCache(capacity, grace, fallback, now::get);
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static DnsAnswer answer(String name, String address, long ttl) {
        return new DnsAnswer(name, name, ip(address), ttl, List.of(name));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void namesAnAddressAndFallsBackOtherwise() {
        DomainCache c = cache(16, Duration.ZERO, a -> a.equals(ip("10.0.0.9")) ? "from-hosts" : null);
        c.learn(new DnsAnswer("www.testsite.test", "edge.cdn.test", ip("10.53.0.20"), 300,
                List.of("www.testsite.test", "edge.cdn.test")));
        assertThat(c.nameFor(ip("10.53.0.20"))).isEqualTo("www.testsite.test");
        assertThat(c.canonicalFor(ip("10.53.0.20"))).isEqualTo("edge.cdn.test");
        assertThat(c.nameFor(ip("10.0.0.9"))).isEqualTo("from-hosts");
        assertThat(c.nameFor(ip("10.0.0.8"))).isNull();
        assertThat(c.canonicalFor(ip("10.0.0.8"))).isNull();
    }

    @Test
    void dnsAnswerWinsOverTheFallback() {
        DomainCache c = cache(16, Duration.ZERO, a -> "from-hosts");
        c.learn(answer("from-dns.test", "10.0.0.1", 60));
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("from-dns.test");
    }

    @Test
    void theMostRecentNameWins() {
        DomainCache c = cache(16, Duration.ZERO, DomainLookup.NONE);
        c.learn(answer("first.test", "10.0.0.1", 60));
        c.learn(answer("second.test", "10.0.0.1", 60));
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("second.test");
        assertThat(c.stats().entries()).isEqualTo(1);
        assertThat(c.stats().learned()).isEqualTo(2);
    }

    @Test
    void expiresAfterTtlPlusGrace() {
        DomainCache c = cache(16, Duration.ofMinutes(10), a -> "fallback");
        c.learn(answer("short.test", "10.0.0.1", 30));
        advance(Duration.ofSeconds(30).plusMinutes(10).minusNanos(1));
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("short.test");
        advance(Duration.ofNanos(1));
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("fallback");
        assertThat(c.canonicalFor(ip("10.0.0.1"))).isNull();
    }

    @Test
    void expiredEntriesAreRemovedByLaterWrites() {
        DomainCache c = cache(16, Duration.ZERO, DomainLookup.NONE);
        c.learn(answer("old.test", "10.0.0.1", 1));
        advance(Duration.ofSeconds(2));
        c.learn(answer("new.test", "10.0.0.2", 60));
        assertThat(c.stats().entries()).isEqualTo(1);
        assertThat(c.stats().expired()).isEqualTo(1);
    }

    @Test
    void hugeTtlIsCapped() {
        DomainCache c = cache(16, Duration.ZERO, DomainLookup.NONE);
        c.learn(answer("forever.test", "10.0.0.1", 0xFFFF_FFFFL));
        advance(DomainCache.MAX_TTL);
        assertThat(c.nameFor(ip("10.0.0.1"))).isNull();
    }

    @Test
    void capacityEvictsTheOldestWrittenUnreadEntry() {
        DomainCache c = cache(3, Duration.ofHours(1), DomainLookup.NONE);
        c.learn(answer("a.test", "10.0.0.1", 60));
        c.learn(answer("b.test", "10.0.0.2", 60));
        c.learn(answer("c.test", "10.0.0.3", 60));
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("a.test"); // read: gets a second chance
        c.learn(answer("d.test", "10.0.0.4", 60));
        assertThat(c.stats().entries()).isEqualTo(3);
        assertThat(c.stats().evicted()).isEqualTo(1);
        assertThat(c.nameFor(ip("10.0.0.2"))).as("oldest unread goes").isNull();
        assertThat(c.nameFor(ip("10.0.0.1"))).isEqualTo("a.test");
        assertThat(c.nameFor(ip("10.0.0.4"))).isEqualTo("d.test");
    }

    @Test
    void secondChancesNeverEvictTheNewestEntry() {
        DomainCache c = cache(2, Duration.ofHours(1), DomainLookup.NONE);
        c.learn(answer("a.test", "10.0.0.1", 60));
        c.learn(answer("b.test", "10.0.0.2", 60));
        c.nameFor(ip("10.0.0.1"));
        c.nameFor(ip("10.0.0.2"));
        c.learn(answer("c.test", "10.0.0.3", 60));
        assertThat(c.nameFor(ip("10.0.0.3"))).isEqualTo("c.test");
        assertThat(c.stats().entries()).isEqualTo(2);
    }

    @Test
    void neverExceedsCapacityUnderLoad() {
        DomainCache c = cache(100, Duration.ofHours(1), DomainLookup.NONE);
        for (int i = 0; i < 10_000; i++) {
            c.learn(answer("n" + i + ".test", "10.1." + (i >>> 8 & 0xFF) + "." + (i & 0xFF), 60));
            if (i % 3 == 0) {
                c.nameFor(ip("10.1.0." + (i % 200)));
            }
            assertThat(c.stats().entries()).isLessThanOrEqualTo(100);
        }
        assertThat(c.stats().evicted()).isEqualTo(10_000 - 100);
    }

    @Test
    void concurrentReadersSeeWholeEntries() throws InterruptedException {
        DomainCache c = new DomainCache(64, Duration.ofHours(1), DomainLookup.NONE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        for (int i = 0; i < 256; i++) {
                            String name = c.nameFor(ip("10.2.0." + i));
                            if (name != null && !name.equals("host" + i + ".test")) {
                                throw new AssertionError("10.2.0." + i + " named " + name);
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 256; i++) {
                c.learn(answer("host" + i + ".test", "10.2.0." + i, 60));
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(c.stats().entries()).isLessThanOrEqualTo(64);
    }
}
