package dev.netwarden.linux.netlink;

/**
 * Bytes that are not well-formed netlink: a header or attribute cut short, a length below the header
 * size or past the end of the data, a payload shorter than its fixed struct.
 *
 * <p>Unchecked on purpose: every parser in {@code linux.netlink} and {@code linux.sockdiag} is a pure
 * function over bytes and this is the <em>only</em> exception they throw for bad input (the property
 * their fuzz tests check). The kernel never sends such bytes, so seeing one means a bug or a kernel ABI
 * change, not a condition callers handle case by case.
 */
public final class MalformedNetlinkException extends RuntimeException {
    public MalformedNetlinkException(String message) {
        super(message);
    }
}
