package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes of {@link RuleSet} (by executable, by the network of a cidr condition) change which
 * rules are tried, never which one decides: over seeded random rule sets and connections, the
 * decision is always the first rule in evaluation order that matches, as a scan of every rule finds it.
 */
class RuleSetIndexTest {
    private static final String[] EXES = {"/usr/bin/curl", "/usr/bin/wget", "/usr/bin/ssh", "/opt/app/bin/app"};
    private static final String[] V4 = {"10.1.2.3", "10.1.9.9", "10.200.0.1", "192.0.2.10", "192.0.2.200", "198.51.100.7", "172.16.5.4"};
    private static final String[] V6 = {"2001:db8::1", "2001:db8:1::5", "2001:db8:ffff::1", "fd00::7", "::1"};
    private static final String[] NETS = {"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3", "192.0.2.0/24", "192.0.2.128/25",
            "0.0.0.0/0", "172.16.0.0/12", "2001:db8::/32", "2001:db8:1::/48", "::/0", "fd00::/8", "2001:db8::1", "::1/128"};
    private static final String[] DOMAINS = {null, "example.com", "api.example.com", "tracker.test"};

    @Test
    void theDecidingRuleIsTheFirstThatMatchesInEvaluationOrder() {
        int decided = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Random rnd = new Random(seed);
            List<Rule> rules = new ArrayList<>();
            int n = 5 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                rules.add(randomRule("r" + seed + "-" + i, rnd));
            }
            RuleSet set = RuleSet.of(rules);
            for (int q = 0; q < 200; q++) {
                ConnectionFacts f = randomFacts(rnd);
                RuleSet.Entry got = set.decide(f, ListMembership.NONE, 0, false);
                RuleSet.Entry expected = null;
                for (RuleSet.Entry e : set.entries()) {
                    if (e.live(0) && e.matches(f, ListMembership.NONE)) {
                        expected = e;
                        break;
                    }
                }
                assertThat(got).as("seed %d, %s", seed, f).isSameAs(expected);
                if (got != null) {
                    decided++;
                }
            }
        }
        assertThat(decided).as("the random sets decide often enough to test the order").isGreaterThan(2_000);
    }

    private static Rule randomRule(String id, Random rnd) {
        StringBuilder m = new StringBuilder();
        if (rnd.nextInt(3) == 0) {
            m.append("exe = \"").append(EXES[rnd.nextInt(EXES.length)]).append("\"\n");
        }
        if (rnd.nextInt(2) == 0) {
            int k = 1 + rnd.nextInt(3);
            m.append("cidr = [");
            for (int i = 0; i < k; i++) {
                m.append(i == 0 ? "" : ", ").append('"').append(NETS[rnd.nextInt(NETS.length)]).append('"');
            }
            m.append("]\n");
        }
        if (rnd.nextInt(4) == 0) {
            m.append("port = \"").append(rnd.nextBoolean() ? "443" : "1-1000").append("\"\n");
        }
        if (rnd.nextInt(5) == 0) {
            m.append("host = \"").append(rnd.nextBoolean() ? "*.example.com" : "tracker.test").append("\"\n");
        }
        String action = switch (rnd.nextInt(3)) {
            case 0 -> "allow";
            case 1 -> "deny";
            default -> "reject";
        };
        String text = "action = \"" + action + "\"\npriority = " + (rnd.nextInt(4) - 1) + "\n[match]\n" + m;
        RuleFileResult r = RuleFileParser.parse(Path.of(id + ".toml"), text);
        assertThat(r).as(text).isInstanceOf(RuleFileResult.Parsed.class);
        return ((RuleFileResult.Parsed) r).rule();
    }

    private static ConnectionFacts randomFacts(Random rnd) {
        Facts f = Facts.exe(EXES[rnd.nextInt(EXES.length)], DOMAINS[rnd.nextInt(DOMAINS.length)]);
        f.remote(rnd.nextInt(3) == 0 ? V6[rnd.nextInt(V6.length)] : V4[rnd.nextInt(V4.length)]);
        f.port(rnd.nextBoolean() ? 443 : 20 + rnd.nextInt(2000));
        if (rnd.nextInt(6) == 0) {
            f.noProcess();
        }
        return f.build();
    }
}
