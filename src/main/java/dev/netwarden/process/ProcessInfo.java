package dev.netwarden.process;

import java.util.List;

/**
 * What /proc tells about one process at the moment it was read. Anything that could not be read
 * (permission, the process exited meanwhile) is null, or -1 for numbers; a partially readable
 * process is still worth showing.
 *
 * @param comm          the kernel's short name ({@code /proc/PID/comm}), at most 15 bytes, set by the program
 * @param exe           the executable's path ({@code /proc/PID/exe}), without the " (deleted)" suffix
 * @param exeDeleted    true when the executable was deleted or replaced after the process started it
 * @param cmdline       argv as the process shows it (it can rewrite it); empty for kernel threads
 * @param startTicks    start time in clock ticks after boot ({@code /proc/PID/stat} field 22): with
 *                      the pid it identifies a process uniquely across pid reuse
 * @param cgroup        the unified (v2) cgroup path, or the first v1 path
 * @param containerId   a 64-hex container id found in the cgroup path (docker, containerd, podman…), or null
 */
public record ProcessInfo(
        int pid,
        int ppid,
        int uid,
        String user,
        String comm,
        String exe,
        boolean exeDeleted,
        List<String> cmdline,
        long startTicks,
        String cgroup,
        String containerId) {

    public ProcessInfo {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
    }

    /** The name to show: comm, else the executable's file name, else "?". */
    public String displayName() {
        if (comm != null && !comm.isEmpty()) {
            return comm;
        }
        if (exe != null) {
            int slash = exe.lastIndexOf('/');
            return exe.substring(slash + 1);
        }
        return "?";
    }
}
