package dev.netwarden.web;

import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The field terms of {@code GET /api/connections?q=} against the real server with live flows: each
 * field alone, terms and words together (ANDed), quoting, and every kind of malformed term as a 400
 * that names the fields or says what the value must be.
 */
class ConnectionFilterApiTest {
    @TempDir
    Path tmp;
    WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(tmp);
        web.login();
        var curl = WebFixture.process(30, "curl", "/usr/bin/curl", "root", List.of("curl", "https://www.example.com/"));
        var resolver = WebFixture.process(10, "resolver", "/usr/sbin/resolver", "alice", List.of("resolver"));
        var sshd = WebFixture.process(20, "sshd", "/usr/sbin/sshd", "root", List.of("sshd"));
        web.open(Transport.TCP, curl, "192.0.2.3", 443, "www.example.com", 300, 3_000);
        web.open(Transport.UDP, resolver, "2001:db8::5", 53, null, 100, 200);
        web.listen(Transport.TCP, sshd, "0.0.0.0", 22);
        web.server.sampler().sample();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void eachFieldNarrowsTheList() throws Exception {
        assertThat(pids("")).containsExactly(10, 20, 30);
        assertThat(pids("proto:tcp")).containsExactly(20, 30);
        assertThat(pids("proto:UDP")).as("values ignore case").containsExactly(10);
        assertThat(pids("port:443")).containsExactly(30);
        assertThat(pids("port:22")).as("either end: a listener's own port").containsExactly(20);
        assertThat(pids("port:50-60")).containsExactly(10);
        assertThat(pids("state:estab")).as("a state's beginning").containsExactly(30);
        assertThat(pids("state:LISTEN")).containsExactly(20);
        assertThat(pids("app:cur")).containsExactly(30);
        assertThat(pids("app:/usr/sbin/")).as("the executable too").containsExactly(10, 20);
        assertThat(pids("user:alice")).containsExactly(10);
        assertThat(pids("user:0")).as("a uid").containsExactly(10, 20, 30);
        assertThat(pids("dir:outbound")).containsExactly(10, 30);
        assertThat(pids("dir:out")).containsExactly(10, 30);
        assertThat(pids("dir:listen")).containsExactly(20);
        assertThat(pids("dir:in")).isEmpty();
        assertThat(pids("ip:6")).containsExactly(10);
        assertThat(pids("ip:ipv4")).containsExactly(20, 30);
        assertThat(pids("host:example.com")).as("a domain covers its subdomains").containsExactly(30);
        assertThat(pids("host:*.example.com")).containsExactly(30);
        assertThat(pids("host:www.example.com")).containsExactly(30);
        assertThat(pids("host:ample.com")).as("not a substring").isEmpty();
        assertThat(pids("addr:192.0.2.0/24")).containsExactly(30);
        assertThat(pids("addr:2001:db8::/32")).containsExactly(10);
        assertThat(pids("addr:192.0.2.3")).containsExactly(30);
        assertThat(pids("service:https")).containsExactly(30);
        assertThat(pids("service:ssh")).containsExactly(20);
        assertThat(pids("pid:20")).containsExactly(20);
    }

    @Test
    void termsAndWordsAreAllRequired() throws Exception {
        assertThat(pids("proto:tcp root")).containsExactly(20, 30);
        assertThat(pids("proto:tcp example")).containsExactly(30);
        assertThat(pids("proto:tcp ip:6")).isEmpty();
        assertThat(pids("curl www")).as("two words: both somewhere").containsExactly(30);
        assertThat(pids("curl sshd")).isEmpty();
        assertThat(pids("port:443 port:22")).as("a repeated field: both (no connection has both ends so)").isEmpty();
        assertThat(pids("PROTO:tcp dir:listen")).as("field names ignore case").containsExactly(20);
        assertThat(pids("192.0.2.3:443")).as("an address:port starts with a digit: a word").containsExactly(30);
        assertThat(pids("\"www.example.com/\"")).as("a quoted word").containsExactly(30);
        assertThat(pids("app:\"sh\"")).as("a quoted value").containsExactly(20);
        JsonNode page = web.get("/api/connections?q=" + enc("proto:tcp") + "&limit=1&sort=pid").json();
        assertThat(page.get("total").asInt()).as("total counts every match").isEqualTo(2);
        assertThat(page.get("connections").size()).isEqualTo(1);
    }

    @Test
    void aMalformedTermIsA400ThatSaysWhatIsExpected() throws Exception {
        assertThat(error("colour:red")).contains("unknown field 'colour:'", "proto, port, state, app, user, dir, ip, host, addr, service, pid");
        assertThat(error("localhost:8080")).as("names the way out").contains("unknown field", "double quotes");
        assertThat(error("port:https")).contains("port must be a port number or a range");
        assertThat(error("port:70000")).contains("0..65535");
        assertThat(error("port:90-80")).contains("lower end first");
        assertThat(error("proto:sctp")).contains("proto must be one of tcp, udp, icmp, raw");
        assertThat(error("ip:5")).contains("ip must be 4 or 6");
        assertThat(error("dir:sideways")).contains("dir must be outbound");
        assertThat(error("addr:nope")).contains("addr must be an IP address or network");
        assertThat(error("pid:abc")).contains("pid must be a process id");
        assertThat(error("proto:")).contains("proto: needs a value", "proto:tcp");
        assertThat(error("app:\"unclosed")).contains("not closed");
        assertThat(error("curl proto:tcp bogus:1")).as("one bad term spoils the query").contains("bogus");
        assertThat(web.get("/api/connections?q=" + "x".repeat(2001)).status()).isEqualTo(400);
    }

    private String error(String q) throws Exception {
        WebFixture.Answer a = web.get("/api/connections?q=" + enc(q));
        assertThat(a.status()).as(q + " → " + a.body()).isEqualTo(400);
        return a.json().get("error").asString();
    }

    private List<Integer> pids(String q) throws Exception {
        WebFixture.Answer a = web.get("/api/connections?sort=pid&q=" + enc(q));
        assertThat(a.status()).as(q + " → " + a.body()).isEqualTo(200);
        List<Integer> out = new ArrayList<>();
        a.json().get("connections").forEach(c -> out.add(c.get("pid").asInt()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
