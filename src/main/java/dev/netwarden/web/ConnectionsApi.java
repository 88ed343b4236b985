package dev.netwarden.web;

import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.RateTable.FlowRate;
import dev.netwarden.process.ProcessInfo;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The live views: {@code GET /api/connections} (searchable: words and field terms, {@link ConnectionFilter}), {@code DELETE /api/connections/{id}}
 * (ends a TCP connection), {@code GET /api/processes} (connections summed per process). All answered
 * from the sampler's latest tick, at most a second old, so a page polling at 1 Hz costs no kernel work.
 */
final class ConnectionsApi {
    static final int DEFAULT_LIMIT = 10_000;
    static final int MAX_LIMIT = 100_000;

    private final Supplier<LiveSnapshot> latest;
    private final ConnectionJson json;
    private final DaemonParts parts;

    ConnectionsApi(Supplier<LiveSnapshot> latest, ConnectionJson json, DaemonParts parts) {
        this.latest = Objects.requireNonNull(latest, "latest is null");
        this.json = Objects.requireNonNull(json, "json is null");
        this.parts = Objects.requireNonNull(parts, "parts is null");
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/connections", this::list),
                Route.delete("/api/connections/{id}", this::kill),
                Route.get("/api/processes", this::processes));
    }

    private ApiResponse list(ApiRequest r) {
        r.onlyParams(Set.of("q", "limit", "offset", "sort", "order"));
        int limit = r.intParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = r.intParam("offset", 0, 0, Integer.MAX_VALUE);
        ConnectionFilter filter = ConnectionFilter.parse(r.param("q"));
        LiveSnapshot snap = latest.get();
        List<FlowRate> flows = ConnectionOrder.sort(snap.flows(), r.param("sort"), r.param("order"));
        ObjectNode out = Json.object();
        out.put("at", snap.atMillis());
        ArrayNode arr = Json.array();
        int total = 0;
        for (FlowRate f : flows) {
            // Without a search only the requested page is turned into JSON (a page of 10,000 connections
            // asks for ~40 of them every second).
            ObjectNode c = filter.isEmpty() ? null : json.of(f);
            if (c != null && !filter.test(c)) {
                continue;
            }
            if (total >= offset && arr.size() < limit) {
                arr.add(c != null ? c : json.of(f));
            }
            total++;
        }
        out.put("total", total);
        out.set("connections", arr);
        return ApiResponse.ok(out);
    }

    private ApiResponse kill(ApiRequest r) throws java.io.IOException {
        r.onlyParams(Set.of());
        long id;
        try {
            id = Long.parseLong(r.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("connection id must be an integer, not '" + r.pathParam("id") + "'");
        }
        FlowRate f = latest.get().find(id);
        if (f == null) {
            throw ApiError.notFound("no open connection " + id);
        }
        LiveFlow flow = f.flow();
        if (flow.opened().transport() != Transport.TCP) {
            throw ApiError.conflict("connection " + id + " is " + flow.opened().transport().label()
                    + ": only TCP connections can be ended");
        }
        var owner = flow.opened().attribution().process();
        if (owner != null && owner.info().pid() == ProcessHandle.current().pid()) {
            // The daemon's own sockets are this page's connection and the UI's listener: ending one cuts the user off.
            throw ApiError.conflict("connection " + id + " belongs to the netwarden daemon itself (the web UI or its"
                    + " clients): it is not ended from here");
        }
        if (!parts.closeConnection(flow.opened().local(), flow.opened().remote())) {
            throw ApiError.notFound("connection " + id + " is already gone");
        }
        return ApiResponse.ok(Json.object().put("id", id).put("killed", true));
    }

    private ApiResponse processes(ApiRequest r) {
        r.onlyParams(Set.of());
        Map<Integer, ObjectNode> byPid = new LinkedHashMap<>();
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (FlowRate f : latest.get().flows()) {
            var p = f.flow().opened().attribution().process();
            if (p == null) {
                continue;
            }
            ProcessInfo info = p.info();
            ObjectNode o = byPid.computeIfAbsent(info.pid(), pid -> {
                ObjectNode n = Json.object();
                n.put("pid", pid);
                n.put("comm", info.comm());
                n.put("exe", info.exe());
                n.put("user", info.user());
                return n;
            });
            double[] s = sums.computeIfAbsent(info.pid(), k -> new double[5]);
            s[0]++;
            var c = f.flow().counters();
            s[1] += Math.max(0, c.bytesOut());
            s[2] += Math.max(0, c.bytesIn());
            s[3] += Math.max(0, f.outPerSecond());
            s[4] += Math.max(0, f.inPerSecond());
            Objects.requireNonNull(o);
        }
        List<ObjectNode> list = new ArrayList<>();
        for (Map.Entry<Integer, ObjectNode> e : byPid.entrySet()) {
            double[] s = sums.get(e.getKey());
            ObjectNode o = e.getValue();
            o.put("connections", (long) s[0]);
            o.put("bytesOut", (long) s[1]);
            o.put("bytesIn", (long) s[2]);
            o.put("rateOut", Math.round(s[3] * 10) / 10.0);
            o.put("rateIn", Math.round(s[4] * 10) / 10.0);
            list.add(o);
        }
        list.sort(Comparator.comparingDouble((ObjectNode o) -> -(o.get("rateIn").asDouble() + o.get("rateOut").asDouble()))
                .thenComparingLong(o -> -o.get("connections").asLong()).thenComparingInt(o -> o.get("pid").asInt()));
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("processes");
        list.forEach(arr::add);
        return ApiResponse.ok(out);
    }
}
