package dev.netwarden.daemon.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code [monitor]}.
 *
 * @param pollInterval       how often sock_diag is polled for new and closed sockets (passive level)
 * @param updateInterval     how often byte/packet counters of open connections are recorded
 * @param exitedProcessGrace how long an exited process's record is kept for late attribution
 */
public record MonitorSection(Duration pollInterval, Duration updateInterval, Duration exitedProcessGrace) {
    public MonitorSection {
        Objects.requireNonNull(pollInterval, "pollInterval is null");
        Objects.requireNonNull(updateInterval, "updateInterval is null");
        Objects.requireNonNull(exitedProcessGrace, "exitedProcessGrace is null");
    }
}
