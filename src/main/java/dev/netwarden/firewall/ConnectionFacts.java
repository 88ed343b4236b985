package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import java.util.Objects;

/**
 * Everything the firewall may match on for one new connection, gathered by the monitor before the
 * verdict: the addresses from the packet, the domain the program asked for, the interface, and the
 * process (null when it could not be known: rules that need a process do not match then).
 *
 * @param interfaceName the interface the packet goes out of (or came in on), null when unknown
 * @param uid           the socket owner's uid from the queue, -1 when unknown
 * @param domain        the name the program used for the remote address, null when none is known
 */
public record ConnectionFacts(
        Transport transport,
        int family,
        Direction direction,
        InetEndpoint local,
        InetEndpoint remote,
        String domain,
        String interfaceName,
        int uid,
        ProcessSnapshot process) {

    public ConnectionFacts {
        Objects.requireNonNull(transport, "transport is null");
        Objects.requireNonNull(direction, "direction is null");
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(remote, "remote is null");
    }
}
