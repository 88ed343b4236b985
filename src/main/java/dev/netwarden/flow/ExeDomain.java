package dev.netwarden.flow;

import java.util.Objects;

/**
 * An executable (by path) that reached a domain: what history remembers across runs and the alert
 * detector asks, so "first time this app reaches this domain" survives a restart.
 */
public record ExeDomain(String exe, String domain) {
    public ExeDomain {
        Objects.requireNonNull(exe, "exe is null");
        Objects.requireNonNull(domain, "domain is null");
    }
}
