package dev.netwarden.firewall;

import java.util.Optional;

/**
 * The rules, asked per new connection on the packet path: which rule decides it, if any (empty: the
 * default action or a prompt applies). Must be fast and must never block: rule files are reloaded
 * elsewhere and swapped in whole.
 */
@FunctionalInterface
public interface RuleMatcher {
    Optional<RuleMatch> match(ConnectionFacts facts);
}
