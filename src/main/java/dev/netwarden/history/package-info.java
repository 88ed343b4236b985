/**
 * The connection history: a SQLite database ({@code history.db} in the daemon's data directory),
 * its schema (Flyway migrations under {@code db/history/}), the batching writer that turns
 * {@link dev.netwarden.flow.FlowEvent}s into rows off the packet path, retention by age and size,
 * and the read side that {@code netwarden history} and the alert detector query.
 *
 * <p>Owns the database file and nothing else: it reads no kernel state and knows nothing of how
 * events are produced. SQL stays close to what PostgreSQL also accepts, so a second backend can
 * reuse the queries.
 */
package dev.netwarden.history;
