package dev.netwarden.rules;

import dev.netwarden.firewall.PromptRule;
import dev.netwarden.firewall.RuleSink;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns a prompt answer into a real rule of the {@link RuleEngine}, so it is listed, shown, tested and
 * removed like any other: "always" and "N minutes" answers become files in the rules directory (they
 * survive a restart, or expire), "until exit" and "until restart" answers live in the engine's memory.
 * The rule is in force when {@link #add} returns (the engine reloads before answering), which is what
 * lets the prompt release its held packets right after.
 */
public final class PromptAnswerRules implements RuleSink {
    private final RuleEngine engine;
    private final RuleFiles files;
    private final Clock clock;

    public PromptAnswerRules(RuleEngine engine, RuleFiles files, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine is null");
        this.files = Objects.requireNonNull(files, "files is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    @Override
    public String add(PromptRule answer) throws IOException {
        Rule rule = toRule(answer, clock);
        switch (rule.duration()) {
            case RuleDuration.Always a -> writeAndReload(rule);
            case RuleDuration.Expires e -> writeAndReload(rule);
            default -> engine.addInMemory(rule);
        }
        return rule.id();
    }

    private void writeAndReload(Rule rule) throws IOException {
        files.write(rule, false);
        engine.reload();
    }

    /** The rule an answer asks for: the scope's conditions, the answer's action and duration. */
    static Rule toRule(PromptRule a, Clock clock) {
        List<Condition> conditions = new ArrayList<>();
        if (a.exe() != null) {
            conditions.add(Condition.of(ConditionKind.EXE, a.exe()));
        } else if (a.uid() >= 0) {
            conditions.add(Condition.of(ConditionKind.USER, Integer.toString(a.uid())));
        }
        switch (a.scope()) {
            case EXE -> { }
            case DESTINATION -> {
                if (a.host() != null) {
                    conditions.add(Condition.of(ConditionKind.HOST, a.host()));
                } else {
                    conditions.add(Condition.of(ConditionKind.CIDR, a.address().getHostAddress()));
                }
                if (a.port() > 0) {
                    conditions.add(Condition.of(ConditionKind.PORT, Integer.toString(a.port())));
                }
                conditions.add(Condition.of(ConditionKind.PROTO, a.transport().label()));
            }
            case CMDLINE -> conditions.add(Condition.of(ConditionKind.CMDLINE_REGEX,
                    "^" + Pattern.quote(String.join(" ", a.cmdline())) + "$"));
        }
        RuleDuration duration = switch (a.duration().kind()) {
            case MINUTES -> new RuleDuration.Expires(clock.instant().plus(Duration.ofMinutes(a.duration().minutes())),
                    a.duration().minutes() + "m");
            case UNTIL_EXIT -> new RuleDuration.UntilExit(a.pid(), a.startTicks());
            case UNTIL_RESTART -> RuleDuration.UNTIL_RESTART;
            case ALWAYS -> RuleDuration.ALWAYS;
            case ONCE -> throw new IllegalArgumentException("a once-only answer creates no rule");
        };
        String id = "prompt-" + a.questionId() + "-" + Long.toString(clock.millis(), 36);
        String description = "answer to prompt " + a.questionId() + ": " + a.action().label() + " " + a.scope().label();
        return new Rule(id, description, true, a.action(), 0, duration, conditions);
    }
}
