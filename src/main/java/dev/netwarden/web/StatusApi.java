package dev.netwarden.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** {@code GET /api/status} (what the control op {@code status} answers) and {@code GET /api/settings}. */
final class StatusApi {
    private final DaemonParts parts;

    StatusApi(DaemonParts parts) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
    }

    List<Route> routes() {
        return List.of(Route.get("/api/status", this::status), Route.get("/api/settings", this::settings));
    }

    private ApiResponse status(ApiRequest r) {
        r.onlyParams(Set.of());
        JsonNode s = parts.status();
        ObjectNode copy = s.isObject() ? ((ObjectNode) s).deepCopy() : Json.object();
        copy.remove("ok");
        return ApiResponse.ok(copy);
    }

    private ApiResponse settings(ApiRequest r) {
        r.onlyParams(Set.of());
        return ApiResponse.ok(Json.tree(parts.settings()));
    }
}
