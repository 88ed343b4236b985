package dev.netwarden.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How long a rule lives. {@link Always} and {@link Expires} are the durations of files a user
 * writes; {@link Once}, {@link UntilExit} and {@link UntilRestart} are mostly what prompt answers
 * create. UntilRestart rules are never written to disk.
 */
public sealed interface RuleDuration {

    /** The {@code duration} value in a rule file. */
    String label();

    /** The rule stays until removed. */
    record Always() implements RuleDuration {
        @Override
        public String label() {
            return "always";
        }
    }

    /** The rule decides one connection and is then removed (its file deleted). */
    record Once() implements RuleDuration {
        @Override
        public String label() {
            return "once";
        }
    }

    /**
     * The rule stops matching at {@code until} (and its file is removed then).
     *
     * @param spelled how it was asked for ("30m"), kept for display
     */
    record Expires(Instant until, String spelled) implements RuleDuration {
        public Expires {
            Objects.requireNonNull(until, "until is null");
            Objects.requireNonNull(spelled, "spelled is null");
        }

        @Override
        public String label() {
            return spelled;
        }
    }

    /**
     * The rule lives as long as one process: pid plus its start time (clock ticks after boot), so a
     * reused pid is a different process. It only matches that process's connections.
     */
    record UntilExit(int pid, long startTicks) implements RuleDuration {
        @Override
        public String label() {
            return "until-exit";
        }
    }

    /** The rule lives in the daemon's memory only, until it stops. */
    record UntilRestart() implements RuleDuration {
        @Override
        public String label() {
            return "until-restart";
        }
    }

    RuleDuration ALWAYS = new Always();
    RuleDuration ONCE = new Once();
    RuleDuration UNTIL_RESTART = new UntilRestart();

    /**
     * Parses a length of time: {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d} (a bare number is
     * minutes).
     *
     * @throws IllegalArgumentException when it is none of these
     */
    static Duration parseLength(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int n = t.length();
        if (n == 0 || n > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a length of time (90s, 30m, 2h, 7d)");
        }
        char unit = t.charAt(n - 1);
        String digits = Character.isDigit(unit) ? t : t.substring(0, n - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a length of time (90s, 30m, 2h, 7d)");
        }
        long v = Long.parseLong(digits);
        Duration d = switch (Character.isDigit(unit) ? 'm' : unit) {
            case 's' -> Duration.ofSeconds(v);
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            case 'd' -> Duration.ofDays(v);
            default -> throw new IllegalArgumentException("'" + text + "' is not a length of time (90s, 30m, 2h, 7d)");
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException("'" + text + "': must be more than 0 and at most 3650d");
        }
        return d;
    }
}
