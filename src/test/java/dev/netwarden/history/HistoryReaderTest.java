package dev.netwarden.history;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.history.HistoryReader.AppTotal;
import dev.netwarden.history.HistoryReader.DestinationTotal;
import dev.netwarden.history.HistoryReader.FirstSeenApp;
import dev.netwarden.history.HistoryReader.FirstSeenDomain;
import dev.netwarden.history.HistoryReader.HourBucket;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.netwarden.history.Events.closed;
import static dev.netwarden.history.Events.ip;
import static dev.netwarden.history.Events.opened;
import static dev.netwarden.history.Events.process;
import static org.assertj.core.api.Assertions.assertThat;

/** Every query and aggregate on a small known history, with the exact expected numbers. */
class HistoryReaderTest {
    /** 2023-11-14T22:00:00Z, an hour boundary. */
    static final long B = 1_699_999_200_000L;
    static final long MIN = 60_000L;
    static final long HOUR = 3_600_000L;

    @TempDir
    static Path dir;
    static HistoryStore store;
    static HistoryReader reader;

    /** Writes the known dataset (see the table in each test) through the real writer. */
    static void writeDataset(Path dataDir) throws Exception {
        ProcessSnapshot curl = process(100, 1, "alice", 1000, "curl", "/usr/bin/curl", "c0");
        ProcessSnapshot firefox = process(200, 2, "bob", 1001, "GeckoMain", "/usr/lib/firefox/firefox", "f0");
        Attribution unknown = Attribution.unknown("no socket owner found");
        try (HistoryStore s = HistoryStore.open(dataDir);
             HistoryWriter w = HistoryWriter.start(s, HistoryWriter.Options.defaults().withRetention(null)
                     .withFlushInterval(Duration.ofMillis(20)))) {
            w.publish(opened(1, B + 10 * MIN, Transport.TCP, "93.184.216.34", 443, Direction.OUTBOUND, Attribution.of(curl), "example.com"));
            w.publish(closed(1, B + 11 * MIN, 100, 1000));
            w.publish(opened(2, B + 70 * MIN, Transport.TCP, "93.184.216.35", 443, Direction.OUTBOUND, Attribution.of(curl), "www.example.com"));
            w.publish(closed(2, B + 71 * MIN, 200, 2000));
            w.publish(opened(3, B + 20 * MIN, Transport.TCP, "2606:4700::1111", 443, Direction.OUTBOUND, Attribution.of(firefox), "one.one.one.one"));
            w.publish(closed(3, B + 21 * MIN, 300, 30000));
            w.publish(opened(4, B + 130 * MIN, Transport.UDP, "10.0.0.53", 53, Direction.OUTBOUND, Attribution.of(firefox), null));
            w.publish(closed(4, B + 131 * MIN, -1, -1));
            w.publish(opened(5, B + 30 * MIN, Transport.TCP, "10.9.9.9", 5555, Direction.INBOUND, unknown, null));
            w.publish(closed(5, B + 31 * MIN, 50, 60));
            w.publish(new dev.netwarden.flow.FlowEvent.Opened(6, B + 75 * MIN, Transport.TCP, 2,
                    new dev.netwarden.socket.InetEndpoint(ip("0.0.0.0"), 8080), new dev.netwarden.socket.InetEndpoint(ip("0.0.0.0"), 0),
                    Direction.LISTEN, "LISTEN", Attribution.of(firefox), null, dev.netwarden.flow.InterceptionLevel.PASSIVE, 0));
            w.publish(opened(7, B + 80 * MIN, Transport.TCP, "::ffff:10.1.2.3", 80, Direction.OUTBOUND, Attribution.of(curl), null));
            w.publish(closed(7, B + 81 * MIN, 10, 20));
            w.publish(Events.alert(1, B + 10 * MIN, AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, curl, null, "first connection of /usr/bin/curl"));
            w.publish(Events.alert(3, B + 20 * MIN, AlertKind.COMM_MISMATCH, firefox, null, "comm GeckoMain is not firefox"));
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(w.stats().written()).isEqualTo(15);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        writeDataset(dir);
        store = HistoryStore.openReadOnly(dir);
        reader = new HistoryReader(store);
    }

    @AfterAll
    static void tearDown() {
        store.close();
    }

    static HistoryQuery all() {
        return HistoryQuery.between(B, B + 3 * HOUR);
    }

    private static List<Long> ids(HistoryQuery q) throws Exception {
        return reader.connections(q).stream().map(HistoryReader.ConnectionRecord::id).toList();
    }

    @Test
    void connectionsNewestFirstWithLimit() throws Exception {
        assertThat(ids(all())).containsExactly(4L, 7L, 6L, 2L, 5L, 3L, 1L);
        assertThat(ids(all().withLimit(2))).containsExactly(4L, 7L);
        assertThat(ids(HistoryQuery.between(B + 20 * MIN, B + 70 * MIN))).containsExactly(5L, 3L);
    }

    @Test
    void filters() throws Exception {
        assertThat(ids(all().withApp("firefox"))).containsExactly(4L, 6L, 3L);
        assertThat(ids(all().withApp("GeckoMain"))).containsExactly(4L, 6L, 3L);
        assertThat(ids(all().withExe("/usr/bin/curl"))).containsExactly(7L, 2L, 1L);
        assertThat(ids(all().withHost("*.example.com"))).containsExactly(2L, 1L);
        assertThat(ids(all().withHost("example.com"))).containsExactly(1L);
        assertThat(ids(all().withHost("*.ample.com"))).isEmpty();
        assertThat(ids(all().withAddress(ip("10.0.0.0"), 8))).containsExactly(4L, 7L, 5L);
        assertThat(ids(all().withAddress(ip("10.1.2.3"), 32))).containsExactly(7L);
        assertThat(ids(all().withAddress(ip("2606:4700::"), 32))).containsExactly(3L);
        assertThat(ids(all().withPort(443))).containsExactly(2L, 3L, 1L);
        assertThat(ids(all().withPort(22))).isEmpty();
        assertThat(ids(all().withPort(8080))).containsExactly(6L);
        assertThat(ids(all().withUser("bob"))).containsExactly(4L, 6L, 3L);
        assertThat(ids(all().withUser("1000"))).containsExactly(7L, 2L, 1L);
        assertThat(ids(all().withTransport("UDP"))).containsExactly(4L);
        assertThat(ids(all().withDirection("inbound"))).containsExactly(5L);
        assertThat(ids(all().withApp("curl").withPort(80))).containsExactly(7L);
        assertThat(ids(all().withApp("100%_"))).isEmpty(); // LIKE wildcards are literal
    }

    @Test
    void topAppsFromTheRollupAndFromRows() throws Exception {
        AppTotal firefox = new AppTotal("/usr/lib/firefox/firefox", "firefox", 3, 300, 30000);
        AppTotal curl = new AppTotal("/usr/bin/curl", "curl", 3, 310, 3020);
        AppTotal unknown = new AppTotal(null, null, 1, 50, 60);
        assertThat(reader.topApps(all())).containsExactly(firefox, curl, unknown);
        assertThat(reader.topApps(all().withLimit(1))).containsExactly(firefox);
        // partial first hour from rows, whole hours from the rollup
        assertThat(reader.topApps(HistoryQuery.between(B + 15 * MIN, B + 3 * HOUR))).containsExactly(
                firefox, new AppTotal("/usr/bin/curl", "curl", 2, 210, 2020), unknown);
        assertThat(reader.topApps(HistoryQuery.between(B + 15 * MIN, B + 75 * MIN))).containsExactly(
                new AppTotal("/usr/lib/firefox/firefox", "firefox", 1, 300, 30000), // the listener at B+75 is outside
                new AppTotal("/usr/bin/curl", "curl", 1, 200, 2000), unknown);
        assertThat(reader.topApps(all().withExe("/usr/bin/curl"))).containsExactly(curl);
        assertThat(reader.topApps(all().withUser("alice"))).containsExactly(curl); // rows, not the rollup
    }

    @Test
    void hourlySeries() throws Exception {
        assertThat(reader.hourly(all())).containsExactly(
                new HourBucket(B, 3, 450, 31060),
                new HourBucket(B + HOUR, 3, 210, 2020),
                new HourBucket(B + 2 * HOUR, 1, 0, 0));
        assertThat(reader.hourly(all().withApp("curl"))).containsExactly(
                new HourBucket(B, 1, 100, 1000),
                new HourBucket(B + HOUR, 2, 210, 2020),
                new HourBucket(B + 2 * HOUR, 0, 0, 0));
    }

    @Test
    void topDestinationsByBytesAndByConnections() throws Exception {
        assertThat(reader.topDestinations(all(), HistoryReader.DestinationOrder.BYTES)).containsExactly(
                new DestinationTotal("one.one.one.one", null, 1, 300, 30000),
                new DestinationTotal("www.example.com", null, 1, 200, 2000),
                new DestinationTotal("example.com", null, 1, 100, 1000),
                new DestinationTotal(null, ip("10.9.9.9"), 1, 50, 60),
                new DestinationTotal(null, ip("10.1.2.3"), 1, 10, 20),
                new DestinationTotal(null, ip("10.0.0.53"), 1, 0, 0));
        assertThat(reader.topDestinations(all().withApp("curl").withLimit(2), HistoryReader.DestinationOrder.CONNECTIONS))
                .containsExactly(new DestinationTotal("www.example.com", null, 1, 200, 2000),
                        new DestinationTotal("example.com", null, 1, 100, 1000));
    }

    @Test
    void firstSeenAppsAndDomains() throws Exception {
        assertThat(reader.firstSeenApps(all())).containsExactly(
                new FirstSeenApp("/usr/bin/curl", "c0", B + 10 * MIN),
                new FirstSeenApp("/usr/lib/firefox/firefox", "f0", B + 20 * MIN));
        assertThat(reader.firstSeenApps(HistoryQuery.between(B + 15 * MIN, B + HOUR))).containsExactly(
                new FirstSeenApp("/usr/lib/firefox/firefox", "f0", B + 20 * MIN));
        assertThat(reader.firstSeenDomains(all())).containsExactly(
                new FirstSeenDomain("example.com", B + 10 * MIN, "/usr/bin/curl"),
                new FirstSeenDomain("one.one.one.one", B + 20 * MIN, "/usr/lib/firefox/firefox"),
                new FirstSeenDomain("www.example.com", B + 70 * MIN, "/usr/bin/curl"));
        assertThat(reader.firstSeenDomains(all().withHost("*.example.com"))).hasSize(2);
    }

    @Test
    void alertsNewestFirst() throws Exception {
        assertThat(reader.alerts(all())).extracting(HistoryReader.AlertRecord::kind)
                .containsExactly("comm_mismatch", "first_connection_of_executable");
        assertThat(reader.alerts(all().withApp("curl"))).singleElement()
                .extracting(HistoryReader.AlertRecord::connectionId).isEqualTo(1L);
    }

    @Test
    void whatTheAlertDetectorRemembers() throws Exception {
        assertThat(reader.seenExecutables()).containsOnly(
                java.util.Map.entry("/usr/bin/curl", "c0"), java.util.Map.entry("/usr/lib/firefox/firefox", "f0"));
        assertThat(reader.seenExeDomains()).containsExactlyInAnyOrder(
                new ExeDomain("/usr/bin/curl", "example.com"),
                new ExeDomain("/usr/bin/curl", "www.example.com"),
                new ExeDomain("/usr/lib/firefox/firefox", "one.one.one.one"));
    }
}
