package dev.netwarden.rules;

import dev.netwarden.firewall.ListMembership;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/rules.md "Precedence", one test each, so the document cannot drift from the code. */
class RulePrecedenceDocTest {

    private static Rule rule(String id, String text) {
        return ((RuleFileResult.Parsed) RuleFileParser.parse(Path.of(id + ".toml"), text)).rule();
    }

    private static final Rule ALLOW_CURL = rule("allow-curl", "action = \"allow\"\n[match]\nexe = \"/usr/bin/curl\"\n");
    private static final Rule BLOCK_TESTSITE = rule("block-testsite", "action = \"deny\"\n[match]\nhost = \"testsite.com\"\n");
    private static final Rule EXCEPTION = rule("curl-testsite-ok",
            "action = \"allow\"\npriority = 10\n[match]\nexe = \"/usr/bin/curl\"\nhost = \"testsite.com\"\n");

    private static String decider(Facts f, Rule... rules) {
        RuleSet.Entry e = RuleSet.of(Arrays.asList(rules)).decide(f.build(), ListMembership.NONE, 0, false);
        return e == null ? null : e.rule().id();
    }

    @Test
    void example1DenyBeatsAllowAtEqualPriority() {
        assertThat(decider(Facts.curl("testsite.com"), ALLOW_CURL, BLOCK_TESTSITE)).isEqualTo("block-testsite");
        assertThat(decider(Facts.curl("example.org"), ALLOW_CURL, BLOCK_TESTSITE)).isEqualTo("allow-curl");
        assertThat(RuleSet.of(List.of(ALLOW_CURL, BLOCK_TESTSITE)).rules()).extracting(Rule::id)
                .as("rules list shows the evaluation order").containsExactly("block-testsite", "allow-curl");
    }

    @Test
    void example2AnExceptionNeedsAHigherPriority() {
        assertThat(decider(Facts.curl("testsite.com"), ALLOW_CURL, BLOCK_TESTSITE, EXCEPTION)).isEqualTo("curl-testsite-ok");
        assertThat(decider(Facts.exe("/usr/bin/wget", "testsite.com"), ALLOW_CURL, BLOCK_TESTSITE, EXCEPTION)).isEqualTo("block-testsite");
    }

    @Test
    void example3SamePrioritySameKindTheIdDecides() {
        Rule aReject = rule("a-reject", "action = \"reject\"\n[match]\nport = 443\n");
        Rule bDeny = rule("b-deny", "action = \"deny\"\n[match]\nproto = \"tcp\"\n");
        assertThat(decider(Facts.curl(null).port(443), bDeny, aReject)).isEqualTo("a-reject");
        assertThat(decider(Facts.curl(null).port(80), bDeny, aReject)).isEqualTo("b-deny");
    }

    @Test
    void example4WildcardsDoNotCoverTheApex() {
        Rule ads = rule("ads", "action = \"deny\"\n[match]\nhost = \"*.ads.example\"\n");
        assertThat(decider(Facts.curl("x.ads.example"), ads)).isEqualTo("ads");
        assertThat(decider(Facts.curl("a.b.ads.example"), ads)).isEqualTo("ads");
        assertThat(decider(Facts.curl("ads.example"), ads)).isNull();
    }

    @Test
    void example5ADisabledRuleIsSkipped() {
        assertThat(decider(Facts.curl("testsite.com"), ALLOW_CURL, BLOCK_TESTSITE.withEnabled(false))).isEqualTo("allow-curl");
    }

    /** The exe index must not change the order: indexed and unindexed rules interleave exactly as sorted. */
    @Test
    void indexKeepsTheEvaluationOrder() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String m = i % 3 == 0 ? "exe = \"/usr/bin/curl\"\n" : i % 3 == 1 ? "port = 443\n" : "exe = \"/usr/bin/wget\"\n";
            rules.add(rule(String.format("r%02d", i), "action = \"" + (i % 2 == 0 ? "allow" : "deny") + "\"\npriority = "
                    + (i % 5) + "\n[match]\n" + m));
        }
        RuleSet set = RuleSet.of(rules);
        Facts f = Facts.curl(null).port(443);
        String expected = set.rules().stream()
                .filter(r -> RuleSet.of(List.of(r)).decide(f.build(), ListMembership.NONE, 0, false) != null)
                .findFirst().orElseThrow().id();
        assertThat(set.decide(f.build(), ListMembership.NONE, 0, false).rule().id()).isEqualTo(expected);
    }

    @Test
    void explanationSaysWhichConditionsMatched() {
        String why = RuleSet.of(List.of(EXCEPTION)).explain(Facts.curl("testsite.com").build(), ListMembership.NONE, 0)
                .orElseThrow().explanation();
        assertThat(why).isEqualTo("rule curl-testsite-ok (allow, priority 10): exe = /usr/bin/curl; host testsite.com matched host testsite.com");
    }
}
