package dev.netwarden.web;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.PendingPrompt;
import dev.netwarden.firewall.PromptAnswer;
import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.firewall.PromptScope;
import dev.netwarden.firewall.RuleDuration;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The firewall's questions: {@code GET /api/prompts} and {@code POST /api/prompts/{id}/answer}, on the
 * same {@link PromptBroker} and with the same vocabulary as the control ops {@code netwarden prompt}
 * uses (daemon/PromptOps: {@link PromptScope#parse}, {@link RuleDuration#parse}). 503 with the reason
 * when prompts are off (passive level, or a default action other than prompt).
 */
final class PromptsApi {
    private final DaemonParts parts;

    PromptsApi(DaemonParts parts) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/prompts", this::list),
                Route.post("/api/prompts/{id}/answer", this::answer));
    }

    private PromptBroker broker() {
        PromptBroker b = parts.prompts();
        if (b == null) {
            throw ApiError.unavailable(parts.promptsOffReason());
        }
        return b;
    }

    private ApiResponse list(ApiRequest r) {
        r.onlyParams(Set.of());
        PromptBroker b = broker();
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("prompts");
        for (PendingPrompt p : b.pending()) {
            ObjectNode o = arr.addObject();
            o.put("id", p.id());
            o.put("createdAt", p.createdMillis());
            o.put("expiresAt", p.deadlineMillis());
            if (p.pid() < 0) {
                o.putNull("pid");
            } else {
                o.put("pid", p.pid());
            }
            o.put("comm", p.app());
            o.put("exe", p.exe());
            o.put("cmdline", p.cmdline().isEmpty() ? null : String.join(" ", p.cmdline()));
            o.put("user", p.user());
            o.put("address", p.remoteAddress().getHostAddress());
            o.put("domain", p.domain());
            o.put("port", p.port());
            o.put("protocol", p.transport().label());
            o.put("waiting", p.connections());
            o.put("heldPackets", p.heldPackets());
            o.put("timeoutAction", p.timeoutAction().label());
        }
        return ApiResponse.ok(out);
    }

    private ApiResponse answer(ApiRequest r) {
        r.onlyParams(Set.of());
        long id;
        try {
            id = Long.parseLong(r.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("prompt id must be an integer, not '" + r.pathParam("id") + "'");
        }
        ObjectNode body = r.jsonBody(Set.of("action", "scope", "duration"));
        Action action = switch (Json.requiredString(body, "action")) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            case "reject" -> Action.REJECT;
            default -> throw ApiError.badRequest("\"action\" must be allow, deny or reject");
        };
        PromptScope scope;
        RuleDuration duration;
        try {
            scope = PromptScope.parse(Json.requiredString(body, "scope"));
            duration = RuleDuration.parse(Json.requiredString(body, "duration"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        PromptBroker b = broker();
        Optional<String> rule;
        try {
            rule = b.answer(id, new PromptAnswer(action, scope, duration));
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound(e.getMessage());
        } catch (IOException e) {
            throw ApiError.unavailable("the rule could not be added (" + e.getMessage() + "); the prompt is still pending");
        }
        ObjectNode out = Json.object();
        out.put("ruleId", rule.orElse(null));
        return ApiResponse.ok(out);
    }
}
