package dev.netwarden.linux.proc;

/**
 * A /proc (or /etc/passwd) file whose bytes do not have the shape the kernel documents. The one
 * exception every parser in this package throws on bad input; callers that read a live process
 * treat it like an unreadable file (the field stays null).
 */
public final class MalformedProcFileException extends IllegalArgumentException {
    public MalformedProcFileException(String message) {
        super(message);
    }
}
