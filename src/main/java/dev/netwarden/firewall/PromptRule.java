package dev.netwarden.firewall;

import dev.netwarden.flow.Transport;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The rule a prompt answer asks for, in the terms of the question: the rules engine turns it into a
 * rule (file, or in-memory for the shorter durations) that matches exactly the {@link #scope()}'s
 * conditions:
 * <ul>
 *   <li>{@code EXE}: {@code exe}
 *   <li>{@code DESTINATION}: {@code exe}, {@code host} (a domain when known, else null) or else
 *       {@code address}, {@code port}, {@code transport}
 *   <li>{@code CMDLINE}: {@code exe} and exactly {@code cmdline}
 * </ul>
 * {@code exe} is null when the process was unknown: then only {@code uid} (-1 if unknown) names the app.
 *
 * @param pid        the process that asked, and its start time ({@code startTicks}): what
 *                   {@link RuleDuration.Kind#UNTIL_EXIT} is bound to
 * @param questionId the prompt the answer was for (for the rule's comment)
 */
public record PromptRule(Action action, PromptScope scope, RuleDuration duration, String exe, List<String> cmdline,
                         int uid, String host, InetAddress address, int port, Transport transport, int pid,
                         long startTicks, long questionId) {
    public PromptRule {
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(scope, "scope is null");
        Objects.requireNonNull(duration, "duration is null");
        Objects.requireNonNull(address, "address is null");
        Objects.requireNonNull(transport, "transport is null");
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
        if (duration.kind() == RuleDuration.Kind.ONCE) {
            throw new IllegalArgumentException("a once-only answer creates no rule");
        }
    }
}
