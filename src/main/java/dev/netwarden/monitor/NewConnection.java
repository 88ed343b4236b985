package dev.netwarden.monitor;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;

import java.util.Objects;

/**
 * The first packet of a new connection, as the NFQUEUE path sees it: the addresses from the packet
 * (local = this machine's end), the direction the hook implies (OUTBOUND for a locally generated
 * packet, INBOUND for one arriving), and the socket uid when the queue reported it (-1 otherwise).
 * The socket itself is then looked up by these addresses.
 */
public record NewConnection(Transport transport, int family, InetEndpoint local, InetEndpoint remote,
                            Direction direction, int uid) {
    public NewConnection {
        Objects.requireNonNull(transport, "transport is null");
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(remote, "remote is null");
        Objects.requireNonNull(direction, "direction is null");
    }
}
