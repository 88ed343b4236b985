package dev.netwarden.intercept;

import java.util.ArrayList;
import java.util.List;

/**
 * The chains and rules of one table as {@code iptables-save -t TABLE} prints them: enough to find
 * netwarden's leftover chains and the rules that jump to them. A pure parser of text.
 */
record SavedRuleset(List<String> chains, List<Rule> rules) {

    /** {@code -A chain spec...}: the chain and the rest of the line as arguments. */
    record Rule(String chain, List<String> spec) {
        /** The -j/-g target, or null. */
        String target() {
            for (int i = 0; i + 1 < spec.size(); i++) {
                if (spec.get(i).equals("-j") || spec.get(i).equals("-g")) {
                    return spec.get(i + 1);
                }
            }
            return null;
        }
    }

    static SavedRuleset parse(String saved) {
        List<String> chains = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (String line : saved.split("\n")) {
            if (line.startsWith(":")) {
                int space = line.indexOf(' ');
                chains.add(space < 0 ? line.substring(1) : line.substring(1, space));
            } else if (line.startsWith("-A ")) {
                List<String> words = words(line.substring(3));
                if (!words.isEmpty()) {
                    rules.add(new Rule(words.getFirst(), List.copyOf(words.subList(1, words.size()))));
                }
            }
        }
        return new SavedRuleset(List.copyOf(chains), List.copyOf(rules));
    }

    List<String> chainsStartingWith(String prefix) {
        return chains.stream().filter(c -> c.startsWith(prefix)).toList();
    }

    List<Rule> rulesJumpingTo(String chainPrefix) {
        return rules.stream().filter(r -> r.target() != null && r.target().startsWith(chainPrefix)).toList();
    }

    /** Splits on spaces, keeping double-quoted words (iptables-save quotes comments) together. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }
}
