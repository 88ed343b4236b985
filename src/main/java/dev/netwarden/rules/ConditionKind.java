package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a rule can match on. The key is the name in the rule file's {@code [match]} table (and, with
 * "_" as "-", the {@code rules add} flag). Conditions on the process never match a connection whose
 * process is unknown.
 */
public enum ConditionKind {
    /** The kernel's process name (comm, at most 15 characters), exact. */
    PROCESS("process", "comm") {
        @Override
        ValueTest compile(String v) {
            return (f, l) -> f.process() != null && v.equals(f.process().info().comm());
        }
    },
    /** The executable's full path, exact. */
    EXE("exe", "exe path") {
        @Override
        ValueTest compile(String v) {
            requireAbsolute(v);
            return (f, l) -> f.process() != null && v.equals(f.process().info().exe());
        }
    },
    /** A regular expression found in the executable's path. */
    EXE_REGEX("exe_regex", "exe path") {
        @Override
        ValueTest compile(String v) {
            BoundedRegex r = BoundedRegex.compile(v, false);
            return (f, l) -> f.process() != null && r.find(f.process().info().exe());
        }
    },
    /** A regular expression found in the command line (arguments joined by single spaces). */
    CMDLINE_REGEX("cmdline_regex", "command line") {
        @Override
        ValueTest compile(String v) {
            BoundedRegex r = BoundedRegex.compile(v, false);
            return (f, l) -> f.process() != null && r.find(cmdline(f.process()));
        }
    },
    /** The executable's sha256 (64 hex digits, either case). */
    SHA256("sha256", "exe sha256") {
        @Override
        ValueTest compile(String v) {
            if (v.length() != 64 || !v.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                throw new IllegalArgumentException("'" + v + "' is not a sha256 (64 hex digits)");
            }
            String lower = v.toLowerCase(Locale.ROOT);
            return (f, l) -> f.process() != null && lower.equalsIgnoreCase(f.process().sha256());
        }
    },
    /** The executable of any ancestor (parent, grandparent …), exact. */
    PARENT_EXE("parent_exe", "parent exe") {
        @Override
        ValueTest compile(String v) {
            requireAbsolute(v);
            return (f, l) -> {
                if (f.process() == null) {
                    return false;
                }
                for (ProcessSnapshot.ParentLink p : f.process().parents()) {
                    if (v.equals(p.exe())) {
                        return true;
                    }
                }
                return false;
            };
        }
    },
    /** The user: a uid (digits) or a user name. */
    USER("user", "user") {
        @Override
        ValueTest compile(String v) {
            if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(Character::isDigit)) {
                long uid = Long.parseLong(v);
                if (uid > 0xFFFF_FFFEL) {
                    throw new IllegalArgumentException("uid " + v + " out of range");
                }
                return (f, l) -> uidOf(f) == uid;
            }
            if (v.isEmpty() || v.length() > 64) {
                throw new IllegalArgumentException("'" + v + "' is not a user name or uid");
            }
            return (f, l) -> f.process() != null && v.equals(f.process().info().user());
        }
    },
    /**
     * The destination's domain: exact ({@code example.com}) or {@code *.example.com}, which covers
     * every subdomain at any depth but NOT example.com itself. Case and a trailing dot are ignored.
     */
    HOST("host", "host") {
        @Override
        ValueTest compile(String v) {
            String h = normaliseHost(v);
            if (h.startsWith("*.")) {
                String suffix = h.substring(1); // ".example.com"
                if (suffix.length() < 2 || suffix.indexOf('*') >= 0) {
                    throw new IllegalArgumentException("'" + v + "': a wildcard is only allowed as a leading '*.'");
                }
                return (f, l) -> {
                    String d = f.domain();
                    if (d == null) {
                        return false;
                    }
                    int len = d.endsWith(".") ? d.length() - 1 : d.length();
                    return len > suffix.length() && d.regionMatches(true, len - suffix.length(), suffix, 0, suffix.length());
                };
            }
            if (h.indexOf('*') >= 0) {
                throw new IllegalArgumentException("'" + v + "': a wildcard is only allowed as a leading '*.'");
            }
            return (f, l) -> {
                String d = f.domain();
                if (d == null) {
                    return false;
                }
                int len = d.endsWith(".") ? d.length() - 1 : d.length();
                return len == h.length() && d.regionMatches(true, 0, h, 0, len);
            };
        }
    },
    /** A regular expression found in the destination's domain (case-insensitive). */
    HOST_REGEX("host_regex", "host") {
        @Override
        ValueTest compile(String v) {
            BoundedRegex r = BoundedRegex.compile(v, true);
            return (f, l) -> r.find(f.domain());
        }
    },
    /** The remote address: one address or a network in CIDR form. */
    CIDR("cidr", "remote ip") {
        @Override
        ValueTest compile(String v) {
            Network n = Network.parse(v);
            return (f, l) -> n.contains(f.remote().address());
        }
    },
    /** The service port (remote port of an outbound connection, local port of an inbound one): N or N-M. */
    PORT("port", "port") {
        @Override
        ValueTest compile(String v) {
            int dash = v.indexOf('-');
            int lo = port(dash < 0 ? v : v.substring(0, dash), v);
            int hi = dash < 0 ? lo : port(v.substring(dash + 1), v);
            if (hi < lo) {
                throw new IllegalArgumentException("port range '" + v + "' ends before it starts");
            }
            return (f, l) -> {
                int p = servicePort(f);
                return p >= lo && p <= hi;
            };
        }
    },
    /** The transport: tcp, udp, icmp (ICMPv6 too) or raw. */
    PROTO("proto", "protocol") {
        @Override
        ValueTest compile(String v) {
            Transport t = choice(Transport.class, v);
            return (f, l) -> f.transport() == t;
        }
    },
    /** The network interface the packet leaves by (or arrives on), exact. */
    IFACE("iface", "interface") {
        @Override
        ValueTest compile(String v) {
            if (v.isEmpty() || v.length() > 15) {
                throw new IllegalArgumentException("'" + v + "' is not an interface name (1-15 characters)");
            }
            return (f, l) -> v.equals(f.interfaceName());
        }
    },
    /** outbound, inbound, listen or unknown. */
    DIRECTION("direction", "direction") {
        @Override
        ValueTest compile(String v) {
            Direction d = choice(Direction.class, v);
            return (f, l) -> f.direction() == d;
        }
    },
    /** A block list by name: the destination's domain (or a parent domain) or its address is on it. */
    LIST("list", "list") {
        @Override
        ValueTest compile(String v) {
            if (v.isEmpty() || v.length() > 64) {
                throw new IllegalArgumentException("'" + v + "' is not a list name");
            }
            return (f, l) -> (f.domain() != null && l.containsDomain(v, f.domain())) || l.containsAddress(v, f.remote().address());
        }
    };

    private static final Map<String, ConditionKind> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ConditionKind::key, Function.identity()));

    private final String key;
    private final String factName;

    ConditionKind(String key, String factName) {
        this.key = key;
        this.factName = factName;
    }

    /** The key in the rule file's {@code [match]} table. */
    public String key() {
        return key;
    }

    /** The {@code rules add} flag for this condition. */
    public String flag() {
        return "--" + key.replace('_', '-');
    }

    /** The condition for a rule-file key, or null. */
    public static ConditionKind byKey(String key) {
        return BY_KEY.get(key);
    }

    public static String keys() {
        return Arrays.stream(values()).map(ConditionKind::key).collect(Collectors.joining(", "));
    }

    /**
     * Compiles one value.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    abstract ValueTest compile(String value);

    /** The connection's value this condition looks at, as text for an explanation ("?" when unknown). */
    String fact(ConnectionFacts f) {
        ProcessSnapshot p = f.process();
        String v = switch (this) {
            case PROCESS -> p == null ? null : p.info().comm();
            case EXE, EXE_REGEX -> p == null ? null : p.info().exe();
            case CMDLINE_REGEX -> p == null ? null : cmdline(p);
            case SHA256 -> p == null ? null : p.sha256();
            case PARENT_EXE -> p == null ? null : p.parents().stream().map(ProcessSnapshot.ParentLink::exe)
                    .filter(java.util.Objects::nonNull).collect(Collectors.joining(" < "));
            case USER -> (p != null && p.info().user() != null ? p.info().user() + " " : "") + "uid " + uidOf(f);
            case HOST, HOST_REGEX, LIST -> f.domain() == null ? (this == LIST ? f.remote().address().getHostAddress() : null)
                    : (this == LIST ? f.domain() + " / " + f.remote().address().getHostAddress() : f.domain());
            case CIDR -> f.remote().address().getHostAddress();
            case PORT -> Integer.toString(servicePort(f));
            case PROTO -> f.transport().label();
            case IFACE -> f.interfaceName();
            case DIRECTION -> f.direction().label();
        };
        return v == null ? "?" : v;
    }

    String factName() {
        return factName;
    }

    static String cmdline(ProcessSnapshot p) {
        return String.join(" ", p.info().cmdline());
    }

    static long uidOf(ConnectionFacts f) {
        if (f.uid() >= 0) {
            return f.uid();
        }
        return f.process() == null || f.process().info().uid() < 0 ? -1 : f.process().info().uid();
    }

    static int servicePort(ConnectionFacts f) {
        return f.direction() == Direction.INBOUND || f.direction() == Direction.LISTEN ? f.local().port() : f.remote().port();
    }

    static String normaliseHost(String v) {
        String h = v.strip().toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 253 || !h.chars().allMatch(ch -> ch == '.' || ch == '-' || ch == '_' || ch == '*'
                || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch > 127)) {
            throw new IllegalArgumentException("'" + v + "' is not a host name (or *.domain)");
        }
        return h;
    }

    private static void requireAbsolute(String v) {
        if (!v.startsWith("/")) {
            throw new IllegalArgumentException("'" + v + "' is not an absolute path");
        }
    }

    private static int port(String text, String whole) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + whole + "' is not a port or port range (N or N-M, 0..65535)");
        }
        int p = Integer.parseInt(text);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " out of range 0..65535");
        }
        return p;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String v) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + v + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
