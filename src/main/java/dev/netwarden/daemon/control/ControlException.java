package dev.netwarden.daemon.control;

/** A request a handler refuses (bad argument, not available now): answered as {@code {"ok":false,"error":MESSAGE}}. */
public final class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }
}
