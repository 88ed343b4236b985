package dev.netwarden.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete answer of an endpoint: status, content type, body and extra headers. Endpoints return
 * it instead of writing to Jetty's response, so they are plain functions the tests can call and the
 * HTTP layer sets the common headers in one place.
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON_TYPE = "application/json";

    public ApiResponse {
        Objects.requireNonNull(contentType, "contentType is null");
        Objects.requireNonNull(body, "body is null");
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, JsonNode node) {
        return new ApiResponse(status, JSON_TYPE, Json.bytes(node), Map.of());
    }

    public static ApiResponse ok(JsonNode node) {
        return json(200, node);
    }

    public static ApiResponse error(int status, String message) {
        ObjectNode o = Json.object();
        o.put("error", message);
        return json(status, o);
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** This response with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, h);
    }
}
