package dev.netwarden.monitor;

import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds the socket of a packet's addresses: {@code SockDiag::lookup} (opened in the monitored
 * namespace). An interface so the tracker does not own a netlink socket, and so the caller decides
 * which thread and namespace the lookups run in.
 */
@FunctionalInterface
public interface SocketLookup {
    Optional<SocketEntry> lookup(Netid netid, InetEndpoint local, InetEndpoint remote) throws IOException;

    /** For a tracker that is only fed passive sightings. */
    SocketLookup NONE = (netid, local, remote) -> Optional.empty();
}
