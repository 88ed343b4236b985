package dev.netwarden.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's JSON: one strict mapper (duplicate keys and trailing data are errors, so what a client
 * meant is never guessed) and the checks every request body goes through.
 */
public final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String text(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** Any Java value (maps, lists, numbers, strings) as a tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A request body that must be one JSON object; 400 with the parser's reason otherwise. */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("the request needs a JSON object body");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw ApiError.badRequest("malformed JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** Refuses fields outside {@code known}: a misspelt field must not be silently ignored. */
    public static void onlyFields(ObjectNode body, Set<String> known) {
        for (Iterator<String> it = body.propertyNames().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw ApiError.badRequest("unknown field \"" + name + "\"; known fields: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** A string field; null when absent or null; 400 when of another type. */
    public static String string(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw ApiError.badRequest("\"" + field + "\" must be a string");
        }
        return n.asString();
    }

    /** A string field that must be there. */
    public static String requiredString(ObjectNode body, String field) {
        String s = string(body, field);
        if (s == null) {
            throw ApiError.badRequest("\"" + field + "\" is required (a string)");
        }
        return s;
    }

    /** An integer field; {@code fallback} when absent or null; 400 when not an integer in range. */
    public static long integer(ObjectNode body, String field, long fallback, long min, long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiError.badRequest("\"" + field + "\" must be an integer " + min + ".." + max);
        }
        return n.asLong();
    }

    /** A boolean field; {@code fallback} when absent or null. */
    public static boolean bool(ObjectNode body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiError.badRequest("\"" + field + "\" must be true or false");
        }
        return n.asBoolean();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
