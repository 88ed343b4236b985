package dev.netwarden.flow;

/**
 * How the daemon sees new connections.
 *
 * <p>PASSIVE changes no firewall rule: it learns about sockets from sock_diag dumps and destroy
 * events, so a connection that opens and closes between two looks may be seen only at its end.
 * INTERCEPT queues each new connection's first packet through NFQUEUE and attributes it before the
 * packet leaves.
 */
public enum InterceptionLevel {
    PASSIVE, INTERCEPT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
