package dev.netwarden.prompt;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.PromptScope;
import dev.netwarden.firewall.RuleDuration;

import java.util.Locale;
import java.util.Objects;

/**
 * What the user typed at a prompt: {@code ACTION [SCOPE] [DURATION]} in any order after the action,
 * e.g. {@code a}, {@code allow exe always}, {@code d 15m}, {@code r cmdline until-exit}. The action is
 * {@code a}/{@code allow}, {@code d}/{@code deny} or {@code r}/{@code reject}; the scope {@code exe},
 * {@code dest}/{@code destination} (default) or {@code cmdline}; the duration {@code once} (default),
 * {@code Nm}, {@code until-exit}, {@code until-restart} or {@code always}. An empty line skips the
 * question for now, {@code q} quits. Pure: text in, a result out.
 */
public sealed interface AnswerLine {

    record Answer(Action action, PromptScope scope, RuleDuration duration) implements AnswerLine {
        public Answer {
            Objects.requireNonNull(action, "action is null");
            Objects.requireNonNull(scope, "scope is null");
            Objects.requireNonNull(duration, "duration is null");
        }
    }

    record Skip() implements AnswerLine {}

    record Quit() implements AnswerLine {}

    record Invalid(String message) implements AnswerLine {}

    String HELP = "answer: a[llow] | d[eny] | r[eject], then optionally exe | dest | cmdline and once | 15m | until-exit"
            + " | until-restart | always (default: dest once); empty line: later; q: quit";

    static AnswerLine parse(String line) {
        if (line == null) {
            return new Quit();
        }
        String[] words = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length == 1 && words[0].isEmpty()) {
            return new Skip();
        }
        if (words.length == 1 && (words[0].equals("q") || words[0].equals("quit"))) {
            return new Quit();
        }
        Action action = switch (words[0]) {
            case "a", "allow" -> Action.ALLOW;
            case "d", "deny" -> Action.DENY;
            case "r", "reject" -> Action.REJECT;
            default -> null;
        };
        if (action == null) {
            return new Invalid("\"" + words[0] + "\" is not an action; " + HELP);
        }
        PromptScope scope = null;
        RuleDuration duration = null;
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            PromptScope s = switch (w) {
                case "exe" -> PromptScope.EXE;
                case "dest", "destination" -> PromptScope.DESTINATION;
                case "cmdline" -> PromptScope.CMDLINE;
                default -> null;
            };
            if (s != null) {
                if (scope != null) {
                    return new Invalid("two scopes given; " + HELP);
                }
                scope = s;
                continue;
            }
            try {
                RuleDuration d = RuleDuration.parse(w);
                if (duration != null) {
                    return new Invalid("two durations given; " + HELP);
                }
                duration = d;
            } catch (IllegalArgumentException e) {
                return new Invalid("\"" + w + "\" is neither a scope nor a duration; " + HELP);
            }
        }
        return new Answer(action, scope == null ? PromptScope.DESTINATION : scope,
                duration == null ? RuleDuration.ONCE : duration);
    }
}
