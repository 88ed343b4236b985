package dev.netwarden.linux.netlink;

import dev.netwarden.linux.ffm.Errno;

/**
 * recv() failed with ENOBUFS: the socket's receive buffer overflowed and the kernel dropped replies,
 * so what was received is incomplete. Nothing read so far can be trusted to be the whole answer; the
 * only fix is to ask again (on a fresh socket, since the old dump's state is unknown).
 */
public final class NetlinkOverrunException extends NetlinkException {
    public NetlinkOverrunException(String context) {
        super(context + " (the kernel dropped netlink replies because the receive buffer was full)",
                Errno.ENOBUFS, null);
    }
}
