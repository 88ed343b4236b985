package dev.netwarden.flow;

/**
 * Which side opened a connection. A listening socket is its own kind: it is an open door, not a
 * conversation. UNKNOWN is used when a connection was only seen after the fact (for example its
 * destroy event alone) and nothing tells who started it.
 */
public enum Direction {
    OUTBOUND, INBOUND, LISTEN, UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
