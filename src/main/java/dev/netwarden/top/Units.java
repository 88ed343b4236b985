package dev.netwarden.top;

/**
 * Byte counts and rates in at most six cells: {@code 0}, {@code 999B}, {@code 1.5K}, {@code 12K},
 * {@code 340K}, {@code 1.2M}, {@code 12G}; powers of 1024, as nethogs and top count. Unknown
 * (negative) is {@code -}. Six cells keep two rate and two total columns within an 80-column pane.
 */
final class Units {
    private static final String[] SUFFIX = {"B", "K", "M", "G", "T", "P"};

    private Units() {
    }

    /** A byte count. */
    static String bytes(double n) {
        if (n < 0) {
            return "-";
        }
        if (n < 0.5) {
            return "0";
        }
        int unit = 0;
        while (n >= 999.5 && unit < SUFFIX.length - 1) {
            n /= 1024;
            unit++;
        }
        if (unit == 0) {
            return Math.round(n) + "B";
        }
        if (n < 9.95) {
            return String.format(java.util.Locale.ROOT, "%.1f%s", n, SUFFIX[unit]);
        }
        return Math.round(n) + SUFFIX[unit];
    }

    /** A rate in bytes per second (the column header says "/s"). */
    static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond);
    }
}
