package dev.netwarden.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the route of a request: the path decides which resource (404 when none), the method which
 * route of it (405 with the allowed methods when none). Among the routes of the method, literal
 * segments win over {@code {name}} segments: {@code POST /api/rules/test} tests, it does not name rule
 * "test" (which {@code GET /api/rules/test} still reads).
 */
public final class Router {
    /** A found route and the values of its {@code {name}} segments. */
    public record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(Objects.requireNonNull(routes, "routes is null"));
        Set<String> seen = new LinkedHashSet<>();
        for (Route r : this.routes) {
            if (!seen.add(r.method() + " " + r.pattern())) {
                throw new IllegalArgumentException("route given twice: " + r.method() + " " + r.pattern());
            }
        }
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * The route for {@code method} and {@code path}.
     *
     * @throws ApiError 404 when no route has this path, 405 when none has this method for it
     */
    public Match match(String method, String path) {
        String[] parts = path.substring(1).split("/", -1);
        String wanted = method.equals("HEAD") ? "GET" : method;
        Match best = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            List<String> segs = r.segments();
            if (segs.size() != parts.length) {
                continue;
            }
            Map<String, String> params = new HashMap<>();
            int literals = 0;
            boolean ok = true;
            for (int i = 0; i < parts.length && ok; i++) {
                String s = segs.get(i);
                if (s.startsWith("{") && s.endsWith("}")) {
                    ok = !parts[i].isEmpty();
                    params.put(s.substring(1, s.length() - 1), parts[i]);
                } else if (s.equals(parts[i])) {
                    literals++;
                } else {
                    ok = false;
                }
            }
            if (!ok) {
                continue;
            }
            allowed.add(r.method());
            if (r.method().equals(wanted) && literals > bestLiterals) {
                best = new Match(r, params);
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return best;
        }
        if (allowed.isEmpty()) {
            throw ApiError.notFound("no such API endpoint: " + path);
        }
        throw new MethodNotAllowed(method, path, new ArrayList<>(allowed));
    }

    /** 405, with the methods the path does allow (for the Allow header). */
    public static final class MethodNotAllowed extends RuntimeException {
        private final List<String> allowed;

        MethodNotAllowed(String method, String path, List<String> allowed) {
            super(method + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed), null, false, false);
            this.allowed = List.copyOf(allowed);
        }

        public List<String> allowed() {
            return allowed;
        }
    }
}
