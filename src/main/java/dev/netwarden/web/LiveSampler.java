package dev.netwarden.web;

import dev.netwarden.live.LiveFlowSource;
import dev.netwarden.live.RateTable;
import dev.netwarden.live.RateTable.FlowRate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web UI's one clock: once a second it takes the daemon's live flows, computes their rates
 * ({@link RateTable}), keeps the result for the endpoints ({@link #latest()}), adds the second to the
 * overview's {@link TrafficRing}, and hands it to the live stream. One platform thread; while the web
 * service runs it samples whether or not a browser is open, so the overview's chart has the past
 * minutes when a page opens.
 */
public final class LiveSampler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("netwarden.web");

    private final LiveFlowSource source;
    private final RateTable rates;
    private final TrafficRing ring;
    private final Consumer<LiveSnapshot> onTick;
    private final long periodMillis;
    private volatile LiveSnapshot latest = LiveSnapshot.EMPTY;
    private volatile long ticks;
    private volatile long failures;
    private Thread thread;
    private volatile boolean closed;

    public LiveSampler(LiveFlowSource source, Duration rateWindow, TrafficRing ring, Duration period, Consumer<LiveSnapshot> onTick) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.rates = new RateTable(rateWindow);
        this.ring = Objects.requireNonNull(ring, "ring is null");
        this.periodMillis = Objects.requireNonNull(period, "period is null").toMillis();
        this.onTick = Objects.requireNonNull(onTick, "onTick is null");
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofPlatform().daemon().name("nw-web-sampler").start(this::run);
    }

    private void run() {
        long next = System.currentTimeMillis();
        while (!closed) {
            try {
                sample();
            } catch (RuntimeException | Error e) {
                failures++;
                LOG.log(Level.WARNING, "web sampler: " + e, e);
            }
            next += periodMillis;
            long sleep = next - System.currentTimeMillis();
            if (sleep < 0) {
                next = System.currentTimeMillis(); // fell behind (a loaded machine): do not catch up in a burst
                sleep = periodMillis / 2;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One tick now: sample, rate, record, notify. Synchronized: the thread and tests may both call it. */
    public synchronized LiveSnapshot sample() {
        List<FlowRate> flows;
        try {
            flows = rates.update(source.liveFlows());
        } catch (java.io.IOException e) {
            failures++;
            LOG.fine(() -> "web sampler: live flows unreadable: " + e.getMessage());
            return latest;
        }
        long now = System.currentTimeMillis();
        LiveSnapshot snap = new LiveSnapshot(now, flows);
        latest = snap;
        ticks++;
        ring.record(now / 1000, perApp(flows));
        onTick.accept(snap);
        return snap;
    }

    /** Bytes/s {in, out} per app key; unknown rates (-1) count as 0. */
    static Map<String, double[]> perApp(List<FlowRate> flows) {
        Map<String, double[]> m = new HashMap<>();
        for (FlowRate f : flows) {
            double[] v = m.computeIfAbsent(AppKey.of(f.flow().opened().attribution()), k -> new double[2]);
            v[0] += Math.max(0, f.inPerSecond());
            v[1] += Math.max(0, f.outPerSecond());
        }
        return m;
    }

    public LiveSnapshot latest() {
        return latest;
    }

    public long ticks() {
        return ticks;
    }

    public long failures() {
        return failures;
    }

    public TrafficRing ring() {
        return ring;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
