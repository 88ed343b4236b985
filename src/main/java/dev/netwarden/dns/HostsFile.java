package dev.netwarden.dns;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names /etc/hosts gives addresses: for each address, the first name of the first line that
 * lists it (the canonical name, as gethostbyaddr answers). Pure: text in, a lookup table out.
 *
 * <p>A line is an address, whitespace, names; '#' starts a comment. A line whose address does not
 * parse (IPv4 must be a dotted quad; an IPv6 zone must be a number or an interface the JDK finds) or that has no valid name is
 * skipped and counted; a name with characters outside letters, digits, '.', '-', '_' is skipped
 * and counted too, since it would be printed to terminals. At most {@value #MAX_ADDRESSES} distinct
 * addresses are kept (block lists map many names to one address, which costs nothing).
 */
public final class HostsFile {
    public static final int MAX_ADDRESSES = 65_536;
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,252})");

    private final Map<InetAddress, String> names;
    private final int skippedLines;
    private final int skippedNames;

    private HostsFile(Map<InetAddress, String> names, int skippedLines, int skippedNames) {
        this.names = names;
        this.skippedLines = skippedLines;
        this.skippedNames = skippedNames;
    }

    /** An empty table (no file). */
    public static HostsFile empty() {
        return new HostsFile(Map.of(), 0, 0);
    }

    public static HostsFile parse(String text) {
        Objects.requireNonNull(text, "text is null");
        Map<InetAddress, String> names = new HashMap<>();
        int skippedLines = 0;
        int skippedNames = 0;
        for (String raw : (Iterable<String>) text.lines()::iterator) {
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("[ \\t]+");
            InetAddress address = address(fields[0]);
            String first = null;
            for (int i = 1; i < fields.length; i++) {
                if (NAME.matcher(fields[i]).matches()) {
                    if (first == null) {
                        first = fields[i].toLowerCase(Locale.ROOT);
                    }
                } else {
                    skippedNames++;
                }
            }
            if (address == null || first == null) {
                skippedLines++;
                continue;
            }
            if (names.size() < MAX_ADDRESSES || names.containsKey(address)) {
                names.putIfAbsent(address, first);
            }
        }
        return new HostsFile(Map.copyOf(names), skippedLines, skippedNames);
    }

    private static InetAddress address(String field) {
        if (field.indexOf(':') < 0 && !DOTTED_QUAD.matcher(field).matches()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(field);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The canonical name of {@code address}, or null. */
    public String nameFor(InetAddress address) {
        return names.get(address);
    }

    /** Number of distinct addresses named. */
    public int size() {
        return names.size();
    }

    public int skippedLines() {
        return skippedLines;
    }

    public int skippedNames() {
        return skippedNames;
    }
}
