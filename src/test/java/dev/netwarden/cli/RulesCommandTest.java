package dev.netwarden.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code netwarden rules …} run in-process against a temporary rules directory. */
class RulesCommandTest {
    @TempDir
    Path dir;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--rules-dir";
        all[args.length + 1] = dir.toString();
        return cl.execute(all);
    }

    @Test
    void anUnreadableRulesDirectoryIsReportedByListAndTest() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("rules"), "a file, not a directory");
        for (String[] args : new String[][] {{"rules", "list"}, {"rules", "test", "--exe", "/usr/bin/curl"}}) {
            out = new StringWriter();
            err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--rules-dir", notADirectory.toString())).toArray(String[]::new);
            assertThat(cl.execute(all)).as(String.join(" ", args)).isEqualTo(Main.EXIT_KERNEL);
            assertThat(err.toString()).startsWith("netwarden: cannot read the rules directory: ").contains(notADirectory.toString());
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void addListShowTestDisableEnableRm() throws Exception {
        assertThat(run("rules", "add", "--id", "curl-no-testsite", "--exe", "/usr/bin/curl", "--host", "testsite.com",
                "--host", "*.testsite.com", "--port", "443", "--proto", "tcp", "--action", "reject",
                "--description", "the seed's example")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("added rule curl-no-testsite: " + dir.resolve("curl-no-testsite.toml") + "\n");
        assertThat(run("rules", "add", "--exe", "/usr/bin/curl", "--action", "allow")).isZero();
        assertThat(out.toString()).startsWith("added rule allow-curl:");
        assertThat(run("rules", "add", "--id", "curl-no-testsite", "--exe", "/usr/bin/wget", "--action", "deny")).isEqualTo(1);
        assertThat(err.toString()).contains("rule curl-no-testsite exists", "--force");
        assertThat(Files.readString(dir.resolve("curl-no-testsite.toml"))).contains("exe = \"/usr/bin/curl\"");

        assertThat(run("rules", "list")).isZero();
        assertThat(out.toString()).isEqualTo("""
                #  ID                ACTION  PRIO  DURATION  ENABLED  CONDITIONS
                1  curl-no-testsite  reject  0     always    yes      exe=/usr/bin/curl host=testsite.com|*.testsite.com port=443 proto=tcp
                2  allow-curl        allow   0     always    yes      exe=/usr/bin/curl
                """);
        assertThat(run("rules", "show", "curl-no-testsite")).isZero();
        assertThat(out.toString()).contains("description = \"the seed's example\"", "action = \"reject\"", "[match]");

        assertThat(run("rules", "test", "--exe", "/usr/bin/curl", "--host", "testsite.com", "--port", "443", "--proto", "tcp",
                "--user", "root")).isZero();
        assertThat(out.toString()).isEqualTo("reject by rule curl-no-testsite (reject): exe = /usr/bin/curl;"
                + " host testsite.com matched host testsite.com; port 443 matched port 443; proto = tcp\n");
        assertThat(run("rules", "test", "--exe", "/usr/bin/curl", "--host", "example.org", "--port", "443")).isZero();
        assertThat(out.toString()).startsWith("allow by rule allow-curl (allow): exe = /usr/bin/curl");
        assertThat(run("rules", "test", "--exe", "/usr/bin/wget", "--host", "testsite.com", "--port", "443")).isZero();
        assertThat(out.toString()).isEqualTo("no rule: the default action applies\n");

        assertThat(run("rules", "disable", "curl-no-testsite")).isZero();
        assertThat(run("rules", "test", "--exe", "/usr/bin/curl", "--host", "testsite.com", "--port", "443")).isZero();
        assertThat(out.toString()).startsWith("allow by rule allow-curl");
        assertThat(run("rules", "list", "--json")).isZero();
        JsonNode doc = JsonMapper.shared().readTree(out.toString());
        assertThat(doc.get("rules").get(0).get("id").asString()).isEqualTo("curl-no-testsite");
        assertThat(doc.get("rules").get(0).get("enabled").asBoolean()).isFalse();
        assertThat(doc.get("rules").get(0).get("match").get("host").get(1).asString()).isEqualTo("*.testsite.com");
        assertThat(doc.get("errors")).isEmpty();
        assertThat(run("rules", "enable", "curl-no-testsite")).isZero();
        assertThat(run("rules", "test", "--exe", "/usr/bin/curl", "--host", "testsite.com", "--port", "443", "--json")).isZero();
        JsonNode t = JsonMapper.shared().readTree(out.toString());
        assertThat(t.get("rule").asString()).isEqualTo("curl-no-testsite");
        assertThat(t.get("action").asString()).isEqualTo("reject");

        assertThat(run("rules", "rm", "curl-no-testsite")).isZero();
        assertThat(dir.resolve("curl-no-testsite.toml")).doesNotExist();
        assertThat(run("rules", "rm", "curl-no-testsite")).isEqualTo(1);
        assertThat(err.toString()).contains("no rule curl-no-testsite");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("rules", "add", "--exe", "/usr/bin/curl")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--action is required");
        assertThat(run("rules", "add", "--port", "99999", "--action", "deny")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--port: port 99999 out of range 0..65535");
        assertThat(run("rules", "add", "--host", "a.com", "--action", "deny", "--duration", "until-restart")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("memory only");
        assertThat(run("rules", "add", "--host", "a.com", "--action", "deny", "--duration", "soon")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rules", "add", "--id", "../etc/passwd", "--action", "deny")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rules", "show", "../x")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rules", "test", "--proto", "sctp")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rules", "test", "--ip", "example.com")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rules", "bogus")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void timedAndUntilExitRulesFromTheCommandLine() throws Exception {
        assertThat(run("rules", "add", "--id", "t", "--host", "a.com", "--action", "allow", "--duration", "30m")).isZero();
        assertThat(Files.readString(dir.resolve("t.toml"))).contains("duration = \"30m\"", "expires = \"");
        long self = ProcessHandle.current().pid();
        assertThat(run("rules", "add", "--id", "me", "--host", "a.com", "--action", "allow", "--duration", "until-exit",
                "--pid", Long.toString(self))).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("me.toml"))).contains("pid = " + self, "start_ticks = ");
        assertThat(run("rules", "test", "--pid", Long.toString(self), "--host", "a.com")).isZero();
        assertThat(out.toString()).startsWith("allow by rule me (allow, until-exit): process pid " + self);
    }

    @Test
    void brokenFilesAreReportedWithPathAndLineAndTheRestWork() throws Exception {
        Files.writeString(dir.resolve("good.toml"), "action = \"deny\"\n[match]\nhost = \"a.com\"\n");
        Files.writeString(dir.resolve("bad.toml"), "action = \"deny\"\n[match]\nhost = \"a.com\"\nport = \"x\"\n");
        assertThat(run("rules", "list")).isEqualTo(1);
        assertThat(out.toString()).contains("good");
        assertThat(err.toString()).isEqualTo("broken: " + dir.resolve("bad.toml")
                + " line 4: match.port: 'x' is not a port or port range (N or N-M, 0..65535)\n");
        assertThat(run("rules", "test", "--host", "a.com")).isZero();
        assertThat(out.toString()).startsWith("deny by rule good");
    }

    @Test
    void hostileTextIsEscapedOnTheTerminal() throws Exception {
        Files.writeString(dir.resolve("evil.toml"), "action = \"deny\"\n[match]\nexe = \"/tmp/\\u001b[31mred\"\n");
        assertThat(run("rules", "list")).isZero();
        assertThat(out.toString()).contains("exe=/tmp/\\x1b[31mred").doesNotContain("\u001b");
        assertThat(run("rules", "test", "--exe", "/tmp/\u001b[31mred")).isZero();
        assertThat(out.toString()).contains("\\x1b[31mred").doesNotContain("\u001b");
    }

    @Test
    void importOpenSnitch() throws Exception {
        Path src = Path.of(getClass().getResource("/dev/netwarden/rules/opensnitch").toURI());
        assertThat(run("rules", "import-opensnitch", src.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("imported " + dir.resolve("reject-curl-lan.toml"),
                "not imported: " + src.resolve("allow-until-restart-ssh.json") + ": duration: 'until restart' rules live in memory only; not imported",
                "4 imported, 3 files not imported");
        assertThat(run("rules", "list")).isZero();
        assertThat(out.toString().lines().skip(1).map(l -> l.split("\\s+")[1]).toList())
                .containsExactly("deny-blocklist-ads", "000-allow-system-cmds", "deny-simple-www-tracker-example-com", "reject-curl-lan");
        assertThat(run("rules", "import-opensnitch", src.toString(), "--json")).isEqualTo(1);
        JsonNode doc = JsonMapper.shared().readTree(out.toString());
        assertThat(doc.get("written")).isEmpty();
        assertThat(doc.get("problems").get(0).get("field").asString()).isEqualTo("name");
        assertThat(run("rules", "import-opensnitch", dir.resolve("nope").toString())).isEqualTo(Main.EXIT_USAGE);
    }
}
