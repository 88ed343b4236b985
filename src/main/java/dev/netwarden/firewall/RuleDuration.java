package dev.netwarden.firewall;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the rule a prompt answer creates lives: {@link Kind#ONCE} creates none (only the held
 * connections get the verdict), {@link Kind#MINUTES} for {@code minutes}, {@link Kind#UNTIL_EXIT}
 * while the process runs, {@link Kind#UNTIL_RESTART} until the daemon stops, {@link Kind#ALWAYS} a
 * rule file.
 */
public record RuleDuration(Kind kind, int minutes) {
    public enum Kind { ONCE, MINUTES, UNTIL_EXIT, UNTIL_RESTART, ALWAYS }

    public static final RuleDuration ONCE = new RuleDuration(Kind.ONCE, 0);
    public static final RuleDuration UNTIL_EXIT = new RuleDuration(Kind.UNTIL_EXIT, 0);
    public static final RuleDuration UNTIL_RESTART = new RuleDuration(Kind.UNTIL_RESTART, 0);
    public static final RuleDuration ALWAYS = new RuleDuration(Kind.ALWAYS, 0);
    /** A week: longer than that is "always". */
    static final int MAX_MINUTES = 7 * 24 * 60;

    public RuleDuration {
        Objects.requireNonNull(kind, "kind is null");
        if (kind == Kind.MINUTES ? minutes < 1 || minutes > MAX_MINUTES : minutes != 0) {
            throw new IllegalArgumentException("minutes must be 1.." + MAX_MINUTES + " for MINUTES and 0 otherwise: " + minutes);
        }
    }

    public static RuleDuration minutes(int n) {
        return new RuleDuration(Kind.MINUTES, n);
    }

    /** {@code once}, {@code Nm} (e.g. {@code 15m}), {@code until-exit}, {@code until-restart}, {@code always}. */
    public static RuleDuration parse(String text) {
        Objects.requireNonNull(text, "text is null");
        switch (text) {
            case "once" -> {
                return ONCE;
            }
            case "until-exit" -> {
                return UNTIL_EXIT;
            }
            case "until-restart" -> {
                return UNTIL_RESTART;
            }
            case "always" -> {
                return ALWAYS;
            }
            default -> {
                if (text.length() >= 2 && text.length() <= 6 && text.endsWith("m")
                        && text.substring(0, text.length() - 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
                    int n = Integer.parseInt(text.substring(0, text.length() - 1));
                    if (n >= 1 && n <= MAX_MINUTES) {
                        return minutes(n);
                    }
                }
                throw new IllegalArgumentException("duration must be once, Nm (1.." + MAX_MINUTES
                        + " minutes, e.g. 15m), until-exit, until-restart or always, not \"" + text + "\"");
            }
        }
    }

    public String label() {
        return switch (kind) {
            case ONCE -> "once";
            case MINUTES -> minutes + "m";
            case UNTIL_EXIT -> "until-exit";
            case UNTIL_RESTART -> "until-restart";
            case ALWAYS -> "always";
        };
    }

    /** The lifetime for {@link Kind#MINUTES}; null otherwise. */
    public Duration lifetime() {
        return kind == Kind.MINUTES ? Duration.ofMinutes(minutes) : null;
    }
}
