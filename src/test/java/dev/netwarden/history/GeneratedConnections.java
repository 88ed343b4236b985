package dev.netwarden.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Millions of connection rows for the history benchmarks, generated in SQL (a recursive CTE) rather
 * than through the writer so setup takes seconds: {@code rows} connections spread evenly over
 * {@code [start, start + span)}, 100 apps with skewed counts (i*i, so a ranking is not flat), 1 in 20
 * unattributed. The table's indexes, whatever the schema has, are dropped first and built after the
 * rows, as a bulk load would. The caller commits.
 */
final class GeneratedConnections {
    static final int APPS = 100;

    private GeneratedConnections() {
    }

    /**
     * @param closed true: every row has an end ({@code start_ms} + up to a minute); false: none has
     */
    static void insert(Connection c, long rows, long start, long span, boolean closed) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA cache_size = -262144");
            for (int a = 1; a <= APPS; a++) {
                s.execute("INSERT INTO executables (id, path, sha256, first_seen_ms, last_seen_ms) VALUES (" + a
                        + ", '/usr/bin/app" + a + "', 'h" + a + "', " + start + ", " + (start + span) + ")");
            }
            Map<String, String> indexes = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                    + " AND tbl_name = 'connections' AND sql IS NOT NULL")) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), rs.getString(2));
                }
            }
            for (String name : indexes.keySet()) {
                s.execute("DROP INDEX " + name);
            }
            String startMs = start + " + (i * " + span + ") / " + rows;
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                    + " INSERT INTO connections (id, start_ms, end_ms, transport, family, direction, local_addr, local_port,"
                    + " remote_addr, remote_port, state, bytes_out, bytes_in, packets_out, packets_in, process_id, exe_id,"
                    + " unknown_reason, host_id, level, cookie)"
                    + " SELECT i, " + startMs + ", " + (closed ? startMs + " + i % 60000" : "NULL") + ", 'tcp', 2, 'outbound',"
                    + " x'0a000002', 40000 + i % 20000, x'5db8d822', 443, 'CLOSED', 1000 + i % 5000, 20000 + i % 70000,"
                    + " 10, 20, NULL, CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + (i * i) % " + APPS + " END,"
                    + " NULL, NULL, 'passive', 0 FROM n");
            for (String sql : indexes.values()) {
                s.execute(sql);
            }
        }
    }
}
