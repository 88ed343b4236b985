package dev.netwarden.firewall;

import java.util.Objects;

/** A user's answer to a prompt: what to do, how wide and for how long. */
public record PromptAnswer(Action action, PromptScope scope, RuleDuration duration) {
    public PromptAnswer {
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(duration, "duration is null");
    }
}
