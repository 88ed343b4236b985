package dev.netwarden.rules;

import static dev.netwarden.toml.TomlText.quote;

import java.util.List;

/** A {@link Rule} as rule-file text that {@link RuleFileParser} reads back to an equal rule. */
public final class RuleFileWriter {
    private RuleFileWriter() {
    }

    /**
     * @throws IllegalArgumentException for an until-restart rule, which never goes to disk
     */
    public static String write(Rule rule) {
        StringBuilder b = new StringBuilder(256);
        b.append("# netwarden rule ").append(rule.id()).append(" (docs/rules.md)\n");
        if (!rule.description().isEmpty()) {
            b.append("description = ").append(quote(rule.description())).append('\n');
        }
        b.append("action = ").append(quote(rule.action().label())).append('\n');
        b.append("enabled = ").append(rule.enabled()).append('\n');
        if (rule.priority() != 0) {
            b.append("priority = ").append(rule.priority()).append('\n');
        }
        switch (rule.duration()) {
            case RuleDuration.Always a -> b.append("duration = \"always\"\n");
            case RuleDuration.Once o -> b.append("duration = \"once\"\n");
            case RuleDuration.Expires e -> b.append("duration = ").append(quote(e.spelled())).append('\n')
                    .append("expires = ").append(quote(e.until().toString())).append('\n');
            case RuleDuration.UntilExit u -> b.append("duration = \"until-exit\"\n")
                    .append("pid = ").append(u.pid()).append('\n')
                    .append("start_ticks = ").append(u.startTicks()).append('\n');
            case RuleDuration.UntilRestart r -> throw new IllegalArgumentException("until-restart rules are never written to disk");
        }
        b.append("\n[match]\n");
        for (Condition c : rule.conditions()) {
            b.append(c.kind().key()).append(" = ");
            List<String> values = c.values();
            if (values.size() == 1) {
                b.append(value(c.kind(), values.getFirst()));
            } else {
                b.append('[');
                for (int i = 0; i < values.size(); i++) {
                    b.append(i == 0 ? "" : ", ").append(value(c.kind(), values.get(i)));
                }
                b.append(']');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String value(ConditionKind kind, String v) {
        if (kind == ConditionKind.PORT && !v.isEmpty() && v.length() <= 5 && v.chars().allMatch(Character::isDigit)) {
            return v;
        }
        return quote(v);
    }

}
