package dev.netwarden.prompt;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class PromptTextTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void showsWhoWhereAndHowLongAndEscapesWhatTheProgramChose() throws Exception {
        JsonNode p = JSON.readTree("""
                {"id":7,"app":"cu\\u001b[2Jrl","exe":"/tmp/x\\u001b]0;pwned\\u0007","cmdline":["curl","http://t\\u202e.test/"],
                 "user":"alice","uid":1000,"pid":4242,"remote_address":"127.0.0.2","domain":"evil\\u001b[31m.test",
                 "port":8080,"protocol":"tcp","held_packets":3,"connections":3,"seconds_left":27,"timeout_action":"deny"}""");
        var lines = PromptText.lines(p);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("[7] cu").endsWith(" (pid 4242, alice) wants to connect");
        assertThat(lines.get(3)).contains("(127.0.0.2) port 8080 tcp");
        assertThat(lines.get(4)).isEqualTo("    waiting  3 connection(s), 27 s left, then deny");
        assertThat(String.join("\n", lines)).doesNotContain("\u001b", "\u0007", "\u202e");
    }

    @Test
    void anUnknownProcessIsSaidSo() throws Exception {
        JsonNode p = JSON.readTree("""
                {"id":1,"app":null,"exe":null,"cmdline":[],"user":null,"uid":-1,"pid":-1,"remote_address":"10.0.0.9",
                 "domain":null,"port":53,"protocol":"udp","held_packets":1,"connections":1,"seconds_left":5,"timeout_action":"deny"}""");
        var lines = PromptText.lines(p);
        assertThat(lines.get(0)).isEqualTo("[1] ? (unknown user) wants to connect");
        assertThat(lines.get(1)).isEqualTo("    exe      (unknown)");
        assertThat(lines.get(2)).isEqualTo("    to       10.0.0.9 port 53 udp");
    }
}
