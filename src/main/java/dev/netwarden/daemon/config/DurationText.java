package dev.netwarden.daemon.config;

import java.time.Duration;

/**
 * Durations as written in the configuration: a whole number and one unit, {@code 500ms}, {@code 10s},
 * {@code 2m}, {@code 1h}, {@code 90d}. Why so strict: "1.5h" or "1h30m" are easy to misread in a file an
 * admin edits once a year; one unit per value is unambiguous and prints back the same.
 */
public final class DurationText {
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private DurationText() {
    }

    /** The duration, or {@link IllegalArgumentException} with a message saying what is allowed. */
    public static Duration parse(String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException("not a duration: \"" + text + "\" (a whole number and a unit: ms, s, m, h or d, e.g. 500ms, 10s, 2m, 1h, 90d)");
        }
        long n = Long.parseLong(t.substring(0, i));
        String unit = t.substring(i);
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return Duration.ofMillis(Math.multiplyExact(n, MILLIS[u]));
            }
        }
        throw new IllegalArgumentException("not a duration: \"" + text + "\" (unit must be ms, s, m, h or d, e.g. 500ms, 10s, 2m, 1h, 90d)");
    }

    /** The shortest form that {@link #parse} reads back as the same duration (sub-millisecond parts are dropped). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        for (int u = 0; u < UNITS.length; u++) {
            if (ms % MILLIS[u] == 0) {
                return ms / MILLIS[u] + UNITS[u];
            }
        }
        throw new AssertionError("ms divides every duration");
    }
}
