package dev.netwarden.web;

import dev.netwarden.lists.IpNetwork;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search of {@code GET /api/connections?q=}: words and {@code field:value} terms, all of which a
 * connection must match (as Sniffnet's Inspect filters combine). A plain word keeps connections with
 * it anywhere in their text (case-insensitive substring, as before); a field term asks one thing:
 * {@code proto:tcp port:443 port:8000-8100 state:estab app:curl user:root dir:outbound ip:6
 * host:example.com addr:10.0.0.0/8 service:https pid:1234}. Double quotes make one word of text with
 * spaces or a colon ({@code "localhost:8080"}, {@code app:"my app"}).
 *
 * <p>Why terms in {@code q} and not one parameter each: the page's selects, a typed search and a
 * bookmarked API call are the same string, and a term can repeat (two port ranges). A term the
 * server cannot read (an unknown field, {@code port:https}, {@code ip:5}) is a 400 that names the
 * fields, never a silently empty table.
 */
final class ConnectionFilter {
    /** The field names, in the order the error message lists them. */
    static final List<String> FIELDS = List.of("proto", "port", "state", "app", "user", "dir", "ip", "host", "addr",
            "service", "pid");
    private static final Pattern FIELD_TERM = Pattern.compile("([A-Za-z]+):(.*)", Pattern.DOTALL);
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp", "raw");
    private static final Map<String, String> DIRECTIONS = Map.of("outbound", "outbound", "out", "outbound",
            "inbound", "inbound", "in", "inbound", "listen", "listen", "unknown", "unknown");
    private static final Map<String, String> FAMILIES = Map.of("4", "ipv4", "ipv4", "ipv4", "6", "ipv6", "ipv6", "ipv6");
    private static final String[] TEXT_FIELDS = {"transport", "family", "direction", "state", "domain", "service", "comm",
            "exe", "user", "cmdline", "unknownReason", "level"};
    /** Longest accepted search; a longer one is a 400 (it is a query, not a document). */
    static final int MAX_LENGTH = 2000;

    private final List<Predicate<ObjectNode>> terms;

    private ConnectionFilter(List<Predicate<ObjectNode>> terms) {
        this.terms = List.copyOf(terms);
    }

    /** The filter {@code q} says; {@code null} or blank: everything matches. Throws a 400 {@link ApiError}. */
    static ConnectionFilter parse(String q) {
        List<Predicate<ObjectNode>> terms = new ArrayList<>();
        if (q != null) {
            if (q.length() > MAX_LENGTH) {
                throw ApiError.badRequest("q: at most " + MAX_LENGTH + " characters");
            }
            for (Token t : tokens(q)) {
                terms.add(t.quoted() ? word(t.text()) : term(t.text()));
            }
        }
        return new ConnectionFilter(terms);
    }

    boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Whether {@code conn} (an API connection object) matches every term. */
    boolean test(ObjectNode conn) {
        for (Predicate<ObjectNode> t : terms) {
            if (!t.test(conn)) {
                return false;
            }
        }
        return true;
    }

    private record Token(String text, boolean quoted) {}

    /**
     * Splits on white space; {@code "..."} is one word (kept as text), and {@code field:"..."} keeps the
     * quoted value with its spaces. An unterminated quote is a 400.
     */
    private static List<Token> tokens(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            if (Character.isWhitespace(q.charAt(i))) {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder();
            boolean quotedWord = q.charAt(i) == '"';
            boolean inQuote = false;
            while (i < n && (inQuote || !Character.isWhitespace(q.charAt(i)))) {
                char c = q.charAt(i++);
                if (c == '"') {
                    inQuote = !inQuote;
                } else {
                    b.append(c);
                }
            }
            if (inQuote) {
                throw ApiError.badRequest("q: a quote (\") is not closed");
            }
            out.add(new Token(b.toString(), quotedWord));
        }
        return out;
    }

    private static Predicate<ObjectNode> term(String token) {
        Matcher m = FIELD_TERM.matcher(token);
        if (!m.matches()) {
            return word(token);
        }
        String field = m.group(1).toLowerCase(Locale.ROOT);
        String value = m.group(2).strip();
        if (!FIELDS.contains(field)) {
            throw ApiError.badRequest("q: unknown field '" + m.group(1) + ":'; the fields are " + String.join(", ", FIELDS)
                    + " (put text with a colon in double quotes to search for it as it is)");
        }
        if (value.isEmpty()) {
            throw ApiError.badRequest("q: " + field + ": needs a value, e.g. " + example(field));
        }
        String v = value.toLowerCase(Locale.ROOT);
        return switch (field) {
            case "proto" -> {
                if (!PROTOCOLS.contains(v)) {
                    throw bad(field, value, "one of " + String.join(", ", PROTOCOLS));
                }
                yield c -> v.equals(text(c, "transport"));
            }
            case "port" -> {
                int[] range = portRange(value);
                yield c -> inRange(c.get("local"), range) || inRange(c.get("remote"), range);
            }
            case "state" -> c -> {
                String s = text(c, "state");
                return s != null && s.startsWith(v);
            };
            case "app" -> c -> contains(text(c, "comm"), v) || contains(text(c, "exe"), v);
            case "user" -> {
                boolean uid = v.chars().allMatch(Character::isDigit);
                yield c -> uid ? c.path("uid").isNumber() && c.get("uid").asString().equals(v) : v.equals(text(c, "user"));
            }
            case "dir" -> {
                String d = DIRECTIONS.get(v);
                if (d == null) {
                    throw bad(field, value, "outbound (out), inbound (in), listen or unknown");
                }
                yield c -> d.equals(text(c, "direction"));
            }
            case "ip" -> {
                String family = FAMILIES.get(v);
                if (family == null) {
                    throw bad(field, value, "4 or 6");
                }
                yield c -> family.equals(text(c, "family"));
            }
            case "host" -> {
                String name = v.startsWith("*.") ? v.substring(2) : v.startsWith(".") ? v.substring(1) : v;
                if (name.isEmpty() || name.endsWith(".") && name.length() == 1) {
                    throw bad(field, value, "a domain name such as example.com");
                }
                String dotted = "." + name;
                yield c -> {
                    String d = text(c, "domain");
                    return d != null && (d.equals(name) || d.endsWith(dotted));
                };
            }
            case "addr" -> {
                IpNetwork net;
                try {
                    net = IpNetwork.parse(value);
                } catch (IllegalArgumentException e) {
                    throw bad(field, value, "an IP address or network such as 10.0.0.7, 10.0.0.0/8 or 2001:db8::/32");
                }
                yield c -> inNetwork(c.get("local"), net) || inNetwork(c.get("remote"), net);
            }
            case "service" -> c -> v.equals(text(c, "service"));
            case "pid" -> {
                if (!v.matches("[0-9]{1,10}")) {
                    throw bad(field, value, "a process id");
                }
                yield c -> c.path("pid").isNumber() && c.get("pid").asString().equals(v);
            }
            default -> throw new IllegalStateException(field);
        };
    }

    private static String example(String field) {
        return switch (field) {
            case "proto" -> "proto:tcp";
            case "port" -> "port:443 or port:8000-8100";
            case "state" -> "state:estab";
            case "app" -> "app:curl";
            case "user" -> "user:root or user:1000";
            case "dir" -> "dir:outbound";
            case "ip" -> "ip:6";
            case "host" -> "host:example.com";
            case "addr" -> "addr:10.0.0.0/8";
            case "service" -> "service:https";
            default -> "pid:1234";
        };
    }

    private static ApiError bad(String field, String value, String expected) {
        return ApiError.badRequest("q: " + field + ":" + value + " — " + field + " must be " + expected);
    }

    private static int[] portRange(String value) {
        Matcher m = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?").matcher(value);
        if (!m.matches()) {
            throw bad("port", value, "a port number or a range such as 443 or 8000-8100");
        }
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
        if (hi > 65535 || lo > hi) {
            throw bad("port", value, "0..65535, the lower end first");
        }
        return new int[] {lo, hi};
    }

    private static boolean inRange(JsonNode endpoint, int[] range) {
        if (endpoint == null || !endpoint.path("port").isNumber()) {
            return false;
        }
        int p = endpoint.get("port").asInt();
        return p >= range[0] && p <= range[1];
    }

    private static boolean inNetwork(JsonNode endpoint, IpNetwork net) {
        if (endpoint == null || !endpoint.path("address").isString()) {
            return false;
        }
        try {
            return net.contains(InetAddress.ofLiteral(endpoint.get("address").asString()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A field as lower-case text, null when absent or not text. */
    private static String text(ObjectNode c, String field) {
        JsonNode n = c.get(field);
        return n != null && n.isString() ? n.asString().toLowerCase(Locale.ROOT) : null;
    }

    private static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.contains(needle);
    }

    /** A plain word: anywhere in the connection's text, ignoring case. */
    private static Predicate<ObjectNode> word(String word) {
        String needle = Objects.requireNonNull(word, "word is null").toLowerCase(Locale.ROOT);
        return c -> matchesText(c, needle);
    }

    /** Whether any text field of {@code conn} contains {@code needle} (lower-case), ignoring case. */
    static boolean matchesText(ObjectNode conn, String needle) {
        for (String field : TEXT_FIELDS) {
            JsonNode n = conn.get(field);
            if (n != null && n.isString() && n.asString().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        for (String field : new String[] {"pid", "uid", "id"}) {
            JsonNode n = conn.get(field);
            if (n != null && n.isNumber() && n.asString().contains(needle)) {
                return true;
            }
        }
        for (String side : new String[] {"local", "remote"}) {
            JsonNode ep = conn.get(side);
            String text = ep.get("address").asString() + ":" + ep.get("port").asInt();
            if (text.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
