package dev.netwarden.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-connection byte rates from successive {@link LiveFlow} snapshots, averaged over a window (the
 * kernel gives cumulative counters; a rate is their difference over time). A connection first seen
 * inside the window counts from its start at zero bytes, so a short burst shows its real rate instead
 * of nothing. Connections missing from a snapshot are forgotten. Not thread-safe: one caller updates
 * it (the sampler of {@code top} or of the web UI).
 */
public final class RateTable {
    /** Bytes per second each way; -1 when the counters of that direction are unknown (UDP at the passive level). */
    public record FlowRate(LiveFlow flow, double outPerSecond, double inPerSecond) {
        public FlowRate {
            Objects.requireNonNull(flow, "flow is null");
        }
    }

    /**
     * One flow's samples, oldest first, in a ring of primitive arrays: at 20,000 flows a second the
     * table allocates nothing per flow once it has seen it.
     */
    private static final class Track {
        long[] at = new long[8];
        long[] out = new long[8];
        long[] in = new long[8];
        int head;
        int size;
        long generation;

        long atOf(int k) {
            return at[(head + k) & (at.length - 1)];
        }

        long outOf(int k) {
            return out[(head + k) & (at.length - 1)];
        }

        long inOf(int k) {
            return in[(head + k) & (at.length - 1)];
        }

        void add(long t, long o, long i) {
            if (size == at.length) {
                long[] a = new long[size * 2];
                long[] b = new long[size * 2];
                long[] c = new long[size * 2];
                for (int k = 0; k < size; k++) {
                    a[k] = atOf(k);
                    b[k] = outOf(k);
                    c[k] = inOf(k);
                }
                at = a;
                out = b;
                in = c;
                head = 0;
            }
            int idx = (head + size) & (at.length - 1);
            at[idx] = t;
            out[idx] = o;
            in[idx] = i;
            size++;
        }

        void removeFirst() {
            head = (head + 1) & (at.length - 1);
            size--;
        }
    }

    private final long windowMillis;
    private final Map<Long, Track> tracks = new HashMap<>();
    private long generation;

    public RateTable(Duration window) {
        Objects.requireNonNull(window, "window is null");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms, not " + window);
        }
        this.windowMillis = window.toMillis();
    }

    /** Takes one snapshot and returns every flow in it with its rates, in the snapshot's order. */
    public List<FlowRate> update(List<LiveFlow> flows) {
        Objects.requireNonNull(flows, "flows is null");
        long gen = ++generation;
        List<FlowRate> rates = new ArrayList<>(flows.size());
        for (LiveFlow f : flows) {
            Track t = tracks.get(f.flowId());
            long at = f.atMillis();
            if (t == null || t.generation != gen - 1) {
                if (t == null) {
                    t = new Track();
                    tracks.put(f.flowId(), t);
                } else {
                    t.size = 0; // it left a snapshot and came back: starts over
                }
                long start = f.opened().startMillis();
                if (start < at && at - start <= windowMillis) {
                    t.add(start, 0, 0);
                }
            }
            t.generation = gen;
            if (t.size == 0 || t.atOf(t.size - 1) < at) {
                t.add(at, f.counters().bytesOut(), f.counters().bytesIn());
            }
            // Keep the newest sample at or before the window's start, so the window is fully covered.
            while (t.size > 2 && t.atOf(1) <= at - windowMillis) {
                t.removeFirst();
            }
            int last = t.size - 1;
            double seconds = (t.atOf(last) - t.atOf(0)) / 1000.0;
            rates.add(new FlowRate(f, rate(t.outOf(0), t.outOf(last), seconds), rate(t.inOf(0), t.inOf(last), seconds)));
        }
        if (tracks.size() > flows.size()) {
            tracks.values().removeIf(t -> t.generation != gen); // flows missing from this snapshot are forgotten
        }
        return rates;
    }
    private static double rate(long from, long to, double seconds) {
        if (to < 0) {
            return -1;
        }
        if (from < 0 || seconds <= 0 || to < from) {
            return 0;
        }
        return (to - from) / seconds;
    }
}
