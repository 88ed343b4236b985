package dev.netwarden.rules;

import dev.netwarden.firewall.Action;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rule file text to a {@link Rule}, or to every error in it with the line and key. A pure function:
 * no I/O, no clock; the path only names the rule (its file name without ".toml" is the id) and the
 * errors. The format (docs/rules.md):
 *
 * <pre>
 * description = "curl must not reach testsite.com"
 * action = "deny"            # allow | deny | reject (required)
 * enabled = true             # default true
 * priority = 0               # default 0; higher is asked first
 * duration = "always"        # always | once | until-exit (with pid, start_ticks) | 30m, 2h … (with expires)
 * [match]                    # every key must match; a list matches any of its values
 * exe = "/usr/bin/curl"
 * host = ["testsite.com", "*.testsite.com"]
 * port = [443, "8000-8100"]
 * </pre>
 *
 * Jackson's TOML tree keeps no positions, so lines are found by looking for {@code key =} in the
 * right table; a key written in another form (dotted, inline table) is reported without a line.
 */
public final class RuleFileParser {
    /** Larger files are refused unread: a rule is a few hundred bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Most values one condition may list. */
    public static final int MAX_VALUES = 256;

    private static final Set<String> TOP_KEYS = Set.of("description", "action", "enabled", "priority", "duration",
            "expires", "pid", "start_ticks", "match");

    private RuleFileParser() {
    }

    public static RuleFileResult parse(Path path, String text) {
        String where = path.toString();
        List<RuleFileError> errors = new ArrayList<>();
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        String id = name.endsWith(".toml") ? name.substring(0, name.length() - 5) : name;
        if (!Rule.validId(id)) {
            errors.add(new RuleFileError(where, 0, "", "file name must be ID.toml with ID made of letters, digits, '.', '_', '-'"));
        }
        if (text.length() > MAX_BYTES) {
            errors.add(new RuleFileError(where, 0, "", "file larger than " + MAX_BYTES + " bytes"));
            return new RuleFileResult.Invalid(errors);
        }
        JsonNode root;
        try {
            root = TomlMapper.shared().readTree(text);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            int line = at == null || at.getLineNr() < 1 ? 0 : at.getLineNr();
            errors.add(new RuleFileError(where, line, "", "not valid TOML: " + firstLine(e.getOriginalMessage())));
            return new RuleFileResult.Invalid(errors);
        } catch (RuntimeException | StackOverflowError e) {
            errors.add(new RuleFileError(where, 0, "", "not valid TOML: " + e));
            return new RuleFileResult.Invalid(errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(new RuleFileError(where, 0, "action", "missing: every rule needs action = \"allow\", \"deny\" or \"reject\""));
            return new RuleFileResult.Invalid(errors);
        }
        Reader r = new Reader(where, text, errors);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!TOP_KEYS.contains(e.getKey())) {
                r.error(null, e.getKey(), "unknown key; known keys: description, action, enabled, priority, duration,"
                        + " expires, pid, start_ticks and the table [match]"
                        + (ConditionKind.byKey(e.getKey()) != null ? " (conditions go under [match])" : ""));
            }
        }
        String description = r.string(root, "description", "");
        Action action = null;
        JsonNode actionNode = root.get("action");
        if (actionNode == null) {
            r.error(null, "action", "missing: every rule needs action = \"allow\", \"deny\" or \"reject\"");
        } else {
            String a = r.string(root, "action", null);
            if (a != null) {
                action = switch (a.toLowerCase(Locale.ROOT)) {
                    case "allow" -> Action.ALLOW;
                    case "deny" -> Action.DENY;
                    case "reject" -> Action.REJECT;
                    default -> {
                        r.error(null, "action", "'" + a + "' is not one of allow, deny, reject");
                        yield null;
                    }
                };
            }
        }
        boolean enabled = r.bool(root, "enabled", true);
        long priority = r.integer(root, "priority", 0, -1000, 1000);
        RuleDuration duration = duration(root, r);
        List<Condition> conditions = new ArrayList<>();
        JsonNode match = root.get("match");
        if (match != null) {
            if (!match.isObject()) {
                r.error(null, "match", "must be a table: [match]");
            } else {
                for (Map.Entry<String, JsonNode> e : match.properties()) {
                    Condition c = condition(e.getKey(), e.getValue(), r);
                    if (c != null) {
                        conditions.add(c);
                    }
                }
            }
        }
        if (!errors.isEmpty() || action == null || duration == null) {
            return new RuleFileResult.Invalid(errors);
        }
        try {
            return new RuleFileResult.Parsed(new Rule(id, description, enabled, action, (int) priority, duration, conditions));
        } catch (IllegalArgumentException e) {
            errors.add(new RuleFileError(where, 0, "", e.getMessage()));
            return new RuleFileResult.Invalid(errors);
        }
    }

    private static RuleDuration duration(JsonNode root, Reader r) {
        String d = r.string(root, "duration", "always");
        if (d == null) {
            return null;
        }
        boolean hasExpires = root.has("expires");
        boolean hasPid = root.has("pid") || root.has("start_ticks");
        RuleDuration result;
        switch (d.toLowerCase(Locale.ROOT)) {
            case "always" -> result = RuleDuration.ALWAYS;
            case "once" -> result = RuleDuration.ONCE;
            case "until-restart" -> {
                r.error(null, "duration", "until-restart rules live in the daemon's memory only, never in a file");
                return null;
            }
            case "until-exit" -> {
                long pid = r.integer(root, "pid", -1, 1, Integer.MAX_VALUE);
                long ticks = r.integer(root, "start_ticks", -1, 0, Long.MAX_VALUE);
                if (!root.has("pid") || !root.has("start_ticks")) {
                    r.error(null, "duration", "until-exit needs pid and start_ticks (the process's start time)");
                    return null;
                }
                if (pid < 1 || ticks < 0) {
                    return null;
                }
                return new RuleDuration.UntilExit((int) pid, ticks);
            }
            default -> {
                try {
                    RuleDuration.parseLength(d);
                } catch (IllegalArgumentException e) {
                    r.error(null, "duration", "'" + d + "' is not always, once, until-exit or a length of time (90s, 30m, 2h, 7d)");
                    return null;
                }
                String at = r.string(root, "expires", null);
                if (at == null) {
                    if (!hasExpires) {
                        r.error(null, "duration", "a rule of " + d + " needs expires = \"2026-01-01T12:00:00Z\" (when it ends)");
                    }
                    return null;
                }
                try {
                    result = new RuleDuration.Expires(Instant.parse(at.strip()), d);
                } catch (DateTimeParseException e) {
                    r.error(null, "expires", "'" + at + "' is not an instant like 2026-01-01T12:00:00Z");
                    return null;
                }
                if (hasPid) {
                    r.error(null, "pid", "pid and start_ticks belong to until-exit rules only");
                }
                return result;
            }
        }
        if (hasExpires) {
            r.error(null, "expires", "expires belongs to rules with a length of time (duration = \"30m\")");
        }
        if (hasPid) {
            r.error(null, "pid", "pid and start_ticks belong to until-exit rules only");
        }
        return result;
    }

    private static Condition condition(String key, JsonNode node, Reader r) {
        ConditionKind kind = ConditionKind.byKey(key);
        if (kind == null) {
            r.error("match", key, "unknown condition; known: " + ConditionKind.keys());
            return null;
        }
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                r.error("match", key, "empty list: give at least one value or remove the key");
                return null;
            }
            if (node.size() > MAX_VALUES) {
                r.error("match", key, "more than " + MAX_VALUES + " values");
                return null;
            }
            for (JsonNode v : node) {
                String s = scalar(v, kind);
                if (s == null) {
                    r.error("match", key, "values must be " + expected(kind) + ", not " + describe(v));
                    return null;
                }
                values.add(s);
            }
        } else {
            String s = scalar(node, kind);
            if (s == null) {
                r.error("match", key, "must be " + expected(kind) + " or a list of them, not " + describe(node));
                return null;
            }
            values.add(s);
        }
        try {
            return Condition.of(kind, values);
        } catch (IllegalArgumentException e) {
            r.error("match", key, e.getMessage());
            return null;
        }
    }

    private static String scalar(JsonNode v, ConditionKind kind) {
        if (v.isString()) {
            return v.asString();
        }
        if ((kind == ConditionKind.PORT || kind == ConditionKind.USER) && v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.asLong());
        }
        return null;
    }

    private static String expected(ConditionKind kind) {
        return kind == ConditionKind.PORT ? "a port number or \"N-M\"" : kind == ConditionKind.USER ? "a user name or uid" : "strings";
    }

    private static String describe(JsonNode v) {
        return v.isObject() ? "a table" : v.isArray() ? "a list" : v.isBoolean() ? "a boolean" : v.isNumber() ? "a number" : "'" + v + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads typed top-level values, recording errors with their line. */
    private record Reader(String where, String text, List<RuleFileError> errors) {
        void error(String table, String key, String message) {
            errors.add(new RuleFileError(where, lineOf(text, table, key), table == null ? key : table + "." + key, message));
        }

        String string(JsonNode root, String key, String fallback) {
            JsonNode n = root.get(key);
            if (n == null) {
                return fallback;
            }
            if (!n.isString()) {
                error(null, key, "must be a string (in quotes), not " + describe(n));
                return null;
            }
            return n.asString();
        }

        boolean bool(JsonNode root, String key, boolean fallback) {
            JsonNode n = root.get(key);
            if (n == null) {
                return fallback;
            }
            if (!n.isBoolean()) {
                error(null, key, "must be true or false, not " + describe(n));
                return fallback;
            }
            return n.asBoolean();
        }

        long integer(JsonNode root, String key, long fallback, long min, long max) {
            JsonNode n = root.get(key);
            if (n == null) {
                return fallback;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
                error(null, key, "must be an integer " + min + ".." + max + ", not " + describe(n));
                return fallback;
            }
            return n.asLong();
        }
    }

    /**
     * The 1-based line where {@code key} is assigned in table {@code table} (null: top level), or 0.
     */
    static int lineOf(String text, String table, String key) {
        String current = null;
        int lineNo = 0;
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            lineNo++;
            String l = text.substring(start, end).strip();
            if (l.startsWith("[")) {
                int close = l.indexOf(']');
                current = close < 0 ? null : l.substring(1, close).strip();
            } else if (java.util.Objects.equals(table, current) && (l.startsWith(key + " ") || l.startsWith(key + "=")
                    || l.startsWith("\"" + key + "\""))) {
                return lineNo;
            } else if (table != null && current == null && l.startsWith(table + "." + key)) {
                return lineNo;
            }
            start = end + 1;
        }
        return 0;
    }
}
