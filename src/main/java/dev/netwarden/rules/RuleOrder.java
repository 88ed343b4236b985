package dev.netwarden.rules;

import java.util.Comparator;

/**
 * The precedence, in full: rules are asked in this order and the first enabled, live rule whose
 * conditions all match decides. (1) higher {@code priority} first (default 0); (2) at equal priority,
 * deny and reject rules before allow rules; (3) then by id, alphabetically (byte order). So
 * {@code netwarden rules list} shows exactly the order of evaluation, and a conflict between an allow
 * and a deny rule of the same priority is decided for the deny rule — an allow exception must say
 * so with a higher priority. Why not "most specific first": specificity between, say, an exe rule and
 * a host rule has no obvious order, so the user could not predict it from the list.
 */
public final class RuleOrder {
    /** Evaluation order; consistent with equals on the id (ids are unique in a set). */
    public static final Comparator<Rule> EVALUATION = Comparator.comparingInt((Rule r) -> -r.priority())
            .thenComparing(r -> r.blocks() ? 0 : 1)
            .thenComparing(Rule::id);

    private RuleOrder() {
    }
}
