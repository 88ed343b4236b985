package dev.netwarden.daemon;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Collects the old generation when it has grown to twice what was live after the last collection (at
 * least {@link #FLOOR_BYTES}), so the daemon's resident memory follows its live set instead of its
 * allocation rate.
 *
 * <p>Why: under a storm of connections the young generation (8 MB, kept small for the daemon's
 * footprint) overflows its survivor space at every collection, so short-lived objects in flight
 * (events on their way to history, packets being attributed) are promoted and die in the old
 * generation. The serial collector grows the old generation rather than collecting it until the heap
 * reaches -Xmx: at 10,000 connections/s that was about 1.5 MB/s of growth (PSS 80 → 130 MB within 25 s,
 * heading for the 256 MB cap), with 6–8 MB live. A full collection of that live set takes a few
 * milliseconds; the old generation is then given back down to what MaxHeapFreeRatio allows.
 *
 * <p>How: a usage threshold on the old generation's pool; the JVM checks it after each collection and
 * notifies once per crossing. The collection runs on a short-lived thread of its own (not the JVM's
 * notification thread), at most one at a time; the threshold is then set from the live size. A large
 * live set (many open connections) raises the threshold with it: this never collects more often than
 * once per doubling. Does nothing when no old-generation pool supports thresholds (another collector).
 */
final class HeapGuard implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.heap");
    static final long FLOOR_BYTES = 16L << 20;

    private final AtomicBoolean collecting = new AtomicBoolean();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong lastLiveBytes = new AtomicLong(-1);
    private MemoryPoolMXBean oldGen;
    private NotificationEmitter emitter;
    private final NotificationListener listener = this::onNotification;

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public void start() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                    && (pool.getName().contains("Tenured") || pool.getName().contains("Old"))) {
                oldGen = pool;
            }
        }
        if (oldGen == null) {
            LOG.fine("no old generation pool with a usage threshold: heap guard off");
            return;
        }
        emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener(listener, null, null);
        oldGen.setUsageThreshold(FLOOR_BYTES);
    }

    private void onNotification(Notification n, Object handback) {
        if (!MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType()) || !collecting.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("nw-heap-guard").start(() -> {
            try {
                System.gc();
                long live = oldGen.getUsage().getUsed();
                lastLiveBytes.set(live);
                long max = oldGen.getUsage().getMax();
                long threshold = Math.max(FLOOR_BYTES, 2 * live);
                oldGen.setUsageThreshold(max > 0 ? Math.min(threshold, max) : threshold);
                // Counted last: whoever sees the count (status, a test) sees the live size and threshold it set.
                collections.incrementAndGet();
            } finally {
                collecting.set(false);
            }
        });
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", oldGen != null);
        m.put("collections", collections.get());
        m.put("last_live_bytes", lastLiveBytes.get());
        m.put("threshold_bytes", oldGen == null ? -1 : oldGen.getUsageThreshold());
        return m;
    }

    @Override
    public void close() throws Exception {
        if (emitter != null) {
            emitter.removeNotificationListener(listener);
        }
    }
}
