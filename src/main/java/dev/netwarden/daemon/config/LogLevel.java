package dev.netwarden.daemon.config;

import java.util.logging.Level;

/** {@code daemon.log_level}: the names admins know from syslog-style tools, mapped to java.util.logging. */
public enum LogLevel {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE), TRACE(Level.FINEST);

    private final Level julLevel;

    LogLevel(Level julLevel) {
        this.julLevel = julLevel;
    }

    public Level julLevel() {
        return julLevel;
    }
}
