package dev.netwarden.daemon.config;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.DefaultAction;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code [firewall]}: only read at the intercept level.
 *
 * @param defaultAction       what happens to a connection no rule decides: allow, deny (drop), reject
 *                            (refuse at once) or prompt (hold it and ask: {@code netwarden prompt})
 * @param promptTimeout       how long a prompt waits for an answer
 * @param promptTimeoutAction what happens to the held connections when nobody answers in time
 */
public record FirewallSection(DefaultAction defaultAction, Duration promptTimeout, Action promptTimeoutAction) {
    public FirewallSection {
        Objects.requireNonNull(defaultAction, "defaultAction is null");
        Objects.requireNonNull(promptTimeout, "promptTimeout is null");
        Objects.requireNonNull(promptTimeoutAction, "promptTimeoutAction is null");
    }
}
