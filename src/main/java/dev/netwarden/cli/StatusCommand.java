package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.daemon.StatusOp;
import dev.netwarden.daemon.StatusText;
import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.daemon.control.NoDaemonException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code netwarden status}: asks the running daemon how it is doing (its {@code status} control op) and
 * prints it, so nobody needs socat to read the counters docs/daemon.md describes.
 */
final class StatusCommand implements Callable<Integer> {
    private final DaemonSocketOptions daemonSocket = new DaemonSocketOptions();
    private final OptionSpec json = OptionSpec.builder("--json").type(boolean.class)
            .description("The daemon's JSON answer as it is (docs/daemon.md, \"Control socket\").").build();
    private final CommandSpec spec;

    private StatusCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("status");
        spec.usageMessage().description(
                "Show the running daemon: pid, version, level, uptime and each part's counters.",
                "The counters: connections seen, history rows written and lost, DNS answers, firewall decisions, …")
                .footer("", "Exit status: 0 printed, 1 no daemon answers (or it refused), 2 bad arguments.");
        daemonSocket.addTo(spec);
        spec.addOption(json);
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new StatusCommand().spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path = daemonSocket.resolve(spec.commandLine());
        try (ControlClient client = ControlClient.connect(path, Duration.ofSeconds(2))) {
            JsonNode reply = client.call(StatusOp.OP, Duration.ofSeconds(10));
            if (!reply.path("ok").asBoolean()) {
                err.println("netwarden status: the daemon refused: " + TerminalText.sanitize(reply.path("error").asString("")));
                err.flush();
                return Main.EXIT_KERNEL;
            }
            if (Boolean.TRUE.equals(json.getValue())) {
                out.println(reply);
            } else {
                StatusText.lines(reply).forEach(out::println);
            }
            out.flush();
            return 0;
        } catch (NoDaemonException e) {
            err.println("netwarden status: " + TerminalText.sanitize(e.getMessage()));
            err.flush();
            return Main.EXIT_KERNEL;
        } catch (IOException e) {
            err.println("netwarden status: " + TerminalText.sanitize(String.valueOf(e.getMessage())));
            err.flush();
            return Main.EXIT_KERNEL;
        }
    }
}
