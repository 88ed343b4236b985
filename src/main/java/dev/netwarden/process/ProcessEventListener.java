package dev.netwarden.process;

/**
 * Process lifecycle as the kernel announces it (the proc connector). Pids are thread-group ids
 * (processes); thread creation and exit are not reported. Called on the event thread: keep it short.
 */
public interface ProcessEventListener {

    void onFork(int parentPid, int childPid);

    /** The process replaced its image: its exe and cmdline changed. */
    void onExec(int pid);

    /** The process set a new comm (prctl PR_SET_NAME of its main thread). */
    default void onComm(int pid) {}

    void onExit(int pid, int exitCode);

    /** Events were lost (receive buffer overrun): the listener should resynchronise from /proc. */
    default void onOverrun() {}
}
