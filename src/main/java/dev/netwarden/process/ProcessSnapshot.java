package dev.netwarden.process;

import java.util.List;
import java.util.Objects;

/**
 * A process as the monitor records it with a connection: what /proc said, the executable's hash,
 * and its ancestors. Taken once per process (and kept after it exits), so a short-lived process is
 * still described when its connection is written.
 *
 * @param info      what /proc said about the process
 * @param sha256    lower-case hex sha256 of the executable the process runs (read through
 *                  /proc/PID/exe, so a deleted binary is hashed too); null when it could not be read
 * @param hashError why the hash is missing (null when sha256 is set)
 * @param parents   the parent chain, nearest first, up to pid 1 or a bounded depth
 */
public record ProcessSnapshot(ProcessInfo info, String sha256, String hashError, List<ParentLink> parents) {

    public ProcessSnapshot {
        Objects.requireNonNull(info, "info is null");
        parents = parents == null ? List.of() : List.copyOf(parents);
    }

    /** One ancestor: enough to show "bash → sshd → systemd". */
    public record ParentLink(int pid, String comm, String exe) {}
}
