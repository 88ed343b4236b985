package dev.netwarden.top;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.live.DaemonFlows;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.OwnScan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where {@code top} gets its flows: the daemon when one answers on the control socket (and watches this
 * network namespace), else its own scan ({@link OwnScan}). A daemon that stops answering mid-run is
 * replaced by the own scan, with the reason in the header: the view goes on.
 */
final class FlowFeed implements AutoCloseable {
    private final Path socket;
    private DaemonFlows daemon;
    private OwnScan own;
    private String description;
    private String reason = "";

    private FlowFeed(Path socket) {
        this.socket = socket;
    }

    /**
     * @param socket   the daemon's control socket
     * @param explicit the user named it: a missing socket file is still tried (and its error shown)
     */
    static FlowFeed open(Path socket, boolean explicit) throws IOException {
        Objects.requireNonNull(socket, "socket is null");
        FlowFeed f = new FlowFeed(socket);
        if (!explicit && !Files.exists(socket)) {
            f.useOwnScan(socket + " not found");
            return f;
        }
        try {
            f.daemon = DaemonFlows.connect(socket);
            f.description = "daemon";
            f.reason = "";
        } catch (IOException | RuntimeException e) {
            f.useOwnScan(e.getMessage());
        }
        return f;
    }

    private void useOwnScan(String why) throws IOException {
        own = OwnScan.open();
        String prefix = "no daemon at ";
        if (why != null && why.startsWith(prefix)) {
            why = why.substring(prefix.length());
        }
        reason = "no daemon: " + TerminalText.sanitize(why);
        description = "own scan (" + reason + ")";
    }

    /** The flows open now; a daemon that fails here is dropped for the own scan. */
    List<LiveFlow> flows() throws IOException {
        if (daemon != null) {
            try {
                return daemon.liveFlows();
            } catch (IOException | RuntimeException e) {
                daemon.close();
                daemon = null;
                useOwnScan("it stopped answering: " + e.getMessage());
            }
        }
        return own.liveFlows();
    }

    /** "daemon" or "own scan (why)", escaped for the terminal. */
    String description() {
        return description;
    }

    /** "daemon" or "own scan". */
    String label() {
        return daemon != null ? "daemon" : "own scan";
    }

    /** Why there is no daemon ("no daemon: …", escaped), or "" with one. */
    String reason() {
        return reason;
    }

    /** Whether the daemon serves the flows (and so may have firewall questions). */
    boolean fromDaemon() {
        return daemon != null;
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
        if (own != null) {
            own.close();
        }
    }
}
