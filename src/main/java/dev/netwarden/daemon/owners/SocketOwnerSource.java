package dev.netwarden.daemon.owners;

import dev.netwarden.linux.proc.ProcessTable;

/**
 * Answers {@code socket-owners} requests: who holds these socket inodes now. The daemon frame's own
 * implementation is {@link WarmSocketIndex}; the monitor, which follows process events, can hand in
 * its own index instead.
 *
 * <p>Contract (why {@code conns} may trust it): every returned holder held the socket at some moment
 * after the call began (checked, not remembered), and a holder is missing only when it acquired the
 * socket in a way no /proc scan of this moment could tell apart from not holding it. Thread-safe.
 */
public interface SocketOwnerSource {
    /**
     * @param inodes socket inodes the caller found (0 is ignored: no fd refers to such a socket)
     * @param detail which process fields the caller needs
     */
    SocketOwners owners(long[] inodes, ProcessTable.Detail detail) throws InterruptedException;
}
