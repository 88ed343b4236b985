package dev.netwarden.daemon.config;

import dev.netwarden.toml.TomlText;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The raw value of every key (String, Long or Boolean) with where it came from, and the typed
 * getters that check it. Why keep the origin: an error must name the file and line, or the flag, that
 * set the bad value — the admin fixes that place, not the key in the abstract.
 */
final class ConfigValues {
    private record Entry(Object value, String origin) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    ConfigValues() {
        for (ConfigKeys.Key k : ConfigKeys.ALL) {
            entries.put(k.path(), new Entry(k.defaultValue(), "default"));
        }
    }

    /** Sets a key (already known and of its kind) from {@code origin}, e.g. "FILE line 3" or "--set". */
    void put(String path, Object value, String origin) {
        if (!ConfigKeys.BY_PATH.containsKey(path)) {
            throw new IllegalArgumentException("unknown key " + path);
        }
        entries.put(path, new Entry(Objects.requireNonNull(value, "value is null"), origin));
    }

    String origin(String path) {
        return entries.get(path).origin();
    }

    String string(String path) {
        return (String) entries.get(path).value();
    }

    boolean bool(String path) {
        return (Boolean) entries.get(path).value();
    }

    int integer(String path, long min, long max) throws ConfigException {
        long v = (Long) entries.get(path).value();
        if (v < min || v > max) {
            throw invalid(path, "must be an integer from " + min + " to " + max);
        }
        return (int) v;
    }

    Duration duration(String path, Duration min, Duration max) throws ConfigException {
        Duration d;
        try {
            d = DurationText.parse(string(path));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(path, "must be a duration from " + DurationText.format(min) + " to " + DurationText.format(max)
                    + ": a whole number and a unit (ms, s, m, h, d), e.g. 500ms, 10s, 2m, 1h, 90d");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw invalid(path, "must be a duration from " + DurationText.format(min) + " to " + DurationText.format(max));
        }
        return d;
    }

    /** A size, or null for "" (no limit). */
    ByteSize sizeOrNone(String path, long minBytes) throws ConfigException {
        String text = string(path);
        if (text.isBlank()) {
            return null;
        }
        ByteSize s;
        try {
            s = ByteSize.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(path, "must be \"\" (no limit) or a size of at least " + new ByteSize(minBytes)
                    + ": a whole number and a unit (B, KiB, MiB, GiB, TiB), e.g. 512MiB, 10GiB");
        }
        if (s.bytes() < minBytes) {
            throw invalid(path, "must be \"\" (no limit) or a size of at least " + new ByteSize(minBytes));
        }
        return s;
    }

    <E extends Enum<E>> E choice(String path, Class<E> type) throws ConfigException {
        String text = string(path);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                return e;
            }
        }
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> "\"" + e.name().toLowerCase(Locale.ROOT) + "\"").toList();
        throw invalid(path, "must be one of " + String.join(", ", allowed));
    }

    /** An absolute path; "" gives null when {@code emptyMeansNone}. */
    Path path(String path, boolean emptyMeansNone) throws ConfigException {
        String text = string(path);
        if (text.isEmpty() && emptyMeansNone) {
            return null;
        }
        if (text.isEmpty() || !text.startsWith("/") || text.indexOf('\0') >= 0) {
            throw invalid(path, "must be an absolute path" + (emptyMeansNone ? " or \"\" (none)" : ""));
        }
        return Path.of(text).normalize();
    }

    ConfigException invalid(String path, String allowed) {
        Object v = entries.get(path).value();
        String shown = v instanceof String s ? TomlText.quote(s) : String.valueOf(v);
        return new ConfigException(origin(path) + ": " + path + " = " + shown + ": " + allowed);
    }
}
