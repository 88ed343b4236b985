package dev.netwarden.web;

import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/connections} as the Connections page uses it: sorted by a column, one screenful at
 * an offset, with the count of every match; bad sort keys and orders are a 400.
 */
class ConnectionsPageApiTest {
    @TempDir
    Path tmp;
    WebFixture web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void sortsByAnyColumnAndPagesWithTheTotal() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        var curl = WebFixture.process(30, "curl", "/usr/bin/curl", "root", List.of("curl"));
        var wget = WebFixture.process(10, "wget", "/usr/bin/wget", "root", List.of("wget"));
        var apt = WebFixture.process(20, "apt", "/usr/bin/apt", "root", List.of("apt"));
        web.open(Transport.TCP, curl, "192.0.2.3", 443, "c.example", 300, 3_000);
        web.open(Transport.TCP, wget, "192.0.2.1", 80, "a.example", 100, 9_000);
        web.open(Transport.TCP, apt, "192.0.2.2", 8080, null, 200, 1_000);
        web.server.sampler().sample();

        assertThat(pids("/api/connections?sort=pid")).containsExactly(10, 20, 30);
        assertThat(pids("/api/connections?sort=pid&order=desc")).containsExactly(30, 20, 10);
        assertThat(pids("/api/connections?sort=app")).containsExactly(20, 30, 10);
        assertThat(pids("/api/connections?sort=bytesIn&order=desc")).containsExactly(10, 30, 20);
        assertThat(pids("/api/connections?sort=remote")).containsExactly(10, 20, 30);
        assertThat(pids("/api/connections?sort=port")).containsExactly(10, 30, 20);
        assertThat(pids("/api/connections?sort=domain")).as("no domain sorts last").containsExactly(10, 30, 20);
        assertThat(pids("/api/connections?sort=domain&order=desc")).as("last in both directions").containsExactly(30, 10, 20);

        JsonNode page = web.get("/api/connections?sort=pid&offset=1&limit=1").json();
        assertThat(page.get("total").asInt()).as("every match is counted").isEqualTo(3);
        assertThat(page.get("connections").size()).isEqualTo(1);
        assertThat(page.get("connections").get(0).get("pid").asInt()).isEqualTo(20);
        JsonNode searched = web.get("/api/connections?q=example&sort=pid&offset=1").json();
        assertThat(searched.get("total").asInt()).isEqualTo(2);
        assertThat(searched.get("connections").get(0).get("pid").asInt()).isEqualTo(30);
        assertThat(web.get("/api/connections?offset=5").json().get("connections").size()).as("past the end").isZero();

        WebFixture.Answer badKey = web.get("/api/connections?sort=size");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().get("error").asString()).contains("sort must be one of", "rateIn");
        assertThat(web.get("/api/connections?sort=pid&order=up").status()).isEqualTo(400);
        assertThat(web.get("/api/connections?offset=-1").status()).isEqualTo(400);
    }

    private List<Integer> pids(String path) throws Exception {
        List<Integer> out = new ArrayList<>();
        web.get(path).json().get("connections").forEach(c -> out.add(c.get("pid").asInt()));
        return out;
    }
}
