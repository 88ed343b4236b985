package dev.netwarden.conns.filter;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

import dev.netwarden.conns.filter.FilterExpression.And;
import dev.netwarden.conns.filter.FilterExpression.DeviceMatch;
import dev.netwarden.conns.filter.FilterExpression.HostMatch;
import dev.netwarden.conns.filter.FilterExpression.MatchAll;
import dev.netwarden.conns.filter.FilterExpression.Not;
import dev.netwarden.conns.filter.FilterExpression.Op;
import dev.netwarden.conns.filter.FilterExpression.Or;
import dev.netwarden.conns.filter.FilterExpression.PortCompare;
import dev.netwarden.conns.filter.FilterExpression.Side;
import dev.netwarden.conns.filter.FilterExpression.UnixNameMatch;
import dev.netwarden.socket.SocketEntry;

/**
 * Parses the {@code ss} filter language ({@code man ss}, FILTER):
 *
 * <pre>
 * filter    := stateSpec* expr?
 * stateSpec := ("state" | "exclude" | "excl") STATE
 * expr      := andExpr (("or" | "|" | "||") andExpr)*
 * andExpr   := unary ((("and" | "&amp;" | "&amp;&amp;"))? unary)*      -- adjacent terms are and-ed
 * unary     := ("not" | "!") unary | "(" expr ")" | condition
 * condition := ("dport" | "sport") PORTOP? PORT
 *            | ("dst" | "src") EQOP? HOST
 *            | "dev" EQOP? (NAME | INDEX)
 * PORTOP    := = == eq | != ne neq | &lt; lt | &gt; gt | &lt;= le leq | &gt;= ge geq   (default =)
 * EQOP      := = == eq | != ne neq                                                (default =)
 * PORT      := [:]NUMBER | [:]SERVICE | [:]*
 * HOST      := [inet:|inet6:](ADDR[/LEN][:PORT] | [V6ADDR][/LEN][:PORT] | *[:PORT] | :PORT)
 *            | [unix:](/path-glob | @abstract-glob)
 * </pre>
 *
 * Precedence is ss's: {@code not} binds tighter than {@code and}, which binds tighter than {@code or}.
 * State clauses come first, as in ss: the first {@code state} starts from no states, the first
 * {@code exclude} from all states. IPv4 addresses may be abbreviated ({@code 193.233.7/24}; without a
 * length, an abbreviated address covers {@code 8 × octets} bits). Host names are not resolved: the
 * filter is pure, and silently resolving DNS to filter a listing is surprising. Keywords are
 * case-insensitive.
 *
 * <p>Not supported, with a clear error: {@code fwmark}, {@code cgroup}, {@code autobound}, and the
 * {@code link}, {@code netlink} and {@code vsock} families.
 */
public final class SsFilterParser {

    private static final int MAX_DEPTH = 200;

    private final List<String> tokens;
    private final FilterEnvironment env;
    private int pos;
    private int depth;

    private SsFilterParser(List<String> tokens, FilterEnvironment env) {
        this.tokens = tokens;
        this.env = env;
    }

    /** Parses the CLI's positional arguments (each may hold several blank-separated tokens). */
    public static ParsedFilter parse(List<String> args, FilterEnvironment env) {
        Objects.requireNonNull(env, "env is null");
        return new SsFilterParser(FilterTokens.split(args), env).parseFilter();
    }

    /** Parses a filter written as one string. */
    public static ParsedFilter parse(String filter, FilterEnvironment env) {
        Objects.requireNonNull(env, "env is null");
        return new SsFilterParser(FilterTokens.split(filter), env).parseFilter();
    }

    private ParsedFilter parseFilter() {
        OptionalInt states = parseStates();
        if (atEnd()) {
            return new ParsedFilter(states, new MatchAll());
        }
        FilterExpression e = parseOr();
        if (!atEnd()) {
            String t = peek();
            if (t.equals(")")) {
                throw error("unbalanced ')' at token " + (pos + 1));
            }
            if (isStateKeyword(t)) {
                throw error("'" + t + "' at token " + (pos + 1) + " must come before the expression, as in ss");
            }
            throw error("unexpected '" + t + "' at token " + (pos + 1));
        }
        return new ParsedFilter(states, e);
    }

    private OptionalInt parseStates() {
        boolean seen = false;
        int mask = 0;
        while (!atEnd() && isStateKeyword(peek())) {
            String keyword = next();
            if (atEnd()) {
                throw error("expected a state name after '" + keyword + "' at token " + (pos + 1)
                        + " but the filter ended; valid states: " + String.join(", ", StateNames.names()));
            }
            String name = next();
            int m = StateNames.lookup(name);
            if (m == 0) {
                throw errorAt(pos - 1, "unknown state '" + name + "' at token " + pos + "; valid states: "
                        + String.join(", ", StateNames.names()));
            }
            boolean exclude = !keyword.equalsIgnoreCase("state");
            if (!seen) {
                mask = exclude ? StateNames.ALL : 0;
                seen = true;
            }
            mask = exclude ? mask & ~m : mask | m;
        }
        return seen ? OptionalInt.of(mask) : OptionalInt.empty();
    }

    private FilterExpression parseOr() {
        FilterExpression first = parseAnd();
        List<FilterExpression> terms = null;
        while (!atEnd() && isOr(peek())) {
            String op = next();
            requireOperand(op);
            if (terms == null) {
                terms = new ArrayList<>();
                terms.add(first);
            }
            terms.add(parseAnd());
        }
        return terms == null ? first : new Or(terms);
    }

    private FilterExpression parseAnd() {
        FilterExpression first = parseUnary();
        List<FilterExpression> terms = null;
        while (!atEnd()) {
            String t = peek();
            if (isAnd(t)) {
                next();
                requireOperand(t);
            } else if (isOr(t) || t.equals(")") || isStateKeyword(t)) {
                break;
            }
            if (terms == null) {
                terms = new ArrayList<>();
                terms.add(first);
            }
            terms.add(parseUnary()); // explicit or implicit "and"
        }
        return terms == null ? first : new And(terms);
    }

    private FilterExpression parseUnary() {
        if (atEnd()) {
            throw error("expected a condition at token " + (pos + 1) + " but the filter ended");
        }
        if (++depth > MAX_DEPTH) {
            throw error("filter nested deeper than " + MAX_DEPTH + " levels at token " + (pos + 1));
        }
        try {
            String t = next();
            String k = t.toLowerCase(Locale.ROOT);
            switch (k) {
                case "not", "!" -> {
                    requireOperand(t);
                    return new Not(parseUnary());
                }
                case "(" -> {
                    if (!atEnd() && peek().equals(")")) {
                        throw errorAt(pos, "empty parentheses at token " + (pos + 1));
                    }
                    int open = pos;
                    FilterExpression inner = parseOr();
                    if (atEnd()) {
                        throw error("missing ')' for the '(' at token " + open);
                    }
                    next(); // parseOr stops only at ')' or the end
                    return inner;
                }
                case "dport" -> {
                    return parsePort(Side.DESTINATION, t);
                }
                case "sport" -> {
                    return parsePort(Side.SOURCE, t);
                }
                case "dst" -> {
                    return parseHost(Side.DESTINATION, t);
                }
                case "src" -> {
                    return parseHost(Side.SOURCE, t);
                }
                case "dev" -> {
                    return parseDevice(t);
                }
                case "fwmark", "cgroup", "autobound" ->
                        throw errorAt(pos - 1, "'" + t + "' at token " + pos + " is not supported by netwarden");
                case ")" -> throw errorAt(pos - 1, "expected a condition at token " + pos + " but got ')'");
                default -> {
                    if (isOr(k) || isAnd(k)) {
                        throw errorAt(pos - 1, "expected a condition at token " + pos + " but got operator '" + t + "'");
                    }
                    throw errorAt(pos - 1, "unknown condition '" + t + "' at token " + pos
                            + "; expected dport, sport, dst, src, dev, not or '('");
                }
            }
        } finally {
            depth--;
        }
    }

    private FilterExpression parsePort(Side side, String keyword) {
        Op op = Op.EQ;
        String opText = "";
        if (!atEnd()) {
            Op parsed = portOp(peek());
            if (parsed != null) {
                opText = " " + next();
                op = parsed;
            }
        }
        String what = "a port after '" + keyword + opText + "'";
        if (atEnd()) {
            throw error("expected " + what + " at token " + (pos + 1) + " but the filter ended");
        }
        String t = next();
        String p = t.startsWith(":") ? t.substring(1) : t;
        if (p.equals("*")) {
            // Any port: true for every IP socket, whatever the operator asks.
            return new HostMatch(side, 0, null, -1, false);
        }
        int port = portValue(p);
        if (port < 0) {
            throw errorAt(pos - 1, "expected " + what + " at token " + pos + " but got '" + t + "'");
        }
        return new PortCompare(side, op, port);
    }

    private FilterExpression parseHost(Side side, String keyword) {
        boolean negated = false;
        String opText = "";
        if (!atEnd()) {
            String t = peek();
            Op op = portOp(t);
            if (op == Op.EQ || op == Op.NE) {
                negated = op == Op.NE;
                opText = " " + next();
            } else if (op != null) {
                throw errorAt(pos, "'" + t + "' at token " + (pos + 1) + " cannot compare addresses; use = or !=");
            }
        }
        String what = "an address after '" + keyword + opText + "'";
        if (atEnd()) {
            throw error("expected " + what + " at token " + (pos + 1) + " but the filter ended");
        }
        String t = next();
        String host = t;
        String family = null;
        int colon = host.indexOf(':');
        if (colon > 0) {
            String prefix = host.substring(0, colon).toLowerCase(Locale.ROOT);
            switch (prefix) {
                case "inet", "inet6", "unix" -> {
                    family = prefix;
                    host = host.substring(colon + 1);
                }
                case "link", "netlink", "vsock", "packet", "tipc", "xdp" ->
                        throw errorAt(pos - 1, "the " + prefix + " family at token " + pos + " is not supported by netwarden");
                default -> { }
            }
        }
        if ("unix".equals(family) || (family == null && (host.startsWith("/") || host.startsWith("@")))) {
            if (host.isEmpty()) {
                throw errorAt(pos - 1, "expected " + what + " at token " + pos + " but got '" + t + "'");
            }
            return new UnixNameMatch(side, UnixGlob.compile(host), negated, env.unixPathByInode());
        }
        HostMatch m = parseInetHost(host, side, negated);
        if (m == null) {
            throw errorAt(pos - 1, "expected " + what + " at token " + pos + " but got '" + t
                    + "' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved)");
        }
        if ("inet".equals(family) && m.prefix() != null && !m.prefix().isIpv4()
                || "inet6".equals(family) && m.prefix() != null && m.prefix().isIpv4()) {
            throw errorAt(pos - 1, "address '" + t + "' at token " + pos + " does not belong to family " + family);
        }
        int socketFamily = "inet".equals(family) ? SocketEntry.AF_INET
                : "inet6".equals(family) || m.prefix() != null && !m.prefix().isIpv4() ? SocketEntry.AF_INET6
                : 0;
        return new HostMatch(side, socketFamily, m.prefix(), m.port(), negated);
    }

    /** {@code ADDR[/LEN][:PORT]}, {@code [V6][/LEN][:PORT]}, bare IPv6, {@code *}, {@code :PORT}; null if invalid. */
    private HostMatch parseInetHost(String host, Side side, boolean negated) {
        String addr;
        String portText = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            String inside = host.substring(1, close);
            String rest = host.substring(close + 1);
            String len = null;
            int slashIn = inside.indexOf('/');
            if (slashIn >= 0) {
                len = inside.substring(slashIn + 1);
                inside = inside.substring(0, slashIn);
            }
            if (rest.startsWith("/")) {
                if (len != null) {
                    return null;
                }
                int c = rest.indexOf(':');
                len = c < 0 ? rest.substring(1) : rest.substring(1, c);
                rest = c < 0 ? "" : rest.substring(c);
            }
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                portText = rest.substring(1);
            }
            AddressPrefix prefix = inside.equals("*") || inside.isEmpty() && len == null ? null : ipv6Prefix(inside, len);
            if (prefix == null && !(inside.equals("*") || inside.isEmpty())) {
                return null;
            }
            return withPort(side, prefix, portText, negated);
        }
        int colons = count(host, ':');
        if (colons >= 2) {
            int slash = host.indexOf('/');
            AddressPrefix prefix = slash < 0 ? ipv6Prefix(host, null)
                    : ipv6Prefix(host.substring(0, slash), host.substring(slash + 1));
            return prefix == null ? null : new HostMatch(side, 0, prefix, -1, negated);
        }
        if (colons == 1) {
            int c = host.indexOf(':');
            addr = host.substring(0, c);
            portText = host.substring(c + 1);
        } else {
            addr = host;
        }
        AddressPrefix prefix = null;
        if (!addr.isEmpty() && !addr.equals("*")) {
            prefix = ipv4Prefix(addr);
            if (prefix == null) {
                return null;
            }
        } else if (addr.isEmpty() && portText == null) {
            return null;
        }
        return withPort(side, prefix, portText, negated);
    }

    private HostMatch withPort(Side side, AddressPrefix prefix, String portText, boolean negated) {
        int port = -1;
        if (portText != null && !portText.equals("*")) {
            port = portValue(portText);
            if (port < 0) {
                return null;
            }
        }
        return new HostMatch(side, 0, prefix, port, negated);
    }

    private FilterExpression parseDevice(String keyword) {
        boolean negated = false;
        String opText = "";
        if (!atEnd()) {
            Op op = portOp(peek());
            if (op == Op.EQ || op == Op.NE) {
                negated = op == Op.NE;
                opText = " " + next();
            } else if (op != null) {
                throw errorAt(pos, "'" + peek() + "' at token " + (pos + 1) + " cannot compare devices; use = or !=");
            }
        }
        if (atEnd()) {
            throw error("expected an interface name or index after '" + keyword + opText + "' at token "
                    + (pos + 1) + " but the filter ended");
        }
        String t = next();
        int index = decimal(t, Integer.MAX_VALUE);
        if (index < 0) {
            index = env.interfaceIndex().applyAsInt(t);
            if (index <= 0) {
                throw errorAt(pos - 1, "unknown interface '" + t + "' at token " + pos);
            }
        }
        return new DeviceMatch(index, negated);
    }

    /** A port number or service name; -1 when neither. */
    private int portValue(String p) {
        if (p.isEmpty()) {
            return -1;
        }
        int n = decimal(p, 65535);
        if (n >= 0) {
            return n;
        }
        if (Character.isDigit(p.charAt(0))) {
            return -1; // "99999" or "12ab": not a number in range, and not a name either
        }
        return env.services().port(p);
    }

    private static int decimal(String s, int max) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? (int) v : -1;
    }

    private static AddressPrefix ipv4Prefix(String text) {
        int slash = text.indexOf('/');
        String a = slash < 0 ? text : text.substring(0, slash);
        String[] parts = a.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < parts.length; i++) {
            int v = decimal(parts[i], 255);
            if (v < 0 || parts[i].length() > 3) {
                return null;
            }
            b[i] = (byte) v;
        }
        int bits = parts.length * 8;
        if (slash >= 0) {
            bits = decimal(text.substring(slash + 1), 32);
            if (bits < 0) {
                return null;
            }
        } else if (parts.length == 1) {
            return null; // a bare number is more likely a typo than "10/8"
        }
        return new AddressPrefix(b, bits);
    }

    private static AddressPrefix ipv6Prefix(String text, String len) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null; // also rules out zone ids and anything a resolver would look up
            }
        }
        byte[] b;
        try {
            b = Inet6Address.ofLiteral(text).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (b.length == 4) { // ofLiteral gives an Inet4Address for ::ffff:a.b.c.d; keep it IPv6-mapped
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            b = mapped;
        }
        int bits = 128;
        if (len != null) {
            bits = decimal(len, 128);
            if (bits < 0) {
                return null;
            }
        }
        return new AddressPrefix(b, bits);
    }

    private static Op portOp(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "=", "==", "eq" -> Op.EQ;
            case "!=", "ne", "neq" -> Op.NE;
            case "<", "lt" -> Op.LT;
            case ">", "gt" -> Op.GT;
            case "<=", "le", "leq" -> Op.LE;
            case ">=", "ge", "geq" -> Op.GE;
            default -> null;
        };
    }

    private void requireOperand(String op) {
        if (atEnd()) {
            throw error("expected a condition after '" + op + "' at token " + (pos + 1) + " but the filter ended");
        }
    }

    private static boolean isOr(String t) {
        return t.equals("|") || t.equals("||") || t.equalsIgnoreCase("or");
    }

    private static boolean isAnd(String t) {
        return t.equals("&") || t.equals("&&") || t.equalsIgnoreCase("and");
    }

    private static boolean isStateKeyword(String t) {
        return t.equalsIgnoreCase("state") || t.equalsIgnoreCase("exclude") || t.equalsIgnoreCase("excl");
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private boolean atEnd() {
        return pos >= tokens.size();
    }

    private String peek() {
        return tokens.get(pos);
    }

    private String next() {
        return tokens.get(pos++);
    }

    /** An error at the current position (the next unread token, or one past the end). */
    private FilterSyntaxException error(String message) {
        return new FilterSyntaxException(message, pos + 1, atEnd() ? null : peek());
    }

    /** An error about the token at 0-based index {@code index}. */
    private FilterSyntaxException errorAt(int index, String message) {
        return new FilterSyntaxException(message, index + 1, index < tokens.size() ? tokens.get(index) : null);
    }
}
