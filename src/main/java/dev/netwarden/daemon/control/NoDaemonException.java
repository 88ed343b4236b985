package dev.netwarden.daemon.control;

import java.io.IOException;
import java.nio.file.Path;

/** Nothing answers on the control socket: no daemon runs there (or it is not reachable by this user). */
public final class NoDaemonException extends IOException {
    public NoDaemonException(Path socket, String reason) {
        super("no daemon at " + socket + " (" + reason + ")");
    }
}
