package dev.netwarden.conns;

import dev.netwarden.socket.SocketEntry;

import java.util.List;
import java.util.Objects;

/**
 * One row of {@code conns}: a socket and every process fd that holds it. {@code owners} is empty
 * when no holder was found (the socket is orphaned, in TIME-WAIT, or held by a process whose fds
 * we may not read).
 */
public record Connection(SocketEntry socket, List<Owner> owners) {
    public Connection {
        Objects.requireNonNull(socket, "socket is null");
        owners = owners == null ? List.of() : List.copyOf(owners);
    }
}
