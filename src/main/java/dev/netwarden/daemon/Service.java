package dev.netwarden.daemon;

import java.util.Map;

/**
 * One part of the daemon with a life: the history writer, the DNS sniffer, the monitor, the control
 * socket. {@link Daemon} starts them in order and closes them in reverse, so a service may use the ones
 * started before it.
 *
 * <p>{@link #close()} must flush what the service holds (the history writer commits its queue): it runs
 * on SIGTERM/SIGINT before the process exits.
 */
public interface Service extends AutoCloseable {
    /** A short lowercase name for logs and the status op, e.g. "history". */
    String name();

    /** Starts the service; throws when it cannot run (the daemon then stops the ones already started). */
    void start() throws Exception;

    /** Stops the service, flushing what it holds. Called at most once, only after a successful start. */
    @Override
    void close() throws Exception;

    /**
     * Counters for the status op (events, drops, sizes). Values must be JSON-friendly: numbers,
     * strings, booleans. Called from control-connection threads while the service runs: thread-safe.
     */
    default Map<String, Object> stats() {
        return Map.of();
    }
}
