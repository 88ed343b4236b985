package dev.netwarden.rules;

import dev.netwarden.firewall.ListMembership;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Many rules naming one list: the list is asked once per decision, and the decisions stay the same. */
class DecisionListsTest {
    private final List<String> asked = new ArrayList<>();
    private final ListMembership lists = new ListMembership() {
        @Override
        public boolean containsDomain(String listName, String domain) {
            asked.add("domain " + listName + " " + domain);
            return listName.equals("ads") && domain.endsWith("tracker.example");
        }

        @Override
        public boolean containsAddress(String listName, InetAddress address) {
            asked.add("address " + listName + " " + address.getHostAddress());
            return listName.equals("bad-ips") && address.getHostAddress().equals("192.0.2.66");
        }
    };

    private static Rule rule(String id, String action, String match) {
        return ((RuleFileResult.Parsed) RuleFileParser.parse(Path.of(id + ".toml"), "action = \"" + action + "\"\n[match]\n" + match)).rule();
    }

    private final RuleSet set;

    DecisionListsTest() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // 20 rules per list, each asking it alone
            rules.add(rule("ads-" + i, "deny", "list = \"ads\"\n"));
            rules.add(rule("ips-" + i, "reject", "list = \"bad-ips\"\n"));
        }
        set = RuleSet.of(rules);
    }

    private String decide(Facts f) {
        RuleSet.Entry e = set.decide(f.build(), lists, 0, false);
        return e == null ? null : e.rule().id();
    }

    @Test
    void eachListIsAskedOncePerDecision() {
        assertThat(decide(Facts.curl("x.tracker.example"))).isEqualTo("ads-0");
        assertThat(asked).containsExactly("domain ads x.tracker.example");
        asked.clear();
        assertThat(decide(Facts.curl("fine.example").remote("192.0.2.66"))).isEqualTo("ips-0");
        assertThat(asked).hasSize(4);
        assertThat(Set.copyOf(asked)).hasSameSizeAs(asked);
        asked.clear();
        assertThat(decide(Facts.curl(null))).isNull();
        assertThat(asked).containsExactlyInAnyOrder("address ads 192.0.2.10", "address bad-ips 192.0.2.10");
    }

    @Test
    void aNewDecisionAsksAgain() {
        decide(Facts.curl(null));
        decide(Facts.curl(null));
        assertThat(asked).hasSize(4);
    }
}
