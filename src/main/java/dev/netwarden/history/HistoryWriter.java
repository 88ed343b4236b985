package dev.netwarden.history;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes flow events to history off the caller's thread.
 *
 * <p>{@link #publish} only offers the event to a bounded queue: it never blocks, never throws and
 * never touches the database, so the packet path cannot be stalled by a slow disk. When the queue is
 * full the event is counted as dropped; the writer thread logs the drops at most once per
 * {@value #LOG_EVERY_SECONDS} s and {@link #stats()} shows them.
 *
 * <p>One writer thread drains the queue in batches of up to {@code batchSize} events, each in one
 * transaction: as soon as a full batch is waiting, and otherwise every {@code flushInterval}. An
 * event is therefore committed at most about one flush interval (plus one batch's write time) after
 * it was published. In between the writer sleeps: a publisher that fills a batch wakes it, so an idle
 * daemon's writer wakes once per interval instead of polling the queue (polling every 10 ms cost
 * ~0.3% of a core at idle). WAL with {@code synchronous=NORMAL} keeps every commit across a kill -9 of the
 * daemon (only a power loss can take the last commits back).
 *
 * <p>A batch that fails to commit (SQLITE_FULL, a read-only file, an I/O error) is rolled back and
 * counted as lost, the error is logged and kept in {@link WriterStats#lastError()}; the writer drops
 * its connection and id caches, opens a fresh connection for the next batch and goes on, so
 * monitoring continues and history resumes once the disk has room again.
 *
 * <p>Retention runs on this thread too, one small chunk between batches, so it never holds the
 * database lock for long and never contends with the writes.
 */
public final class HistoryWriter implements FlowEventSink, AutoCloseable {
    static final long LOG_EVERY_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(HistoryWriter.class.getName());

    /**
     * @param queueCapacity events the queue holds before publish drops
     * @param batchSize     most events per transaction
     * @param flushInterval longest time an event waits in the queue (at most 1 s keeps the kill -9 promise)
     * @param bootId        this boot's id (/proc/sys/kernel/random/boot_id): with pid and start time it
     *                      identifies a process across reboots
     * @param retention     what to prune and how often, or null for no pruning
     */
    public record Options(int queueCapacity, int batchSize, Duration flushInterval, String bootId,
                         RetentionPolicy retention) {
        public Options {
            if (queueCapacity < 1 || batchSize < 1) {
                throw new IllegalArgumentException("queueCapacity and batchSize must be positive");
            }
            Objects.requireNonNull(flushInterval, "flushInterval is null");
            if (flushInterval.isNegative() || flushInterval.isZero()) {
                throw new IllegalArgumentException("flushInterval must be positive");
            }
            Objects.requireNonNull(bootId, "bootId is null");
        }

        /** 65,536 events of queue, batches of 4,096, flush every second, default retention. */
        public static Options defaults() {
            return new Options(65_536, 4_096, Duration.ofSeconds(1), currentBootId(), RetentionPolicy.defaults());
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(capacity, batchSize, flushInterval, bootId, retention);
        }

        public Options withBatchSize(int size) {
            return new Options(queueCapacity, size, flushInterval, bootId, retention);
        }

        public Options withFlushInterval(Duration interval) {
            return new Options(queueCapacity, batchSize, interval, bootId, retention);
        }

        public Options withRetention(RetentionPolicy policy) {
            return new Options(queueCapacity, batchSize, flushInterval, bootId, policy);
        }

        /** The kernel's boot id, or "unknown" when it cannot be read. */
        public static String currentBootId() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }

    private final HistoryStore store;
    private final Options options;
    private final ArrayBlockingQueue<FlowEvent> queue;
    private final AtomicLong nextFlowId;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile String lastError;
    /** Held by the writer thread while it drains and writes; a test holds it to freeze the writer. */
    private final ReentrantLock drainGate = new ReentrantLock();
    private final Retention retention;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean flushRequested;

    private HistoryWriter(HistoryStore store, Options options, long firstFlowId) {
        this.store = store;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.nextFlowId = new AtomicLong(firstFlowId);
        this.retention = options.retention() == null ? null : new Retention(options.retention());
        this.thread = Thread.ofPlatform().name("history-writer").daemon(true).unstarted(this::run);
    }

    /** Starts a writer on {@code store} (which must be writable); flow ids continue after the largest stored. */
    public static HistoryWriter start(HistoryStore store, Options options) throws SQLException {
        Objects.requireNonNull(store, "store is null");
        Objects.requireNonNull(options, "options is null");
        if (store.isReadOnly()) {
            throw new IllegalArgumentException("history store is read-only");
        }
        long first;
        try (Connection c = store.newConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM connections")) {
            rs.next();
            first = rs.getLong(1);
        }
        HistoryWriter w = new HistoryWriter(store, options, first);
        w.thread.start();
        return w;
    }

    /** A new flow id, unique in this history (across restarts too). */
    public long nextFlowId() {
        return nextFlowId.getAndIncrement();
    }

    /** {@link #nextFlowId()} as a supplier, for trackers that number their flows. */
    public LongSupplier flowIds() {
        return this::nextFlowId;
    }

    @Override
    public void publish(FlowEvent event) {
        if (event != null && !closing && queue.offer(event)) {
            accepted.increment();
            if (queue.size() >= options.batchSize()) {
                LockSupport.unpark(thread); // a full batch: the writer need not wait for its interval
            }
        } else {
            dropped.increment();
        }
    }

    public WriterStats stats() {
        return new WriterStats(queue.size(), written.get(), dropped.sum(), lost.get(), writeErrors.get(), lastError);
    }

    /**
     * Waits until every event accepted before this call is written or lost; false on timeout. For
     * tests and orderly shutdowns; the daemon never needs to call it.
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = accepted.sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() + lost.get() < target) {
            if (!thread.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            flushRequested = true;
            LockSupport.unpark(thread);
            Thread.sleep(1);
        }
        return true;
    }

    /** Writes what is queued, stops the thread. Events published afterwards are dropped. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    /**
     * Freezes the writer (test hook): while the returned handle is open, the writer thread drains
     * nothing, so a test can fill the queue and count drops exactly. Close it to resume.
     */
    AutoCloseable holdWrites() {
        drainGate.lock();
        return drainGate::unlock;
    }

    private void run() {
        List<FlowEvent> batch = new ArrayList<>(options.batchSize());
        BatchWriter writer = null;
        Connection connection = null;
        long flushNanos = options.flushInterval().toNanos();
        long lastFlush = System.nanoTime();
        long nextRetention = System.nanoTime();
        boolean retentionBusy = false;
        long droppedLogged = 0;
        long lastDropLog = 0;
        while (true) {
            boolean stopping = closing;
            if (!stopping && !retentionBusy) {
                long now = System.nanoTime();
                if (queue.size() < options.batchSize() && now - lastFlush < flushNanos && !flushRequested
                        && !(retention != null && now - nextRetention >= 0)) {
                    long untilRetention = retention == null ? Long.MAX_VALUE : nextRetention - now;
                    LockSupport.parkNanos(Math.min(untilRetention, flushNanos - (now - lastFlush)));
                    continue;
                }
            }
            flushRequested = false;
            drainGate.lock();
            try {
                int n;
                do {
                    batch.clear();
                    n = queue.drainTo(batch, options.batchSize());
                    if (n > 0) {
                        if (writer == null) {
                            try {
                                connection = store.newConnection();
                                writer = new BatchWriter(connection, options.bootId());
                            } catch (SQLException e) {
                                closeQuietly(connection);
                                connection = null;
                                failed(e, n);
                                continue;
                            }
                        }
                        try {
                            writer.write(batch);
                            written.addAndGet(n);
                        } catch (SQLException | RuntimeException e) {
                            failed(e, n);
                            writer.forget();
                            writer = null;
                            closeQuietly(connection);
                            connection = null;
                        }
                    }
                } while (n == options.batchSize());
            } finally {
                drainGate.unlock();
            }
            lastFlush = System.nanoTime();
            if (stopping && queue.isEmpty()) {
                break;
            }
            if (retention != null && (retentionBusy || lastFlush - nextRetention >= 0)) {
                retentionBusy = pruneChunk(connection);
                if (!retentionBusy) {
                    if (writer != null) {
                        writer.forgetIds(); // orphans may have been deleted under cached ids
                    }
                    nextRetention = System.nanoTime() + options.retention().interval().toNanos();
                }
            }
            long d = dropped.sum();
            if (d > droppedLogged && System.nanoTime() - lastDropLog >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS)) {
                long newly = d - droppedLogged;
                LOG.warning(() -> "history queue full: " + newly + " events dropped (" + d + " in total);"
                        + " the writer cannot keep up with the connection rate");
                droppedLogged = d;
                lastDropLog = System.nanoTime();
            }
        }
        closeQuietly(connection);
    }

    /** One retention chunk on the writer's connection (or a short-lived one); true when more is left. */
    private boolean pruneChunk(Connection connection) {
        try {
            if (connection != null) {
                return retention.step(connection, System.currentTimeMillis());
            }
            try (Connection c = store.newConnection()) {
                return retention.step(c, System.currentTimeMillis());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "history retention failed (will retry later): " + e.getMessage(), e);
            return false;
        }
    }

    private long lastErrorLog;
    private long errorsSinceLog;

    private void failed(Exception e, int events) {
        // The error first, the counts after: flush() returns once written + lost covers what was
        // published, and a caller that then reads stats() must find the error that caused the loss.
        String message = describe(e);
        lastError = message;
        writeErrors.incrementAndGet();
        lost.addAndGet(events);
        errorsSinceLog++;
        long now = System.nanoTime();
        if (lastErrorLog == 0 || now - lastErrorLog >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS)) {
            long failures = errorsSinceLog;
            LOG.severe(() -> "history write failed, " + events + " events lost (" + failures
                    + " failed batches since last report, " + lost.get() + " events lost in total): " + message);
            lastErrorLog = now;
            errorsSinceLog = 0;
        }
    }

    private String describe(Exception e) {
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_FULL || code == SQLiteErrorCode.SQLITE_IOERR_WRITE
                    && detail.contains("No space")) {
                return "disk full (SQLITE_FULL) writing " + store.file() + ": " + detail;
            }
            if (code.name().startsWith("SQLITE_READONLY")) {
                return "history is read-only (" + code.name() + ") at " + store.file() + ": " + detail;
            }
        }
        return "cannot write " + store.file() + ": " + detail;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing: nothing to add
            }
        }
    }
}
