package dev.netwarden.web;

import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * src/main/resources/web/openapi.yaml against the real server: every route is documented and every
 * documented operation answers — without a session, with one (using the document's examples), with a
 * malformed body, with an unknown parameter, without the CSRF header — with a status the document
 * lists for it; and each 2xx JSON answer has the fields and types its schema requires.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @TempDir
    Path tmp;
    WebFixture web;
    JsonNode spec;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(tmp);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("web/openapi.yaml")) {
            spec = YAMLMapper.shared().readTree(in);
        }
        var curl = WebFixture.process(4242, "curl", "/usr/bin/curl", "root", List.of("curl", "https://a.example/"));
        web.open(Transport.TCP, curl, "192.0.2.10", 443, "a.example", 100, 200);
        web.server.sampler().sample();
        Files.createDirectories(web.rulesDir);
        Files.writeString(web.rulesDir.resolve("curl-deny.toml"), "action = \"deny\"\n[match]\nexe = \"/usr/bin/curl\"\n");
        Files.createDirectories(web.listsDir);
        Files.writeString(web.listsDir.resolve("ads.list"), "ads.example\n");
        web.flushHistory();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private record Op(String path, String method, JsonNode node) {
        boolean isPublic() {
            JsonNode sec = node.get("security");
            return sec != null && sec.isArray() && sec.isEmpty();
        }

        Set<Integer> statuses() {
            Set<Integer> s = new TreeSet<>();
            for (String k : node.get("responses").propertyNames()) {
                s.add(Integer.parseInt(k));
            }
            return s;
        }
    }

    private List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        for (String path : spec.get("paths").propertyNames()) {
            JsonNode item = spec.get("paths").get(path);
            for (String m : item.propertyNames()) {
                if (METHODS.contains(m)) {
                    ops.add(new Op(path, m.toUpperCase(), item.get(m)));
                }
            }
        }
        // Logging out ends the session the other calls use: last.
        ops.sort((a, b) -> Boolean.compare(a.path().equals("/api/logout"), b.path().equals("/api/logout")));
        return ops;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationExists() {
        Set<String> documented = new TreeSet<>();
        operations().forEach(o -> documented.add(o.method() + " " + o.path()));
        Set<String> served = new TreeSet<>();
        web.server.router().routes().forEach(r -> served.add(r.method() + " " + r.pattern()));
        served.add("GET /api/events"); // the stream, served beside the router
        assertThat(documented).isEqualTo(served);
        assertThat(spec.get("openapi").asString()).isEqualTo("3.1.0");
    }

    @Test
    void everyOperationAnswersWithADocumentedStatus() throws Exception {
        web.login();
        HttpClient anonymous = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        for (Op op : operations()) {
            Set<Integer> allowed = op.statuses();
            String url = web.base() + url(op, "");
            String what = op.method() + " " + op.path();
            boolean hasBody = op.node().has("requestBody");

            if (!op.isPublic()) {
                int s = anonymous.send(request(url, op.method(), hasBody ? "{}" : null, Map.of()), HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(s).as(what + " without a session").isEqualTo(401);
                assertThat(allowed).as(what + " documents 401").contains(401);
            }
            if (!op.method().equals("GET") && !op.isPublic()) {
                HttpResponse<String> r = web.http.send(request(url, op.method(), example(op), Map.of()), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(what + " without CSRF").isEqualTo(403);
                assertThat(allowed).as(what + " documents 403").contains(403);
            }
            if (hasBody) {
                HttpResponse<String> r = web.http.send(request(url, op.method(), "{\"x\":", csrf()), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(what + " with malformed JSON").isEqualTo(400);
                assertThat(allowed).as(what + " documents 400").contains(400);
                assertThat(WebFixture.JSON.readTree(r.body()).get("error").asString()).startsWith("malformed JSON");
            }
            if (op.method().equals("GET") && !op.path().equals("/api/events")) {
                String bad = web.base() + url(op, "bogus=1");
                HttpResponse<String> r = web.http.send(request(bad, "GET", null, csrf()), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(what + " with an unknown parameter").isEqualTo(400);
                assertThat(allowed).as(what + " documents 400").contains(400);
            }
            if (op.path().equals("/api/events")) {
                HttpResponse<InputStream> r = web.http.send(request(url, "GET", null, Map.of()), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(r.statusCode()).as(what).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                try (InputStream in = r.body()) {
                    assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("retry");
                }
                continue;
            }
            HttpResponse<String> r = web.http.send(request(url, op.method(), example(op), csrf()), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed).as(what + " answered " + r.statusCode() + ": " + r.body()).contains(r.statusCode());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode content = op.node().get("responses").get(Integer.toString(r.statusCode()));
            content = resolve(content).get("content");
            assertThat(content).as(what + " documents a body for " + r.statusCode()).isNotNull();
            String mediaType = type.split(";")[0];
            assertThat(content.has(mediaType)).as(what + " documents " + mediaType).isTrue();
            if (mediaType.equals("application/json")) {
                List<String> problems = new ArrayList<>();
                validate(WebFixture.JSON.readTree(r.body()), content.get(mediaType).get("schema"), "$", problems);
                assertThat(problems).as(what + " answered " + r.body()).isEmpty();
            }
        }
    }

    private Map<String, String> csrf() {
        return Map.of("X-CSRF-Token", web.csrf);
    }

    private static HttpRequest request(String url, String method, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The operation's path with its path parameters' examples, and the examples of its query parameters. */
    private String url(Op op, String extraQuery) {
        String path = op.path();
        List<String> query = new ArrayList<>();
        List<JsonNode> params = new ArrayList<>();
        JsonNode shared = spec.get("paths").get(op.path()).get("parameters");
        if (shared != null) {
            shared.forEach(params::add);
        }
        if (op.node().has("parameters")) {
            op.node().get("parameters").forEach(params::add);
        }
        for (JsonNode p : params) {
            p = resolve(p);
            JsonNode example = p.get("example");
            if (example == null) {
                assertThat(p.path("required").asBoolean(false)).as(op.path() + " required parameter " + p.get("name") + " has an example").isFalse();
                continue;
            }
            String v = URLEncoder.encode(example.asString(), StandardCharsets.UTF_8);
            if (p.get("in").asString().equals("path")) {
                path = path.replace("{" + p.get("name").asString() + "}", v);
            } else {
                query.add(p.get("name").asString() + "=" + v);
            }
        }
        if (!extraQuery.isEmpty()) {
            query.add(extraQuery);
        }
        return query.isEmpty() ? path : path + "?" + String.join("&", query);
    }

    private String example(Op op) {
        JsonNode body = op.node().get("requestBody");
        if (body == null) {
            return null;
        }
        JsonNode ex = body.get("content").get("application/json").get("example");
        assertThat(ex).as(op.method() + " " + op.path() + " has a request example").isNotNull();
        return WebFixture.JSON.writeValueAsString(ex);
    }

    private JsonNode resolve(JsonNode n) {
        while (n != null && n.has("$ref")) {
            String ref = n.get("$ref").asString();
            JsonNode t = spec;
            for (String part : ref.substring(2).split("/")) {
                t = t.get(part);
            }
            n = t;
        }
        return n;
    }

    /** A subset of JSON Schema: $ref, type (with null), required, properties, items, enum, const. */
    private void validate(JsonNode value, JsonNode schema, String at, List<String> problems) {
        schema = resolve(schema);
        if (schema == null) {
            return;
        }
        if (schema.has("oneOf")) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> types = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asString()));
            } else {
                types.add(type.asString());
            }
            if (!types.stream().anyMatch(t -> is(value, t))) {
                problems.add(at + " is " + value + ", not " + types);
                return;
            }
        }
        if (schema.has("enum") && !value.isNull()) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                problems.add(at + " = " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            problems.add(at + " = " + value + " is not " + schema.get("const"));
        }
        if (value.isObject()) {
            if (schema.has("required")) {
                for (JsonNode req : schema.get("required")) {
                    if (!value.has(req.asString())) {
                        problems.add(at + " lacks required field " + req.asString());
                    }
                }
            }
            if (schema.has("properties")) {
                for (Iterator<String> it = schema.get("properties").propertyNames().iterator(); it.hasNext(); ) {
                    String name = it.next();
                    if (value.has(name)) {
                        validate(value.get(name), schema.get("properties").get(name), at + "." + name, problems);
                    }
                }
            }
            if (schema.has("additionalProperties") && schema.get("additionalProperties").isObject()) {
                for (String name : value.propertyNames()) {
                    if (schema.path("properties").get(name) == null) {
                        validate(value.get(name), schema.get("additionalProperties"), at + "." + name, problems);
                    }
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                validate(item, schema.get("items"), at + "[" + i++ + "]", problems);
            }
        }
    }

    private static boolean is(JsonNode v, String type) {
        return switch (type) {
            case "null" -> v.isNull();
            case "string" -> v.isString();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> false;
        };
    }
}
