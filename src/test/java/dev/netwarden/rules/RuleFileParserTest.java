package dev.netwarden.rules;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleFileParserTest {
    private static final Path FILE = Path.of("/etc/netwarden/rules/r1.toml");

    private static Rule parsed(String text) {
        RuleFileResult r = RuleFileParser.parse(FILE, text);
        assertThat(r).isInstanceOf(RuleFileResult.Parsed.class);
        return ((RuleFileResult.Parsed) r).rule();
    }

    private static List<RuleFileError> errors(String text) {
        RuleFileResult r = RuleFileParser.parse(FILE, text);
        assertThat(r).as("should be invalid").isInstanceOf(RuleFileResult.Invalid.class);
        return ((RuleFileResult.Invalid) r).errors();
    }

    private static boolean matches(Rule rule, Facts f) {
        return matches(rule, f, ListMembership.NONE);
    }

    private static boolean matches(Rule rule, Facts f, ListMembership lists) {
        return RuleSet.of(List.of(rule)).decide(f.build(), lists, 0, false) != null;
    }

    private static Rule rule(String match) {
        return parsed("action = \"deny\"\n[match]\n" + match + "\n");
    }

    @Test
    void minimalRuleHasDefaults() {
        Rule r = parsed("action = \"allow\"\n");
        assertThat(r.id()).isEqualTo("r1");
        assertThat(r.action()).isEqualTo(Action.ALLOW);
        assertThat(r.enabled()).isTrue();
        assertThat(r.priority()).isZero();
        assertThat(r.duration()).isEqualTo(RuleDuration.ALWAYS);
        assertThat(r.conditions()).isEmpty();
        assertThat(matches(r, Facts.curl(null).noProcess())).as("no conditions: every connection").isTrue();
    }

    @Test
    void everyTopLevelKey() {
        Rule r = parsed("""
                description = "blocks \\"x\\""
                action = "REJECT"
                enabled = false
                priority = -5
                duration = "30m"
                expires = "2026-03-01T12:30:00Z"
                """);
        assertThat(r.description()).isEqualTo("blocks \"x\"");
        assertThat(r.action()).isEqualTo(Action.REJECT);
        assertThat(r.enabled()).isFalse();
        assertThat(r.priority()).isEqualTo(-5);
        assertThat(r.duration()).isEqualTo(new RuleDuration.Expires(Instant.parse("2026-03-01T12:30:00Z"), "30m"));
        assertThat(parsed("action = \"deny\"\nduration = \"once\"\n").duration()).isEqualTo(RuleDuration.ONCE);
        assertThat(parsed("action = \"deny\"\nduration = \"until-exit\"\npid = 12\nstart_ticks = 345\n").duration())
                .isEqualTo(new RuleDuration.UntilExit(12, 345));
    }

    @Test
    void processConditions() {
        assertThat(matches(rule("process = \"curl\""), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("process = [\"wget\", \"curl\"]"), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("process = \"wget\""), Facts.curl("a.com"))).isFalse();
        assertThat(matches(rule("exe = \"/usr/bin/curl\""), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("exe = \"/usr/bin/curl\""), Facts.curl("a.com").noProcess())).isFalse();
        assertThat(matches(rule("exe = \"/usr/bin/curl\""), Facts.exe("/usr/bin/wget", "a.com"))).isFalse();
        assertThat(matches(rule("exe_regex = '^/usr/(local/)?bin/cu'"), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("exe_regex = '^/opt/'"), Facts.curl("a.com"))).isFalse();
        assertThat(matches(rule("cmdline_regex = 'curl https://test'"), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("cmdline_regex = '--insecure'"), Facts.curl("a.com"))).isFalse();
        assertThat(matches(rule("sha256 = \"" + "AB".repeat(32) + "\""), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("sha256 = \"" + "cd".repeat(32) + "\""), Facts.curl("a.com"))).isFalse();
        assertThat(matches(rule("parent_exe = \"/usr/bin/bash\""), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("parent_exe = \"/usr/lib/systemd/systemd\""), Facts.curl("a.com"))).as("any ancestor").isTrue();
        assertThat(matches(rule("parent_exe = \"/usr/bin/zsh\""), Facts.curl("a.com"))).isFalse();
    }

    @Test
    void userByNameOrUid() {
        assertThat(matches(rule("user = \"alice\""), Facts.curl("a.com"))).isTrue();
        assertThat(matches(rule("user = 1000"), Facts.curl("a.com"))).as("process uid when the socket's is unknown").isTrue();
        assertThat(matches(rule("user = \"1000\""), Facts.curl("a.com"))).isTrue();
        Facts root = Facts.curl("a.com");
        root.uid = 0;
        assertThat(matches(rule("user = 0"), root)).as("the socket owner's uid first").isTrue();
        assertThat(matches(rule("user = [\"bob\", 0]"), Facts.curl("a.com"))).isFalse();
    }

    @Test
    void hostExactWildcardAndRegex() {
        Rule exact = rule("host = \"TestSite.com.\"");
        assertThat(matches(exact, Facts.curl("testsite.com"))).isTrue();
        assertThat(matches(exact, Facts.curl("TESTSITE.COM."))).isTrue();
        assertThat(matches(exact, Facts.curl("www.testsite.com"))).isFalse();
        assertThat(matches(exact, Facts.curl(null))).isFalse();
        Rule wild = rule("host = \"*.testsite.com\"");
        assertThat(matches(wild, Facts.curl("www.testsite.com"))).isTrue();
        assertThat(matches(wild, Facts.curl("a.b.testsite.com"))).isTrue();
        assertThat(matches(wild, Facts.curl("testsite.com"))).as("not the apex").isFalse();
        assertThat(matches(wild, Facts.curl("eviltestsite.com"))).isFalse();
        Rule re = rule("host_regex = '^ads[0-9]+\\.'");
        assertThat(matches(re, Facts.curl("ADS12.example.com"))).isTrue();
        assertThat(matches(re, Facts.curl("ads.example.com"))).isFalse();
    }

    @Test
    void addressPortProtocolInterfaceDirection() {
        assertThat(matches(rule("cidr = \"192.0.2.0/24\""), Facts.curl(null))).isTrue();
        assertThat(matches(rule("cidr = \"192.0.2.10\""), Facts.curl(null))).isTrue();
        assertThat(matches(rule("cidr = [\"10.0.0.0/8\", \"2001:db8::/32\"]"), Facts.curl(null).remote("2001:db8::1"))).isTrue();
        assertThat(matches(rule("cidr = \"10.0.0.0/8\""), Facts.curl(null))).isFalse();
        assertThat(matches(rule("port = 443"), Facts.curl(null))).isTrue();
        assertThat(matches(rule("port = [80, \"400-500\"]"), Facts.curl(null))).isTrue();
        assertThat(matches(rule("port = \"1-442\""), Facts.curl(null))).isFalse();
        Facts inbound = Facts.curl(null);
        inbound.direction = Direction.INBOUND;
        inbound.localPort = 22;
        assertThat(matches(rule("port = 22"), inbound)).as("inbound: the local port").isTrue();
        assertThat(matches(rule("direction = \"inbound\""), inbound)).isTrue();
        assertThat(matches(rule("direction = \"outbound\""), inbound)).isFalse();
        assertThat(matches(rule("proto = \"tcp\""), Facts.curl(null))).isTrue();
        Facts udp = Facts.curl(null);
        udp.transport = Transport.UDP;
        assertThat(matches(rule("proto = [\"icmp\", \"udp\"]"), udp)).isTrue();
        assertThat(matches(rule("proto = \"tcp\""), udp)).isFalse();
        assertThat(matches(rule("iface = \"eth0\""), Facts.curl(null))).isTrue();
        assertThat(matches(rule("iface = \"wlan0\""), Facts.curl(null))).isFalse();
    }

    @Test
    void listMembershipAskedThroughTheInterface() {
        ListMembership lists = new ListMembership() {
            @Override
            public boolean containsDomain(String listName, String domain) {
                return listName.equals("ads") && domain.endsWith("tracker.example");
            }

            @Override
            public boolean containsAddress(String listName, InetAddress address) {
                return listName.equals("badnets") && address.getHostAddress().equals("192.0.2.10");
            }
        };
        assertThat(matches(rule("list = \"ads\""), Facts.curl("x.tracker.example"), lists)).isTrue();
        assertThat(matches(rule("list = \"ads\""), Facts.curl("good.example"), lists)).isFalse();
        assertThat(matches(rule("list = \"badnets\""), Facts.curl(null), lists)).isTrue();
        assertThat(matches(rule("list = \"badnets\""), Facts.curl(null).remote("192.0.2.11"), lists)).isFalse();
    }

    @Test
    void allConditionsMustMatch() {
        Rule r = rule("exe = \"/usr/bin/curl\"\nhost = \"testsite.com\"\nport = 443");
        assertThat(matches(r, Facts.curl("testsite.com"))).isTrue();
        assertThat(matches(r, Facts.curl("testsite.com").port(80))).isFalse();
        assertThat(matches(r, Facts.exe("/usr/bin/wget", "testsite.com"))).isFalse();
    }

    @Test
    void writerRoundTrips() {
        Rule r = parsed("""
                description = "tab\\there, quote \\" and \\u202e"
                action = "reject"
                priority = 3
                duration = "2h"
                expires = "2026-03-01T14:00:00Z"
                [match]
                exe = "/usr/bin/curl"
                host = ["testsite.com", "*.testsite.com"]
                port = [443, "8000-8100"]
                user = 0
                cmdline_regex = 'a\\s+"b"'
                """);
        Rule back = ((RuleFileResult.Parsed) RuleFileParser.parse(FILE, RuleFileWriter.write(r))).rule();
        assertThat(back).isEqualTo(r);
    }

    // ---- errors: each with the path, the line and the key ----

    @Test
    void tomlSyntaxErrorHasLine() {
        List<RuleFileError> e = errors("action = \"deny\"\n[match]\nexe = \"/usr/bin/curl\n");
        assertThat(e).hasSize(1);
        assertThat(e.getFirst().path()).isEqualTo(FILE.toString());
        assertThat(e.getFirst().line()).isEqualTo(3);
        assertThat(e.getFirst().toString()).startsWith("/etc/netwarden/rules/r1.toml line 3: not valid TOML");
    }

    @Test
    void missingAndBadAction() {
        assertThat(errors("description = \"x\"\n").getFirst().toString())
                .isEqualTo("/etc/netwarden/rules/r1.toml: action: missing: every rule needs action = \"allow\", \"deny\" or \"reject\"");
        assertThat(errors("\naction = \"block\"\n").getFirst().toString())
                .isEqualTo("/etc/netwarden/rules/r1.toml line 2: action: 'block' is not one of allow, deny, reject");
        assertThat(errors("action = 1\n").getFirst().toString()).contains("line 1: action: must be a string");
    }

    @Test
    void badTopLevelValues() {
        assertThat(errors("action = \"deny\"\nenabled = \"yes\"\n").getFirst().toString()).contains("line 2: enabled: must be true or false");
        assertThat(errors("action = \"deny\"\npriority = 5000\n").getFirst().toString()).contains("line 2: priority: must be an integer -1000..1000");
        assertThat(errors("action = \"deny\"\nexe = \"/x\"\n").getFirst().toString())
                .contains("line 2: exe: unknown key", "(conditions go under [match])");
        assertThat(errors("action = \"deny\"\nmatch = 3\n").getFirst().toString()).contains("line 2: match: must be a table");
    }

    @Test
    void badDurations() {
        assertThat(errors("action = \"deny\"\nduration = \"forever\"\n").getFirst().toString())
                .contains("line 2: duration: 'forever' is not always, once, until-exit or a length of time");
        assertThat(errors("action = \"deny\"\nduration = \"30m\"\n").getFirst().toString())
                .contains("line 2: duration: a rule of 30m needs expires");
        assertThat(errors("action = \"deny\"\nduration = \"30m\"\nexpires = \"tomorrow\"\n").getFirst().toString())
                .contains("line 3: expires: 'tomorrow' is not an instant");
        assertThat(errors("action = \"deny\"\nduration = \"until-restart\"\n").getFirst().toString())
                .contains("line 2: duration: until-restart rules live in the daemon's memory only");
        assertThat(errors("action = \"deny\"\nduration = \"until-exit\"\npid = 3\n").getFirst().toString())
                .contains("line 2: duration: until-exit needs pid and start_ticks");
        assertThat(errors("action = \"deny\"\nexpires = \"2026-01-01T00:00:00Z\"\n").getFirst().toString())
                .contains("line 2: expires: expires belongs to rules with a length of time");
    }

    @Test
    void badConditionsNameTheKeyAndLine() {
        String text = """
                action = "deny"
                [match]
                exe = "curl"
                port = [443, "70000"]
                host = "*bad*.com"
                cidr = "10.0.0.0/33"
                proto = "sctp"
                sha256 = "abc"
                cmdline_regex = "(unclosed"
                colour = "red"
                user = true
                iface = []
                direction = "sideways"
                list = ""
                """;
        List<String> e = errors(text).stream().map(RuleFileError::toString).toList();
        String p = "/etc/netwarden/rules/r1.toml line ";
        assertThat(e).containsExactly(
                p + "3: match.exe: 'curl' is not an absolute path",
                p + "4: match.port: port 70000 out of range 0..65535",
                p + "5: match.host: '*bad*.com': a wildcard is only allowed as a leading '*.'",
                p + "6: match.cidr: '10.0.0.0/33': prefix length must be 0..32",
                p + "7: match.proto: 'sctp' is not one of tcp, udp, icmp, raw",
                p + "8: match.sha256: 'abc' is not a sha256 (64 hex digits)",
                p + "9: match.cmdline_regex: not a valid regular expression: Unclosed group near index 9",
                p + "10: match.colour: unknown condition; known: " + ConditionKind.keys(),
                p + "11: match.user: must be a user name or uid or a list of them, not a boolean",
                p + "12: match.iface: empty list: give at least one value or remove the key",
                p + "13: match.direction: 'sideways' is not one of outbound, inbound, listen, unknown",
                p + "14: match.list: '' is not a list name");
    }

    @Test
    void badFileNameAndOversizedFile() {
        RuleFileResult r = RuleFileParser.parse(Path.of("/r/bad name.toml"), "action = \"deny\"\n");
        assertThat(((RuleFileResult.Invalid) r).errors().getFirst().toString()).contains("/r/bad name.toml: file name must be ID.toml");
        RuleFileResult big = RuleFileParser.parse(FILE, "#".repeat(RuleFileParser.MAX_BYTES + 1));
        assertThat(((RuleFileResult.Invalid) big).errors().getFirst().message()).contains("larger than");
    }
}
