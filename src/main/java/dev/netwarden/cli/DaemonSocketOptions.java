package dev.netwarden.cli;

import dev.netwarden.daemon.config.DaemonSection;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;

/**
 * {@code --daemon-socket PATH} and {@code --data-dir DIR}: how a command that talks to the running
 * daemon (prompt, status, top) finds its control socket. Either names it; neither means the default
 * data dir's; both together is a usage error.
 */
final class DaemonSocketOptions {
    private final OptionSpec socket = OptionSpec.builder("--daemon-socket").paramLabel("PATH").type(Path.class)
            .description("The daemon's control socket (default: DATA_DIR/control.sock).").build();
    private final OptionSpec dataDir = OptionSpec.builder("--data-dir").paramLabel("DIR").type(Path.class)
            .description("The daemon's data directory (default: /var/lib/netwarden).").build();

    void addTo(CommandSpec spec) {
        spec.addOption(socket);
        spec.addOption(dataDir);
    }

    /** Whether the user named a daemon (then failing to reach it is worth saying). */
    boolean explicit() {
        return socket.getValue() != null || dataDir.getValue() != null;
    }

    /** The control socket to use. */
    Path resolve(CommandLine cl) {
        Path path = socket.getValue();
        Path dir = dataDir.getValue();
        if (path != null && dir != null) {
            throw new CommandLine.ParameterException(cl, "--daemon-socket and --data-dir exclude each other");
        }
        if (path != null) {
            return path;
        }
        return dir == null ? DaemonSection.DEFAULT_CONTROL_SOCKET : dir.resolve(DaemonSection.DEFAULT_CONTROL_SOCKET.getFileName());
    }
}
