package dev.netwarden.rules;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression from a rule, compiled once, whose matching cost is bounded. java.util.regex
 * backtracks, so a pattern like {@code (a+)+b} takes exponential time on a crafted command line or
 * host name — and a program chooses its own command line. Two guards, both deterministic (no timer):
 * the input is cut to {@link #MAX_INPUT} characters, and the input is read through a
 * {@link CharSequence} that counts character reads and gives up after {@link #MAX_STEPS} of them
 * (each backtracking step re-reads input, so the count bounds the work). A match that runs out of
 * budget counts as "no match", which is the safe answer for both allow and deny rules only in the
 * sense that it is predictable; {@link #exhausted()} counts it so status can show it.
 *
 * <p>Why not RE2/a DFA engine: it would be a new dependency; the step budget keeps the full Java
 * syntax users know and costs one small object per match.
 */
public final class BoundedRegex {
    /** Longest input looked at; command lines are cut there (hosts are at most 253 characters anyway). */
    public static final int MAX_INPUT = 4096;
    /** Most character reads one match may make: about 100 µs of work. */
    public static final int MAX_STEPS = 200_000;

    private final String source;
    private final Pattern pattern;
    private final java.util.concurrent.atomic.LongAdder exhausted = new java.util.concurrent.atomic.LongAdder();

    private BoundedRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException with the syntax error when {@code source} does not compile
     */
    public static BoundedRegex compile(String source, boolean caseInsensitive) {
        Objects.requireNonNull(source, "source is null");
        if (source.isEmpty()) {
            throw new IllegalArgumentException("empty regular expression");
        }
        if (source.length() > 1024) {
            throw new IllegalArgumentException("regular expression longer than 1024 characters");
        }
        try {
            return new BoundedRegex(source, Pattern.compile(source, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("regular expression too deeply nested");
        }
    }

    public String source() {
        return source;
    }

    /** True when the pattern is found somewhere in {@code text} (unanchored, like grep: use ^ and $ to anchor). */
    public boolean find(String text) {
        if (text == null) {
            return false;
        }
        CharSequence input = text.length() > MAX_INPUT ? text.substring(0, MAX_INPUT) : text;
        StepBudget budget = new StepBudget(input);
        Matcher m = pattern.matcher(budget);
        try {
            return m.find();
        } catch (BudgetExhausted | StackOverflowError e) {
            exhausted.increment();
            return false;
        }
    }

    /** How many matches gave up because they ran out of steps. */
    public long exhausted() {
        return exhausted.sum();
    }

    @Override
    public String toString() {
        return source;
    }

    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super("regular expression step budget exhausted", null, false, false);
        }
    }

    /** Counts reads; Matcher reads the input only through charAt/length/subSequence/toString. */
    private static final class StepBudget implements CharSequence {
        private final CharSequence text;
        private int steps;

        StepBudget(CharSequence text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++steps > MAX_STEPS) {
                throw new BudgetExhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
