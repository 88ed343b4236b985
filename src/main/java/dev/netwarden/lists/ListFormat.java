package dev.netwarden.lists;

import java.util.Locale;

/**
 * The list formats netwarden reads, and detection of which one a file is in.
 *
 * <ul>
 *   <li>{@link #HOSTS}: {@code 0.0.0.0 ads.example.com [more names]} (any address; {@code localhost}
 *       and similar names are skipped);
 *   <li>{@link #DOMAINS}: one domain per line ({@code *.} or a leading dot is dropped: an entry covers
 *       its subdomains anyway);
 *   <li>{@link #ADBLOCK}: {@code ||domain^} rules, optionally with {@code $third-party} and similar
 *       options that do not narrow the rule below the whole domain; every other rule is skipped;
 *   <li>{@link #ADDRESSES}: one IPv4/IPv6 address or CIDR network per line ({@code #} and {@code ;}
 *       comments).
 * </ul>
 */
public enum ListFormat {
    HOSTS, DOMAINS, ADBLOCK, ADDRESSES;

    /** How many non-comment lines detection reads. */
    static final int DETECTION_LINES = 500;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code text} (case-insensitive); throws IllegalArgumentException listing the names. */
    public static ListFormat fromLabel(String text) {
        for (ListFormat f : values()) {
            if (f.label().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown list format '" + text + "' (hosts, domains, adblock, addresses)");
    }

    /**
     * Guesses the format from the first {@link #DETECTION_LINES} lines that are not blank or
     * {@code #} comments: each line votes for the format it looks like, the most votes win, ties go to
     * the more specific format (adblock, hosts, addresses, domains). An empty file is a domain list.
     */
    public static ListFormat detect(byte[] data) {
        int[] votes = new int[values().length];
        LineScanner line = new LineScanner(data);
        int seen = 0;
        while (seen < DETECTION_LINES && line.nextLine()) {
            if (line.isEmpty() || line.first() == '#') {
                continue;
            }
            ListFormat vote = vote(line);
            if (vote != null) {
                seen++;
                votes[vote.ordinal()]++;
            }
        }
        ListFormat best = DOMAINS;
        for (ListFormat f : new ListFormat[] {ADBLOCK, HOSTS, ADDRESSES, DOMAINS}) {
            if (votes[f.ordinal()] > votes[best.ordinal()]) {
                best = f;
            }
        }
        return best;
    }

    /** The format {@code line} looks like, or null for a comment. */
    private static ListFormat vote(LineScanner line) {
        if (line.first() == '!' || line.first() == '[' || line.startsWith("||") || line.startsWith("@@")
                || AdblockParser.isCosmetic(line)) {
            return ADBLOCK;
        }
        line.cutComment('#');
        line.cutComment(';');
        int s = line.nextField();
        if (s < 0) {
            return null;
        }
        int e = line.fieldEnd();
        boolean more = line.nextField() >= 0;
        String first = line.text(s, e);
        boolean address;
        try {
            IpNetwork.parse(first);
            address = true;
        } catch (IllegalArgumentException notAnAddress) {
            address = false;
        }
        if (address && more && first.indexOf('/') < 0) {
            return HOSTS;
        }
        return address ? ADDRESSES : DOMAINS;
    }
}
