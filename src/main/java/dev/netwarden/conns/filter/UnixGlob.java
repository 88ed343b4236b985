package dev.netwarden.conns.filter;

import java.util.Arrays;
import java.util.Objects;

/**
 * A case-insensitive shell glob over UNIX socket names, as ss matches them with {@code fnmatch(3)}:
 * {@code *} (any run, including '/'), {@code ?} (one character), {@code [abc]}, {@code [a-z]},
 * {@code [!x]} / {@code [^x]}, and {@code \} to quote the next character. An unclosed {@code [} is a
 * literal. Matching backtracks only to the last {@code *}, so it is O(pattern × name) at worst and cannot
 * hang on hostile patterns.
 */
public final class UnixGlob {

    private static final int LITERAL = 0;
    private static final int ANY_ONE = 1;
    private static final int STAR = 2;
    private static final int CLASS = 3;

    private final String pattern;
    private final int[] kinds;
    private final char[] chars;
    private final CharClass[] classes;

    private UnixGlob(String pattern, int[] kinds, char[] chars, CharClass[] classes) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.chars = chars;
        this.classes = classes;
    }

    public static UnixGlob compile(String pattern) {
        Objects.requireNonNull(pattern, "pattern is null");
        int n = pattern.length();
        int[] kinds = new int[n];
        char[] chars = new char[n];
        CharClass[] classes = new CharClass[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (count > 0 && kinds[count - 1] == STAR) {
                    continue; // "**" is "*"
                }
                kinds[count++] = STAR;
            } else if (c == '?') {
                kinds[count++] = ANY_ONE;
            } else if (c == '\\' && i + 1 < n) {
                kinds[count] = LITERAL;
                chars[count++] = fold(pattern.charAt(++i));
            } else if (c == '[') {
                int close = findClassEnd(pattern, i);
                if (close < 0) {
                    kinds[count] = LITERAL;
                    chars[count++] = '[';
                } else {
                    kinds[count] = CLASS;
                    classes[count++] = CharClass.parse(pattern, i + 1, close);
                    i = close;
                }
            } else {
                kinds[count] = LITERAL;
                chars[count++] = fold(c);
            }
        }
        return new UnixGlob(pattern, Arrays.copyOf(kinds, count), Arrays.copyOf(chars, count),
                Arrays.copyOf(classes, count));
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String name) {
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = 0;
        int n = name.length();
        int m = kinds.length;
        while (s < n) {
            if (p < m && kinds[p] == STAR) {
                starP = p++;
                starS = s;
            } else if (p < m && matchesOne(p, name.charAt(s))) {
                p++;
                s++;
            } else if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < m && kinds[p] == STAR) {
            p++;
        }
        return p == m;
    }

    private boolean matchesOne(int p, char c) {
        return switch (kinds[p]) {
            case LITERAL -> chars[p] == fold(c);
            case ANY_ONE -> true;
            case CLASS -> classes[p].contains(c);
            default -> false;
        };
    }

    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1. A ']' right after '[' or '[!' is literal. */
    private static int findClassEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        for (; i < p.length(); i++) {
            if (p.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixGlob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private record CharClass(boolean negated, char[] from, char[] to) {
        static CharClass parse(String p, int start, int end) {
            boolean negated = false;
            int i = start;
            if (i < end && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
                negated = true;
                i++;
            }
            char[] from = new char[end - i];
            char[] to = new char[end - i];
            int count = 0;
            while (i < end) {
                char lo = fold(p.charAt(i));
                char hi = lo;
                if (i + 2 < end && p.charAt(i + 1) == '-') {
                    hi = fold(p.charAt(i + 2));
                    i += 3;
                } else {
                    i++;
                }
                from[count] = lo;
                to[count++] = hi;
            }
            return new CharClass(negated, Arrays.copyOf(from, count), Arrays.copyOf(to, count));
        }

        boolean contains(char c) {
            char f = fold(c);
            boolean in = false;
            for (int i = 0; i < from.length && !in; i++) {
                in = f >= from[i] && f <= to[i];
            }
            return in != negated;
        }
    }
}
