package dev.netwarden.flow;

/**
 * Bytes and packets of one connection, each way, as far as the kernel told them. -1 means "not
 * known" (for example UDP bytes at the passive level), never zero.
 */
public record Counters(long bytesOut, long bytesIn, long packetsOut, long packetsIn) {

    public static final Counters UNKNOWN = new Counters(-1, -1, -1, -1);

    public Counters {
        if (bytesOut < -1 || bytesIn < -1 || packetsOut < -1 || packetsIn < -1) {
            throw new IllegalArgumentException("counters are -1 (unknown) or non-negative");
        }
    }

    public boolean isKnown() {
        return bytesOut >= 0 || bytesIn >= 0 || packetsOut >= 0 || packetsIn >= 0;
    }
}
