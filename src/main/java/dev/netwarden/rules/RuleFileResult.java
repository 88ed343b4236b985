package dev.netwarden.rules;

import java.util.List;
import java.util.Objects;

/** What parsing one rule file gave: a rule, or the list of everything wrong with it. */
public sealed interface RuleFileResult {
    record Parsed(Rule rule) implements RuleFileResult {
        public Parsed {
            Objects.requireNonNull(rule, "rule is null");
        }
    }

    record Invalid(List<RuleFileError> errors) implements RuleFileResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid file needs at least one error");
            }
        }
    }
}
