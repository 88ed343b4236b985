package dev.netwarden.linux.proc;

import java.util.Objects;

/**
 * Where a process sits in the cgroup tree, from {@code /proc/PID/cgroup}.
 *
 * @param path        the unified (v2) path, else the first v1 hierarchy's path
 * @param containerId a 64-hex container id found in the paths, or null
 */
public record CgroupMembership(String path, String containerId) {
    public CgroupMembership {
        Objects.requireNonNull(path, "path is null");
    }
}
