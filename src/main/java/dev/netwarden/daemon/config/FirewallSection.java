package dev.netwarden.daemon.config;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.DefaultAction;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code [firewall]}: only read at the intercept level.
 *
 * @param defaultAction       what happens to a connection no rule decides: allow, deny (drop), reject
 *                            (refuse at once) or prompt (hold it and ask: {@code netwarden prompt})
 * @param promptTimeout       how long a prompt waits for an answer
 * @param promptTimeoutAction what happens to the held connections when nobody answers in time
 * @param listsDir            block lists for rules' {@code list} condition: each {@code NAME.list} (or
 *                            {@code .txt}, {@code .hosts}) file is list NAME, each {@code NAME.url} file holds the
 *                            http(s) address of list NAME on its first line
 * @param listsRefresh        how often lists given by URL are fetched again (conditional GET)
 */
public record FirewallSection(DefaultAction defaultAction, Duration promptTimeout, Action promptTimeoutAction,
                              Path listsDir, Duration listsRefresh) {
    public FirewallSection {
        Objects.requireNonNull(listsDir, "listsDir is null");
        Objects.requireNonNull(listsRefresh, "listsRefresh is null");
        Objects.requireNonNull(defaultAction, "defaultAction is null");
        Objects.requireNonNull(promptTimeout, "promptTimeout is null");
        Objects.requireNonNull(promptTimeoutAction, "promptTimeoutAction is null");
    }
}
