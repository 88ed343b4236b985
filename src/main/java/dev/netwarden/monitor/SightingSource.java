package dev.netwarden.monitor;

/** How a socket came to the tracker's attention. */
public enum SightingSource {
    /** A periodic sock_diag dump (or /proc/net/icmp read) listed it. */
    DUMP,
    /** The kernel announced its destruction (sock_diag destroy group): its last look. */
    DESTROY,
    /** The first packet of a new connection (NFQUEUE) and, when found, its socket's lookup. */
    PACKET
}
