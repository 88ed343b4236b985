package dev.netwarden.cli;

import dev.netwarden.web.UiToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The programmatic picocli model: the same commands, options, help and errors as the annotated one had. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code args} as {@code main} does: only the subcommand they name is built. */
    private int run(String... args) {
        CommandLine cl = Main.commandLine(Main.onlyCommandNeeded(args));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void eachSubcommandBuiltAloneParsesAndHelpsAsInTheWholeCommandLine() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            String[] args = {name, "--help"};
            if (Main.onlyCommandNeeded(args) == null) {
                continue; // help and completion always get the whole command line
            }
            StringWriter alone = new StringWriter();
            StringWriter whole = new StringWriter();
            CommandLine a = Main.commandLine(Main.onlyCommandNeeded(args));
            a.setOut(new PrintWriter(alone, true));
            CommandLine w = Main.commandLine();
            w.setOut(new PrintWriter(whole, true));
            assertThat(a.execute(args)).as(name).isEqualTo(w.execute(args));
            assertThat(alone.toString()).as(name).isNotEmpty().isEqualTo(whole.toString());
        }
        assertThat(Main.onlyCommandNeeded(new String[] {"conns", "-tan"})).isEqualTo("conns");
        assertThat(Main.onlyCommandNeeded(new String[] {"help", "conns"})).isNull();
        assertThat(Main.onlyCommandNeeded(new String[] {"completion"})).isNull();
        assertThat(Main.onlyCommandNeeded(new String[] {"connz"})).isNull();
        assertThat(Main.onlyCommandNeeded(new String[] {})).isNull();
    }

    @Test
    void aMissingArgumentIsAUsageErrorInEveryCommand() {
        // The programmatic model must say "required" itself: a positional built without it was left
        // null, and "lists lookup NAME" (no list) ended in a NullPointerException instead of exit 2.
        List<String> checked = new ArrayList<>();
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            todo.addAll(cl.getSubcommands().values());
            List<CommandLine.Model.PositionalParamSpec> positionals = cl.getCommandSpec().positionalParameters();
            if (positionals.stream().noneMatch(p -> p.arity().min() > 0)) {
                continue;
            }
            for (CommandLine.Model.PositionalParamSpec p : positionals) {
                assertThat(p.required()).as("%s %s", cl.getCommandSpec().qualifiedName(), p.paramLabel())
                        .isEqualTo(p.arity().min() > 0);
            }
            String[] path = cl.getCommandSpec().qualifiedName(" ").split(" ");
            String[] args = Arrays.copyOfRange(path, 1, path.length);
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).startsWith("Missing required parameter").doesNotContain("Exception");
            checked.add(String.join(" ", args));
        }
        assertThat(checked).contains("lists lookup", "lists check", "rules show", "rules rm", "rules import-opensnitch");
    }

    @Test
    void rootHelpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: netwarden [-hV] [COMMAND]")
                .contains("  conns       List sockets", "  daemon      Run the monitor", "  history     Show recorded connections", "  firewall", "  rules       Manage firewall rules", "  lists       Check block lists", "  prompt      Answer the firewall", "  top         Live view of who uses", "  ui-token    Print the web UI's login token", "  help        Display help information", "  completion  Print a bash/zsh");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rules", "lists", "firewall"})
    void everyCommandSummaryIsAWholeSentence(String parent) {
        assertThat(parent.isEmpty() ? run("--help") : run(parent, "--help")).isZero();
        String list = out.toString().substring(out.toString().indexOf("Commands:"));
        // Each summary is its command's first description line: a sentence cut at the line's end read
        // "each connection the rules do not decide waits (with" in the list.
        java.util.List<String> summaries = new java.util.ArrayList<>();
        for (String line : list.lines().skip(1).toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                summaries.add(line.strip());
            } else if (!summaries.isEmpty()) {
                summaries.set(summaries.size() - 1, summaries.getLast() + " " + line.strip());
            }
        }
        assertThat(summaries).isNotEmpty().allSatisfy(s -> assertThat(s).matches("\\S+ +\\S.*[.)]"));
    }

    @Test
    void connsHelpShowsEveryOptionInDeclarationOrder() {
        assertThat(run("help", "conns")).isZero();
        String help = out.toString();
        assertThat(help).startsWith("Usage: netwarden conns [-46aehilnpPtuwx] [--csv] [--json] [--no-daemon]\n"
                        + "                       [--daemon-socket=PATH] [--pid=PID]...")
                .contains("[FILTER...]", "--process=NAME", "--user=USER", "Exit status: 0 ok");
        assertThat(help.indexOf("-t, --tcp")).isLessThan(help.indexOf("-u, --udp"));
        assertThat(help.indexOf("      --json  ")).isLessThan(help.indexOf("      --csv  "));
        assertThat(run("conns", "--help")).isZero();
    }

    @Test
    void exclusiveFlagsAndBadValuesAreUsageErrors() {
        assertThat(run("conns", "--json", "--csv")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--json and --csv exclude each other");
        assertThat(run("conns", "-p", "-P")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("conns", "--pid", "abc")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("'abc' is not an int");
        assertThat(run("conns", "--bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("help", "bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown subcommand 'bogus'.");
    }

    @Test
    void topRefusesBadArgumentsBeforeTouchingTheTerminal() {
        assertThat(run("top", "--raw", "--json")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--raw and --json exclude each other");
        assertThat(run("top", "--interval", "fast")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--interval: not a duration: \"fast\"");
        assertThat(run("top", "--interval", "2s", "--window", "1s")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--window must be at least the interval (2s)");
        assertThat(run("top", "--interval", "10ms")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("top", "--count", "-1")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("top", "--daemon-socket", "/x", "--data-dir", "/y")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("help", "top")).isZero();
        assertThat(out.toString()).contains("--interval=DURATION", "--raw", "--json", "--count=N", "--data-dir=DIR");
    }

    @Test
    void parsesRepeatableOptionsAndTheFilter() {
        CommandLine.ParseResult parsed = Main.commandLine()
                .parseArgs("conns", "-tan", "--pid", "1", "--pid", "2", "--user", "root", "state", "listening");
        CommandLine.ParseResult conns = parsed.subcommand();
        assertThat(conns.hasMatchedOption("-t")).isTrue();
        assertThat(conns.hasMatchedOption("-a")).isTrue();
        assertThat(conns.hasMatchedOption("-u")).isFalse();
        assertThat(conns.<java.util.List<Integer>>matchedOptionValue("--pid", null)).containsExactly(1, 2);
        assertThat(conns.<java.util.List<String>>matchedOptionValue("--user", null)).containsExactly("root");
        assertThat(conns.matchedPositionals().getFirst().<java.util.List<String>>getValue()).containsExactly("state", "listening");
    }

    @Test
    void completionScriptCompletesCommandsAndConnsFlags() {
        assertThat(run("completion")).isZero();
        assertThat(out.toString()).contains("'--no-processes'", "'--json'", "\"conns\" \"daemon\" \"history\" \"firewall\" \"rules\" \"lists\" \"prompt\" \"top\" \"status\" \"ui-token\" \"completion\"",
                "'--interval'", "'--window'", "'--count'");
    }

    @Test
    void statusWithoutADaemonSaysWhereItLooked(@TempDir Path dir) {
        assertThat(run("status", "--data-dir", dir.toString())).isEqualTo(Main.EXIT_KERNEL);
        assertThat(err.toString()).contains("netwarden status: ", dir.resolve("control.sock").toString());
        assertThat(run("status", "--bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("status", "--data-dir", dir.toString(), "--daemon-socket", "/x")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--daemon-socket and --data-dir exclude each other");
    }

    @Test
    void uiTokenPrintsTheTokenOrSaysWhyNot(@TempDir Path dir) throws Exception {
        assertThat(run("ui-token", "--data-dir", dir.toString())).isEqualTo(Main.EXIT_KERNEL);
        assertThat(err.toString()).contains("no UI token at " + dir.resolve("ui-token"), "web.enabled = true");
        String token = UiToken.loadOrCreate(dir).value();
        assertThat(Files.getPosixFilePermissions(dir.resolve("ui-token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        out.getBuffer().setLength(0);
        assertThat(run("ui-token", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString()).isEqualTo(token + System.lineSeparator());
        Files.writeString(dir.resolve("ui-token"), "<script>\n");
        err.getBuffer().setLength(0);
        assertThat(run("ui-token", "--data-dir", dir.toString())).isEqualTo(Main.EXIT_KERNEL);
        assertThat(err.toString()).contains("is malformed; delete it and restart the daemon");
        assertThat(run("ui-token", "--bogus")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void connsRunsAgainstTheKernel() {
        assertThat(run("conns", "-tlnP", "sport", "=", ":1")).isZero();
    }
}
