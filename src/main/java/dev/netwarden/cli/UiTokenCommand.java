package dev.netwarden.cli;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.web.UiToken;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code netwarden ui-token}: prints the web UI's login token from the daemon's data dir (root only:
 * the file is 0600), so a user can log in at the address the daemon printed at its start.
 */
final class UiTokenCommand implements Callable<Integer> {
    private final OptionSpec dataDir = OptionSpec.builder("--data-dir").paramLabel("DIR").type(Path.class)
            .description("The daemon's data directory (default: /var/lib/netwarden).").build();
    private final CommandSpec spec;

    private UiTokenCommand() {
        spec = CommandSpec.wrapWithoutInspection(this).name("ui-token");
        spec.usageMessage().description(
                "Print the web UI's login token (DATA_DIR/ui-token, made at the daemon's first start).",
                "Paste it into the login page at the address the daemon printed (default http://127.0.0.1:7979/).")
                .footer("", "Exit status: 0 printed, 1 no token file or it cannot be read (run as root), 2 bad arguments.");
        spec.addOption(dataDir);
        spec.addOption(OptionSpecs.help());
    }

    static CommandSpec spec() {
        return new UiTokenCommand().spec;
    }

    @Override
    public Integer call() {
        Path dir = dataDir.getValue() == null ? HistoryCommand.DEFAULT_DATA_DIR : dataDir.<Path>getValue();
        try {
            spec.commandLine().getOut().println(UiToken.read(dir.toAbsolutePath()).value());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("netwarden: " + TerminalText.sanitize(String.valueOf(e.getMessage())));
            return Main.EXIT_KERNEL;
        }
    }
}
