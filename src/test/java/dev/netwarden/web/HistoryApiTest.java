package dev.netwarden.web;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The history endpoints over a real SQLite history written by the real writer. */
class HistoryApiTest {
    static final String XSS = "<img src=x onerror=alert(1)>.example";

    @TempDir
    Path tmp;
    WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        var curl = WebFixture.process(100, "curl", "/usr/bin/curl", "alice", List.of("curl", "-s", "https://a.example/"));
        var wget = WebFixture.process(101, "wget", "/usr/bin/wget", "bob", List.of("wget", "http://" + XSS + "/"));
        web.close(web.open(Transport.TCP, curl, "192.0.2.10", 443, "a.example", 0, 0), 1_000, 50_000);
        web.close(web.open(Transport.TCP, curl, "192.0.2.11", 443, "b.example", 0, 0), 2_000, 10_000);
        web.close(web.open(Transport.TCP, wget, "192.0.2.12", 80, XSS, 0, 0), 300, 700);
        web.bus.publish(new FlowEvent.Alert(0, System.currentTimeMillis(), AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, wget, null,
                "first connection by /usr/bin/wget"));
        web.flushHistory();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void connectionsFilteredAsTheCliFiltersThem() throws Exception {
        JsonNode all = web.get("/api/history?since=1h").json();
        assertThat(all.get("connections").size()).isEqualTo(3);
        JsonNode row = web.get("/api/history?since=1h&host=a.example").json().get("connections").get(0);
        assertThat(row.get("exe").asString()).isEqualTo("/usr/bin/curl");
        assertThat(row.get("bytes_in").asLong()).isEqualTo(50_000);
        assertThat(row.get("remote_address").asString()).isEqualTo("192.0.2.10");
        assertThat(row.get("cmdline").asString()).isEqualTo("curl -s https://a.example/");
        assertThat(row.get("start_ms").isIntegralNumber()).isTrue();
        assertThat(web.get("/api/history?app=wget").json().get("connections").size()).isEqualTo(1);
        assertThat(web.get("/api/history?address=192.0.2.8/29").json().get("connections").size()).isEqualTo(3);
        assertThat(web.get("/api/history?port=80").json().get("connections").size()).isEqualTo(1);
        assertThat(web.get("/api/history?user=alice&limit=1").json().get("connections").size()).isEqualTo(1);
        assertThat(web.get("/api/history?since=2026-01-01T00:00:00Z&until=2026-01-02").json().get("connections").size()).isZero();
        // The attacker's domain is a plain JSON string, byte for byte.
        assertThat(web.get("/api/history?app=wget").json().get("connections").get(0).get("domain").asString()).isEqualTo(XSS);
        assertThat(web.get("/api/history?app=wget").body()).contains("\"domain\":\"<img src=x onerror=alert(1)>.example\"");
    }

    @Test
    void csvIsADownload() throws Exception {
        WebFixture.Answer csv = web.get("/api/history?format=csv&since=1h");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"netwarden-history.csv\"");
        assertThat(csv.body()).startsWith("id,start_ms,end_ms,transport").contains("/usr/bin/wget");
        assertThat(csv.body().lines().count()).isEqualTo(4);
    }

    @Test
    void badParametersAre400() throws Exception {
        for (String q : List.of("since=yesterday", "until=10m&since=5m", "port=70000", "port=x", "address=host.example",
                "address=10.0.0.0/33", "action=drop", "proto=sctp", "direction=sideways", "limit=0", "format=xml", "colour=red",
                "app=a&app=b")) {
            WebFixture.Answer a = web.get("/api/history?" + q);
            assertThat(a.status()).as(q + " → " + a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asString()).isNotBlank();
        }
        assertThat(web.get("/api/history?since=yesterday").json().get("error").asString()).contains("'yesterday' is not a time");
    }

    @Test
    void appsAndOneAppsPage() throws Exception {
        JsonNode apps = web.get("/api/apps?since=1h").json().get("apps");
        assertThat(apps.get(0).get("exe").asString()).isEqualTo("/usr/bin/curl");
        assertThat(apps.get(0).get("name").asString()).isEqualTo("curl");
        assertThat(apps.get(0).get("connections").asLong()).isEqualTo(2);
        assertThat(apps.get(0).get("bytesIn").asLong()).isEqualTo(60_000);
        assertThat(apps.get(0).get("firstSeen").isIntegralNumber()).isTrue();

        Files.createDirectories(web.rulesDir);
        Files.writeString(web.rulesDir.resolve("curl-out.toml"), "action = \"deny\"\n[match]\nexe_regex = \"/curl$\"\n");
        Files.writeString(web.rulesDir.resolve("wget-out.toml"), "action = \"deny\"\n[match]\nexe = \"/usr/bin/wget\"\n");
        Files.writeString(web.rulesDir.resolve("any.toml"), "action = \"allow\"\n[match]\nhost = \"a.example\"\n");
        JsonNode d = web.get("/api/apps/detail?exe=/usr/bin/curl&since=1h").json();
        assertThat(d.get("name").asString()).isEqualTo("curl");
        assertThat(d.get("hashes").get(0).get("sha256").asString()).isEqualTo("ab".repeat(32));
        assertThat(d.get("step").asLong()).isEqualTo(60_000);
        long bytesIn = 0;
        long conns = 0;
        for (JsonNode s : d.get("series")) {
            bytesIn += s.get("bytesIn").asLong();
            conns += s.get("connections").asLong();
        }
        assertThat(bytesIn).isEqualTo(60_000);
        assertThat(conns).isEqualTo(2);
        assertThat(d.get("destinations").findValuesAsString("domain")).containsExactly("a.example", "b.example");
        assertThat(d.get("rules").findValuesAsString("id")).containsExactly("curl-out");
        assertThat(web.get("/api/apps/detail?exe=/usr/bin/wget&since=1h").json().get("alerts").get(0).get("kind").asString())
                .isEqualTo("first_connection_of_executable");
        assertThat(web.get("/api/apps/detail").status()).isEqualTo(400);
        assertThat(web.get("/api/apps/detail?exe=curl").status()).isEqualTo(400);
    }

    @Test
    void seriesByAppDomainAndPort() throws Exception {
        JsonNode byApp = web.get("/api/history/series?since=1h&by=app&step=minute").json();
        assertThat(byApp.get("step").asLong()).isEqualTo(60_000);
        assertThat(byApp.get("t").size()).isBetween(60, 61);
        assertThat(byApp.get("series").get(0).get("key").asString()).isEqualTo("/usr/bin/curl");
        long sum = 0;
        for (JsonNode b : byApp.get("series").get(0).get("bytes")) {
            sum += b.asLong();
        }
        assertThat(sum).isEqualTo(63_000);
        assertThat(byApp.get("series").get(0).get("bytes").size()).isEqualTo(byApp.get("t").size());
        JsonNode byDomain = web.get("/api/history/series?since=1h&by=domain").json();
        assertThat(byDomain.get("series").findValuesAsString("key")).containsExactly("a.example", "b.example", XSS);
        JsonNode byPort = web.get("/api/history/series?since=1h&by=port&step=hour").json();
        assertThat(byPort.get("series").findValuesAsString("key")).containsExactly("443", "80");
        assertThat(web.get("/api/history/series?by=colour").status()).isEqualTo(400);
        assertThat(web.get("/api/history/series?since=1w&step=minute").status()).isIn(200, 400);
        assertThat(web.get("/api/history/series?since=365d&step=minute").status()).isEqualTo(400);
    }

    @Test
    void alertsByKind() throws Exception {
        JsonNode a = web.get("/api/alerts?since=1h").json().get("alerts");
        assertThat(a.size()).isEqualTo(1);
        assertThat(a.get(0).get("exe").asString()).isEqualTo("/usr/bin/wget");
        assertThat(a.get(0).get("detail").asString()).isEqualTo("first connection by /usr/bin/wget");
        assertThat(web.get("/api/alerts?kind=comm_mismatch").json().get("alerts").size()).isZero();
        assertThat(web.get("/api/alerts?kind=first_connection_of_executable").json().get("alerts").size()).isEqualTo(1);
        assertThat(web.get("/api/alerts?kind=bogus").status()).isEqualTo(400);
    }
}
