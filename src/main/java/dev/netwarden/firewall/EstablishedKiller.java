package dev.netwarden.firewall;

import java.net.InetAddress;

/**
 * Ends established connections a new deny decision covers: a denied app must not keep talking over a
 * connection it opened before the rule (or the answer) existed. {@link ConnectionKiller} does it with
 * sock_diag SOCK_DESTROY.
 */
@FunctionalInterface
public interface EstablishedKiller {
    /**
     * Destroys the TCP and UDP sockets of processes running {@code exe} (null = any process) connected
     * to {@code address} (null = any) and {@code port} (0 = any). Returns how many were destroyed.
     */
    int kill(String exe, InetAddress address, int port);

    EstablishedKiller NONE = (exe, address, port) -> 0;
}
