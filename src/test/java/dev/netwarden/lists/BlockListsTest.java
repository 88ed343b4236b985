package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BlockLists against real files and a real HTTP server on 127.0.0.1. */
class BlockListsTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private volatile String body = "ads.example.com\n";
    private volatile String etag = "\"v1\"";
    private volatile boolean chunked;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private static final String LAST_MODIFIED = "Wed, 25 Nov 2026 10:00:00 GMT";

    private String startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/list.txt", exchange -> {
            String inm = exchange.getRequestHeaders().getFirst("If-None-Match");
            String ims = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            requests.add(inm + "|" + ims);
            exchange.getResponseHeaders().add("ETag", etag);
            exchange.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
            if (etag.equals(inm)) {
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, chunked ? 0 : b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/list.txt";
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private BlockLists lists(ListSource source, long maxBytes) {
        BlockLists.Options o = new BlockLists.Options(Duration.ofSeconds(2), Duration.ofSeconds(5), maxBytes, Duration.ofMinutes(5));
        return new BlockLists(List.of(source), dir.resolve("cache"), o);
    }

    @Test
    void urlListConditionalGetLifecycle() throws Exception {
        String url = startServer();
        ListSource source = new ListSource("ads", url, null, Duration.ofHours(1));
        try (BlockLists lists = lists(source, 1 << 20)) {
            assertThat(lists.containsDomain("ads", "x.ads.example.com")).isFalse(); // nothing before the first load

            assertThat(lists.refreshNow("ads")).isTrue();
            assertThat(requests).containsExactly("null|null"); // first fetch is unconditional
            assertThat(lists.containsDomain("ads", "x.ads.example.com")).isTrue();
            assertThat(lists.containsDomain("ads", "example.com")).isFalse();
            assertThat(lists.containsDomain("other", "ads.example.com")).isFalse();
            ParsedList first = lists.current("ads");
            assertThat(lists.stats().getFirst().origin()).isEqualTo("network");

            // Unchanged: 304, the same copy stays.
            assertThat(lists.refreshNow("ads")).isTrue();
            assertThat(requests.get(1)).isEqualTo("\"v1\"|" + LAST_MODIFIED);
            assertThat(lists.current("ads")).isSameAs(first);

            // Changed: 200 replaces it.
            body = "tracker.example.net\n";
            etag = "\"v2\"";
            assertThat(lists.refreshNow("ads")).isTrue();
            assertThat(lists.current("ads")).isNotSameAs(first);
            assertThat(lists.containsDomain("ads", "ads.example.com")).isFalse();
            assertThat(lists.containsDomain("ads", "tracker.example.net")).isTrue();

            // An error page served with 200 parses to nothing: rejected, the copy stays.
            body = "<html><body>Service Unavailable</body></html>\n";
            etag = "\"v3\"";
            assertThat(lists.refreshNow("ads")).isFalse();
            assertThat(lists.stats().getFirst().lastError()).startsWith("no entries, 1 bad lines as domains");
            assertThat(lists.containsDomain("ads", "tracker.example.net")).isTrue();

            // Server down: the last good copy stays, the error is reported.
            server.stop(0);
            server = null;
            assertThat(lists.refreshNow("ads")).isFalse();
            ListStats stats = lists.stats().getFirst();
            assertThat(stats.lastError()).isNotBlank();
            assertThat(stats.lastErrorAt()).isNotNull();
            assertThat(stats.domains()).isEqualTo(1);
            assertThat(lists.containsDomain("ads", "tracker.example.net")).isTrue();
        }
    }

    @Test
    void theCacheServesARestartWithoutTheNetwork() throws Exception {
        String url = startServer();
        ListSource source = new ListSource("ads", url, null, Duration.ofHours(1));
        try (BlockLists lists = lists(source, 1 << 20)) {
            assertThat(lists.refreshNow("ads")).isTrue();
        }
        server.stop(0);
        server = null;
        try (BlockLists restarted = lists(source, 1 << 20)) {
            restarted.start(); // the cached copy is fresher than the interval: no download is attempted
            waitFor(() -> restarted.containsDomain("ads", "ads.example.com"));
            ListStats stats = restarted.stats().getFirst();
            assertThat(stats.origin()).isEqualTo("cache");
            assertThat(stats.lastError()).isNull();
        }
        assertThat(requests).hasSize(1);
    }

    @Test
    void aTooLargeBodyIsRefused() throws Exception {
        String url = startServer();
        body = "a.example.com\n".repeat(100);
        ListSource source = new ListSource("big", url, null, Duration.ofHours(1));
        try (BlockLists lists = lists(source, 1000)) {
            assertThat(lists.refreshNow("big")).isFalse();
            assertThat(lists.stats().getFirst().lastError()).isEqualTo("list is 1400 bytes, over the cap of 1000");
            chunked = true; // no Content-Length: the cap applies while reading
            assertThat(lists.refreshNow("big")).isFalse();
            assertThat(lists.stats().getFirst().lastError()).isEqualTo("list is over the cap of 1000 bytes");
            assertThat(lists.current("big")).isNull();
        }
    }

    @Test
    void fileListsReloadWhenTheFileChanges() throws Exception {
        Path file = dir.resolve("block.txt");
        Files.writeString(file, "0.0.0.0 ads.example.com\n127.0.0.1 localhost\n");
        ListSource source = new ListSource("hosts", file.toString(), null, Duration.ofHours(1));
        try (BlockLists lists = lists(source, 1 << 20)) {
            assertThat(lists.refreshNow("hosts")).isTrue();
            ListStats s = lists.stats().getFirst();
            assertThat(s.format()).isEqualTo(ListFormat.HOSTS);
            assertThat(s.formatDetected()).isTrue();
            assertThat(s.skipped()).isEqualTo(1);
            assertThat(s.origin()).isEqualTo("file");
            ParsedList first = lists.current("hosts");
            assertThat(lists.refreshNow("hosts")).isTrue();
            assertThat(lists.current("hosts")).isSameAs(first); // unchanged: not re-parsed

            Files.writeString(file, "192.0.2.0/24\n2001:db8::/32\n");
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertThat(lists.refreshNow("hosts")).isTrue();
            assertThat(lists.containsAddress("hosts", InetAddress.getByName("192.0.2.9"))).isTrue();
            assertThat(lists.containsAddress("hosts", InetAddress.getByName("2001:db8::9"))).isTrue();
            assertThat(lists.containsDomain("hosts", "ads.example.com")).isFalse();

            Files.delete(file);
            assertThat(lists.refreshNow("hosts")).isFalse();
            assertThat(lists.containsAddress("hosts", InetAddress.getByName("192.0.2.9"))).isTrue();

            lists.recordHit("hosts");
            lists.recordHit("hosts");
            lists.recordHit("nope");
            assertThat(lists.stats().getFirst().hits()).isEqualTo(2);
            assertThat(lists.stats().getFirst().toMap()).containsEntry("hits", 2L).containsEntry("format", "addresses");
        }
    }

    /** Readers never see a missing list or an error while a writer swaps copies back and forth. */
    @Test
    void lookupsDuringSwapsAlwaysAnswer() throws Exception {
        Path file = dir.resolve("swap.txt");
        Files.writeString(file, "keep.example\nodd.example\n");
        ListSource source = new ListSource("swap", file.toString(), ListFormat.DOMAINS, Duration.ofHours(1));
        try (BlockLists lists = lists(source, 1 << 20)) {
            assertThat(lists.refreshNow("swap")).isTrue();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong wrong = new AtomicLong();
            AtomicLong lookups = new AtomicLong();
            Thread[] readers = new Thread[2];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        if (!lists.containsDomain("swap", "a.keep.example")) {
                            wrong.incrementAndGet();
                        }
                        lookups.incrementAndGet();
                    }
                });
            }
            for (int i = 0; i < 200; i++) {
                Files.writeString(file, i % 2 == 0 ? "keep.example\n" : "keep.example\nodd.example\n");
                Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L * (i + 2)));
                assertThat(lists.refreshNow("swap")).isTrue();
                assertThat(lists.containsDomain("swap", "odd.example")).isEqualTo(i % 2 != 0);
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(lookups.get()).isPositive();
            assertThat(wrong.get()).isZero();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
