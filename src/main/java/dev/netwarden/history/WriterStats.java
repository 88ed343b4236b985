package dev.netwarden.history;

/**
 * What the history writer has done so far. Events are either written, still queued, dropped at the
 * door (queue full) or lost in a batch that failed to commit (disk full, read-only file, I/O error).
 *
 * @param queued      events waiting in the queue now
 * @param written     events committed to the database
 * @param dropped     events refused because the queue was full
 * @param lost        events of batches that failed to commit
 * @param writeErrors batches that failed
 * @param lastError   the last write error, readable ("disk full (SQLITE_FULL) …"), or null
 */
public record WriterStats(long queued, long written, long dropped, long lost, long writeErrors, String lastError) {
}
