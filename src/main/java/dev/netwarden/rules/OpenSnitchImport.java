package dev.netwarden.rules;

import dev.netwarden.firewall.Action;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Converts OpenSnitch rule files (JSON: name, enabled, precedence, action, duration, operator
 * {type, operand, sensitive, data, list}) to netwarden rules. The mapping is in docs/rules.md. A rule
 * with anything that cannot be mapped exactly is not imported at all — importing part of it would
 * silently widen or narrow what it matches — and every such thing is reported with the file, the
 * field and why.
 */
public final class OpenSnitchImport {
    /** Priority given to OpenSnitch rules marked {@code precedence: true}. */
    public static final int PRECEDENCE_PRIORITY = 10;

    /** One thing that could not be imported. */
    public record Problem(String file, String field, String why) {
        @Override
        public String toString() {
            return file + ": " + (field.isEmpty() ? "" : field + ": ") + why;
        }
    }

    /** The outcome for one file: a rule, or the problems (never both empty). */
    public record Conversion(String file, Rule rule, List<Problem> problems) {
        public Conversion {
            problems = List.copyOf(problems);
        }
    }

    /** What an import of a directory did. */
    public record Report(List<Path> written, List<Problem> problems) {
        public Report {
            written = List.copyOf(written);
            problems = List.copyOf(problems);
        }
    }

    private OpenSnitchImport() {
    }

    /** Converts one file's JSON text. Pure: {@code now} is when timed durations start. */
    public static Conversion convert(String file, String json, Instant now) {
        Objects.requireNonNull(file, "file is null");
        List<Problem> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = JsonMapper.shared().readTree(json);
        } catch (JacksonException e) {
            problems.add(new Problem(file, "", "not valid JSON: " + e.getOriginalMessage()));
            return new Conversion(file, null, problems);
        }
        if (root == null || !root.isObject()) {
            problems.add(new Problem(file, "", "not an OpenSnitch rule (a JSON object)"));
            return new Conversion(file, null, problems);
        }
        String name = text(root, "name");
        String id = name == null ? null : idOf(name);
        if (id == null) {
            problems.add(new Problem(file, "name", "missing or empty"));
        }
        Action action = switch (String.valueOf(text(root, "action")).toLowerCase(Locale.ROOT)) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            case "reject" -> Action.REJECT;
            default -> {
                problems.add(new Problem(file, "action", "'" + text(root, "action") + "' is not allow, deny or reject"));
                yield null;
            }
        };
        RuleDuration duration = duration(file, text(root, "duration"), now, problems);
        boolean enabled = !root.has("enabled") || root.get("enabled").asBoolean(true);
        boolean precedence = root.has("precedence") && root.get("precedence").asBoolean(false);
        Map<ConditionKind, List<String>> conditions = new LinkedHashMap<>();
        JsonNode op = root.get("operator");
        if (op == null || !op.isObject()) {
            problems.add(new Problem(file, "operator", "missing"));
        } else {
            operator(file, "operator", op, conditions, problems, true);
        }
        if (!problems.isEmpty() || action == null || duration == null || id == null) {
            return new Conversion(file, null, problems);
        }
        List<Condition> list = new ArrayList<>();
        for (Map.Entry<ConditionKind, List<String>> e : conditions.entrySet()) {
            try {
                list.add(Condition.of(e.getKey(), e.getValue()));
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(file, "operator", e.getKey().key() + ": " + ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            return new Conversion(file, null, problems);
        }
        String description = "imported from OpenSnitch rule " + name;
        return new Conversion(file, new Rule(id, description, enabled, action, precedence ? PRECEDENCE_PRIORITY : 0, duration, list), List.of());
    }

    /**
     * Imports every {@code *.json} in {@code source} into {@code target}; existing rule files are kept
     * (reported) unless {@code replace}.
     */
    public static Report importDirectory(Path source, RuleFiles target, boolean replace, Instant now) throws IOException {
        List<Path> inputs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(source, "*.json")) {
            ds.forEach(inputs::add);
        }
        inputs.sort(null);
        List<Path> written = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path p : inputs) {
            String file = p.toString();
            String json;
            try {
                if (Files.size(p) > 1 << 20) {
                    problems.add(new Problem(file, "", "larger than 1 MiB"));
                    continue;
                }
                json = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new Problem(file, "", "cannot read: " + e.getMessage()));
                continue;
            }
            Conversion c = convert(file, json, now);
            problems.addAll(c.problems());
            if (c.rule() != null) {
                try {
                    written.add(target.write(c.rule(), replace));
                } catch (FileAlreadyExistsException e) {
                    problems.add(new Problem(file, "name", "rule " + c.rule().id() + " already exists in " + target.dir()
                            + " (use --force to replace it)"));
                }
            }
        }
        return new Report(written, problems);
    }

    private static RuleDuration duration(String file, String d, Instant now, List<Problem> problems) {
        if (d == null || d.equals("always")) {
            return RuleDuration.ALWAYS;
        }
        if (d.equals("once")) {
            return RuleDuration.ONCE;
        }
        if (d.equals("until restart")) {
            problems.add(new Problem(file, "duration", "'until restart' rules live in memory only; not imported"));
            return null;
        }
        if (d.equals("process")) {
            problems.add(new Problem(file, "duration", "'process' (until the process exits) is bound to a process that is gone"));
            return null;
        }
        try {
            return new RuleDuration.Expires(now.plus(RuleDuration.parseLength(d)), d);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(file, "duration", "'" + d + "' is not a duration netwarden knows"));
            return null;
        }
    }

    private static void operator(String file, String field, JsonNode op, Map<ConditionKind, List<String>> out,
                                 List<Problem> problems, boolean top) {
        String type = String.valueOf(text(op, "type"));
        String operand = String.valueOf(text(op, "operand"));
        String data = text(op, "data");
        boolean sensitive = op.has("sensitive") && op.get("sensitive").asBoolean(false);
        String at = field + " (" + type + " " + operand + ")";
        switch (type) {
            case "list" -> {
                if (!top) {
                    problems.add(new Problem(file, at, "nested lists are not supported"));
                    return;
                }
                JsonNode items = op.get("list");
                if (items == null || !items.isArray() || items.isEmpty()) {
                    problems.add(new Problem(file, at, "a list operator needs a non-empty \"list\""));
                    return;
                }
                for (int i = 0; i < items.size(); i++) {
                    operator(file, field + ".list[" + i + "]", items.get(i), out, problems, false);
                }
            }
            case "simple" -> {
                if (operand.equals("true")) {
                    return; // matches every connection: no condition
                }
                ConditionKind kind = switch (operand) {
                    case "process.path" -> ConditionKind.EXE;
                    case "process.command" -> ConditionKind.CMDLINE_REGEX;
                    case "process.parent.path" -> ConditionKind.PARENT_EXE;
                    case "user.id" -> ConditionKind.USER;
                    case "dest.host" -> ConditionKind.HOST;
                    case "dest.ip", "dest.network" -> ConditionKind.CIDR;
                    case "dest.port" -> ConditionKind.PORT;
                    case "protocol" -> ConditionKind.PROTO;
                    case "iface.out" -> ConditionKind.IFACE;
                    default -> null;
                };
                if (kind == null) {
                    problems.add(new Problem(file, at, unsupported(operand)));
                    return;
                }
                if (data == null) {
                    problems.add(new Problem(file, at, "no data"));
                    return;
                }
                String value = kind == ConditionKind.CMDLINE_REGEX ? "^" + Pattern.quote(data) + "$"
                        : kind == ConditionKind.PROTO ? data.replaceAll("6$", "") // tcp6/udp6: the family is not a protocol here
                        : data;
                put(file, at, kind, value, out, problems);
            }
            case "regexp" -> {
                ConditionKind kind = switch (operand) {
                    case "process.path" -> ConditionKind.EXE_REGEX;
                    case "process.command" -> ConditionKind.CMDLINE_REGEX;
                    case "dest.host" -> ConditionKind.HOST_REGEX;
                    default -> null;
                };
                if (kind == null) {
                    problems.add(new Problem(file, at, operand.startsWith("dest.ip") || operand.equals("dest.port")
                            ? "regular expressions on addresses and ports are not supported (use network or range)" : unsupported(operand)));
                    return;
                }
                if (data == null) {
                    problems.add(new Problem(file, at, "no data"));
                    return;
                }
                put(file, at, kind, sensitive || kind == ConditionKind.HOST_REGEX ? data : "(?i)" + data, out, problems);
            }
            case "network" -> {
                if (!operand.equals("dest.network") && !operand.equals("dest.ip")) {
                    problems.add(new Problem(file, at, unsupported(operand)));
                    return;
                }
                put(file, at, ConditionKind.CIDR, data, out, problems);
            }
            case "range" -> {
                if (!operand.equals("dest.port")) {
                    problems.add(new Problem(file, at, "ranges are only supported on dest.port"));
                    return;
                }
                put(file, at, ConditionKind.PORT, data, out, problems);
            }
            case "lists" -> {
                if (!operand.equals("lists.domains") && !operand.equals("lists.ips") && !operand.equals("lists.nets")) {
                    problems.add(new Problem(file, at, operand.equals("lists.domains_regexp")
                            ? "lists of regular expressions are not supported" : unsupported(operand)));
                    return;
                }
                if (data == null || data.isBlank()) {
                    problems.add(new Problem(file, at, "no list directory"));
                    return;
                }
                String dir = data.replaceAll("/+$", "");
                String listName = idOf(dir.substring(dir.lastIndexOf('/') + 1));
                put(file, at, ConditionKind.LIST, listName == null ? "" : listName, out, problems);
            }
            default -> problems.add(new Problem(file, at, "operator type '" + type + "' is not supported"));
        }
    }

    private static void put(String file, String at, ConditionKind kind, String value, Map<ConditionKind, List<String>> out,
                            List<Problem> problems) {
        if (value == null) {
            problems.add(new Problem(file, at, "no data"));
            return;
        }
        if (out.containsKey(kind)) {
            problems.add(new Problem(file, at, "a second " + kind.key() + " condition: OpenSnitch AND-s them, netwarden"
                    + " OR-s the values of one key, so this rule cannot be expressed"));
            return;
        }
        try {
            Condition.of(kind, value);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(file, at, e.getMessage()));
            return;
        }
        out.put(kind, List.of(value));
    }

    private static String unsupported(String operand) {
        return switch (operand) {
            case "process.id" -> "process.id is not supported: a pid is not stable";
            case "process.hash.md5" -> "process.hash.md5 is not supported: netwarden matches sha256";
            default -> operand.startsWith("process.env.") ? "environment variables are not supported"
                    : "operand '" + operand + "' is not supported";
        };
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }

    /** A file-safe rule id from an OpenSnitch name, or null when nothing is left. */
    static String idOf(String name) {
        String id = name.strip().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "");
        if (id.length() > 128) {
            id = id.substring(0, 128);
        }
        return Rule.validId(id) ? id : null;
    }
}
