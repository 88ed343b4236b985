package dev.netwarden.linux.connector;

/**
 * One {@code struct proc_event} (include/uapi/linux/cn_proc.h). Pids are the kernel's: {@code pid}
 * is a thread id, {@code tgid} the id of the thread group, which is what user space calls the
 * process id. Every event carries the cpu it was raised on and the kernel's monotonic timestamp.
 */
public sealed interface ProcEvent {

    int cpu();

    /** ktime_get_ns() when the kernel raised the event (CLOCK_MONOTONIC nanoseconds). */
    long timestampNs();

    /**
     * PROC_EVENT_NONE: the kernel's answer to a listen/ignore request; {@code err} 0 = accepted. It is
     * multicast to every listener: {@code ack} is the request's cn_msg.ack + 1, which is how a listener
     * tells its own answer from another's ({@code seq} is the kernel's event counter on 6.x, not the
     * request's, as recorded bytes show).
     */
    record Ack(int cpu, long timestampNs, int err, int seq, int ack) implements ProcEvent {}

    /** PROC_EVENT_FORK: a new task. A new thread (not a process) when {@code childPid != childTgid}. */
    record Fork(int cpu, long timestampNs, int parentPid, int parentTgid, int childPid, int childTgid)
            implements ProcEvent {
        public boolean isThread() {
            return childPid != childTgid;
        }
    }

    /** PROC_EVENT_EXEC: the task replaced its image. */
    record Exec(int cpu, long timestampNs, int pid, int tgid) implements ProcEvent {}

    /** PROC_EVENT_UID or PROC_EVENT_GID: the real and effective ids after a set*id call. */
    record IdChange(int cpu, long timestampNs, Kind kind, int pid, int tgid, int realId, int effectiveId)
            implements ProcEvent {
        public enum Kind { UID, GID }
    }

    /** PROC_EVENT_SID: the task became a session leader (setsid). */
    record Sid(int cpu, long timestampNs, int pid, int tgid) implements ProcEvent {}

    /** PROC_EVENT_PTRACE: a tracer attached ({@code tracerPid != 0}) or detached (0). */
    record Ptrace(int cpu, long timestampNs, int pid, int tgid, int tracerPid, int tracerTgid)
            implements ProcEvent {}

    /** PROC_EVENT_COMM: the task set its name (prctl PR_SET_NAME or a write to /proc/.../comm). */
    record Comm(int cpu, long timestampNs, int pid, int tgid, String comm) implements ProcEvent {}

    /** PROC_EVENT_COREDUMP: the task is dumping core. */
    record Coredump(int cpu, long timestampNs, int pid, int tgid, int parentPid, int parentTgid)
            implements ProcEvent {}

    /**
     * PROC_EVENT_EXIT (or PROC_EVENT_NONZERO_EXIT): a task ended. A thread when {@code pid != tgid};
     * the process ends with its last thread, which the kernel reports as the leader's exit.
     *
     * @param exitCode the kernel's {@code task->exit_code}: a wait(2) status (exit status in bits
     *                 8..15, terminating signal in bits 0..6)
     */
    record Exit(int cpu, long timestampNs, int pid, int tgid, int exitCode, int exitSignal,
                int parentPid, int parentTgid) implements ProcEvent {
        public boolean isThread() {
            return pid != tgid;
        }
    }

    /** An event type this parser does not know (a newer kernel); kept so it can be counted. */
    record Unknown(int cpu, long timestampNs, int what) implements ProcEvent {}
}
