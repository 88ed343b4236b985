package dev.netwarden.daemon.config;

/**
 * A size in bytes as written in the configuration: a whole number and an IEC unit, {@code 512MiB},
 * {@code 10GiB}, or plain bytes ({@code 4096} or {@code 4096B}). Binary units only, so "10GiB" never
 * means two different numbers.
 */
public record ByteSize(long bytes) {
    private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB", "B"};
    private static final long[] FACTOR = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1L};

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
    }

    /** The size, or {@link IllegalArgumentException} with a message saying what is allowed. */
    public static ByteSize parse(String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        if (i == 0 || i > 15) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (a whole number and a unit: B, KiB, MiB, GiB or TiB, e.g. 512MiB, 10GiB)");
        }
        long n = Long.parseLong(t.substring(0, i));
        String unit = t.substring(i);
        if (unit.isEmpty()) {
            return new ByteSize(n);
        }
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return new ByteSize(Math.multiplyExact(n, FACTOR[u]));
            }
        }
        throw new IllegalArgumentException("not a size: \"" + text + "\" (unit must be B, KiB, MiB, GiB or TiB, e.g. 512MiB, 10GiB)");
    }

    /** The shortest form that {@link #parse} reads back as the same size. */
    @Override
    public String toString() {
        if (bytes == 0) {
            return "0B";
        }
        for (int u = 0; u < UNITS.length; u++) {
            if (bytes % FACTOR[u] == 0) {
                return bytes / FACTOR[u] + UNITS[u];
            }
        }
        throw new AssertionError("1 divides every size");
    }
}
