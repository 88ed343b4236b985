package dev.netwarden.rules;

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

    /** {@code s} as a TOML basic string: quotes, backslashes and every control or format character escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || Character.getType(c) == Character.FORMAT
                            || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
