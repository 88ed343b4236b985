package dev.netwarden.history;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open history database: {@code history.db} in a data directory, in WAL mode so that
 * {@code netwarden history} reads while the daemon writes.
 *
 * <p>Opening for writing creates the file, sets {@code auto_vacuum=INCREMENTAL} (it only takes
 * effect before the first table exists, so a new file gets it before Flyway creates any) and brings
 * the schema up to date. Flyway costs a few hundred milliseconds of class loading and scanning even
 * when there is nothing to do, and it runs at every daemon start and history command; so the store
 * first reads the schema version table itself and starts Flyway only when the database is behind
 * {@link #SCHEMA_VERSION}.
 *
 * <p>A store hands out JDBC connections; a connection is not thread-safe, so the writer thread keeps
 * its own and each reader opens its own.
 */
public final class HistoryStore implements AutoCloseable {
    /** The file name inside the data directory. */
    public static final String FILE_NAME = "history.db";
    /** The newest migration under {@code db/history/} (V{n}__*.sql); a test checks they agree. */
    public static final int SCHEMA_VERSION = 3;
    static final String FLYWAY_TABLE = "flyway_schema_history";
    private static final int BUSY_TIMEOUT_MS = 5_000;
    private static final Logger LOG = Logger.getLogger(HistoryStore.class.getName());
    /** Held so the level sticks (java.util.logging keeps loggers weakly). Flyway's INFO lines are noise. */
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    private final Path dataDir;
    private final Path file;
    private final boolean readOnly;
    private final Connection connection;

    private HistoryStore(Path dataDir, Path file, boolean readOnly, Connection connection) {
        this.dataDir = dataDir;
        this.file = file;
        this.readOnly = readOnly;
        this.connection = connection;
    }

    /** Opens (creating the directory and file if needed) and migrates the history in {@code dataDir}. */
    public static HistoryStore open(Path dataDir) throws HistoryException {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new HistoryException("cannot create data directory " + dataDir + ": " + e, e);
        }
        Connection c = null;
        try {
            c = connect(file, false);
            try (Statement s = c.createStatement()) {
                if (!tableExists(c, FLYWAY_TABLE) && !anyTableExists(c)) {
                    s.execute("PRAGMA auto_vacuum = INCREMENTAL");
                }
                s.execute("PRAGMA journal_mode = WAL");
            }
            if (schemaVersion(c) < SCHEMA_VERSION) {
                migrate(file);
            }
            int version = schemaVersion(c);
            if (version > SCHEMA_VERSION) {
                throw new HistoryException("history at " + file + " has schema " + version
                        + ", newer than this netwarden knows (" + SCHEMA_VERSION + ")");
            }
            return new HistoryStore(dataDir, file, false, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new HistoryException("cannot open history at " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | HistoryException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Opens an existing history for reading only; a missing file or schema is a clear error (the
     * usual cause: the daemon writes elsewhere or has never run with this data directory).
     */
    public static HistoryStore openReadOnly(Path dataDir) throws HistoryException {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new NoHistoryException(dataDir);
        }
        Connection c = null;
        try {
            c = connect(file, true);
            int version = schemaVersion(c);
            if (version <= 0) {
                throw new NoHistoryException(dataDir);
            }
            if (version > SCHEMA_VERSION) {
                throw new HistoryException("history at " + file + " has schema " + version
                        + ", newer than this netwarden knows (" + SCHEMA_VERSION + ")");
            }
            if (version < SCHEMA_VERSION) {
                throw new HistoryException("history at " + file + " has schema " + version
                        + ", older than this netwarden's " + SCHEMA_VERSION + ": start the daemon once to upgrade it");
            }
            return new HistoryStore(dataDir, file, true, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new HistoryException("cannot read history at " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | HistoryException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        if (readOnly) {
            config.setReadOnly(true);
            config.setOpenMode(SQLiteOpenMode.READONLY);
        }
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    private static void migrate(Path file) {
        long t0 = System.nanoTime();
        FLYWAY_LOG.setLevel(Level.WARNING);
        Flyway.configure(HistoryStore.class.getClassLoader())
                .dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/history")
                .table(FLYWAY_TABLE)
                .loggers("slf4j")
                .load()
                .migrate();
        LOG.info(() -> "history " + file + " migrated to schema " + SCHEMA_VERSION + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** The highest successfully applied migration, 0 when none. */
    static int schemaVersion(Connection c) throws SQLException {
        if (!tableExists(c, FLYWAY_TABLE)) {
            return 0;
        }
        int max = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + FLYWAY_TABLE + " WHERE success = 1 AND version IS NOT NULL")) {
            while (rs.next()) {
                try {
                    max = Math.max(max, Integer.parseInt(rs.getString(1).split("\\.")[0]));
                } catch (NumberFormatException ignored) {
                    // a version we do not number ourselves: ignore it
                }
            }
        }
        return max;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean anyTableExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1")) {
            return rs.next();
        }
    }

    /** A new connection to the same file (same pragmas); the caller closes it. */
    public Connection newConnection() throws SQLException {
        return connect(file, readOnly);
    }

    /** The store's own connection, for one thread at a time. */
    Connection connection() {
        return connection;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path file() {
        return file;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The connections still open: served by the partial index {@code connections_open} (schema 3), so
     * it reads only those rows, not the table. A test checks SQLite's plan.
     */
    static final String ANY_LEFT_OPEN = "SELECT 1 FROM connections WHERE end_ms IS NULL LIMIT 1";
    /** Closes every open connection at the newest time the history knows (bound: the state). */
    static final String CLOSE_LEFT_OPEN = """
            UPDATE connections SET state = ?, end_ms = (
                SELECT MAX(t) FROM (SELECT MAX(start_ms) AS t FROM connections
                                    UNION ALL SELECT MAX(end_ms) FROM connections))
            WHERE end_ms IS NULL""";

    /**
     * Ends the connections a previous daemon left open because it was killed (a clean stop closes
     * them itself): they get {@code state} and, as end time, the newest time this history knows, the
     * best estimate of when that daemon stopped watching. Without this they would look open forever.
     * Call once at daemon start, before the writer runs; returns how many were closed.
     *
     * <p>Runs at every start, so it must not read the whole table: finding the open rows goes through
     * the partial index, and the end time (whose {@code MAX(end_ms)} has no index and reads the table)
     * is computed only when something was left open, i.e. after a crash, not after a clean stop.
     */
    public int closeLeftOpen(String state) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(ANY_LEFT_OPEN)) {
            if (!rs.next()) {
                return 0;
            }
        }
        try (PreparedStatement p = connection.prepareStatement(CLOSE_LEFT_OPEN)) {
            p.setString(1, state);
            return p.executeUpdate();
        }
    }

    /** Bytes the database uses: pages in use times page size (free pages and the WAL excluded). */
    public long usedBytes() throws SQLException {
        return usedBytes(connection);
    }

    static long usedBytes(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            long pageSize = pragmaLong(s, "page_size");
            long pages = pragmaLong(s, "page_count");
            long free = pragmaLong(s, "freelist_count");
            return (pages - free) * pageSize;
        }
    }

    static long pragmaLong(Statement s, String pragma) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do
            }
        }
    }

    /** Why a history could not be opened or used. */
    public static class HistoryException extends Exception {
        public HistoryException(String message) {
            super(message);
        }

        public HistoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The data directory holds no history (yet). */
    public static final class NoHistoryException extends HistoryException {
        public NoHistoryException(Path dataDir) {
            super("no history at " + dataDir + ": is the daemon running with --data-dir " + dataDir + "?");
        }
    }
}
