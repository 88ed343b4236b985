package dev.netwarden.daemon;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.daemon.config.HistorySection;
import dev.netwarden.history.HistoryReader;
import dev.netwarden.history.HistoryStore;
import dev.netwarden.history.HistoryWriter;
import dev.netwarden.history.RetentionPolicy;
import dev.netwarden.monitor.FlowTracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The history database and its writer: first to start (the monitor's flow ids and alert memory come
 * from it) and last to close (closing flushes everything the monitor published).
 */
final class HistoryService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.history");
    private final Path dataDir;
    private final HistorySection config;
    private HistoryStore store;
    private HistoryWriter writer;
    private Map<String, String> seenExecutables = Map.of();
    private Set<ExeDomain> seenExeDomains = Set.of();

    HistoryService(Path dataDir, HistorySection config) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir is null");
        this.config = Objects.requireNonNull(config, "config is null");
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public void start() throws Exception {
        store = HistoryStore.open(dataDir);
        try {
            // Read what the alert detector must remember before the writer shares the database.
            int leftOpen = store.closeLeftOpen(FlowTracker.STATE_MONITOR_STOPPED);
            if (leftOpen > 0) {
                LOG.info(() -> leftOpen + " connections left open by a previous run (not stopped cleanly) recorded as "
                        + FlowTracker.STATE_MONITOR_STOPPED);
            }
            HistoryReader reader = new HistoryReader(store);
            seenExecutables = reader.seenExecutables();
            seenExeDomains = reader.seenExeDomains();
            RetentionPolicy retention = new RetentionPolicy(config.retention(),
                    config.maxSize() == null ? 0 : config.maxSize().bytes(), config.retentionCheckInterval(),
                    RetentionPolicy.defaults().chunkRows());
            writer = HistoryWriter.start(store, HistoryWriter.Options.defaults()
                    .withQueueCapacity(config.queueCapacity())
                    .withFlushInterval(config.flushInterval())
                    .withRetention(retention));
        } catch (Exception e) {
            store.close();
            throw e;
        }
    }

    HistoryWriter writer() {
        return writer;
    }

    Map<String, String> seenExecutables() {
        return seenExecutables;
    }

    Set<ExeDomain> seenExeDomains() {
        return seenExeDomains;
    }

    @Override
    public void close() throws Exception {
        try {
            writer.close();
        } finally {
            store.close();
        }
    }

    private static long fileBytes(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = StatsMap.of(writer.stats());
        m.put("database", store.file().toString());
        m.put("file_bytes", fileBytes(store.file()) + fileBytes(Path.of(store.file() + "-wal")));
        return m;
    }
}
