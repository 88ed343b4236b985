package dev.netwarden.lists;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One list's state for status and the UI.
 *
 * @param format      the format of the copy in use (null before the first load)
 * @param domains     distinct domains in the copy in use
 * @param networks    merged address ranges in the copy in use
 * @param origin      where the copy in use came from: "file", "network" or "cache" (null before the first load)
 * @param loadedAt    when the copy in use was loaded (null before the first load)
 * @param checkedAt   the last successful check for a new copy (a 304 or an unchanged file counts)
 * @param lastError   the last failure, kept until a later check succeeds (null when the last check worked)
 */
public record ListStats(
        String name,
        String location,
        ListFormat format,
        boolean formatDetected,
        long domains,
        long networks,
        long skipped,
        long bad,
        long hits,
        String origin,
        Instant loadedAt,
        Instant checkedAt,
        String lastError,
        Instant lastErrorAt) {

    /** JSON-friendly form for the daemon's status op. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("location", location);
        m.put("format", format == null ? null : format.label());
        m.put("format_detected", formatDetected);
        m.put("domains", domains);
        m.put("networks", networks);
        m.put("skipped", skipped);
        m.put("bad", bad);
        m.put("hits", hits);
        m.put("origin", origin);
        m.put("loaded_at", loadedAt == null ? null : loadedAt.toString());
        m.put("checked_at", checkedAt == null ? null : checkedAt.toString());
        m.put("last_error", lastError);
        m.put("last_error_at", lastErrorAt == null ? null : lastErrorAt.toString());
        return m;
    }
}
