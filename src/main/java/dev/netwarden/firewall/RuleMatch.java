package dev.netwarden.firewall;

import java.util.Objects;

/**
 * The rule that decides a connection and why: {@code explanation} says which of its conditions
 * matched, in words a user can check against the rule file ("exe = /usr/bin/curl, host *.testsite.com
 * matched testsite.com").
 */
public record RuleMatch(String ruleId, Action action, String explanation) {
    public RuleMatch {
        Objects.requireNonNull(ruleId, "ruleId is null");
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(explanation, "explanation is null");
    }
}
