package dev.netwarden.rules;

import dev.netwarden.firewall.ListMembership;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection without a domain skips the rules that need one (host, host_regex), and a rule whose
 * cidr does not contain the remote address is skipped before its other conditions, without changing
 * any decision: the order of the rules that remain is kept, and with a domain the host rules are
 * asked again in their place.
 */
class RuleSetUnknownDomainTest {
    private static Rule rule(String id, String action, int priority, String match) {
        return ((RuleFileResult.Parsed) RuleFileParser.parse(Path.of(id + ".toml"),
                "action = \"" + action + "\"\npriority = " + priority + "\n[match]\n" + match)).rule();
    }

    private final RuleSet set = RuleSet.of(List.of(
            rule("a-host", "deny", 10, "host = \"t.example\"\n"),
            rule("b-host-regex", "reject", 9, "host_regex = \"^x\"\n"),
            rule("c-net", "deny", 5, "cidr = \"192.0.2.0/24\"\nport = 443\n"),
            rule("d-host-and-net", "deny", 20, "host = \"*.t.example\"\ncidr = \"192.0.2.0/24\"\n"),
            rule("e-any", "allow", 0, "proto = \"tcp\"\n")));

    private String decide(Facts f) {
        RuleSet.Entry e = set.decide(f.build(), ListMembership.NONE, 0, false);
        return e == null ? null : e.rule().id();
    }

    @Test
    void withoutADomainTheHostRulesAreSkippedAndTheRestDecideInOrder() {
        assertThat(decide(Facts.curl(null).port(443))).isEqualTo("c-net");
        assertThat(decide(Facts.curl(null).port(80))).isEqualTo("e-any");
        assertThat(decide(Facts.curl(null).port(443).remote("198.51.100.1"))).as("outside the cidr").isEqualTo("e-any");
        assertThat(decide(Facts.curl(null).port(443).remote("2001:db8::1"))).as("another family").isEqualTo("e-any");
        assertThat(decide(Facts.curl(null).port(443).remote("192.0.2.255"))).isEqualTo("c-net");
    }

    @Test
    void withADomainTheHostRulesDecideInTheirPlace() {
        assertThat(decide(Facts.curl("t.example").port(443))).isEqualTo("a-host");
        assertThat(decide(Facts.curl("a.t.example").port(443))).isEqualTo("d-host-and-net");
        assertThat(decide(Facts.curl("xyz.example").port(80))).isEqualTo("b-host-regex");
        assertThat(decide(Facts.curl("other.example").port(443))).isEqualTo("c-net");
    }
}
