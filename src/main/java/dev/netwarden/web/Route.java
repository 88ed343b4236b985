package dev.netwarden.web;

import java.util.List;
import java.util.Objects;

/**
 * One API route: a method and a path pattern whose {@code {name}} segments match one path segment
 * each. {@link #isPublic()} routes answer without a session (login, health); all others need one.
 */
public record Route(String method, String pattern, boolean isPublic, Endpoint endpoint) {
    /** What answers a route. */
    @FunctionalInterface
    public interface Endpoint {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method, "method is null");
        Objects.requireNonNull(pattern, "pattern is null");
        Objects.requireNonNull(endpoint, "endpoint is null");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
    }

    public static Route get(String pattern, Endpoint e) {
        return new Route("GET", pattern, false, e);
    }

    public static Route post(String pattern, Endpoint e) {
        return new Route("POST", pattern, false, e);
    }

    public static Route put(String pattern, Endpoint e) {
        return new Route("PUT", pattern, false, e);
    }

    public static Route delete(String pattern, Endpoint e) {
        return new Route("DELETE", pattern, false, e);
    }

    public Route asPublic() {
        return new Route(method, pattern, true, endpoint);
    }

    List<String> segments() {
        return List.of(pattern.substring(1).split("/", -1));
    }
}
