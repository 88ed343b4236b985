package dev.netwarden.cli;

import dev.netwarden.history.TimeArgument;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.HistoryWriter;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code netwarden history} in-process through picocli, on a real history with a hostile process. */
class HistoryCommandTest {
    static final long T = Instant.parse("2026-11-27T10:15:00Z").toEpochMilli();
    static final String EVIL_COMM = "ev\u001b]0;owned\u0007il";
    static final String EVIL_DOMAIN = "x\u001b[2Jy.test";

    @TempDir
    static Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void history() throws Exception {
        ProcessSnapshot evil = new ProcessSnapshot(new ProcessInfo(66, 1, 1000, "mallory", EVIL_COMM, "/tmp/=evil,bin",
                false, List.of("/tmp/=evil,bin", "\u001b[31mred"), 7, null, null), "ee", null, List.of());
        try (HistoryStore s = HistoryStore.open(dir);
             HistoryWriter w = HistoryWriter.start(s, HistoryWriter.Options.defaults().withRetention(null)
                     .withFlushInterval(Duration.ofMillis(20)))) {
            w.publish(new FlowEvent.Opened(1, T, Transport.TCP, 2, new InetEndpoint(InetAddress.getByName("10.0.0.2"), 40000),
                    new InetEndpoint(InetAddress.getByName("10.0.0.80"), 443), Direction.OUTBOUND, "ESTAB",
                    Attribution.of(evil), EVIL_DOMAIN, InterceptionLevel.PASSIVE, 0));
            w.publish(new FlowEvent.Closed(1, T + 1000, "CLOSED", new dev.netwarden.flow.Counters(1536, 3 * 1024 * 1024, 2, 3)));
            w.publish(new FlowEvent.Opened(2, T + 60_000, Transport.UDP, 10, new InetEndpoint(InetAddress.getByName("::1"), 5353),
                    new InetEndpoint(InetAddress.getByName("::1"), 53), Direction.OUTBOUND, "UNCONN",
                    Attribution.unknown("exited"), null, InterceptionLevel.PASSIVE, 0));
            if (!w.flush(Duration.ofSeconds(10))) {
                throw new AssertionError("history not written");
            }
        }
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String[] args(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("history", "--data-dir", dir.toString(),
                "--since", "2026-11-27T10:00:00Z", "--until", "2026-11-27T12:00:00Z"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void tableEscapesHostileNamesAndShowsHumanBytes() {
        assertThat(run(args())).isZero();
        String table = out.toString();
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(table).contains("ev\\x1b]0;owned\\x07il", "x\\x1b[2Jy.test", "1.5 KiB", "3.0 MiB", "mallory",
                "10.0.0.80:443", "[::1]:53", "exited");
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("Start").contains("Proto", "Remote", "Domain", "Out", "In", "App", "Exe");
        assertThat(lines.get(1)).contains("udp").contains(" - "); // unknown bytes shown as "-", not 0
        assertThat(lines.get(0).indexOf("Proto")).isEqualTo(lines.get(1).indexOf("udp")); // aligned
    }

    @Test
    void jsonIsTheDocumentedSchemaAndDecodesToTheExactNames() throws Exception {
        assertThat(run(args("--json"))).isZero();
        assertThat(out.toString()).doesNotContain("\u001b");
        JsonNode doc = JsonMapper.builder().build().readTree(out.toString());
        assertThat(doc.get("schema").asString()).isEqualTo("netwarden.history/1");
        assertThat(doc.get("view").asString()).isEqualTo("connections");
        assertThat(doc.get("from_ms").asLong()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli());
        JsonNode rows = doc.get("rows");
        assertThat(rows).hasSize(2);
        JsonNode tcp = rows.get(1);
        assertThat(tcp.get("comm").asString()).isEqualTo(EVIL_COMM);
        assertThat(tcp.get("domain").asString()).isEqualTo(EVIL_DOMAIN);
        assertThat(tcp.get("bytes_in").asLong()).isEqualTo(3 * 1024 * 1024);
        assertThat(tcp.get("start_ms").asLong()).isEqualTo(T);
        assertThat(tcp.get("remote_address").asString()).isEqualTo("10.0.0.80");
        assertThat(rows.get(0).get("bytes_out").isNull()).isTrue();
        assertThat(rows.get(0).get("unknown_reason").asString()).isEqualTo("exited");
    }

    @Test
    void csvHasAHeaderAndGuardsFormulas() {
        assertThat(run(args("--csv", "--proto", "tcp"))).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).startsWith("id,start_ms,end_ms,transport,direction,family,local_address,local_port,");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("2026-11-27T10:15:00Z", "\"'/tmp/=evil,bin\"".replace("'/", "/"),
                "ev\\x1b]0;owned\\x07il", ",1536,3145728,").doesNotContain("\u001b");
    }

    @Test
    void aggregateViews() {
        assertThat(run(args("--top", "apps"))).isZero();
        assertThat(out.toString()).contains("=evil,bin", "3.0 MiB").contains("(unknown)");
        out.getBuffer().setLength(0);
        assertThat(run(args("--top", "destinations", "--json"))).isZero();
        assertThat(out.toString()).contains("\"view\":\"top_destinations\"", "\"bytes\":3147264");
        out.getBuffer().setLength(0);
        assertThat(run(args("--series", "hourly", "--csv"))).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("hour_ms,connections,bytes_out,bytes_in",
                "2026-11-27T10:00:00Z,2,1536,3145728", "2026-11-27T11:00:00Z,0,0,0");
        out.getBuffer().setLength(0);
        assertThat(run(args("--first-seen", "domains", "--json"))).isZero();
        assertThat(out.toString()).contains("\"domain\":\"x\\u001b[2Jy.test\"");
        out.getBuffer().setLength(0);
        assertThat(run(args("--first-seen", "apps"))).isZero();
        assertThat(out.toString()).contains("/tmp/=evil,bin");
        out.getBuffer().setLength(0);
        assertThat(run(args("--alerts"))).isZero();
        assertThat(out.toString().lines().toList()).hasSize(1); // header only
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("history", "--data-dir", dir.toString(), "--since", "yesterday-ish")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'yesterday-ish' is not a time");
        assertThat(run(args("--top", "bytes"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--top: 'bytes' is not one of apps, destinations");
        assertThat(run(args("--addr", "example.com"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(run(args("--addr", "10.0.0.0/33"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(run(args("--json", "--csv"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(run(args("--top", "apps", "--alerts"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(run(args("--limit", "0"))).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("history", "--since", "1h", "--until", "2h")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--until is before --since");
    }

    @Test
    void aDirectoryWithoutHistoryIsAClearError(@TempDir Path empty) {
        assertThat(run("history", "--data-dir", empty.toString())).isEqualTo(Main.EXIT_KERNEL);
        assertThat(err.toString()).contains("no history at " + empty + ": is the daemon running with --data-dir " + empty + "?");
    }

    @Test
    void filtersReachTheQuery() {
        assertThat(run(args("--addr", "10.0.0.0/24", "--port", "443", "--user", "mallory", "--direction", "outbound",
                "--host", "*.test", "--csv"))).isZero();
        assertThat(out.toString().lines().toList()).hasSize(2).last().asString().startsWith("1,");
        out.getBuffer().setLength(0);
        assertThat(run(args("--user", "bob", "--csv"))).isZero();
        assertThat(out.toString().lines().toList()).hasSize(1);
        out.getBuffer().setLength(0);
        assertThat(run(args("--addr", "::1", "--csv"))).isZero();
        assertThat(out.toString().lines().toList()).hasSize(2).last().asString().startsWith("2,");
    }

    @Test
    void relativeAndIsoTimes() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(TimeArgument.parse("15m", now, ZoneId.of("UTC"))).isEqualTo(now.minusSeconds(900).toEpochMilli());
        assertThat(TimeArgument.parse("7d", now, ZoneId.of("UTC"))).isEqualTo(now.minusSeconds(7 * 86400).toEpochMilli());
        assertThat(TimeArgument.parse("2026-11-27", now, ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-11-27T00:00:00Z").toEpochMilli());
        assertThat(TimeArgument.parse("2026-11-27 10:30", now, ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2026-11-27T09:30:00Z").toEpochMilli());
    }
}
