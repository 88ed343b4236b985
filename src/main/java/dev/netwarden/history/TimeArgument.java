package dev.netwarden.history;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as {@code --since}/{@code --until} take it: relative to now ({@code 30s}, {@code 15m},
 * {@code 2h}, {@code 7d}, {@code 1w}: that long ago), {@code now}, or ISO-8601 — an instant with offset
 * ({@code 2026-11-27T10:00:00Z}), a local date-time ({@code 2026-11-27T10:00}, also with a space) or a
 * local date ({@code 2026-11-27}, its midnight), local meaning the given zone. Shared by
 * {@code netwarden history} and the web API's {@code since}/{@code until} parameters.
 */
public final class TimeArgument {
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})([smhdw])");

    private TimeArgument() {
    }

    /** Epoch milliseconds; IllegalArgumentException with a readable message when {@code text} is neither form. */
    public static long parse(String text, Instant now, ZoneId zone) {
        String t = text.strip();
        if (t.equals("now")) {
            return now.toEpochMilli();
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d).toEpochMilli();
        }
        String iso = t.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeException ignored) {
            // not an instant with an offset
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeException ignored) {
            // not a date either
        }
        throw new IllegalArgumentException("'" + text + "' is not a time: use a duration ago (30s, 15m, 2h, 7d, 1w),"
                + " 'now', or ISO-8601 (2026-11-27, 2026-11-27T10:00, 2026-11-27T10:00:00Z)");
    }
}
