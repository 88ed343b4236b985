package dev.netwarden.conns.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the command line's filter arguments into tokens. The shell hands us either one token per
 * argument ({@code state established dport = :443}) or a quoted expression in one argument
 * ({@code '( dport = :ssh or sport = :ssh )'}), or a mix; {@code ss} accepts all of them, so we split every
 * argument on blanks. Parentheses glued to a word ({@code (dport}, {@code :ssh)}) are split off too.
 * A closing parenthesis stays part of a word that opens one itself ({@code /tmp/a(1)}), so UNIX paths
 * with balanced parentheses survive.
 */
public final class FilterTokens {

    private FilterTokens() {
    }

    public static List<String> split(List<String> args) {
        Objects.requireNonNull(args, "args is null");
        List<String> tokens = new ArrayList<>();
        for (String arg : args) {
            if (arg != null) {
                splitInto(arg, tokens);
            }
        }
        return tokens;
    }

    public static List<String> split(String filter) {
        Objects.requireNonNull(filter, "filter is null");
        List<String> tokens = new ArrayList<>();
        splitInto(filter, tokens);
        return tokens;
    }

    private static void splitInto(String arg, List<String> out) {
        int n = arg.length();
        int i = 0;
        while (i < n) {
            while (i < n && isBlank(arg.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(arg.charAt(i))) {
                i++;
            }
            if (i > start) {
                addWord(arg.substring(start, i), out);
            }
        }
    }

    private static void addWord(String word, List<String> out) {
        int start = 0;
        int end = word.length();
        while (start < end && word.charAt(start) == '(') {
            out.add("(");
            start++;
        }
        int opens = 0;
        int closes = 0;
        for (int i = start; i < end; i++) {
            char c = word.charAt(i);
            if (c == '(') {
                opens++;
            } else if (c == ')') {
                closes++;
            }
        }
        int trailing = 0;
        while (end > start && word.charAt(end - 1) == ')' && closes > opens) {
            end--;
            closes--;
            trailing++;
        }
        if (end > start) {
            out.add(word.substring(start, end));
        }
        for (int i = 0; i < trailing; i++) {
            out.add(")");
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
