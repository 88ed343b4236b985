package dev.netwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ListsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void checkReportsFormatCountsAndEscapedExamples() throws Exception {
        Path file = dir.resolve("hosts.txt");
        Files.writeString(file, "# list\n127.0.0.1 localhost\n0.0.0.0 ads.example.com\n0.0.0.0 bad\u001b[31m.example\n");
        assertThat(run("lists", "check", file.toString())).isZero();
        assertThat(out.toString()).contains("format     hosts (detected)", "domains    1 (1 distinct)", "skipped    1",
                "  line 2: local host name: 127.0.0.1 localhost", "bad        1",
                "  line 4: character not allowed in a domain name: 0.0.0.0 bad\\x1b[31m.example");
        assertThat(out.toString()).doesNotContain("\u001b");
    }

    @Test
    void checkJsonAndForcedFormat() throws Exception {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, "0.0.0.0 ads.example.com\n");
        assertThat(run("lists", "check", "--format", "domains", "--json", file.toString())).isZero();
        assertThat(out.toString()).contains("\"format\":\"domains\"", "\"format_detected\":false", "\"bad\":1",
                "\"reason\":\"more than one field (a hosts file? use --format hosts)\"");
        assertThat(run("lists", "check", "--format", "nope", file.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("lists", "check", dir.resolve("missing").toString())).isEqualTo(ListsCommand.EXIT_UNREADABLE);
        assertThat(err.toString()).contains("netwarden: " + dir.resolve("missing") + ": ");
    }

    @Test
    void lookupSaysWhichEntryCoversANameOrAnAddress() throws Exception {
        Path domains = dir.resolve("adblock.txt");
        Files.writeString(domains, "! list\n||ads.example.com^\n||example.com^$third-party\n");
        Path addresses = dir.resolve("drop.txt");
        Files.writeString(addresses, "192.0.2.0/24 ; SBL1\n2001:db8::/32\n");
        assertThat(run("lists", "lookup", "x.ads.example.com", domains.toString(), addresses.toString())).isZero();
        assertThat(out.toString()).contains(domains + ": listed by example.com, ads.example.com", addresses + ": not listed");
        assertThat(run("lists", "lookup", "badads.example.org", domains.toString())).isEqualTo(ListsCommand.EXIT_NOT_LISTED);
        assertThat(run("lists", "lookup", "--json", "2001:db8::7", addresses.toString())).isZero();
        assertThat(out.toString()).contains("\"listed\":true", "\"entries\":[\"2001:db8::/32\"]");
        assertThat(run("lists", "lookup", "192.0.2.300", addresses.toString())).isEqualTo(Main.EXIT_USAGE);
        int before = out.toString().length();
        assertThat(run("lists", "lookup", "x.ads.example.com", domains.toString(), dir.resolve("gone.txt").toString()))
                .as("one unreadable list of two").isEqualTo(ListsCommand.EXIT_UNREADABLE);
        assertThat(err.toString()).contains("netwarden: " + dir.resolve("gone.txt") + ": ");
        assertThat(out.toString()).as("no half answer").hasSize(before);
    }
}
