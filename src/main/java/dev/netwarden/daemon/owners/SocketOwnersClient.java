package dev.netwarden.daemon.owners;

import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.linux.proc.ProcessTable;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The client side of {@link SocketOwnersOp}: asks a running daemon, or says why it could not. */
public final class SocketOwnersClient {
    /** Connecting is local and instant when a daemon runs; anything slower means it is wedged. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
    /** The daemon may run a full /proc scan for an answer (~0.2 s at 100k sockets) on a loaded machine. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private SocketOwnersClient() {
    }

    /**
     * The owners of {@code inodes} according to the daemon at {@code socket}.
     *
     * @throws IOException no daemon, a namespace mismatch, a refusal or a malformed answer: the message
     *                     says which; the caller then scans /proc itself
     */
    public static SocketOwners ask(Path socket, long[] inodes, ProcessTable.Detail detail) throws IOException {
        try (ControlClient client = ControlClient.connect(socket, CONNECT_TIMEOUT)) {
            byte[] reply = client.exchange(SocketOwnersWire.request(Namespaces.current(), detail, inodes), ANSWER_TIMEOUT);
            try {
                return SocketOwnersWire.decode(reply);
            } catch (IOException e) {
                throw new IOException("daemon at " + socket + ": " + e.getMessage(), e);
            }
        }
    }
}
