package dev.netwarden.rules;

import dev.netwarden.firewall.Action;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule: what it matches (every condition must match; a rule without conditions matches every
 * connection), what it does, how long it lives, and where it ranks.
 *
 * @param id          the rule's name: its file name without ".toml"; letters, digits, '.', '_', '-'
 * @param description free text for people
 * @param enabled     a disabled rule is kept but never matches
 * @param priority    higher is asked first (default 0); see {@link RuleOrder}
 * @param conditions  at most one condition per kind, in {@link ConditionKind} order
 */
public record Rule(String id, String description, boolean enabled, dev.netwarden.firewall.Action action, int priority,
                   RuleDuration duration, List<Condition> conditions) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public Rule {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(description, "description is null");
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(duration, "duration is null");
        Objects.requireNonNull(conditions, "conditions is null");
        if (!validId(id)) {
            throw new IllegalArgumentException("rule id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }
        List<Condition> sorted = new ArrayList<>(conditions);
        sorted.sort(Comparator.comparing(Condition::kind));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).kind() == sorted.get(i - 1).kind()) {
                throw new IllegalArgumentException("condition " + sorted.get(i).kind().key() + " given twice");
            }
        }
        conditions = List.copyOf(sorted);
    }

    /**
     * An id made from the action and the first value of each condition ({@code deny-curl-a.example}),
     * for rules added without one; valid as long as the first character is.
     */
    public static String defaultId(Action a, List<Condition> list) {
        StringBuilder b = new StringBuilder(a.label());
        for (Condition c : list) {
            String v = c.values().getFirst();
            if (c.kind() == ConditionKind.EXE || c.kind() == ConditionKind.PARENT_EXE) {
                v = v.substring(v.lastIndexOf('/') + 1);
            }
            b.append('-').append(v.replaceAll("[^A-Za-z0-9._]+", "_"));
            if (b.length() > 80) {
                break;
            }
        }
        return b.length() > 100 ? b.substring(0, 100) : b.toString();
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The condition of this kind, or null. */
    public Condition condition(ConditionKind kind) {
        for (Condition c : conditions) {
            if (c.kind() == kind) {
                return c;
            }
        }
        return null;
    }

    public Rule withEnabled(boolean on) {
        return new Rule(id, description, on, action, priority, duration, conditions);
    }

    public Rule withId(String newId) {
        return new Rule(newId, description, enabled, action, priority, duration, conditions);
    }

    /** True when the action stops the connection (deny or reject). */
    public boolean blocks() {
        return action != Action.ALLOW;
    }
}
