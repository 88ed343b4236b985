package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost of one decision with 1,000 rules (the benchmark size): 700 per-executable rules
 * (exe + host/port), 250 host rules without an exe, 50 CIDR/port rules. Prints ns per decision for a
 * connection that no rule matches (the worst case: every candidate is tried) and one decided by a
 * host rule. Bounded: about two seconds.
 */
class RuleSetSpeedTest {

    @Test
    void nanosecondsPerDecisionAtOneThousandRules() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            rules.add(rule("app-" + i, (i % 2 == 0 ? "allow" : "deny"), "exe = \"/usr/bin/app" + (i % 350) + "\"\nhost = \"h" + i + ".example\"\n"));
        }
        for (int i = 0; i < 250; i++) {
            rules.add(rule("host-" + i, "deny", "host = [\"*.t" + i + ".example\", \"t" + i + ".example\"]\n"));
        }
        for (int i = 0; i < 50; i++) {
            rules.add(rule("net-" + i, "reject", "cidr = \"10." + i + ".0.0/16\"\nport = \"1000-2000\"\n"));
        }
        RuleSet set = RuleSet.of(rules);
        assertThat(set.size()).isEqualTo(1000);
        var engine = new Object() {
            Optional<RuleMatch> match(ConnectionFacts f) {
                RuleSet.Entry e = set.decide(f, ListMembership.NONE, 0, true);
                return e == null ? Optional.empty() : Optional.of(RuleSet.matchOf(e, f, ListMembership.NONE));
            }
        };
        ConnectionFacts miss = Facts.exe("/usr/bin/app7", "nothing.example").build();
        ConnectionFacts hit = Facts.exe("/usr/bin/app7", "x.t200.example").build();
        assertThat(engine.match(miss)).isEmpty();
        assertThat(engine.match(hit)).map(RuleMatch::ruleId).contains("host-200");
        long missNs = measure(() -> set.decide(miss, ListMembership.NONE, 0, true));
        long hitNs = measure(() -> set.decide(hit, ListMembership.NONE, 0, true));
        long hitExplainedNs = measure(() -> engine.match(hit));
        System.out.printf("RuleSet 1000 rules: no match %d ns/decision, host-rule match %d ns/decision, match with explanation %d ns%n",
                missNs, hitNs, hitExplainedNs);
        assertThat(missNs).as("far below the packet budget").isLessThan(100_000);
    }

    /**
     * bench/firewall-storm.sh's mix (exe, exe+port, host, exe+host, cidr /24, cidr /16 + port range, block
     * list rules) asked about a connection with no domain that no rule decides, as the storm's are:
     * every rule that names no executable is a candidate, 200 of them with a cidr condition.
     */
    @Test
    void nanosecondsPerDecisionForTheFirewallBenchmarksMix() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String app = "\"/opt/bench/app-" + i + "/bin/app\"";
            String match = switch (i % 10) {
                case 0, 1, 2 -> "exe = " + app + "\n";
                case 3 -> "exe = " + app + "\nport = [443, " + (1000 + i % 7000) + "]\nproto = \"tcp\"\n";
                case 4, 5 -> "host = [\"site" + i + ".example\", \"*.site" + i + ".example\"]\n";
                case 6 -> "exe = " + app + "\nhost = \"api" + i + ".example\"\n";
                case 7 -> "cidr = \"10." + (i % 256) + "." + ((i / 256) % 256) + ".0/24\"\n";
                case 8 -> "cidr = \"172." + (16 + i % 16) + ".0.0/16\"\nport = \"" + (20000 + i % 1000) + "-" + (21000 + i % 1000) + "\"\n";
                default -> "exe = " + app + "\nlist = \"bench\"\n";
            };
            rules.add(rule("bench-" + i, i % 10 == 7 ? "deny" : "reject", match));
        }
        RuleSet set = RuleSet.of(rules);
        ConnectionFacts storm = Facts.exe("/usr/local/bin/nwb-storm", null).remote("198.18.0.2").port(9000).build();
        ConnectionFacts inNet = Facts.exe("/usr/local/bin/nwb-storm", null).remote("10.7.0.9").port(9000).build();
        assertThat(set.decide(storm, ListMembership.NONE, 0, true)).isNull();
        assertThat(set.decide(inNet, ListMembership.NONE, 0, true)).isNotNull()
                .satisfies(e -> assertThat(e.rule().id()).isEqualTo("bench-7"));
        long stormNs = measure(() -> set.decide(storm, ListMembership.NONE, 0, true));
        System.out.printf("RuleSet, firewall-storm mix of 1000 rules, no domain: no match %d ns/decision%n", stormNs);
        assertThat(stormNs).as("far below the packet budget").isLessThan(100_000);
    }

    private static long measure(Runnable r) {
        for (int i = 0; i < 100_000; i++) {
            r.run();
        }
        int n = 200_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / n;
    }

    private static Rule rule(String id, String action, String match) {
        return ((RuleFileResult.Parsed) RuleFileParser.parse(Path.of(id + ".toml"),
                "action = \"" + action + "\"\n[match]\n" + match)).rule();
    }
}
