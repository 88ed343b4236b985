package dev.netwarden.web;

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

/** The rules endpoints on a real rules directory: what they write is what the rule-file parser reads. */
class RulesApiTest {
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
        web.close();
    }

    private List<String> files() throws Exception {
        if (!Files.isDirectory(web.rulesDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(web.rulesDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createReadListReplaceToggleDelete() throws Exception {
        WebFixture.Answer created = web.call("POST", "/api/rules", """
                {"id":"no-curl","description":"curl must not reach blocked.example","action":"deny","priority":5,
                 "conditions":{"exe":"/usr/bin/curl","host":["blocked.example","*.blocked.example"],"port":[443,"8000-8100"]}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode r = created.json();
        assertThat(r.get("id").asString()).isEqualTo("no-curl");
        assertThat(r.get("action").asString()).isEqualTo("deny");
        assertThat(r.get("priority").asInt()).isEqualTo(5);
        assertThat(r.get("enabled").asBoolean()).isTrue();
        assertThat(r.get("duration").asString()).isEqualTo("always");
        assertThat(r.get("conditions").get("host").toString()).isEqualTo("[\"blocked.example\",\"*.blocked.example\"]");
        assertThat(r.get("conditions").get("port").toString()).isEqualTo("[\"443\",\"8000-8100\"]");
        assertThat(r.get("hits").isNull()).isTrue(); // passive level: no decisions
        assertThat(r.get("path").asString()).isEqualTo(web.rulesDir.resolve("no-curl.toml").toString());
        String file = Files.readString(web.rulesDir.resolve("no-curl.toml"));
        assertThat(file).contains("action = \"deny\"", "priority = 5", "exe = \"/usr/bin/curl\"");

        assertThat(web.call("POST", "/api/rules", "{\"id\":\"no-curl\",\"action\":\"allow\"}").status()).isEqualTo(409);
        assertThat(Files.readString(web.rulesDir.resolve("no-curl.toml"))).isEqualTo(file);

        web.call("POST", "/api/rules", "{\"id\":\"allow-all\",\"action\":\"allow\",\"priority\":-5}");
        JsonNode list = web.get("/api/rules").json();
        assertThat(list.get("rules").findValuesAsString("id")).containsExactly("no-curl", "allow-all");
        assertThat(list.get("rules").get(0).get("order").asInt()).isEqualTo(1);
        assertThat(list.get("errors").size()).isZero();

        assertThat(web.get("/api/rules/no-curl").json().get("description").asString()).isEqualTo("curl must not reach blocked.example");
        JsonNode disabled = web.call("POST", "/api/rules/no-curl/disable", null).json();
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(Files.readString(web.rulesDir.resolve("no-curl.toml"))).contains("enabled = false");
        assertThat(web.call("POST", "/api/rules/no-curl/enable", null).json().get("enabled").asBoolean()).isTrue();

        // A rule read back can be sent back (read-only fields ignored), here with a new action.
        JsonNode read = web.get("/api/rules/no-curl").json();
        String edited = read.toString().replace("\"action\":\"deny\"", "\"action\":\"reject\"");
        WebFixture.Answer put = web.call("PUT", "/api/rules/no-curl", edited);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("action").asString()).isEqualTo("reject");
        assertThat(web.call("PUT", "/api/rules/other", edited).status()).isEqualTo(400); // ids differ
        assertThat(web.call("PUT", "/api/rules/missing", "{\"action\":\"deny\"}").status()).isEqualTo(404);

        assertThat(web.call("DELETE", "/api/rules/no-curl", null).status()).isEqualTo(200);
        assertThat(files()).containsExactly("allow-all.toml");
        assertThat(web.call("DELETE", "/api/rules/no-curl", null).status()).isEqualTo(404);
        assertThat(web.get("/api/rules/no-curl").status()).isEqualTo(404);
    }

    @Test
    void aRuleWithoutIdGetsOneAndTimedRulesExpire() throws Exception {
        WebFixture.Answer a = web.call("POST", "/api/rules", "{\"action\":\"deny\",\"conditions\":{\"exe\":[\"/usr/bin/wget\"]}}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("id").asString()).isEqualTo("deny-wget");
        WebFixture.Answer timed = web.call("POST", "/api/rules", "{\"id\":\"for-a-while\",\"action\":\"allow\",\"duration\":\"30m\"}");
        assertThat(timed.status()).as(timed.body()).isEqualTo(201);
        long expires = timed.json().get("expires").asLong();
        assertThat(expires).isBetween(System.currentTimeMillis() + 29 * 60_000L, System.currentTimeMillis() + 31 * 60_000L);
        WebFixture.Answer untilExit = web.call("POST", "/api/rules", "{\"id\":\"mine\",\"action\":\"allow\",\"duration\":\"until-exit\",\"pid\":"
                + ProcessHandle.current().pid() + "}");
        assertThat(untilExit.status()).as(untilExit.body()).isEqualTo(201);
        assertThat(untilExit.json().get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void badRulesAre400WithTheParsersWordsAndWriteNothing() throws Exception {
        String[][] cases = {
                {"{\"id\":\"a\",\"action\":\"drop\"}", "action: 'drop' is not one of allow, deny, reject"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":{\"port\":70000}}", "conditions.port:"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":{\"host_regex\":[\"(unclosed\"]}}", "conditions.host_regex:"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":{\"hots\":[\"x\"]}}", "conditions.hots: unknown condition; known:"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":{\"exe\":\"curl\"}}", "conditions.exe:"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"priority\":5000}", "priority: must be an integer -1000..1000"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"duration\":\"forever\"}", "duration: 'forever' is not always, once, until-exit"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"duration\":\"until-restart\"}", "until-restart"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"duration\":\"until-exit\"}", "needs \"pid\""},
                {"{\"id\":\"a\",\"action\":\"deny\",\"pid\":1}", "pid: only for duration"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"enabled\":\"yes\"}", "enabled: must be true or false"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"colour\":\"red\"}", "unknown field \"colour\""},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":[]}", "conditions must be an object"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"conditions\":{\"exe\":{\"x\":1}}}", "conditions.exe: must be a string"},
                {"{\"id\":\"../../etc/evil\",\"action\":\"deny\"}", "rule id '../../etc/evil' must be"},
                {"{\"id\":\".hidden\",\"action\":\"deny\"}", "rule id '.hidden' must be"},
                {"{\"id\":\"a\"}", "action: missing"},
                {"{\"id\":\"a\",\"action\":\"deny\"", "malformed JSON"},
                {"{\"id\":\"a\",\"action\":\"deny\",\"action\":\"allow\"}", "malformed JSON"},
                {"[1]", "must be a JSON object"},
        };
        for (String[] c : cases) {
            WebFixture.Answer a = web.call("POST", "/api/rules", c[0]);
            assertThat(a.status()).as(c[0] + " → " + a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asString()).as(c[0]).contains(c[1]);
        }
        assertThat(files()).isEmpty();
        assertThat(Files.exists(tmp.resolve("etc"))).isFalse();
    }

    @Test
    void pathTraversalInRuleIdsIs400AndTouchesNothing() throws Exception {
        Files.createDirectories(web.rulesDir);
        Path outside = tmp.resolve("outside.toml");
        Files.writeString(outside, "action = \"deny\"\n");
        for (String id : List.of("..%2Foutside", "%2e%2e", "..", "a%00b", "-x", "a%2Fb")) {
            for (String[] call : new String[][] {{"GET", ""}, {"DELETE", ""}, {"PUT", "{\"action\":\"allow\"}"}, {"POST", null}}) {
                String path = "/api/rules/" + id + (call[0].equals("POST") ? "/disable" : "");
                WebFixture.Answer a = web.call(call[0], path, call[1] == null || call[1].isEmpty() ? null : call[1]);
                assertThat(a.status()).as(call[0] + " " + path + " → " + a.body()).isIn(400, 404);
            }
        }
        assertThat(Files.readString(outside)).isEqualTo("action = \"deny\"\n");
        assertThat(files()).isEmpty();
    }

    @Test
    void brokenFilesAreListedAndRefusedForToggling() throws Exception {
        Files.createDirectories(web.rulesDir);
        Files.writeString(web.rulesDir.resolve("broken.toml"), "action = \"deny\"\n[match]\nport = 99999\n");
        JsonNode list = web.get("/api/rules").json();
        assertThat(list.get("rules").size()).isZero();
        JsonNode e = list.get("errors").get(0);
        assertThat(e.get("path").asString()).endsWith("broken.toml");
        assertThat(e.get("line").asInt()).isEqualTo(3);
        assertThat(e.get("key").asString()).isEqualTo("match.port");
        WebFixture.Answer toggle = web.call("POST", "/api/rules/broken/disable", null);
        assertThat(toggle.status()).isEqualTo(409);
        assertThat(toggle.json().get("error").asString()).contains("conditions.port");
        assertThat(Files.readString(web.rulesDir.resolve("broken.toml"))).contains("port = 99999");
        assertThat(web.get("/api/rules/broken").status()).isEqualTo(409);
    }

    @Test
    void testSaysWhichRuleDecidesWithoutUsingUpOnceRules() throws Exception {
        web.call("POST", "/api/rules", "{\"id\":\"once-curl\",\"action\":\"reject\",\"duration\":\"once\",\"conditions\":{\"exe\":[\"/usr/bin/curl\"],\"host\":[\"*.example\"]}}");
        for (int i = 0; i < 2; i++) {
            JsonNode t = web.call("POST", "/api/rules/test", "{\"exe\":\"/usr/bin/curl\",\"host\":\"a.example\",\"port\":443}").json();
            assertThat(t.get("decision").asString()).isEqualTo("reject");
            assertThat(t.get("ruleId").asString()).isEqualTo("once-curl");
            assertThat(t.get("reason").asString()).contains("rule once-curl", "a.example");
        }
        JsonNode none = web.call("POST", "/api/rules/test", "{\"exe\":\"/usr/bin/wget\",\"host\":\"a.example\"}").json();
        assertThat(none.get("decision").asString()).isEqualTo("default");
        assertThat(none.get("ruleId").isNull()).isTrue();
        assertThat(web.call("POST", "/api/rules/test", "{\"address\":\"not-an-ip\"}").status()).isEqualTo(400);
        assertThat(web.call("POST", "/api/rules/test", "{\"protocol\":\"sctp\"}").json().get("error").asString())
                .isEqualTo("protocol: 'sctp' is not one of tcp, udp, icmp, raw");
        assertThat(web.call("POST", "/api/rules/test", "{\"port\":70000}").status()).isEqualTo(400);
        assertThat(web.call("POST", "/api/rules/test", "{\"domain\":\"x\"}").status()).isEqualTo(400);
        assertThat(files()).containsExactly("once-curl.toml");
    }

    @Test
    void hitsCountDecisionsWhenAFirewallRuns(@TempDir Path other) throws Exception {
        web.close();
        web = new WebFixture(other, false, true);
        web.login();
        web.call("POST", "/api/rules", "{\"id\":\"counted\",\"action\":\"deny\"}");
        web.bus.publish(new dev.netwarden.flow.FlowEvent.Decided(1, System.currentTimeMillis(), "deny", "counted", "rule counted"));
        web.bus.publish(new dev.netwarden.flow.FlowEvent.Decided(2, System.currentTimeMillis(), "deny", "counted", "rule counted"));
        web.bus.publish(new dev.netwarden.flow.FlowEvent.Decided(3, System.currentTimeMillis(), "allow", null, "default action allow"));
        assertThat(web.get("/api/rules/counted").json().get("hits").asLong()).isEqualTo(2);
        assertThat(web.get("/api/overview").json().get("counters").get("blocked").asLong()).isEqualTo(2);
    }
}
