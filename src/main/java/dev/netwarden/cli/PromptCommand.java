package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.daemon.control.NoDaemonException;
import dev.netwarden.prompt.PromptSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code netwarden prompt}: answers the firewall's questions from a terminal (see
 * {@link PromptSession}); {@code --list} prints what is pending and exits.
 */
final class PromptCommand implements Callable<Integer> {
    private final DaemonSocketOptions daemonSocket = new DaemonSocketOptions();
    private final OptionSpec list = OptionSpec.builder("--list").type(boolean.class)
            .description("Print the pending questions and exit.").build();
    private final OptionSpec json = OptionSpec.builder("--json").type(boolean.class)
            .description("With --list: the daemon's JSON answer ({\"prompts\":[…]}, see docs/daemon.md).").build();
    private final CommandSpec spec;

    private PromptCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("prompt");
        spec.usageMessage().description(
                "Answer the firewall's questions about connections no rule decides.",
                "With firewall.default_action = prompt each such connection waits until it is answered here,",
                "in the web UI, or times out.",
                "Type a[llow], d[eny] or r[eject], optionally a scope (exe, dest, cmdline) and a duration",
                "(once, 15m, until-exit, until-restart, always); an empty line leaves it for later, q quits.")
                .footer("", "Exit status: 0 ok, 1 no daemon or prompts are off, 2 bad arguments.");
        daemonSocket.addTo(spec);
        spec.addOption(list);
        spec.addOption(json);
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new PromptCommand().spec;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path = daemonSocket.resolve(spec.commandLine());
        if (Boolean.TRUE.equals(json.getValue()) && !Boolean.TRUE.equals(list.getValue())) {
            err.println("netwarden prompt: --json goes with --list");
            return 2;
        }
        try (ControlClient client = ControlClient.connect(path, Duration.ofSeconds(2))) {
            if (Boolean.TRUE.equals(list.getValue())) {
                JsonNode reply = client.call("prompts", Duration.ofSeconds(10));
                if (!reply.path("ok").asBoolean()) {
                    err.println("netwarden prompt: the daemon refused: " + TerminalText.sanitize(reply.path("error").asString("")));
                    return 1;
                }
                if (Boolean.TRUE.equals(json.getValue())) {
                    out.println(reply);
                } else if (!reply.path("enabled").asBoolean()) {
                    out.println("prompts are off: the daemon is not at the intercept level or firewall.default_action is not prompt");
                } else if (reply.path("prompts").isEmpty()) {
                    out.println("no pending questions");
                } else {
                    for (JsonNode p : reply.path("prompts")) {
                        dev.netwarden.prompt.PromptSession.describe(p).forEach(out::println);
                    }
                }
                out.flush();
                return reply.path("enabled").asBoolean() ? 0 : 1;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int code = new PromptSession(client, in, out).run();
            out.flush();
            return code;
        } catch (NoDaemonException e) {
            err.println("netwarden prompt: " + TerminalText.sanitize(e.getMessage()));
            err.flush();
            return 1;
        }
    }
}
