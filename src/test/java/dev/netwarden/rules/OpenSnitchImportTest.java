package dev.netwarden.rules;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Imports the OpenSnitch rule files in test resources (written in OpenSnitch's format) and checks each mapping. */
class OpenSnitchImportTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path target;

    static Path fixtures() throws URISyntaxException {
        return Path.of(OpenSnitchImportTest.class.getResource("opensnitch").toURI());
    }

    private Rule imported(String id) {
        RuleFileResult r = RuleFiles.read(target.resolve(id + ".toml"));
        assertThat(r).as(id + " parses back").isInstanceOf(RuleFileResult.Parsed.class);
        return ((RuleFileResult.Parsed) r).rule();
    }

    @Test
    void importsWhatMapsAndReportsPreciselyWhatDoesNot() throws Exception {
        Path src = fixtures();
        OpenSnitchImport.Report report = OpenSnitchImport.importDirectory(src, new RuleFiles(target), false, NOW);
        assertThat(report.written()).extracting(p -> p.getFileName().toString()).containsExactly(
                "000-allow-system-cmds.toml", "deny-blocklist-ads.toml", "deny-simple-www-tracker-example-com.toml",
                "reject-curl-lan.toml");
        assertThat(report.problems()).extracting(OpenSnitchImport.Problem::toString).containsExactly(
                src.resolve("allow-30m-firefox-pid.json") + ": operator.list[0] (simple process.id): process.id is not supported: a pid is not stable",
                src.resolve("allow-30m-firefox-pid.json") + ": operator.list[1] (regexp dest.port): regular expressions on addresses and ports are not supported (use network or range)",
                src.resolve("allow-30m-firefox-pid.json") + ": operator.list[2] (simple process.hash.md5): process.hash.md5 is not supported: netwarden matches sha256",
                src.resolve("allow-until-restart-ssh.json") + ": duration: 'until restart' rules live in memory only; not imported",
                src.resolve("broken.json") + ": not valid JSON: Unexpected end-of-input within/between Object entries");

        Rule tracker = imported("deny-simple-www-tracker-example-com");
        assertThat(tracker.action()).isEqualTo(Action.DENY);
        assertThat(tracker.conditions()).containsExactly(Condition.of(ConditionKind.HOST, "www.tracker.example.com"));

        Rule system = imported("000-allow-system-cmds");
        assertThat(system.priority()).isEqualTo(OpenSnitchImport.PRECEDENCE_PRIORITY);
        assertThat(system.conditions()).containsExactly(
                Condition.of(ConditionKind.EXE_REGEX, "(?i)^(/usr/sbin/ntpd|/lib/systemd/systemd-timesyncd)$"),
                Condition.of(ConditionKind.PORT, "123"),
                Condition.of(ConditionKind.PROTO, "udp"));
        Facts ntpd = Facts.exe("/usr/sbin/ntpd", null).port(123);
        ntpd.transport = Transport.UDP;
        assertThat(RuleSet.of(List.of(system)).decide(ntpd.build(), ListMembership.NONE, 0, false)).isNotNull();

        Rule lan = imported("reject-curl-lan");
        assertThat(lan.enabled()).isFalse();
        assertThat(lan.action()).isEqualTo(Action.REJECT);
        assertThat(lan.conditions()).containsExactly(
                Condition.of(ConditionKind.EXE, "/usr/bin/curl"),
                Condition.of(ConditionKind.USER, "1000"),
                Condition.of(ConditionKind.CIDR, "192.168.0.0/16"),
                Condition.of(ConditionKind.PORT, "8000-8999"));

        Rule ads = imported("deny-blocklist-ads");
        assertThat(ads.conditions()).containsExactly(Condition.of(ConditionKind.LIST, "ads"));
    }

    @Test
    void existingRulesAreKeptUnlessReplaced() throws Exception {
        OpenSnitchImport.importDirectory(fixtures(), new RuleFiles(target), false, NOW);
        OpenSnitchImport.Report again = OpenSnitchImport.importDirectory(fixtures(), new RuleFiles(target), false, NOW);
        assertThat(again.written()).isEmpty();
        assertThat(again.problems()).extracting(OpenSnitchImport.Problem::why)
                .contains("rule reject-curl-lan already exists in " + target + " (use --force to replace it)");
        assertThat(OpenSnitchImport.importDirectory(fixtures(), new RuleFiles(target), true, NOW).written()).hasSize(4);
    }

    @Test
    void durationsAndOddOperators() {
        String timed = """
                {"name": "t", "action": "allow", "duration": "30m",
                 "operator": {"type": "simple", "operand": "true", "data": ""}}""";
        Rule t = OpenSnitchImport.convert("t.json", timed, NOW).rule();
        assertThat(t.duration()).isEqualTo(new RuleDuration.Expires(NOW.plusSeconds(1800), "30m"));
        assertThat(t.conditions()).as("operand true: every connection").isEmpty();
        String twice = """
                {"name": "two ports!", "action": "deny", "duration": "once",
                 "operator": {"type": "list", "operand": "list", "list": [
                   {"type": "simple", "operand": "dest.port", "data": "80"},
                   {"type": "simple", "operand": "dest.port", "data": "443"}]}}""";
        OpenSnitchImport.Conversion c = OpenSnitchImport.convert("two.json", twice, NOW);
        assertThat(c.rule()).isNull();
        assertThat(c.problems()).extracting(OpenSnitchImport.Problem::toString).containsExactly(
                "two.json: operator.list[1] (simple dest.port): a second port condition: OpenSnitch AND-s them, netwarden OR-s the values of one key, so this rule cannot be expressed");
        String cmd = """
                {"name": "exact cmd", "action": "allow", "operator": {"type": "simple", "operand": "process.command", "data": "ssh -p 22 host.example"}}""";
        Rule exact = OpenSnitchImport.convert("c.json", cmd, NOW).rule();
        assertThat(exact.id()).isEqualTo("exact-cmd");
        Facts ssh = Facts.exe("/usr/bin/ssh", null);
        ssh.cmdline = List.of("ssh", "-p", "22", "host.example");
        assertThat(RuleSet.of(List.of(exact)).decide(ssh.build(), ListMembership.NONE, 0, false)).isNotNull();
        ssh.cmdline = List.of("ssh", "-p", "22", "host.example", "extra");
        assertThat(RuleSet.of(List.of(exact)).decide(ssh.build(), ListMembership.NONE, 0, false)).isNull();
        assertThat(Files.exists(target)).isTrue();
    }
}
