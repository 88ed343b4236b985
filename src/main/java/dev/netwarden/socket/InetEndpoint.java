package dev.netwarden.socket;

import java.net.InetAddress;
import java.util.Objects;

/** One end of an IP socket: an address and a port (0 for "any"). */
public record InetEndpoint(InetAddress address, int port) {
    public InetEndpoint {
        Objects.requireNonNull(address, "address is null");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
