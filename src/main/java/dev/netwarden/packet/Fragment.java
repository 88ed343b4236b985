package dev.netwarden.packet;

/**
 * Where a packet stands in IP fragmentation. Only a {@link #LATER} fragment lacks the transport
 * header (no ports, no flags); a {@link #FIRST} fragment has it but carries only part of the payload.
 */
public enum Fragment {
    /** A whole datagram. */
    NONE,
    /** Offset zero with more fragments to come: transport header present, payload incomplete. */
    FIRST,
    /** A fragment at a non-zero offset: no transport header. */
    LATER
}
