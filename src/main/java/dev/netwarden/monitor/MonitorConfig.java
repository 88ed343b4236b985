package dev.netwarden.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * The passive monitor's tunables. The daemon binds its configuration keys to these.
 *
 * @param pollInterval           time between two sock_diag dumps. Default 1 s: a connection that
 *                               lives less than this may be seen only by its destroy notification
 *                               (and then has no process), so shorter is better for attribution;
 *                               an idle poll costs well under 1 ms of CPU, a busy one grows with new
 *                               sockets, not with the interval (see PassiveMonitorCpuTest)
 * @param updateInterval         at most one {@code Updated} per flow per this interval (default 10 s);
 *                               the final counters always come with {@code Closed}
 * @param vanishAfterMissedDumps a flow whose socket is missing from this many consecutive complete
 *                               dumps is closed (default 2: one dump may skip a socket while its hash
 *                               bucket changes)
 * @param fullRescanMinInterval  the least time between two full /proc fd scans done to find a new
 *                               socket's holder (default 2 s; each costs ~1.5–3 µs per fd on the machine)
 * @param destroyGrace           how long a TCP/UDP flow missing from dumps waits for its destroy
 *                               notification before it is closed anyway (default 2 min). A socket
 *                               can be invisible to dumps yet alive: after the peer's FIN a TCP
 *                               socket whose program still holds it is CLOSE and unhashed until
 *                               the program closes it, and only then is it destroyed, with its
 *                               final counters. Lost notifications (ENOBUFS) skip the wait.
 * @param listenerMemory         how long a listening port is remembered after it was last seen, to
 *                               tell an accepted connection from an outbound one (default 5 min)
 * @param alertMemory            entries the alert detector keeps per kind (default 100,000)
 */
public record MonitorConfig(
        Duration pollInterval,
        Duration updateInterval,
        int vanishAfterMissedDumps,
        Duration fullRescanMinInterval,
        Duration destroyGrace,
        Duration listenerMemory,
        int alertMemory) {

    public MonitorConfig {
        positive(pollInterval, "pollInterval");
        positive(updateInterval, "updateInterval");
        Objects.requireNonNull(fullRescanMinInterval, "fullRescanMinInterval is null");
        positive(listenerMemory, "listenerMemory");
        positive(destroyGrace, "destroyGrace");
        if (vanishAfterMissedDumps < 1) {
            throw new IllegalArgumentException("vanishAfterMissedDumps must be at least 1: " + vanishAfterMissedDumps);
        }
        if (alertMemory < 1) {
            throw new IllegalArgumentException("alertMemory must be at least 1: " + alertMemory);
        }
    }

    public static MonitorConfig defaults() {
        return new MonitorConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), 2, Duration.ofSeconds(2),
                Duration.ofMinutes(2), Duration.ofMinutes(5), 100_000);
    }

    public MonitorConfig withPollInterval(Duration d) {
        return new MonitorConfig(d, updateInterval, vanishAfterMissedDumps, fullRescanMinInterval, destroyGrace, listenerMemory, alertMemory);
    }

    public MonitorConfig withUpdateInterval(Duration d) {
        return new MonitorConfig(pollInterval, d, vanishAfterMissedDumps, fullRescanMinInterval, destroyGrace, listenerMemory, alertMemory);
    }

    public MonitorConfig withDestroyGrace(Duration d) {
        return new MonitorConfig(pollInterval, updateInterval, vanishAfterMissedDumps, fullRescanMinInterval, d, listenerMemory, alertMemory);
    }

    public MonitorConfig withFullRescanMinInterval(Duration d) {
        return new MonitorConfig(pollInterval, updateInterval, vanishAfterMissedDumps, d, destroyGrace, listenerMemory, alertMemory);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name + " is null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
