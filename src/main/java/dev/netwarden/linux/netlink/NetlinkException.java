package dev.netwarden.linux.netlink;

import dev.netwarden.linux.ffm.Errno;

import java.io.IOException;

/**
 * The kernel answered a netlink request with an error ({@code NLMSG_ERROR} with a non-zero errno, or
 * an error in {@code NLMSG_DONE}). Carries the errno and, when the kernel gave one, its extended-ack
 * text ({@code NLMSGERR_ATTR_MSG}), which usually says which attribute it rejected.
 */
public class NetlinkException extends IOException {
    private final int errno;
    private final String extAckMessage;

    public NetlinkException(String context, int errno, String extAckMessage) {
        super(context + ": " + Errno.describe(errno)
                + (extAckMessage == null || extAckMessage.isEmpty() ? "" : ": " + extAckMessage));
        this.errno = errno;
        this.extAckMessage = extAckMessage;
    }

    /** The positive errno value (e.g. 2 for ENOENT). */
    public int errno() {
        return errno;
    }

    /** "ENOENT (no such file or directory)", or "errno N" for errnos without a name. */
    public String errnoName() {
        return Errno.describe(errno);
    }

    /** The kernel's extended-ack message, or null when it sent none. */
    public String extAckMessage() {
        return extAckMessage;
    }
}
