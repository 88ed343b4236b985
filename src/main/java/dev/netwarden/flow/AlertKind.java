package dev.netwarden.flow;

/** The things the monitor calls out on its own, each recorded in history and logged. */
public enum AlertKind {
    /** An executable (by path) makes its first connection ever seen by this history. */
    FIRST_CONNECTION_OF_EXECUTABLE,
    /** An executable reaches a domain it was never seen reaching. */
    FIRST_DOMAIN_OF_APP,
    /** The executable at a known path has a different sha256 than when it was last seen. */
    EXECUTABLE_HASH_CHANGED,
    /** The connection comes from a process whose executable was deleted or replaced on disk. */
    DELETED_EXECUTABLE,
    /** The process's comm is not a prefix of its executable's file name (a renamed or disguised process). */
    COMM_MISMATCH;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
