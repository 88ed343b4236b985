package dev.netwarden.firewall;

import java.io.IOException;

/**
 * Where prompt answers become rules: the rules engine implements it. {@link #add} must make the rule
 * effective for the {@link RuleMatcher} before it returns — the next connection of the same app must
 * not be asked again — and either add the whole rule or nothing.
 */
@FunctionalInterface
public interface RuleSink {
    /**
     * Adds the rule; returns its id (as {@link RuleMatch#ruleId()} will name it).
     *
     * @throws IOException the rule could not be stored (e.g. the rules directory is not writable);
     *                     the prompt then stays pending
     */
    String add(PromptRule rule) throws IOException;
}
