package dev.netwarden.rules;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.firewall.ListMembership;

import java.nio.file.Path;
import java.util.List;

class RuleFileParserFuzzTest {
    private static final Path FILE = Path.of("/etc/netwarden/rules/fuzz.toml");

    /**
     * Any text parses to a rule or to errors that each carry the path and a message; never an
     * exception. A parsed rule can be matched and written back to text that parses to the same rule.
     */
    @FuzzTest(maxDuration = "60s")
    void parsesOrReportsErrors(FuzzedDataProvider data) {
        // Rule files carry regular expressions on purpose (their author is the admin), so a pattern
        // syntax error is an expected, reported outcome — but Jazzer's RegexInjection sanitizer reports
        // every PatternSyntaxException from fuzzed input, and it can only be disabled for the whole JVM.
        // So the regex keys are renamed here (they become unknown-key errors); regex compilation and
        // the step budget are covered by RuleFileParserTest and BoundedRegexTest.
        String text = data.consumeRemainingAsString().replace("_regex", "_rx");
        RuleFileResult r = RuleFileParser.parse(FILE, text);
        switch (r) {
            case RuleFileResult.Invalid invalid -> {
                for (RuleFileError e : invalid.errors()) {
                    if (!e.path().equals(FILE.toString()) || e.message().isEmpty() || e.line() < 0) {
                        throw new AssertionError("bad error: " + e);
                    }
                }
            }
            case RuleFileResult.Parsed parsed -> {
                Rule rule = parsed.rule();
                RuleSet.of(List.of(rule)).explain(Facts.curl("testsite.com").build(), ListMembership.NONE, 0);
                if (!(rule.duration() instanceof RuleDuration.UntilRestart)) {
                    RuleFileResult back = RuleFileParser.parse(FILE, RuleFileWriter.write(rule));
                    if (!(back instanceof RuleFileResult.Parsed p) || !p.rule().equals(rule)) {
                        throw new AssertionError("round trip changed the rule: " + rule + " -> " + back);
                    }
                }
            }
        }
    }
}
