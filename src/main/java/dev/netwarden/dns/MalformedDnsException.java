package dev.netwarden.dns;

/** DNS message bytes that cannot be read, or that exceed the bounds netwarden accepts. */
public final class MalformedDnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedDnsException(String message) {
        super(message);
    }

    public MalformedDnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
