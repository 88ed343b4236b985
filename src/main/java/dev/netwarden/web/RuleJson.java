package dev.netwarden.web;

import dev.netwarden.rules.Condition;
import dev.netwarden.rules.ConditionKind;
import dev.netwarden.rules.Rule;
import dev.netwarden.rules.RuleDuration;
import dev.netwarden.rules.RuleFileError;
import dev.netwarden.rules.RuleFileParser;
import dev.netwarden.rules.RuleFileResult;
import dev.netwarden.toml.TomlText;
import dev.netwarden.linux.proc.ProcStatParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules as the API shows and takes them ("Rule" in openapi.yaml), and the way a posted rule is
 * checked: the JSON is written out as rule-file text and read back by {@link RuleFileParser}, so the
 * API accepts exactly what a rule file may say and refuses the rest with the parser's own messages
 * (only the key names change: the file's {@code match.host} is the API's {@code conditions.host}).
 */
final class RuleJson {
    static final Set<String> FIELDS = Set.of("id", "description", "action", "priority", "enabled", "duration", "pid",
            "conditions", "expires", "hits", "path", "order");

    private RuleJson() {
    }

    /** The API form of a rule. */
    static ObjectNode of(Rule r, Path source, int order, Long hits) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("order", order);
        o.put("description", r.description());
        o.put("action", r.action().label());
        o.put("priority", r.priority());
        o.put("enabled", r.enabled());
        o.put("duration", r.duration().label());
        if (r.duration() instanceof RuleDuration.Expires e) {
            o.put("expires", e.until().toEpochMilli());
        } else {
            o.putNull("expires");
        }
        if (r.duration() instanceof RuleDuration.UntilExit u) {
            o.put("pid", u.pid());
        } else {
            o.putNull("pid");
        }
        ObjectNode c = o.putObject("conditions");
        for (Condition cond : r.conditions()) {
            ArrayNode values = c.putArray(cond.kind().key());
            cond.values().forEach(values::add);
        }
        if (hits == null) {
            o.putNull("hits");
        } else {
            o.put("hits", hits);
        }
        o.put("path", source == null ? null : source.toString());
        return o;
    }

    /**
     * The rule a request body describes, checked as a rule file would be.
     *
     * @param id the rule's id (from the path or the body)
     * @throws ApiError 400 with every problem, in the parser's words
     */
    static Rule parse(String id, ObjectNode body, Instant now) {
        Json.onlyFields(body, FIELDS);
        if (!Rule.validId(id)) {
            throw ApiError.badRequest("rule id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }
        StringBuilder toml = new StringBuilder();
        scalar(toml, "description", body.get("description"));
        scalar(toml, "action", body.get("action"));
        scalar(toml, "enabled", body.get("enabled"));
        scalar(toml, "priority", body.get("priority"));
        JsonNode duration = body.get("duration");
        if (duration != null && !duration.isNull()) {
            scalar(toml, "duration", duration);
            if (duration.isString()) {
                String d = duration.asString().strip();
                if (d.equals("until-exit")) {
                    untilExit(toml, body.get("pid"));
                } else if (!d.equals("always") && !d.equals("once") && !d.equals("until-restart")) {
                    try {
                        Instant until = now.plus(RuleDuration.parseLength(d));
                        toml.append("expires = ").append(TomlText.quote(until.toString())).append('\n');
                    } catch (IllegalArgumentException e) {
                        // the parser says what is wrong with the duration
                    }
                }
            }
        }
        if (body.has("pid") && !body.get("pid").isNull() && !(duration != null && duration.isString()
                && duration.asString().strip().equals("until-exit"))) {
            throw ApiError.badRequest("pid: only for duration \"until-exit\"");
        }
        JsonNode conditions = body.get("conditions");
        toml.append("\n[match]\n");
        if (conditions != null && !conditions.isNull()) {
            if (!conditions.isObject()) {
                throw ApiError.badRequest("conditions must be an object like {\"exe\": [\"/usr/bin/curl\"], \"host\": [\"example.com\"]}");
            }
            for (Map.Entry<String, JsonNode> e : conditions.properties()) {
                if (ConditionKind.byKey(e.getKey()) == null) {
                    throw ApiError.badRequest("conditions." + e.getKey() + ": unknown condition; known: " + ConditionKind.keys());
                }
                toml.append(e.getKey()).append(" = ").append(value(e.getKey(), e.getValue())).append('\n');
            }
        }
        RuleFileResult result = RuleFileParser.parse(Path.of(id + ".toml"), toml.toString());
        return switch (result) {
            case RuleFileResult.Parsed p -> p.rule();
            case RuleFileResult.Invalid invalid -> throw ApiError.badRequest("invalid rule: " + String.join("; ",
                    invalid.errors().stream().map(RuleJson::message).toList()));
        };
    }

    /** A parser error in the API's words: {@code conditions.port: '70000' is not …}. */
    static String message(RuleFileError e) {
        String key = e.key().startsWith("match.") ? "conditions." + e.key().substring(6) : e.key().equals("match") ? "conditions" : e.key();
        return (key.isEmpty() ? "" : key + ": ") + e.message();
    }

    private static void untilExit(StringBuilder toml, JsonNode pidNode) {
        if (pidNode == null || pidNode.isNull() || !pidNode.isIntegralNumber() || !pidNode.canConvertToInt() || pidNode.asInt() < 1) {
            throw ApiError.badRequest("duration \"until-exit\" needs \"pid\": the process (a positive integer)");
        }
        int pid = pidNode.asInt();
        long ticks;
        try {
            ticks = ProcStatParser.parse(Files.readAllBytes(Path.of("/proc/" + pid + "/stat"))).startTicks();
        } catch (IOException | RuntimeException e) {
            throw ApiError.badRequest("pid " + pid + ": no such process");
        }
        toml.append("pid = ").append(pid).append('\n').append("start_ticks = ").append(ticks).append('\n');
    }

    /** A top-level value in TOML, kept in its JSON type so the parser judges the type. */
    private static void scalar(StringBuilder toml, String key, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        toml.append(key).append(" = ").append(tomlValue(key, v)).append('\n');
    }

    private static String value(String key, JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : v) {
                parts.add(tomlValue("conditions." + key, item));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return tomlValue("conditions." + key, v);
    }

    private static String tomlValue(String key, JsonNode v) {
        if (v.isString()) {
            return TomlText.quote(v.asString());
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.asLong());
        }
        if (v.isBoolean()) {
            return Boolean.toString(v.asBoolean());
        }
        throw ApiError.badRequest(key + ": must be a string, an integer or a boolean as the rule format says, not " + v);
    }
}
