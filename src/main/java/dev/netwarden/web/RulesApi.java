package dev.netwarden.web;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.rules.BoundedRegex;
import dev.netwarden.rules.Condition;
import dev.netwarden.rules.ConditionKind;
import dev.netwarden.rules.Rule;
import dev.netwarden.rules.RuleFileResult;
import dev.netwarden.rules.RuleFiles;
import dev.netwarden.rules.RuleSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The rules page's API over the rules directory, at both levels: list (evaluation order, and the files
 * that do not parse), read, create, replace, delete, enable, disable, and test a described connection.
 * It changes files only, as {@code netwarden rules} does; at the intercept level the daemon's rule
 * engine picks each change up by itself. Writes are atomic (RuleFiles) and happen only after the whole
 * request was checked.
 */
final class RulesApi {
    private final DaemonParts parts;
    /** Decisions per rule since the start, or null when no firewall decides (passive level). */
    private final ToLongFunction<String> hits;

    RulesApi(DaemonParts parts, ToLongFunction<String> hits) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
        this.hits = hits;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/rules", this::list),
                Route.post("/api/rules", this::create),
                Route.post("/api/rules/test", this::test),
                Route.get("/api/rules/{id}", this::read),
                Route.put("/api/rules/{id}", this::replace),
                Route.delete("/api/rules/{id}", this::delete),
                Route.post("/api/rules/{id}/enable", r -> enable(r, true)),
                Route.post("/api/rules/{id}/disable", r -> enable(r, false)));
    }

    private RuleFiles files() {
        return new RuleFiles(parts.rulesDir());
    }

    private Long hitsOf(String id) {
        return hits == null ? null : hits.applyAsLong(id);
    }

    /** Every rule in evaluation order, then the broken files. */
    private ApiResponse list(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        RuleFiles.Loaded loaded = files().load();
        ObjectNode out = Json.object();
        ArrayNode rules = out.putArray("rules");
        int order = 1;
        for (RuleSet.Entry e : loaded.set().entries()) {
            rules.add(RuleJson.of(e.rule(), e.source(), order++, hitsOf(e.rule().id())));
        }
        ArrayNode errors = out.putArray("errors");
        for (var e : loaded.errors()) {
            errors.addObject().put("path", e.path()).put("line", e.line()).put("key", e.key()).put("message", e.message());
        }
        return ApiResponse.ok(out);
    }

    /** The rules that name executable {@code exe} in an exe or exe_regex condition (for the app page). */
    List<ObjectNode> rulesNaming(String exe) throws IOException {
        RuleFiles.Loaded loaded = files().load();
        List<ObjectNode> out = new java.util.ArrayList<>();
        int order = 1;
        for (RuleSet.Entry e : loaded.set().entries()) {
            Rule rule = e.rule();
            int current = order++;
            Condition exact = rule.condition(ConditionKind.EXE);
            Condition regex = rule.condition(ConditionKind.EXE_REGEX);
            if (exact == null && regex == null) {
                continue;
            }
            boolean exactOk = exact == null || exact.values().contains(exe);
            boolean regexOk = regex == null || regex.values().stream().anyMatch(v -> BoundedRegex.compile(v, false).find(exe));
            if (exactOk && regexOk) {
                out.add(RuleJson.of(rule, e.source(), current, hitsOf(rule.id())));
            }
        }
        return out;
    }

    private Path existing(String id) {
        Path p;
        try {
            p = files().pathOf(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (!Files.isRegularFile(p)) {
            throw ApiError.notFound("no rule " + id + " in " + parts.rulesDir());
        }
        return p;
    }

    private Rule parsed(Path p, String id) {
        return switch (RuleFiles.read(p)) {
            case RuleFileResult.Parsed ok -> ok.rule();
            case RuleFileResult.Invalid bad -> throw ApiError.conflict("rule file of " + id + " is broken (fix or delete it first): "
                    + String.join("; ", bad.errors().stream().map(RuleJson::message).toList()));
        };
    }

    private ObjectNode shown(Rule rule, Path path) throws IOException {
        int order = 1;
        for (RuleSet.Entry e : files().load().set().entries()) {
            if (e.rule().id().equals(rule.id())) {
                break;
            }
            order++;
        }
        return RuleJson.of(rule, path, order, hitsOf(rule.id()));
    }

    private ApiResponse read(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        String id = r.pathParam("id");
        Path p = existing(id);
        return ApiResponse.ok(shown(parsed(p, id), p));
    }

    private ApiResponse create(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        ObjectNode body = Json.parseObject(r.body());
        String id = Json.string(body, "id");
        if (id == null) {
            // Like "rules add" without --id: made from the action and the conditions (checked below).
            Rule draft = RuleJson.parse("draft", body, Instant.now());
            id = Rule.defaultId(draft.action(), draft.conditions());
        }
        Rule rule = RuleJson.parse(id, body, Instant.now());
        RuleFiles files = files();
        try {
            Path p = files.write(rule, false);
            return ApiResponse.json(201, shown(rule, p));
        } catch (FileAlreadyExistsException e) {
            throw ApiError.conflict("rule " + id + " exists; change it with PUT /api/rules/" + id);
        }
    }

    private ApiResponse replace(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        String id = r.pathParam("id");
        ObjectNode body = Json.parseObject(r.body());
        String bodyId = Json.string(body, "id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw ApiError.badRequest("the body's id '" + bodyId + "' is not the path's '" + id + "' (rules are renamed by delete and create)");
        }
        Path p = existing(id);
        Rule rule = RuleJson.parse(id, body, Instant.now());
        files().write(rule, true);
        return ApiResponse.ok(shown(rule, p));
    }

    private ApiResponse delete(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        String id = r.pathParam("id");
        existing(id);
        files().delete(id);
        return ApiResponse.ok(Json.object().put("id", id).put("deleted", true));
    }

    private ApiResponse enable(ApiRequest r, boolean on) throws IOException {
        r.onlyParams(Set.of());
        if (r.body().length > 0) {
            r.jsonBody(Set.of()); // no body is needed; one with fields is a mistake worth saying
        }
        String id = r.pathParam("id");
        Path p = existing(id);
        Rule rule = parsed(p, id).withEnabled(on);
        files().write(rule, true);
        return ApiResponse.ok(shown(rule, p));
    }

    /** Which rule would decide a described connection; nothing changes (a once-rule is not used up). */
    private ApiResponse test(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        ConnectionFacts facts = ConnectionFactsJson.parse(r.jsonBody(ConnectionFactsJson.FIELDS));
        RuleFiles.Loaded loaded = files().load();
        ListMembership lists = parts.blockLists() == null ? ListMembership.NONE : parts.blockLists();
        Optional<RuleMatch> m = loaded.set().explain(facts, lists, System.currentTimeMillis());
        ObjectNode out = Json.object();
        out.put("decision", m.map(x -> x.action().label()).orElse("default"));
        out.put("ruleId", m.map(RuleMatch::ruleId).orElse(null));
        out.put("reason", m.map(RuleMatch::explanation).orElse("no rule matches: the default action applies"));
        return ApiResponse.ok(out);
    }
}
