package dev.netwarden.lists;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured list: its name (what rules refer to, and the cache file's name), where it comes
 * from (a file path, or an http/https URL), its format (null: detected on each load) and how often it
 * is checked for a new copy.
 */
public record ListSource(String name, String location, ListFormat format, Duration refresh) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Refresh interval when none is configured. */
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(24);
    /** Shortest refresh interval accepted: list servers should not be polled harder than this. */
    public static final Duration MIN_REFRESH = Duration.ofSeconds(1);

    public ListSource {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(location, "location is null");
        Objects.requireNonNull(refresh, "refresh is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("list name '" + name + "': letters, digits, '.', '_' and '-' only, at most 64");
        }
        if (location.isBlank()) {
            throw new IllegalArgumentException("list " + name + ": empty location");
        }
        if (refresh.compareTo(MIN_REFRESH) < 0) {
            throw new IllegalArgumentException("list " + name + ": refresh interval under " + MIN_REFRESH.toSeconds() + " s");
        }
    }

    public static ListSource of(String name, String location) {
        return new ListSource(name, location, null, DEFAULT_REFRESH);
    }

    public boolean isUrl() {
        return isUrl(location);
    }

    static boolean isUrl(String location) {
        String l = location.toLowerCase(java.util.Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }
}
