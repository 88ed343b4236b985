package dev.netwarden.process;

import java.util.Optional;

/**
 * Where the monitor gets a {@link ProcessSnapshot} for a pid: read from /proc while the process
 * lives, and kept a while after it exits so a connection closed late is still attributed. Empty
 * means the process is not known (never a guess at a reused pid).
 */
@FunctionalInterface
public interface ProcessDirectory {
    Optional<ProcessSnapshot> snapshot(int pid);

    /**
     * As {@link #snapshot(int)}, but an executable hash still being computed is not waited for (the
     * snapshot's {@code hashError} says it is pending): for a thread that must not stall, such as the
     * one reading destroy notifications.
     */
    default Optional<ProcessSnapshot> snapshotWithoutWaiting(int pid) {
        return snapshot(pid);
    }
}
