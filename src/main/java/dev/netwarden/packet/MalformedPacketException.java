package dev.netwarden.packet;

/** Bytes that are not a well-formed IP packet: truncated, or with fields that contradict each other. */
public final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message);
    }
}
