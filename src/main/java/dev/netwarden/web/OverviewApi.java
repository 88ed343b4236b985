package dev.netwarden.web;

import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.live.RateTable.FlowRate;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/overview}: the overview page in one answer — counters, the per-second traffic of
 * the last minutes by app (from the sampler's {@link TrafficRing}), the top apps and the top domains.
 */
final class OverviewApi {
    static final int TOP = 8;

    private final Supplier<LiveSnapshot> latest;
    private final TrafficRing ring;
    private final DecisionCounters counters;
    private final DaemonParts parts;

    OverviewApi(Supplier<LiveSnapshot> latest, TrafficRing ring, DecisionCounters counters, DaemonParts parts) {
        this.latest = Objects.requireNonNull(latest, "latest is null");
        this.ring = Objects.requireNonNull(ring, "ring is null");
        this.counters = Objects.requireNonNull(counters, "counters is null");
        this.parts = Objects.requireNonNull(parts, "parts is null");
    }

    List<Route> routes() {
        return List.of(Route.get("/api/overview", this::overview));
    }

    private ApiResponse overview(ApiRequest r) {
        r.onlyParams(Set.of("minutes"));
        int minutes = r.intParam("minutes", 10, 1, ring.capacitySeconds() / 60);
        LiveSnapshot snap = latest.get();
        long now = System.currentTimeMillis();
        long nowSecond = (snap.atMillis() > 0 ? snap.atMillis() : now) / 1000;
        ObjectNode out = Json.object();
        out.put("at", now);
        ObjectNode c = out.putObject("counters");
        c.put("connections", snap.flows().size());
        c.put("blocked", counters.blocked());
        PromptBroker b = parts.prompts();
        c.put("prompts", b == null ? 0 : b.pending().size());
        c.put("alerts", counters.alerts());

        TrafficRing.Series s = ring.series(nowSecond, minutes * 60, TOP);
        ObjectNode series = out.putObject("series");
        ArrayNode t = series.putArray("t");
        for (long sec : s.seconds()) {
            t.add(sec);
        }
        series.set("in", numbers(s.in()));
        series.set("out", numbers(s.out()));
        ArrayNode apps = series.putArray("apps");
        for (TrafficRing.AppSeries a : s.apps()) {
            ObjectNode o = apps.addObject();
            o.put("app", AppKey.name(a.key()));
            o.put("exe", AppKey.exe(a.key()));
            o.set("in", numbers(a.in()));
            o.set("out", numbers(a.out()));
        }

        Map<String, double[]> rates = LiveSampler.perApp(snap.flows());
        Map<String, double[]> totals = ring.totals(nowSecond, minutes * 60);
        List<String> keys = new ArrayList<>(totals.keySet());
        for (String k : rates.keySet()) {
            if (!totals.containsKey(k) && (rates.get(k)[0] > 0 || rates.get(k)[1] > 0)) {
                keys.add(k);
            }
        }
        keys.remove(AppKey.OTHER);
        keys.sort(Comparator.comparingDouble((String k) -> -sum(totals.get(k))).thenComparingDouble(k -> -sum(rates.get(k)))
                .thenComparing(k -> k));
        ArrayNode topApps = out.putArray("topApps");
        for (String k : keys.subList(0, Math.min(TOP, keys.size()))) {
            double[] tot = totals.getOrDefault(k, new double[2]);
            double[] rate = rates.getOrDefault(k, new double[2]);
            topApps.addObject().put("app", AppKey.name(k)).put("exe", AppKey.exe(k))
                    .put("bytesIn", Math.round(tot[0])).put("bytesOut", Math.round(tot[1]))
                    .put("rateIn", round(rate[0])).put("rateOut", round(rate[1]));
        }

        Map<String, long[]> domains = new HashMap<>();
        for (FlowRate f : snap.flows()) {
            String d = f.flow().opened().domain();
            if (d == null) {
                continue;
            }
            long[] v = domains.computeIfAbsent(d, x -> new long[2]);
            v[0]++;
            v[1] += Math.max(0, f.flow().counters().bytesIn()) + Math.max(0, f.flow().counters().bytesOut());
        }
        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(domains.entrySet());
        ranked.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1])
                .thenComparingLong(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        ArrayNode topDomains = out.putArray("topDomains");
        for (Map.Entry<String, long[]> e : ranked.subList(0, Math.min(TOP, ranked.size()))) {
            topDomains.addObject().put("domain", e.getKey()).put("connections", e.getValue()[0]).put("bytes", e.getValue()[1]);
        }
        return ApiResponse.ok(out);
    }

    private static double sum(double[] v) {
        return v == null ? 0 : v[0] + v[1];
    }

    private static ArrayNode numbers(double[] v) {
        ArrayNode a = Json.array();
        for (double d : v) {
            a.add(round(d));
        }
        return a;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
