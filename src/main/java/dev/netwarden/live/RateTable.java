package dev.netwarden.live;

import java.time.Duration;
import java.util.ArrayDeque;
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

    private record Sample(long atMillis, long out, long in) {}

    private final long windowMillis;
    private final Map<Long, ArrayDeque<Sample>> samples = new HashMap<>();

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
        Map<Long, ArrayDeque<Sample>> seen = new HashMap<>(flows.size() * 2);
        List<FlowRate> rates = new ArrayList<>(flows.size());
        for (LiveFlow f : flows) {
            ArrayDeque<Sample> q = samples.get(f.flowId());
            long at = f.atMillis();
            if (q == null) {
                q = new ArrayDeque<>();
                long start = f.opened().startMillis();
                if (start < at && at - start <= windowMillis) {
                    q.add(new Sample(start, 0, 0));
                }
            }
            Sample now = new Sample(at, f.counters().bytesOut(), f.counters().bytesIn());
            if (q.isEmpty() || q.peekLast().atMillis() < at) {
                q.addLast(now);
            }
            // Keep the newest sample at or before the window's start, so the window is fully covered.
            while (q.size() > 2) {
                var it = q.iterator();
                it.next();
                if (it.next().atMillis() <= at - windowMillis) {
                    q.removeFirst();
                } else {
                    break;
                }
            }
            seen.put(f.flowId(), q);
            Sample first = q.peekFirst();
            Sample last = q.peekLast();
            double seconds = (last.atMillis() - first.atMillis()) / 1000.0;
            rates.add(new FlowRate(f, rate(first.out(), last.out(), seconds), rate(first.in(), last.in(), seconds)));
        }
        samples.clear();
        samples.putAll(seen);
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
