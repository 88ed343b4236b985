package dev.netwarden.daemon.config;

import dev.netwarden.flow.InterceptionLevel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code [daemon]}.
 *
 * @param level         passive (read-only kernel sources) or intercept (NFQUEUE)
 * @param dataDir       history database, lock and pid file, and (by default) the control socket
 * @param rulesDir      firewall rules (read by the firewall issue)
 * @param logLevel      stderr log threshold
 * @param controlSocket the control API's Unix socket; {@code control_socket = ""} means
 *                      {@code DATA_DIR/control.sock}, so instances with their own data dirs never share one
 */
public record DaemonSection(InterceptionLevel level, Path dataDir, Path rulesDir, LogLevel logLevel, Path controlSocket) {
    /** The control socket's file name inside the data dir when {@code control_socket} is not set. */
    public static final String DEFAULT_SOCKET_NAME = "control.sock";
    /** The socket of a daemon on the default data dir: where {@code conns} looks by default. */
    public static final Path DEFAULT_CONTROL_SOCKET = Path.of("/var/lib/netwarden", DEFAULT_SOCKET_NAME);

    public DaemonSection {
        Objects.requireNonNull(level, "level is null");
        Objects.requireNonNull(dataDir, "dataDir is null");
        Objects.requireNonNull(rulesDir, "rulesDir is null");
        Objects.requireNonNull(logLevel, "logLevel is null");
        Objects.requireNonNull(controlSocket, "controlSocket is null");
    }

    /** The history database file. */
    public Path database() {
        return dataDir.resolve("history.db");
    }

    /** The lock file that keeps a second daemon off this data dir. */
    public Path lockFile() {
        return dataDir.resolve("netwarden.lock");
    }

    /** The pid file (informational: the lock is what excludes). */
    public Path pidFile() {
        return dataDir.resolve("netwarden.pid");
    }
}
