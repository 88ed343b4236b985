package dev.netwarden.web;

import dev.netwarden.lists.BlockLists;
import dev.netwarden.lists.ListSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The block list endpoints on a real lists directory, with and without loaded lists. */
class ListsApiTest {
    @TempDir
    Path tmp;
    WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(tmp);
        web.login();
    }

    @AfterEach
    void stop() throws Exception {
        if (web.lists != null) {
            web.lists.close();
        }
        web.close();
    }

    private List<String> files() throws Exception {
        if (!Files.isDirectory(web.listsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(web.listsDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void addListCheckAndDelete() throws Exception {
        WebFixture.Answer a = web.call("POST", "/api/lists", "{\"name\":\"ads\",\"content\":\"ads.example\\ntracker.example\\n\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("entries").asLong()).isEqualTo(2);
        assertThat(a.json().get("format").asString()).isEqualTo("domains");
        assertThat(a.json().get("loaded").asBoolean()).isFalse();
        WebFixture.Answer hosts = web.call("POST", "/api/lists", "{\"name\":\"hosts-style\",\"content\":\"0.0.0.0 bad.example\\n\",\"format\":\"hosts\"}");
        assertThat(hosts.status()).as(hosts.body()).isEqualTo(201);
        WebFixture.Answer url = web.call("POST", "/api/lists", "{\"name\":\"remote\",\"url\":\"https://lists.example/ads.txt\"}");
        assertThat(url.status()).as(url.body()).isEqualTo(201);
        assertThat(url.json().get("source").asString()).isEqualTo("https://lists.example/ads.txt");
        assertThat(url.json().get("entries").asLong()).isEqualTo(-1);
        WebFixture.Answer nets = web.call("POST", "/api/lists", "{\"name\":\"nets\",\"content\":\"192.0.2.0/24\\n\",\"format\":\"addresses\"}");
        assertThat(nets.status()).as(nets.body()).isEqualTo(201);
        assertThat(files()).containsExactly("ads.list", "hosts-style.hosts", "nets.list", "remote.url");
        assertThat(Files.readString(web.listsDir.resolve("remote.url"))).contains("\nhttps://lists.example/ads.txt\n");

        JsonNode list = web.get("/api/lists").json().get("lists");
        assertThat(list.findValuesAsString("name")).containsExactly("ads", "hosts-style", "nets", "remote");

        JsonNode m = web.call("POST", "/api/lists/check", "{\"domain\":\"x.ads.example\"}").json().get("matches");
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.get(0).get("list").asString()).isEqualTo("ads");
        assertThat(m.get(0).get("entry").asString()).isEqualTo("ads.example");
        JsonNode n = web.call("POST", "/api/lists/check", "{\"address\":\"192.0.2.77\"}").json().get("matches");
        assertThat(n.get(0).get("list").asString()).isEqualTo("nets");
        assertThat(n.get(0).get("entry").asString()).isEqualTo("192.0.2.0/24");
        assertThat(web.call("POST", "/api/lists/check", "{\"domain\":\"fine.example\"}").json().get("matches").size()).isZero();

        assertThat(web.call("POST", "/api/lists", "{\"name\":\"ads\",\"content\":\"other.example\\n\"}").status()).isEqualTo(409);
        assertThat(Files.readString(web.listsDir.resolve("ads.list"))).isEqualTo("ads.example\ntracker.example\n");
        assertThat(web.call("DELETE", "/api/lists/ads", null).status()).isEqualTo(200);
        assertThat(web.call("DELETE", "/api/lists/ads", null).status()).isEqualTo(404);
        assertThat(files()).containsExactly("hosts-style.hosts", "nets.list", "remote.url");
    }

    @Test
    void loadedListsShowTheFirewallsCountsAndHits() throws Exception {
        Files.createDirectories(web.listsDir);
        Files.writeString(web.listsDir.resolve("ads.list"), "ads.example\n");
        BlockLists lists = new BlockLists(List.of(ListSource.of("ads", web.listsDir.resolve("ads.list").toString())),
                tmp.resolve("cache"), BlockLists.Options.defaults());
        assertThat(lists.refreshNow("ads")).isTrue();
        lists.recordHit("ads");
        lists.recordHit("ads");
        web.lists = lists;
        JsonNode l = web.get("/api/lists").json().get("lists").get(0);
        assertThat(l.get("loaded").asBoolean()).isTrue();
        assertThat(l.get("hits").asLong()).isEqualTo(2);
        assertThat(l.get("entries").asLong()).isEqualTo(1);
        assertThat(l.get("lastRefresh").isNumber()).isTrue();
    }

    @Test
    void badInputIs400AndWritesNothing() throws Exception {
        String[][] cases = {
                {"{\"name\":\"../evil\",\"content\":\"a.example\"}", "list name '../evil'"},
                {"{\"name\":\".hidden\",\"content\":\"a.example\"}", "list name '.hidden'"},
                {"{\"name\":\"a/b\",\"content\":\"a.example\"}", "list name 'a/b'"},
                {"{\"name\":\"x\"}", "give either \"url\""},
                {"{\"name\":\"x\",\"url\":\"https://a/\",\"content\":\"a\"}", "give either \"url\""},
                {"{\"name\":\"x\",\"url\":\"file:///etc/passwd\"}", "url: must be an http"},
                {"{\"name\":\"x\",\"url\":\"https://a.example/x\\nhttps://b\"}", "url:"},
                {"{\"name\":\"x\",\"content\":\"a.example\",\"format\":\"csv\"}", "unknown list format 'csv'"},
                {"{\"name\":\"x\",\"content\":\"not an address\\n\",\"format\":\"addresses\"}", "no entries could be read as addresses"},
                {"{\"name\":\"x\",\"content\":\"a.example\",\"colour\":1}", "unknown field \"colour\""},
                {"{\"name\":1,\"content\":\"a.example\"}", "\"name\" must be a string"},
        };
        for (String[] c : cases) {
            WebFixture.Answer a = web.call("POST", "/api/lists", c[0]);
            assertThat(a.status()).as(c[0] + " → " + a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asString()).as(c[0]).contains(c[1]);
        }
        for (String name : List.of("..", "%2e%2e", "..%2Fetc", "a%2Fb", ".x")) {
            assertThat(web.call("DELETE", "/api/lists/" + name, null).status()).as(name).isIn(400, 404);
        }
        assertThat(web.call("POST", "/api/lists/check", "{}").status()).isEqualTo(400);
        assertThat(web.call("POST", "/api/lists/check", "{\"address\":\"a.b\"}").status()).isEqualTo(400);
        assertThat(web.call("POST", "/api/lists/check", "{\"domain\":\"a\",\"address\":\"1.2.3.4\"}").status()).isEqualTo(400);
        assertThat(files()).isEmpty();
        assertThat(Files.exists(tmp.resolve("evil.list"))).isFalse();
    }
}
