package dev.netwarden.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traffic per second for the overview chart: total bytes/s in and out, and per app, for the last
 * {@code capacity} seconds (an hour by default), in fixed arrays indexed by second. Memory is bounded
 * whatever the traffic: at most {@code maxApps} apps have their own rows (an app unseen for the whole
 * span gives its row back), the rest count as {@link AppKey#OTHER}. One writer (the sampler), readers
 * from request threads: all methods are synchronized, each is a few array passes.
 */
public final class TrafficRing {
    /** A chart's data: seconds (epoch), totals, and the top apps plus "other". */
    public record Series(long[] seconds, double[] in, double[] out, List<AppSeries> apps) {}

    public record AppSeries(String key, double[] in, double[] out) {}

    private static final class Row {
        final float[] in;
        final float[] out;
        long lastActive;

        Row(int capacity) {
            in = new float[capacity];
            out = new float[capacity];
        }
    }

    private final int capacity;
    private final int maxApps;
    private final long[] stamp;
    private final float[] totalIn;
    private final float[] totalOut;
    private final Map<String, Row> apps = new HashMap<>();
    private long lastSecond = Long.MIN_VALUE;

    public TrafficRing(int capacitySeconds, int maxApps) {
        if (capacitySeconds < 1 || maxApps < 1) {
            throw new IllegalArgumentException("capacity and maxApps must be positive");
        }
        this.capacity = capacitySeconds;
        this.maxApps = maxApps;
        this.stamp = new long[capacitySeconds];
        java.util.Arrays.fill(stamp, Long.MIN_VALUE);
        this.totalIn = new float[capacitySeconds];
        this.totalOut = new float[capacitySeconds];
    }

    public int capacitySeconds() {
        return capacity;
    }

    /**
     * Records one second: bytes/s in and out per app key ({@code {in, out}}). A second recorded twice
     * keeps the later values; a second older than the newest one recorded is ignored.
     */
    public synchronized void record(long epochSecond, Map<String, double[]> perApp) {
        if (epochSecond < lastSecond) {
            return;
        }
        int slot = slot(epochSecond);
        stamp[slot] = epochSecond;
        double tin = 0;
        double tout = 0;
        for (Row r : apps.values()) {
            r.in[slot] = 0;
            r.out[slot] = 0;
        }
        for (Map.Entry<String, double[]> e : perApp.entrySet()) {
            double in = Math.max(0, e.getValue()[0]);
            double out = Math.max(0, e.getValue()[1]);
            if (in == 0 && out == 0) {
                continue;
            }
            tin += in;
            tout += out;
            Row r = row(e.getKey(), epochSecond);
            r.in[slot] += (float) in;
            r.out[slot] += (float) out;
            r.lastActive = epochSecond;
        }
        totalIn[slot] = (float) tin;
        totalOut[slot] = (float) tout;
        lastSecond = epochSecond;
    }

    private Row row(String key, long now) {
        Row r = apps.get(key);
        if (r != null) {
            return r;
        }
        if (named() >= maxApps) {
            apps.entrySet().removeIf(e -> !e.getKey().equals(AppKey.OTHER) && e.getValue().lastActive <= now - capacity);
        }
        String k = named() >= maxApps ? AppKey.OTHER : key;
        return apps.computeIfAbsent(k, x -> new Row(capacity));
    }

    private int named() {
        return apps.size() - (apps.containsKey(AppKey.OTHER) ? 1 : 0);
    }

    private int slot(long second) {
        return (int) Math.floorMod(second, (long) capacity);
    }

    /** Apps with their own row now (tests and stats). */
    public synchronized int appRows() {
        return apps.size();
    }

    /**
     * The last {@code seconds} seconds up to {@code nowSecond}, oldest first; seconds never recorded are
     * zeros. Apps: the {@code top} with the most bytes in the span, the rest summed as "other".
     */
    public synchronized Series series(long nowSecond, int seconds, int top) {
        int n = Math.min(seconds, capacity);
        long first = nowSecond - n + 1;
        long[] t = new long[n];
        double[] in = new double[n];
        double[] out = new double[n];
        int[] slots = new int[n];
        boolean[] valid = new boolean[n];
        for (int i = 0; i < n; i++) {
            long s = first + i;
            t[i] = s;
            slots[i] = slot(s);
            valid[i] = stamp[slots[i]] == s;
            if (valid[i]) {
                in[i] = totalIn[slots[i]];
                out[i] = totalOut[slots[i]];
            }
        }
        Map<String, Double> volume = new HashMap<>();
        for (Map.Entry<String, Row> e : apps.entrySet()) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                if (valid[i]) {
                    v += e.getValue().in[slots[i]] + e.getValue().out[slots[i]];
                }
            }
            if (v > 0) {
                volume.put(e.getKey(), v);
            }
        }
        List<String> ranked = new ArrayList<>(volume.keySet());
        ranked.remove(AppKey.OTHER);
        ranked.sort(Comparator.comparing((String k) -> volume.get(k)).reversed().thenComparing(k -> k));
        Map<String, AppSeries> shown = new LinkedHashMap<>();
        double[] otherIn = new double[n];
        double[] otherOut = new double[n];
        boolean anyOther = false;
        for (String key : volume.keySet().stream().sorted().toList()) {
            Row r = apps.get(key);
            boolean own = ranked.indexOf(key) >= 0 && ranked.indexOf(key) < top;
            double[] ai = own ? new double[n] : otherIn;
            double[] ao = own ? new double[n] : otherOut;
            for (int i = 0; i < n; i++) {
                if (valid[i]) {
                    ai[i] += r.in[slots[i]];
                    ao[i] += r.out[slots[i]];
                }
            }
            if (own) {
                shown.put(key, new AppSeries(key, ai, ao));
            } else {
                anyOther = true;
            }
        }
        List<AppSeries> list = new ArrayList<>();
        for (String k : ranked) {
            if (shown.containsKey(k)) {
                list.add(shown.get(k));
            }
        }
        if (anyOther) {
            list.add(new AppSeries(AppKey.OTHER, otherIn, otherOut));
        }
        return new Series(t, in, out, list);
    }

    /** Bytes in and out per app key over the last {@code seconds} seconds ({@code {in, out}}). */
    public synchronized Map<String, double[]> totals(long nowSecond, int seconds) {
        int n = Math.min(seconds, capacity);
        Map<String, double[]> out = new HashMap<>();
        for (Map.Entry<String, Row> e : apps.entrySet()) {
            double si = 0;
            double so = 0;
            for (int i = 0; i < n; i++) {
                long s = nowSecond - i;
                int slot = slot(s);
                if (stamp[slot] == s) {
                    si += e.getValue().in[slot];
                    so += e.getValue().out[slot];
                }
            }
            if (si > 0 || so > 0) {
                out.put(e.getKey(), new double[] {si, so});
            }
        }
        return out;
    }
}
