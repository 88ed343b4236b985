package dev.netwarden.web;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One API request as the endpoints see it: no Jetty types, so endpoints are plain functions.
 *
 * @param method     GET, POST, PUT, DELETE …
 * @param path       the decoded path ({@code /api/rules/x})
 * @param pathParams the values of the route's {@code {name}} segments
 * @param query      the query parameters, each with every value given
 * @param body       the request body (empty for none; at most {@link WebHandler#MAX_BODY_BYTES})
 * @param session    the caller's session; null on public routes without one
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                         byte[] body, Sessions.Session session) {
    public ApiRequest {
        Objects.requireNonNull(method, "method is null");
        Objects.requireNonNull(path, "path is null");
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        Objects.requireNonNull(body, "body is null");
    }

    /** A request without body or session (tests, internal calls). */
    public static ApiRequest of(String method, String path, Map<String, List<String>> query) {
        return new ApiRequest(method, path, Map.of(), query, new byte[0], null);
    }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no {" + name + "}");
        }
        return v;
    }

    /** The one value of a query parameter, null when absent; 400 when given twice. */
    public String param(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiError.badRequest("query parameter " + name + " given " + v.size() + " times");
        }
        return v.getFirst();
    }

    /** An integer query parameter in {@code [min, max]}, {@code fallback} when absent. */
    public int intParam(String name, int fallback, int min, int max) {
        String v = param(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer " + min + ".." + max + ", not '" + v + "'");
        }
        if (n < min || n > max) {
            throw ApiError.badRequest(name + " must be an integer " + min + ".." + max + ", not " + n);
        }
        return n;
    }

    /** A query parameter that must be one of {@code allowed} (lower-case), {@code fallback} when absent. */
    public String choiceParam(String name, Set<String> allowed, String fallback) {
        String v = param(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw ApiError.badRequest(name + ": '" + v + "' is not one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return v;
    }

    /** Refuses query parameters outside {@code known}. */
    public void onlyParams(Set<String> known) {
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw ApiError.badRequest("unknown query parameter " + name + "; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** The body as one JSON object with only {@code known} fields. */
    public ObjectNode jsonBody(Set<String> known) {
        ObjectNode o = Json.parseObject(body);
        Json.onlyFields(o, known);
        return o;
    }
}
