package dev.netwarden.linux.proc;

import java.util.Objects;

/**
 * The fields of {@code /proc/PID/stat} netwarden uses.
 *
 * @param comm       the command name between the parentheses (may contain spaces and ')')
 * @param state      the one-letter state (R, S, D, Z, T, t, X, I, …)
 * @param ppid       the parent pid (0 for pid 1 and kthreadd)
 * @param startTicks field 22: start time in clock ticks after boot
 */
public record ProcStat(String comm, char state, int ppid, long startTicks) {
    public ProcStat {
        Objects.requireNonNull(comm, "comm is null");
    }
}
