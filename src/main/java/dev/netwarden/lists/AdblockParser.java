package dev.netwarden.lists;

import java.util.Locale;
import java.util.Set;

/**
 * Adblock-style lists (Adblock Plus, uBlock Origin, AdGuard syntax): takes the rules that block a
 * whole domain, {@code ||example.com^}, also with options that do not narrow it
 * ({@code $third-party}, {@code $important}, {@code $all}, …). A firewall sees connections, not URLs
 * or page elements, so every other rule is skipped and counted: exceptions ({@code @@}), cosmetic
 * rules ({@code ##}, {@code #@#}, {@code #?#}, {@code #$#}), regular expressions ({@code /…/}), rules
 * for part of a site ({@code ||example.com/ads/}), wildcards, rules whose options narrow them (resource
 * types, {@code $domain=}, {@code $badfilter}, …) and plain URL patterns. {@code !} and {@code [}
 * lines are comments and headers.
 */
final class AdblockParser {
    /** Options that leave a {@code ||domain^} rule blocking the whole domain for every program. */
    static final Set<String> WHOLE_DOMAIN_OPTIONS = Set.of("third-party", "3p", "~third-party", "first-party", "1p",
            "~first-party", "important", "all", "document", "doc", "popup");

    private AdblockParser() {
    }

    static void parse(LineScanner line, ListSink sink, ReportBuilder report) {
        byte[] name = new byte[DomainNames.MAX_LENGTH];
        while (line.nextLine()) {
            report.line();
            if (line.isEmpty() || line.first() == '!' || line.first() == '[' || line.first() == '#' && !isCosmetic(line)) {
                continue;
            }
            if (line.startsWith("@@")) {
                report.skip(line, "exception rule");
            } else if (isCosmetic(line)) {
                report.skip(line, "cosmetic rule");
            } else if (line.first() == '/' && line.end() - line.start() > 1) {
                report.skip(line, "regular expression rule");
            } else if (!line.startsWith("||")) {
                report.skip(line, "not a ||domain^ rule");
            } else {
                domainRule(line, sink, report, name);
            }
        }
    }

    private static void domainRule(LineScanner line, ListSink sink, ReportBuilder report, byte[] name) {
        byte[] d = line.data();
        int s = line.start() + 2;
        int e = s;
        int end = line.end();
        while (e < end && d[e] != '^' && d[e] != '$' && d[e] != '/' && d[e] != '|' && d[e] != '*' && d[e] != ':') {
            e++;
        }
        int rest = e;
        if (rest < end && d[rest] == '^') {
            rest++;
            if (rest < end && d[rest] == '|') {
                rest++;
            }
        }
        if (rest < end && d[rest] != '$') {
            report.skip(line, d[e] == '*' ? "wildcard rule" : "rule for part of a site, not a whole domain");
            return;
        }
        if (rest < end) {
            String narrowing = narrowingOption(line.text(rest + 1, end));
            if (narrowing != null) {
                report.skip(line, "option $" + narrowing + " narrows the rule below the whole domain");
                return;
            }
        }
        int n = DomainNames.normalise(d, s, e - s, name);
        if (n < 0) {
            report.bad(line, DomainNames.reason(n));
        } else {
            report.domain();
            sink.domain(name, n);
        }
    }

    /** The first option that is not in {@link #WHOLE_DOMAIN_OPTIONS}, or null. */
    private static String narrowingOption(String options) {
        for (String option : options.split(",", -1)) {
            String o = option.strip().toLowerCase(Locale.ROOT);
            if (!WHOLE_DOMAIN_OPTIONS.contains(o)) {
                return o.isEmpty() ? "(empty)" : o;
            }
        }
        return null;
    }

    /** True for element hiding and scriptlet rules: {@code ##}, {@code #@#}, {@code #?#}, {@code #$#}, {@code #%#}. */
    static boolean isCosmetic(LineScanner line) {
        byte[] d = line.data();
        for (int i = line.start(); i + 1 < line.end(); i++) {
            if (d[i] == '#') {
                byte c = d[i + 1];
                if (c == '#') {
                    return true;
                }
                if ((c == '@' || c == '?' || c == '$' || c == '%') && i + 2 < line.end() && d[i + 2] == '#') {
                    return true;
                }
            }
        }
        return false;
    }
}
