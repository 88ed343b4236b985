package dev.netwarden.history;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.process.ProcessSnapshot;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads history: connection lists, rankings, first-seen lists, an hourly series and alerts, for
 * {@code netwarden history}; and what the alert detector must remember at daemon start.
 *
 * <p>Works on its own connection, read-only or not, while a daemon writes (WAL lets readers see
 * the last commit without blocking the writer). "Top apps" and the hourly series read the hourly
 * rollup for the whole hours inside the range and the connections table only for the partial hours
 * at its edges, when the query filters by nothing but the executable; any other filter reads the
 * connections themselves. Bytes count toward the hour a connection started in.
 */
public final class HistoryReader {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String JOINS = " FROM connections c LEFT JOIN processes p ON p.id = c.process_id"
            + " LEFT JOIN executables e ON e.id = c.exe_id LEFT JOIN hosts h ON h.id = c.host_id";

    private final Connection c;

    /** Reads through {@code connection}; the caller keeps and closes it. */
    public HistoryReader(Connection connection) {
        this.c = Objects.requireNonNull(connection, "connection is null");
    }

    /** Reads through the store's own connection (one thread at a time). */
    public HistoryReader(HistoryStore store) {
        this(Objects.requireNonNull(store, "store is null").connection());
    }

    /** One connection as history holds it. Counters are null when unknown; process fields null when unattributed. */
    public record ConnectionRecord(long id, long startMillis, Long endMillis, String transport, int family,
                                   String direction, InetAddress localAddress, int localPort,
                                   InetAddress remoteAddress, int remotePort, String state, Long bytesOut,
                                   Long bytesIn, Long packetsOut, Long packetsIn, Integer pid, String comm,
                                   String user, Integer uid, String exe, String sha256, List<String> cmdline,
                                   String unknownReason, String domain, String level, long cookie,
                                   List<ProcessSnapshot.ParentLink> parents, String action, String ruleId,
                                   String decision) {
        public ConnectionRecord {
            parents = parents == null ? List.of() : List.copyOf(parents);
        }
    }

    /** An application's totals: exe null = connections without a known executable. */
    public record AppTotal(String exe, String name, long connections, long bytesOut, long bytesIn) {
        public long bytes() {
            return bytesOut + bytesIn;
        }
    }

    /** A destination's totals: by domain when one was known, else by remote address (domain null). */
    public record DestinationTotal(String domain, InetAddress address, long connections, long bytesOut, long bytesIn) {
        public long bytes() {
            return bytesOut + bytesIn;
        }
    }

    public record FirstSeenApp(String exe, String sha256, long firstSeenMillis) {}

    /** A domain first seen in the range, and the executable that first reached it (null when none known). */
    public record FirstSeenDomain(String domain, long firstSeenMillis, String exe) {}

    public record HourBucket(long hourMillis, long connections, long bytesOut, long bytesIn) {}

    public record AlertRecord(long id, long atMillis, String kind, Long connectionId, Integer pid, String comm,
                              String exe, String domain, String detail) {}


    public enum DestinationOrder { BYTES, CONNECTIONS }

    /** One (path, hash) row of an executable: when that binary was first and last seen. */
    public record ExecutableVersion(String path, String sha256, long firstSeenMillis, long lastSeenMillis) {}

    /** What a {@link #series} groups by: the executable, the domain (else "(no domain)"), or the remote port. */
    public enum SeriesKey { APP, DOMAIN, PORT }

    /** Connections and bytes each way per time bucket for one key; arrays parallel to the bucket starts. */
    public record KeySeries(String key, long[] bytesOut, long[] bytesIn, long[] connections) {
        /** Bytes both ways per bucket. */
        public long[] bytes() {
            long[] b = new long[bytesOut.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = bytesOut[i] + bytesIn[i];
            }
            return b;
        }
    }

    /** Connections started in the range that match, newest first, at most {@code q.limit()}. */
    public List<ConnectionRecord> connections(HistoryQuery q) throws SQLException {
        SqlFilter f = SqlFilter.of(q);
        String sql = "SELECT c.id, c.start_ms, c.end_ms, c.transport, c.family, c.direction, c.local_addr, c.local_port,"
                + " c.remote_addr, c.remote_port, c.state, c.bytes_out, c.bytes_in, c.packets_out, c.packets_in,"
                + " p.pid, p.comm, p.user_name, p.uid, e.path, e.sha256, p.cmdline, c.unknown_reason, h.name, c.level,"
                + " c.cookie, p.parents, c.action, c.rule_id, c.decision" + JOINS
                + " WHERE c.start_ms >= ? AND c.start_ms < ?" + f.where
                + " ORDER BY c.start_ms DESC, c.id DESC LIMIT ?";
        List<ConnectionRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindRange(ps, q);
            i = f.bind(ps, i);
            ps.setInt(i, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ConnectionRecord(rs.getLong(1), rs.getLong(2), nullableLong(rs, 3), rs.getString(4),
                            rs.getInt(5), rs.getString(6), address(rs.getBytes(7)), rs.getInt(8),
                            address(rs.getBytes(9)), rs.getInt(10), rs.getString(11), nullableLong(rs, 12),
                            nullableLong(rs, 13), nullableLong(rs, 14), nullableLong(rs, 15), nullableInt(rs, 16),
                            rs.getString(17), rs.getString(18), nullableInt(rs, 19), rs.getString(20),
                            rs.getString(21), cmdline(rs.getString(22)), rs.getString(23), rs.getString(24),
                            rs.getString(25), rs.getLong(26), parents(rs.getString(27)), rs.getString(28),
                            rs.getString(29), rs.getString(30)));
                }
            }
        }
        return out;
    }

    /** Applications ranked by bytes (both ways), then connections; at most {@code q.limit()}. */
    public List<AppTotal> topApps(HistoryQuery q) throws SQLException {
        Map<Long, long[]> byExe = new HashMap<>();
        perHourAndExe(q, (hour, exeId, sums) -> add(byExe.computeIfAbsent(exeId, k -> new long[3]), sums));
        Map<Long, String> paths = exePaths(byExe.keySet());
        Map<String, long[]> byPath = new HashMap<>(); // one path may have several exe rows (hashes)
        for (Map.Entry<Long, long[]> e : byExe.entrySet()) {
            add(byPath.computeIfAbsent(Objects.requireNonNullElse(paths.get(e.getKey()), ""), k -> new long[3]),
                    e.getValue());
        }
        List<AppTotal> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byPath.entrySet()) {
            long[] s = e.getValue();
            if (s[0] == 0 && s[1] == 0 && s[2] == 0) {
                continue;
            }
            String exe = e.getKey().isEmpty() ? null : e.getKey();
            out.add(new AppTotal(exe, exe == null ? null : exe.substring(exe.lastIndexOf('/') + 1), s[0], s[1], s[2]));
        }
        out.sort(Comparator.comparingLong(AppTotal::bytes).reversed()
                .thenComparing(Comparator.comparingLong(AppTotal::connections).reversed())
                .thenComparing(a -> Objects.requireNonNullElse(a.exe(), "")));
        return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : out;
    }

    /** Connections and bytes per hour of the range, every hour listed (zeros included), oldest first. */
    public List<HourBucket> hourly(HistoryQuery q) throws SQLException {
        Map<Long, long[]> byHour = new HashMap<>();
        perHourAndExe(q, (hour, exeId, sums) -> add(byHour.computeIfAbsent(hour, k -> new long[3]), sums));
        List<HourBucket> out = new ArrayList<>();
        long first = BatchWriter.hourOf(q.fromMillis());
        for (long h = first; h < q.untilMillis(); h += BatchWriter.HOUR_MS) {
            long[] s = byHour.getOrDefault(h, new long[3]);
            out.add(new HourBucket(h, s[0], s[1], s[2]));
        }
        return out;
    }

    /** Destinations (domain, else address) ranked by bytes or connections; listening sockets excluded. */
    public List<DestinationTotal> topDestinations(HistoryQuery q, DestinationOrder order) throws SQLException {
        SqlFilter f = SqlFilter.of(q);
        String sql = "SELECT h.name, CASE WHEN c.host_id IS NULL THEN c.remote_addr END AS addr, COUNT(*),"
                + " SUM(COALESCE(c.bytes_out, 0)), SUM(COALESCE(c.bytes_in, 0))" + JOINS
                + " WHERE c.start_ms >= ? AND c.start_ms < ? AND c.direction <> 'listen'" + f.where
                + " GROUP BY h.name, addr";
        List<DestinationTotal> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            f.bind(ps, bindRange(ps, q));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DestinationTotal(rs.getString(1), rs.getString(1) == null ? address(rs.getBytes(2)) : null,
                            rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        Comparator<DestinationTotal> bytes = Comparator.comparingLong(DestinationTotal::bytes).reversed();
        Comparator<DestinationTotal> conns = Comparator.comparingLong(DestinationTotal::connections).reversed();
        out.sort((order == DestinationOrder.BYTES ? bytes.thenComparing(conns) : conns.thenComparing(bytes))
                .thenComparing(d -> d.domain() != null ? d.domain() : d.address().getHostAddress()));
        return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : out;
    }

    /** Executables (path and hash) first seen in the range, oldest first; the app and exe filters apply. */
    public List<FirstSeenApp> firstSeenApps(HistoryQuery q) throws SQLException {
        SqlFilter f = new SqlFilter();
        if (q.exe() != null) {
            f.and("e.path = ?", q.exe());
        }
        if (q.app() != null) {
            f.and("(e.path = ? OR e.path LIKE ? ESCAPE '\\')", q.app(), "%/" + SqlFilter.likeEscape(q.app()));
        }
        String sql = "SELECT e.path, e.sha256, e.first_seen_ms FROM executables e WHERE e.first_seen_ms >= ?"
                + " AND e.first_seen_ms < ?" + f.where + " ORDER BY e.first_seen_ms, e.id LIMIT ?";
        List<FirstSeenApp> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(f.bind(ps, bindRange(ps, q)), q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FirstSeenApp(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** Domains first seen in the range, oldest first; the host filter applies. */
    public List<FirstSeenDomain> firstSeenDomains(HistoryQuery q) throws SQLException {
        SqlFilter f = new SqlFilter();
        if (q.host() != null) {
            f.hostCondition("h.name", q.host());
        }
        String sql = "SELECT h.name, h.first_seen_ms, (SELECT d.exe_path FROM exe_domains d WHERE d.host_id = h.id"
                + " ORDER BY d.first_seen_ms, d.exe_path LIMIT 1) FROM hosts h WHERE h.first_seen_ms >= ?"
                + " AND h.first_seen_ms < ?" + f.where + " ORDER BY h.first_seen_ms, h.id LIMIT ?";
        List<FirstSeenDomain> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(f.bind(ps, bindRange(ps, q)), q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FirstSeenDomain(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Alerts raised in the range, newest first; the app, exe, user and host (alert domain) filters apply. */
    public List<AlertRecord> alerts(HistoryQuery q) throws SQLException {
        SqlFilter f = new SqlFilter();
        if (q.app() != null) {
            f.and("(p.comm = ? OR e.path = ? OR e.path LIKE ? ESCAPE '\\')", q.app(), q.app(),
                    "%/" + SqlFilter.likeEscape(q.app()));
        }
        if (q.exe() != null) {
            f.and("e.path = ?", q.exe());
        }
        if (q.user() != null) {
            f.and("p.user_name = ?", q.user());
        }
        if (q.host() != null) {
            f.hostCondition("a.domain", q.host());
        }
        String sql = "SELECT a.id, a.at_ms, a.kind, a.connection_id, p.pid, p.comm, e.path, a.domain, a.detail"
                + " FROM alerts a LEFT JOIN processes p ON p.id = a.process_id LEFT JOIN executables e ON e.id = a.exe_id"
                + " WHERE a.at_ms >= ? AND a.at_ms < ?" + f.where + " ORDER BY a.at_ms DESC, a.id DESC LIMIT ?";
        List<AlertRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(f.bind(ps, bindRange(ps, q)), q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), nullableLong(rs, 4),
                            nullableInt(rs, 5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
        }
        return out;
    }

    /** The hashes executable {@code path} was seen with, oldest first. */
    public List<ExecutableVersion> executableVersions(String path) throws SQLException {
        List<ExecutableVersion> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT path, sha256, first_seen_ms, last_seen_ms FROM executables WHERE path = ? ORDER BY first_seen_ms, id")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExecutableVersion(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * Connections and bytes per bucket of {@code stepMillis} (UTC-aligned) over the query's range, per
     * key: the {@code top} keys with the most bytes, the rest summed as "other"; the buckets' starts in
     * {@code bucketsOut}. Read from the connections themselves (every filter applies); bytes count toward
     * the bucket a connection started in.
     */
    public List<KeySeries> series(HistoryQuery q, long stepMillis, SeriesKey by, int top, List<Long> bucketsOut)
            throws SQLException {
        if (stepMillis < 1000) {
            throw new IllegalArgumentException("step must be at least a second");
        }
        long first = q.fromMillis() - Math.floorMod(q.fromMillis(), stepMillis);
        int n = (int) Math.min(100_000, (q.untilMillis() - first + stepMillis - 1) / stepMillis);
        for (int i = 0; i < n; i++) {
            bucketsOut.add(first + i * stepMillis);
        }
        String key = switch (by) {
            case APP -> "COALESCE(e.path, '(unknown)')";
            case DOMAIN -> "COALESCE(h.name, '(no domain)')";
            case PORT -> "CAST(c.remote_port AS TEXT)";
        };
        SqlFilter f = SqlFilter.of(q);
        String sql = "SELECT (c.start_ms - ?) / ? AS b, " + key + " AS k, COUNT(*),"
                + " SUM(COALESCE(c.bytes_out, 0)), SUM(COALESCE(c.bytes_in, 0))" + JOINS
                + " WHERE c.start_ms >= ? AND c.start_ms < ?" + f.where + " GROUP BY b, k";
        Map<String, long[][]> byKey = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, first);
            ps.setLong(2, stepMillis);
            ps.setLong(3, q.fromMillis());
            ps.setLong(4, q.untilMillis());
            f.bind(ps, 5);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int b = (int) rs.getLong(1);
                    if (b < 0 || b >= n) {
                        continue;
                    }
                    String k = rs.getString(2);
                    long[][] v = byKey.computeIfAbsent(k, x -> new long[3][n]);
                    v[0][b] += rs.getLong(4);
                    v[1][b] += rs.getLong(5);
                    v[2][b] += rs.getLong(3);
                    totals.merge(k, (rs.getLong(4) + rs.getLong(5)) * 1_000_000L + rs.getLong(3), Long::sum);
                }
            }
        }
        List<String> ranked = new ArrayList<>(byKey.keySet());
        ranked.sort(Comparator.comparing((String k) -> totals.get(k)).reversed().thenComparing(k -> k));
        List<KeySeries> out = new ArrayList<>();
        long[][] other = null;
        for (int i = 0; i < ranked.size(); i++) {
            long[][] v = byKey.get(ranked.get(i));
            if (i < top) {
                out.add(new KeySeries(ranked.get(i), v[0], v[1], v[2]));
            } else {
                if (other == null) {
                    other = new long[3][n];
                }
                for (int j = 0; j < n; j++) {
                    other[0][j] += v[0][j];
                    other[1][j] += v[1][j];
                    other[2][j] += v[2][j];
                }
            }
        }
        if (other != null) {
            out.add(new KeySeries("other", other[0], other[1], other[2]));
        }
        return out;
    }

    /** Every executable path seen, with the sha256 it had when last seen (null when it could not be hashed). */
    public Map<String, String> seenExecutables() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT path, sha256 FROM executables ORDER BY last_seen_ms, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2)); // later rows win: the last seen hash
            }
        }
        return out;
    }

    /** Every (executable path, domain) pair ever recorded. */
    public Set<ExeDomain> seenExeDomains() throws SQLException {
        Set<ExeDomain> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT d.exe_path, h.name FROM exe_domains d JOIN hosts h ON h.id = d.host_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ExeDomain(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface HourExeSink {
        void add(long hourMillis, long exeId, long[] sums);
    }

    /**
     * Sums (connections, bytes out, bytes in) per (start hour, exe id) of the matching connections:
     * from the rollup for whole hours when the query allows, from the rows otherwise.
     */
    private void perHourAndExe(HistoryQuery q, HourExeSink sink) throws SQLException {
        if (!q.rollupAnswers()) {
            rawPerHourAndExe(q.fromMillis(), q.untilMillis(), q, sink);
            return;
        }
        long firstWhole = ceilHour(q.fromMillis());
        long endWhole = BatchWriter.hourOf(q.untilMillis());
        if (firstWhole >= endWhole) {
            rawPerHourAndExe(q.fromMillis(), q.untilMillis(), q, sink);
            return;
        }
        rawPerHourAndExe(q.fromMillis(), firstWhole, q, sink);
        String sql = "SELECT r.hour_ms, r.exe_id, r.conns, r.bytes_out, r.bytes_in FROM app_hourly r"
                + (q.exe() != null ? " JOIN executables e ON e.id = r.exe_id" : "")
                + " WHERE r.hour_ms >= ? AND r.hour_ms < ?" + (q.exe() != null ? " AND e.path = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, firstWhole);
            ps.setLong(2, endWhole);
            if (q.exe() != null) {
                ps.setString(3, q.exe());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(rs.getLong(1), rs.getLong(2), new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        rawPerHourAndExe(endWhole, q.untilMillis(), q, sink);
    }

    private void rawPerHourAndExe(long from, long until, HistoryQuery q, HourExeSink sink) throws SQLException {
        if (from >= until) {
            return;
        }
        SqlFilter f = SqlFilter.of(q);
        // (start_ms - start_ms % 3600000): the hour, in SQL both SQLite and PostgreSQL accept for non-negative times.
        String sql = "SELECT c.start_ms - (c.start_ms % 3600000) AS hour, COALESCE(c.exe_id, 0), COUNT(*),"
                + " SUM(COALESCE(c.bytes_out, 0)), SUM(COALESCE(c.bytes_in, 0))" + JOINS
                + " WHERE c.start_ms >= ? AND c.start_ms < ?" + f.where + " GROUP BY hour, COALESCE(c.exe_id, 0)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, until);
            f.bind(ps, 3);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(rs.getLong(1), rs.getLong(2), new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
        }
    }

    private Map<Long, String> exePaths(Set<Long> ids) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path FROM executables WHERE id = ?")) {
            for (long id : ids) {
                if (id == 0) {
                    continue;
                }
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(id, rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static long ceilHour(long millis) {
        long h = BatchWriter.hourOf(millis);
        return h == millis ? h : h + BatchWriter.HOUR_MS;
    }

    private static void add(long[] into, long[] sums) {
        into[0] += sums[0];
        into[1] += sums[1];
        into[2] += sums[2];
    }

    private static int bindRange(PreparedStatement ps, HistoryQuery q) throws SQLException {
        ps.setLong(1, q.fromMillis());
        ps.setLong(2, q.untilMillis());
        return 3;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static InetAddress address(byte[] bytes) throws SQLException {
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new SQLException("stored address has " + bytes.length + " bytes", e);
        }
    }

    /** The stored parent chain (a JSON array of {pid, comm, exe}, nearest first). */
    private static List<ProcessSnapshot.ParentLink> parents(String json) {
        if (json == null) {
            return List.of();
        }
        List<ProcessSnapshot.ParentLink> out = new ArrayList<>();
        for (var node : JSON.readTree(json)) {
            out.add(new ProcessSnapshot.ParentLink(node.path("pid").asInt(), textOrNull(node.get("comm")),
                    textOrNull(node.get("exe"))));
        }
        return out;
    }

    private static String textOrNull(tools.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    private static List<String> cmdline(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (var node : JSON.readTree(json)) {
            out.add(node.asString());
        }
        return out;
    }
}
