package dev.netwarden.history;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns one batch of events into rows, inside one transaction on the writer thread's connection.
 * Executables, processes and hosts are looked up once and their ids cached; the hourly per-app
 * rollup is summed in memory for the batch and upserted once per (hour, exe). Several updates of
 * one flow in a batch collapse to the last one, and to none when the flow also closes in the batch
 * (the close carries the final counters); a flow opened in the batch is inserted in its final form,
 * so a short connection (opened and closed within a flush interval) costs one insert, no update.
 *
 * <p>Not thread-safe: one writer thread owns it. After a failed batch the caller must call
 * {@link #forget()}: ids cached during a rolled-back transaction point at rows that do not exist.
 */
final class BatchWriter {
    static final long HOUR_MS = 3_600_000L;
    private static final int CACHE_SIZE = 65_536;

    private final Connection c;
    private final String bootId;
    private final Map<ExeKey, Long> exeIds = lru();
    private final Map<ProcessKey, Long> processIds = lru();
    private final Map<String, Long> hostIds = lru();
    private final Map<String, Boolean> exeDomains = lru();
    /** Per open flow: where its bytes go in the rollup and what was counted already. */
    private final Map<Long, OpenFlow> openFlows = new HashMap<>();

    private final PreparedStatement insertConnection;
    private final PreparedStatement updateConnection;
    private final PreparedStatement closeConnection;
    private final PreparedStatement decideConnection;
    private final PreparedStatement insertAlert;
    private final PreparedStatement upsertHourly;
    private final PreparedStatement touchExe;
    private final PreparedStatement touchProcess;
    private final PreparedStatement touchHost;
    private final PreparedStatement selectOpenFlow;

    BatchWriter(Connection c, String bootId) throws SQLException {
        this.c = Objects.requireNonNull(c, "c is null");
        this.bootId = Objects.requireNonNull(bootId, "bootId is null");
        try (java.sql.Statement s = c.createStatement()) {
            // 4 MiB of page cache (default 2 MiB): the index pages that inserts touch stay in memory. It
            // was 16 MiB, which the daemon filled within 25 s at 10,000 connections/s and kept resident
            // (PSS); bench/history-bench.sh ingest was the same with 4 MiB (135k-196k vs 143k connections/s
            // into a 63 MiB database, within this machine's noise).
            s.execute("PRAGMA cache_size = -4096");
        }
        c.setAutoCommit(false);
        insertConnection = c.prepareStatement("INSERT INTO connections (id, start_ms, transport, family, direction,"
                + " local_addr, local_port, remote_addr, remote_port, state, process_id, exe_id, unknown_reason,"
                + " host_id, level, cookie, end_ms, bytes_out, bytes_in, packets_out, packets_in,"
                + " action, rule_id, decided_ms, decision)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        decideConnection = c.prepareStatement("UPDATE connections SET action = ?, rule_id = ?, decided_ms = ?,"
                + " decision = ? WHERE id = ?");
        updateConnection = c.prepareStatement("UPDATE connections SET state = ?, bytes_out = COALESCE(?, bytes_out),"
                + " bytes_in = COALESCE(?, bytes_in), packets_out = COALESCE(?, packets_out),"
                + " packets_in = COALESCE(?, packets_in) WHERE id = ?");
        closeConnection = c.prepareStatement("UPDATE connections SET end_ms = ?, state = ?,"
                + " bytes_out = COALESCE(?, bytes_out), bytes_in = COALESCE(?, bytes_in),"
                + " packets_out = COALESCE(?, packets_out), packets_in = COALESCE(?, packets_in) WHERE id = ?");
        insertAlert = c.prepareStatement("INSERT INTO alerts (at_ms, kind, connection_id, process_id, exe_id, domain,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
        upsertHourly = c.prepareStatement("INSERT INTO app_hourly (hour_ms, exe_id, conns, bytes_out, bytes_in)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour_ms, exe_id) DO UPDATE SET conns = app_hourly.conns"
                + " + excluded.conns, bytes_out = app_hourly.bytes_out + excluded.bytes_out,"
                + " bytes_in = app_hourly.bytes_in + excluded.bytes_in");
        touchExe = c.prepareStatement("UPDATE executables SET last_seen_ms = ? WHERE id = ? AND last_seen_ms < ?");
        touchProcess = c.prepareStatement("UPDATE processes SET last_seen_ms = ? WHERE id = ? AND last_seen_ms < ?");
        touchHost = c.prepareStatement("UPDATE hosts SET last_seen_ms = ? WHERE id = ? AND last_seen_ms < ?");
        selectOpenFlow = c.prepareStatement("SELECT start_ms, exe_id, bytes_out, bytes_in FROM connections WHERE id = ?");
    }

    /** Writes {@code events} in one transaction; on failure rolls back and rethrows. */
    void write(List<FlowEvent> events) throws SQLException {
        try {
            apply(events);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Drops cached ids of executables, processes and hosts (after retention deleted some). */
    void forgetIds() {
        exeIds.clear();
        processIds.clear();
        hostIds.clear();
        exeDomains.clear();
    }

    /** Drops every cached id and open-flow sum (after a rolled-back batch). */
    void forget() {
        exeIds.clear();
        processIds.clear();
        hostIds.clear();
        exeDomains.clear();
        openFlows.clear();
    }

    private void apply(List<FlowEvent> events) throws SQLException {
        // The last word on each flow in this batch: its close, else its latest update.
        Map<Long, FlowEvent> last = new HashMap<>();
        Map<Long, FlowEvent.Decided> decided = new HashMap<>();
        for (FlowEvent e : events) {
            if (e instanceof FlowEvent.Decided d) {
                decided.put(d.flowId(), d);
            }
            if (e instanceof FlowEvent.Closed || e instanceof FlowEvent.Updated && !(last.get(e.flowId()) instanceof FlowEvent.Closed)) {
                last.put(e.flowId(), e);
            }
        }
        Map<HourKey, long[]> hourly = new LinkedHashMap<>();
        Seen seen = new Seen();
        Map<Long, Boolean> openedHere = new HashMap<>();
        boolean inserts = false;
        boolean updates = false;
        boolean closes = false;
        boolean alerts = false;
        boolean decisions = false;
        for (FlowEvent event : events) {
            switch (event) {
                case FlowEvent.Opened o -> {
                    // A flow opened and updated or closed in the same batch is inserted in its final form.
                    addOpened(o, last.get(o.flowId()), decided.get(o.flowId()), hourly, seen);
                    openedHere.put(o.flowId(), Boolean.TRUE);
                    inserts = true;
                }
                case FlowEvent.Updated u -> {
                    if (last.get(u.flowId()) == u && !openedHere.containsKey(u.flowId())) {
                        bindCounters(updateConnection, 2, u.counters());
                        updateConnection.setString(1, u.state());
                        updateConnection.setLong(6, u.flowId());
                        updateConnection.addBatch();
                        countBytes(u.flowId(), u.counters(), hourly, false);
                        updates = true;
                    }
                }
                case FlowEvent.Closed cl -> {
                    if (last.get(cl.flowId()) == cl && !openedHere.containsKey(cl.flowId())) {
                        closeConnection.setLong(1, cl.endMillis());
                        closeConnection.setString(2, cl.finalState());
                        bindCounters(closeConnection, 3, cl.counters());
                        closeConnection.setLong(7, cl.flowId());
                        closeConnection.addBatch();
                        countBytes(cl.flowId(), cl.counters(), hourly, true);
                        closes = true;
                    }
                }
                case FlowEvent.Alert a -> {
                    addAlert(a, seen);
                    alerts = true;
                }
                case FlowEvent.Decided d -> {
                    // A flow opened in this batch carries its decision in the insert.
                    if (decided.get(d.flowId()) == d && !openedHere.containsKey(d.flowId())) {
                        bindDecision(decideConnection, 1, d);
                        decideConnection.setLong(5, d.flowId());
                        decideConnection.addBatch();
                        decisions = true;
                    }
                }
            }
        }
        // Inserts first: an update or close in this batch may be for a flow opened in it.
        if (inserts) {
            insertConnection.executeBatch();
        }
        if (updates) {
            updateConnection.executeBatch();
        }
        if (closes) {
            closeConnection.executeBatch();
        }
        if (alerts) {
            insertAlert.executeBatch();
        }
        if (decisions) {
            decideConnection.executeBatch();
        }
        if (!hourly.isEmpty()) {
            for (Map.Entry<HourKey, long[]> h : hourly.entrySet()) {
                upsertHourly.setLong(1, h.getKey().hourMs());
                upsertHourly.setLong(2, h.getKey().exeId());
                upsertHourly.setLong(3, h.getValue()[0]);
                upsertHourly.setLong(4, h.getValue()[1]);
                upsertHourly.setLong(5, h.getValue()[2]);
                upsertHourly.addBatch();
            }
            upsertHourly.executeBatch();
        }
        touch(touchExe, seen.exes);
        touch(touchProcess, seen.processes);
        touch(touchHost, seen.hosts);
    }

    /** Moves last_seen_ms forward once per id and batch, not once per connection. */
    private static void touch(PreparedStatement ps, Map<Long, Long> lastSeen) throws SQLException {
        if (lastSeen.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Long> e : lastSeen.entrySet()) {
            ps.setLong(1, e.getValue());
            ps.setLong(2, e.getKey());
            ps.setLong(3, e.getValue());
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /** Ids used in this batch, with the latest time each was seen. */
    private static final class Seen {
        final Map<Long, Long> exes = new HashMap<>();
        final Map<Long, Long> processes = new HashMap<>();
        final Map<Long, Long> hosts = new HashMap<>();

        void add(Map<Long, Long> map, Long id, long at) {
            if (id != null) {
                map.merge(id, at, Math::max);
            }
        }
    }

    /** Adds the insert of {@code o}; {@code fin} is a later update or close of it in this batch, or null. */
    private void addOpened(FlowEvent.Opened o, FlowEvent fin, FlowEvent.Decided decision, Map<HourKey, long[]> hourly,
                           Seen seen) throws SQLException {
        Attribution a = o.attribution();
        Long processId = null;
        Long exeId = null;
        if (a.isKnown()) {
            ProcessSnapshot p = a.process();
            exeId = exeId(p, o.startMillis());
            processId = processId(p, exeId, o.startMillis());
            seen.add(seen.exes, exeId, o.startMillis());
            seen.add(seen.processes, processId, o.startMillis());
        }
        Long hostId = o.domain() == null || o.domain().isEmpty() ? null : hostId(o.domain(), o.startMillis());
        seen.add(seen.hosts, hostId, o.startMillis());
        if (hostId != null && a.isKnown() && a.process().info().exe() != null) {
            rememberExeDomain(a.process().info().exe(), o.domain(), hostId, o.startMillis());
        }
        PreparedStatement ps = insertConnection;
        ps.setLong(1, o.flowId());
        ps.setLong(2, o.startMillis());
        ps.setString(3, o.transport().label());
        ps.setInt(4, o.family());
        ps.setString(5, o.direction().label());
        ps.setBytes(6, o.local().address().getAddress());
        ps.setInt(7, o.local().port());
        ps.setBytes(8, o.remote().address().getAddress());
        ps.setInt(9, o.remote().port());
        Counters counters = switch (fin) {
            case FlowEvent.Updated u -> u.counters();
            case FlowEvent.Closed cl -> cl.counters();
            case null, default -> Counters.UNKNOWN;
        };
        ps.setString(10, switch (fin) {
            case FlowEvent.Updated u -> u.state();
            case FlowEvent.Closed cl -> cl.finalState();
            case null, default -> o.state();
        });
        if (fin instanceof FlowEvent.Closed cl) {
            ps.setLong(17, cl.endMillis());
        } else {
            ps.setNull(17, Types.BIGINT);
        }
        bindCounters(ps, 18, counters);
        setLongOrNull(ps, 11, processId);
        setLongOrNull(ps, 12, exeId);
        ps.setString(13, a.unknownReason());
        setLongOrNull(ps, 14, hostId);
        ps.setString(15, o.level().label());
        ps.setLong(16, o.socketCookie());
        bindDecision(ps, 22, decision);
        ps.addBatch();
        long hour = hourOf(o.startMillis());
        long rollupExe = exeId == null ? 0 : exeId;
        long[] sums = hourly.computeIfAbsent(new HourKey(hour, rollupExe), k -> new long[3]);
        sums[0]++;
        sums[1] += Math.max(0, counters.bytesOut());
        sums[2] += Math.max(0, counters.bytesIn());
        if (!(fin instanceof FlowEvent.Closed)) {
            OpenFlow f = new OpenFlow(hour, rollupExe);
            f.bytesOut = Math.max(0, counters.bytesOut());
            f.bytesIn = Math.max(0, counters.bytesIn());
            openFlows.put(o.flowId(), f);
        }
    }

    /** Adds the bytes a flow gained since last counted to its start hour's rollup. */
    private void countBytes(long flowId, Counters counters, Map<HourKey, long[]> hourly, boolean closing)
            throws SQLException {
        OpenFlow f = closing ? openFlows.remove(flowId) : openFlows.get(flowId);
        if (f == null) {
            f = loadOpenFlow(flowId);
            if (f == null) {
                return; // its open was never written (lost or pruned): nothing to add to
            }
            if (!closing) {
                openFlows.put(flowId, f);
            }
        }
        long dOut = counters.bytesOut() >= 0 ? counters.bytesOut() - f.bytesOut : 0;
        long dIn = counters.bytesIn() >= 0 ? counters.bytesIn() - f.bytesIn : 0;
        if (counters.bytesOut() >= 0) {
            f.bytesOut = counters.bytesOut();
        }
        if (counters.bytesIn() >= 0) {
            f.bytesIn = counters.bytesIn();
        }
        if (dOut != 0 || dIn != 0) {
            long[] sums = hourly.computeIfAbsent(new HourKey(f.hourMs, f.exeId), k -> new long[3]);
            sums[1] += dOut;
            sums[2] += dIn;
        }
    }

    private OpenFlow loadOpenFlow(long flowId) throws SQLException {
        selectOpenFlow.setLong(1, flowId);
        try (ResultSet rs = selectOpenFlow.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            OpenFlow f = new OpenFlow(hourOf(rs.getLong(1)), rs.getLong(2));
            f.bytesOut = rs.getLong(3);
            f.bytesIn = rs.getLong(4);
            return f;
        }
    }

    private void addAlert(FlowEvent.Alert a, Seen seen) throws SQLException {
        Long processId = null;
        Long exeId = null;
        if (a.process() != null) {
            exeId = exeId(a.process(), a.atMillis());
            processId = processId(a.process(), exeId, a.atMillis());
            seen.add(seen.exes, exeId, a.atMillis());
            seen.add(seen.processes, processId, a.atMillis());
        }
        insertAlert.setLong(1, a.atMillis());
        insertAlert.setString(2, a.kind().label());
        setLongOrNull(insertAlert, 3, a.flowId() == 0 ? null : a.flowId());
        setLongOrNull(insertAlert, 4, processId);
        setLongOrNull(insertAlert, 5, exeId);
        insertAlert.setString(6, a.domain());
        insertAlert.setString(7, a.detail());
        insertAlert.addBatch();
    }

    private Long exeId(ProcessSnapshot p, long atMillis) throws SQLException {
        String path = p.info().exe();
        if (path == null) {
            return null;
        }
        ExeKey key = new ExeKey(path, p.sha256());
        Long id = exeIds.get(key);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement(p.sha256() == null
                ? "SELECT id FROM executables WHERE path = ? AND sha256 IS NULL"
                : "SELECT id FROM executables WHERE path = ? AND sha256 = ?")) {
            ps.setString(1, path);
            if (p.sha256() != null) {
                ps.setString(2, p.sha256());
            }
            id = singleLong(ps);
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO executables (path, sha256, first_seen_ms,"
                    + " last_seen_ms) VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, path);
                ps.setString(2, p.sha256());
                ps.setLong(3, atMillis);
                ps.setLong(4, atMillis);
                id = singleLong(ps);
            }
        }
        exeIds.put(key, id);
        return id;
    }

    private Long processId(ProcessSnapshot p, Long exeId, long atMillis) throws SQLException {
        ProcessInfo info = p.info();
        ProcessKey key = info.startTicks() >= 0 ? new ProcessKey(info.pid(), info.startTicks()) : null;
        Long id = key == null ? null : processIds.get(key);
        if (id != null) {
            return id;
        }
        if (key != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM processes WHERE pid = ? AND start_ticks = ? AND boot_id = ?")) {
                ps.setInt(1, info.pid());
                ps.setLong(2, info.startTicks());
                ps.setString(3, bootId);
                id = singleLong(ps);
            }
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO processes (boot_id, pid, start_ticks, ppid,"
                    + " uid, user_name, comm, cmdline, cgroup, container_id, exe_id, exe_deleted, hash_error, parents,"
                    + " first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, bootId);
                ps.setInt(2, info.pid());
                ps.setLong(3, info.startTicks());
                setIntOrNull(ps, 4, info.ppid());
                setIntOrNull(ps, 5, info.uid());
                ps.setString(6, info.user());
                ps.setString(7, info.comm());
                ps.setString(8, JsonArrays.strings(info.cmdline()));
                ps.setString(9, info.cgroup());
                ps.setString(10, info.containerId());
                setLongOrNull(ps, 11, exeId);
                ps.setInt(12, info.exeDeleted() ? 1 : 0);
                ps.setString(13, p.hashError());
                ps.setString(14, p.parents().isEmpty() ? null : JsonArrays.parents(p.parents()));
                ps.setLong(15, atMillis);
                ps.setLong(16, atMillis);
                id = singleLong(ps);
            }
        }
        if (key != null) {
            processIds.put(key, id);
        }
        return id;
    }

    private Long hostId(String name, long atMillis) throws SQLException {
        Long id = hostIds.get(name);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM hosts WHERE name = ?")) {
            ps.setString(1, name);
            id = singleLong(ps);
        }
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO hosts (name, first_seen_ms, last_seen_ms) VALUES (?, ?, ?) RETURNING id")) {
                ps.setString(1, name);
                ps.setLong(2, atMillis);
                ps.setLong(3, atMillis);
                id = singleLong(ps);
            }
        }
        hostIds.put(name, id);
        return id;
    }

    private void rememberExeDomain(String exePath, String domain, long hostId, long atMillis) throws SQLException {
        String key = exePath + '\0' + domain;
        if (exeDomains.containsKey(key)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO exe_domains (exe_path, host_id, first_seen_ms)"
                + " VALUES (?, ?, ?) ON CONFLICT (exe_path, host_id) DO NOTHING")) {
            ps.setString(1, exePath);
            ps.setLong(2, hostId);
            ps.setLong(3, atMillis);
            ps.executeUpdate();
        }
        exeDomains.put(key, Boolean.TRUE);
    }

    static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR_MS) * HOUR_MS;
    }

    private static Long singleLong(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** Binds action, rule id, decision time and reason from {@code first}; all NULL when {@code d} is null. */
    private static void bindDecision(PreparedStatement ps, int first, FlowEvent.Decided d) throws SQLException {
        if (d == null) {
            ps.setNull(first, Types.VARCHAR);
            ps.setNull(first + 1, Types.VARCHAR);
            ps.setNull(first + 2, Types.BIGINT);
            ps.setNull(first + 3, Types.VARCHAR);
        } else {
            ps.setString(first, d.action());
            ps.setString(first + 1, d.ruleId());
            ps.setLong(first + 2, d.atMillis());
            ps.setString(first + 3, d.reason());
        }
    }

    /** Binds four counters from {@code first}; -1 (unknown) becomes NULL, so COALESCE keeps the old value. */
    private static void bindCounters(PreparedStatement ps, int first, Counters k) throws SQLException {
        setCounter(ps, first, k.bytesOut());
        setCounter(ps, first + 1, k.bytesIn());
        setCounter(ps, first + 2, k.packetsOut());
        setCounter(ps, first + 3, k.packetsIn());
    }

    private static void setCounter(PreparedStatement ps, int index, long value) throws SQLException {
        if (value < 0) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static void setIntOrNull(PreparedStatement ps, int index, int value) throws SQLException {
        if (value < 0) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHE_SIZE;
            }
        };
    }

    private record ExeKey(String path, String sha256) {}

    private record ProcessKey(int pid, long startTicks) {}

    private record HourKey(long hourMs, long exeId) {}

    private static final class OpenFlow {
        final long hourMs;
        final long exeId;
        long bytesOut;
        long bytesIn;

        OpenFlow(long hourMs, long exeId) {
            this.hourMs = hourMs;
            this.exeId = exeId;
        }
    }
}
