package dev.netwarden.daemon.owners;

import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;

import java.util.List;
import java.util.Map;

/**
 * The answer to "who holds these sockets": per asked inode its verified holders (pid, fd), and the
 * process of every holder pid. An inode without holders is absent from {@code holders}.
 *
 * @param unreadableProcesses processes whose fds could not be read (their sockets show no owner)
 * @param processesScanned    processes the index knows
 */
public record SocketOwners(Map<Long, List<SocketHolder>> holders, Map<Integer, ProcessInfo> processes,
                           int unreadableProcesses, int processesScanned) {
    public SocketOwners {
        holders = Map.copyOf(holders);
        processes = Map.copyOf(processes);
    }
}
