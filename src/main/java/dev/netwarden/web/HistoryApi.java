package dev.netwarden.web;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.history.HistoryQuery;
import dev.netwarden.history.HistoryReader;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.view.HistoryOutput;
import dev.netwarden.history.view.HistoryViews;
import dev.netwarden.history.view.ResultTable;
import dev.netwarden.conns.format.AddressText;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The history pages' API over the daemon's SQLite history, read-only through {@link HistoryReader}
 * (the same reader {@code netwarden history} uses; a fresh read-only connection per request, which WAL
 * lets run while the daemon writes): apps, one app's page, connections (JSON or CSV), series per
 * app/domain/port, alerts.
 */
final class HistoryApi {
    static final int MAX_LIMIT = 100_000;
    static final int TOP_KEYS = 8;

    private final DaemonParts parts;
    private final RulesApi rules;

    HistoryApi(DaemonParts parts, RulesApi rules) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
        this.rules = Objects.requireNonNull(rules, "rules is null");
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/apps", this::apps),
                Route.get("/api/apps/detail", this::appDetail),
                Route.get("/api/history", this::connections),
                Route.get("/api/history/series", this::series),
                Route.get("/api/alerts", this::alerts));
    }

    @FunctionalInterface
    private interface Read<T> {
        T read(HistoryReader reader) throws SQLException;
    }

    private <T> T read(Read<T> body) {
        try (HistoryStore store = HistoryStore.openReadOnly(parts.dataDir())) {
            return body.read(new HistoryReader(store));
        } catch (HistoryStore.HistoryException e) {
            throw ApiError.unavailable("history cannot be read: " + e.getMessage());
        } catch (SQLException e) {
            throw ApiError.unavailable("history cannot be read: " + e.getMessage());
        }
    }

    private ApiResponse apps(ApiRequest r) {
        r.onlyParams(union(Set.of("since", "until", "limit")));
        HistoryQuery q = HistoryParams.query(r, 100, MAX_LIMIT);
        return read(reader -> {
            Map<String, Long> firstSeen = new HashMap<>();
            for (HistoryReader.FirstSeenApp f : reader.firstSeenApps(HistoryQuery.between(0, Long.MAX_VALUE).withLimit(MAX_LIMIT))) {
                firstSeen.merge(f.exe(), f.firstSeenMillis(), Math::min);
            }
            ObjectNode out = Json.object();
            ArrayNode arr = out.putArray("apps");
            for (HistoryReader.AppTotal a : reader.topApps(q)) {
                ObjectNode o = arr.addObject();
                o.put("exe", a.exe());
                o.put("name", a.name());
                o.put("connections", a.connections());
                o.put("bytesOut", a.bytesOut());
                o.put("bytesIn", a.bytesIn());
                Long fs = a.exe() == null ? null : firstSeen.get(a.exe());
                if (fs == null) {
                    o.putNull("firstSeen");
                } else {
                    o.put("firstSeen", fs);
                }
            }
            return ApiResponse.ok(out);
        });
    }

    private ApiResponse appDetail(ApiRequest r) throws Exception {
        r.onlyParams(Set.of("exe", "since", "until"));
        String exe = r.param("exe");
        if (exe == null || !exe.startsWith("/")) {
            throw ApiError.badRequest("exe: the executable's full path is required (e.g. /usr/bin/curl)");
        }
        HistoryQuery q = HistoryParams.query(r, 100, MAX_LIMIT).withExe(exe);
        long step = autoStep(q.untilMillis() - q.fromMillis());
        List<ObjectNode> ruleList = rules.rulesNaming(exe);
        return read(reader -> {
            ObjectNode out = Json.object();
            out.put("exe", exe);
            out.put("name", exe.substring(exe.lastIndexOf('/') + 1));
            ArrayNode hashes = out.putArray("hashes");
            for (HistoryReader.ExecutableVersion v : reader.executableVersions(exe)) {
                hashes.addObject().put("sha256", v.sha256()).put("firstSeen", v.firstSeenMillis()).put("lastSeen", v.lastSeenMillis());
            }
            out.put("step", step);
            ArrayNode series = out.putArray("series");
            List<Long> buckets = new ArrayList<>();
            List<HistoryReader.KeySeries> perKey = reader.series(q, step, HistoryReader.SeriesKey.APP, 1, buckets);
            for (int i = 0; i < buckets.size(); i++) {
                HistoryReader.KeySeries k = perKey.isEmpty() ? null : perKey.getFirst();
                series.addObject().put("t", buckets.get(i)).put("bytesIn", k == null ? 0 : k.bytesIn()[i])
                        .put("bytesOut", k == null ? 0 : k.bytesOut()[i]).put("connections", k == null ? 0 : k.connections()[i]);
            }
            ArrayNode dest = out.putArray("destinations");
            for (HistoryReader.DestinationTotal d : reader.topDestinations(q.withLimit(50), HistoryReader.DestinationOrder.BYTES)) {
                dest.addObject().put("domain", d.domain()).put("address", d.address() == null ? null : AddressText.toText(d.address()))
                        .put("connections", d.connections()).put("bytesIn", d.bytesIn()).put("bytesOut", d.bytesOut());
            }
            ArrayNode alerts = out.putArray("alerts");
            for (HistoryReader.AlertRecord a : reader.alerts(q.withLimit(100))) {
                alerts.add(alert(a));
            }
            ArrayNode rs = out.putArray("rules");
            ruleList.forEach(rs::add);
            return ApiResponse.ok(out);
        });
    }

    /** A bucket size giving a readable chart: minutes up to 6 hours, hours up to 14 days, else days. */
    static long autoStep(long rangeMillis) {
        if (rangeMillis <= 6 * 3_600_000L) {
            return 60_000;
        }
        if (rangeMillis <= 14 * 86_400_000L) {
            return 3_600_000;
        }
        return 86_400_000;
    }

    private ApiResponse connections(ApiRequest r) {
        r.onlyParams(union(Set.of("limit", "format")));
        String format = r.choiceParam("format", Set.of("json", "csv"), "json");
        HistoryQuery q = HistoryParams.query(r, 1000, MAX_LIMIT);
        return read(reader -> {
            ResultTable table = HistoryViews.connections(reader.connections(q));
            if (format.equals("csv")) {
                StringWriter text = new StringWriter();
                HistoryOutput.csv(table, new PrintWriter(text));
                return ApiResponse.text(200, "text/csv;charset=utf-8", text.toString())
                        .withHeader("Content-Disposition", "attachment; filename=\"netwarden-history.csv\"");
            }
            ObjectNode out = Json.object();
            out.put("from", q.fromMillis());
            out.put("until", q.untilMillis());
            out.set("connections", rows(table));
            return ApiResponse.ok(out);
        });
    }

    /** The rows of a history view as JSON objects with the fields of docs/history-json.md. */
    static ArrayNode rows(ResultTable table) {
        List<ResultTable.Column> cols = table.columns();
        ArrayNode arr = Json.array();
        for (Object[] row : table.rows()) {
            ObjectNode o = arr.addObject();
            for (int i = 0; i < cols.size(); i++) {
                ResultTable.Column c = cols.get(i);
                if (c.where() == ResultTable.Where.TABLE) {
                    continue;
                }
                Object v = row[i];
                if (v == null) {
                    o.putNull(c.name());
                } else if (c.kind() == ResultTable.Kind.TEXT) {
                    o.put(c.name(), v.toString());
                } else if (v instanceof Number n) {
                    o.put(c.name(), n.longValue());
                } else {
                    o.put(c.name(), v.toString());
                }
            }
        }
        return arr;
    }

    private ApiResponse series(ApiRequest r) {
        r.onlyParams(union(Set.of("by", "step")));
        HistoryReader.SeriesKey by = HistoryReader.SeriesKey.valueOf(
                r.choiceParam("by", Set.of("app", "domain", "port"), "app").toUpperCase(Locale.ROOT));
        String stepText = r.choiceParam("step", Set.of("minute", "hour", "day"), null);
        HistoryQuery q = HistoryParams.query(r, 100, MAX_LIMIT);
        long step = stepText == null ? autoStep(q.untilMillis() - q.fromMillis())
                : switch (stepText) {
                    case "minute" -> 60_000L;
                    case "hour" -> 3_600_000L;
                    default -> 86_400_000L;
                };
        if ((q.untilMillis() - q.fromMillis()) / step > 20_000) {
            throw ApiError.badRequest("too many points: a range of " + (q.untilMillis() - q.fromMillis()) / step + " "
                    + stepText + "s; choose a larger step or a shorter range (at most 20000 points)");
        }
        return read(reader -> {
            List<Long> buckets = new ArrayList<>();
            List<HistoryReader.KeySeries> list = reader.series(q, step, by, TOP_KEYS, buckets);
            ObjectNode out = Json.object();
            out.put("step", step);
            ArrayNode t = out.putArray("t");
            buckets.forEach(t::add);
            ArrayNode arr = out.putArray("series");
            for (HistoryReader.KeySeries k : list) {
                ObjectNode o = arr.addObject();
                o.put("key", k.key());
                ArrayNode bytes = o.putArray("bytes");
                for (long b : k.bytes()) {
                    bytes.add(b);
                }
                ArrayNode out2 = o.putArray("bytesOut");
                for (long b : k.bytesOut()) {
                    out2.add(b);
                }
                ArrayNode in2 = o.putArray("bytesIn");
                for (long b : k.bytesIn()) {
                    in2.add(b);
                }
                ArrayNode conns = o.putArray("connections");
                for (long c : k.connections()) {
                    conns.add(c);
                }
            }
            return ApiResponse.ok(out);
        });
    }

    private ApiResponse alerts(ApiRequest r) {
        r.onlyParams(Set.of("since", "until", "kind", "limit", "app", "exe", "user", "host"));
        Set<String> kinds = new HashSet<>();
        for (AlertKind k : AlertKind.values()) {
            kinds.add(k.label());
        }
        String kind = r.choiceParam("kind", kinds, null);
        int limit = r.intParam("limit", 1000, 1, MAX_LIMIT);
        HistoryQuery q = HistoryParams.query(r, MAX_LIMIT, MAX_LIMIT).withLimit(kind == null ? limit : MAX_LIMIT);
        return read(reader -> {
            ObjectNode out = Json.object();
            ArrayNode arr = out.putArray("alerts");
            for (HistoryReader.AlertRecord a : reader.alerts(q)) {
                if (kind != null && !kind.equals(a.kind())) {
                    continue;
                }
                if (arr.size() >= limit) {
                    break;
                }
                arr.add(alert(a));
            }
            return ApiResponse.ok(out);
        });
    }

    static ObjectNode alert(HistoryReader.AlertRecord a) {
        ObjectNode o = Json.object();
        o.put("id", a.id());
        o.put("at", a.atMillis());
        o.put("kind", a.kind());
        if (a.pid() == null) {
            o.putNull("pid");
        } else {
            o.put("pid", a.pid());
        }
        o.put("comm", a.comm());
        o.put("exe", a.exe());
        o.put("domain", a.domain());
        o.put("detail", a.detail());
        if (a.connectionId() == null) {
            o.putNull("connectionId");
        } else {
            o.put("connectionId", a.connectionId());
        }
        return o;
    }

    private static Set<String> union(Set<String> extra) {
        Set<String> s = new HashSet<>(HistoryParams.FILTERS);
        s.addAll(extra);
        return s;
    }
}
