package dev.netwarden.daemon;

import java.util.logging.LogManager;

/**
 * A LogManager that ignores {@link #reset()}. Why: the JDK resets logging from its own shutdown hook,
 * which runs concurrently with the daemon's; the services' last words on SIGTERM ("flushed N rows",
 * "stopped") would be lost. Installed by {@code Main} (system property
 * {@code java.util.logging.manager}) before anything logs, only for {@code netwarden daemon}.
 */
public final class DaemonLogManager extends LogManager {
    @Override
    public void reset() {
        // keep the handlers until the process ends; LogFormat.install replaces them explicitly
    }
}
