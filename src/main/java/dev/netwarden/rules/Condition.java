package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One condition of a rule: a kind and one or more values, any of which may match (OR). A rule's
 * conditions must all match (AND). Values are compiled once, when the condition is made.
 */
public final class Condition {
    private final ConditionKind kind;
    private final List<String> values;
    private final ValueTest[] tests;

    private Condition(ConditionKind kind, List<String> values, ValueTest[] tests) {
        this.kind = kind;
        this.values = values;
        this.tests = tests;
    }

    /**
     * @throws IllegalArgumentException naming the bad value when one does not compile
     */
    public static Condition of(ConditionKind kind, List<String> values) {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(values, "values is null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("needs at least one value");
        }
        List<String> copy = List.copyOf(values);
        ValueTest[] tests = new ValueTest[copy.size()];
        for (int i = 0; i < tests.length; i++) {
            tests[i] = kind.compile(copy.get(i));
        }
        return new Condition(kind, copy, tests);
    }

    public static Condition of(ConditionKind kind, String... values) {
        return of(kind, List.of(values));
    }

    public ConditionKind kind() {
        return kind;
    }

    /** The values as written in the rule file. */
    public List<String> values() {
        return values;
    }

    boolean matches(ConnectionFacts facts, ListMembership lists) {
        for (ValueTest t : tests) {
            if (t.test(facts, lists)) {
                return true;
            }
        }
        return false;
    }

    /** The values that match {@code facts} (for explanations and list hit counts). */
    List<String> matchingValues(ConnectionFacts facts, ListMembership lists) {
        List<String> hits = new ArrayList<>(1);
        for (int i = 0; i < tests.length; i++) {
            if (tests[i].test(facts, lists)) {
                hits.add(values.get(i));
            }
        }
        return hits;
    }

    /** "host testsite.com matched *.testsite.com" — in the words of the rule file. */
    String explain(ConnectionFacts facts, ListMembership lists) {
        List<String> hits = matchingValues(facts, lists);
        String fact = kind.fact(facts);
        String value = String.join(" | ", hits);
        return switch (kind) {
            case PROCESS, EXE, SHA256, IFACE, PROTO, DIRECTION -> kind.key() + " = " + value;
            case LIST -> kind.factName() + " " + value + " contains " + fact;
            default -> kind.factName() + " " + fact + " matched " + kind.key() + " " + value;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.kind == kind && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return kind.key() + "=" + values;
    }
}
