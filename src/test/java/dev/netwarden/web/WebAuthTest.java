package dev.netwarden.web;

import dev.netwarden.flow.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Login, sessions, CSRF, Origin, headers and the static pages, over HTTP against an in-process server. */
class WebAuthTest {
    @TempDir
    Path tmp;
    WebFixture web;

    @BeforeEach
    void start() throws Exception {
        web = new WebFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void tokenFileIsMadeOnceOwnerOnlyAndKept() throws Exception {
        Path file = web.dataDir.resolve("ui-token");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(file).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(UiToken.loadOrCreate(web.dataDir).value()).isEqualTo(token);
    }

    @Test
    void healthIsPublicEverythingElseNeedsASession() throws Exception {
        WebFixture.Answer h = web.get("/api/health");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().get("ok").asBoolean()).isTrue();
        assertThat(h.json().get("version").asString()).isEqualTo("test-version");
        for (String path : List.of("/api/status", "/api/connections", "/api/session", "/api/events", "/api/settings")) {
            WebFixture.Answer a = web.get(path);
            assertThat(a.status()).as(path).isEqualTo(401);
            assertThat(a.json().get("error").asString()).isEqualTo("login required");
        }
        assertThat(web.send("POST", "/api/logout", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void loginGivesAStrictHttpOnlyCookieAndACsrfToken() throws Exception {
        WebFixture.Answer bad = web.send("POST", "/api/login", "{\"token\":\"wrong\"}", Map.of());
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("error").asString()).contains("wrong token");
        assertThat(bad.header("Set-Cookie")).isNull();
        assertThat(web.get("/api/status").status()).isEqualTo(401);

        WebFixture.Answer ok = web.login();
        String cookie = ok.header("Set-Cookie");
        assertThat(cookie).startsWith("nw_session=").contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
        assertThat(web.csrf).matches("[A-Za-z0-9_-]{43}");
        WebFixture.Answer status = web.get("/api/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("version").asString()).isEqualTo("test-version");
        assertThat(status.json().has("ok")).isFalse();
        assertThat(web.get("/api/session").json().get("csrf").asString()).isEqualTo(web.csrf);

        WebFixture.Answer out = web.call("POST", "/api/logout", null);
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(web.get("/api/status").status()).isEqualTo(401);
    }

    @Test
    void stateChangesNeedTheCsrfHeader() throws Exception {
        web.login();
        WebFixture.Answer none = web.send("POST", "/api/logout", null, Map.of());
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("error").asString()).contains("X-CSRF-Token");
        WebFixture.Answer wrong = web.send("POST", "/api/logout", null, Map.of("X-CSRF-Token", "x" + web.csrf.substring(1)));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(web.get("/api/status").status()).isEqualTo(200); // still logged in: nothing changed
    }

    @Test
    void aForeignOriginIsRefusedEvenWithAValidSession() throws Exception {
        web.login();
        Map<String, String> evil = Map.of("Origin", "http://evil.example", "X-CSRF-Token", web.csrf);
        WebFixture.Answer a = web.send("POST", "/api/logout", null, evil);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("error").asString()).contains("Origin");
        assertThat(web.send("GET", "/api/status", null, Map.of("Origin", "http://evil.example")).status()).isEqualTo(403);
        assertThat(web.send("GET", "/api/status", null, Map.of("Origin", "null")).status()).isEqualTo(403);
        // The page's own origin passes.
        assertThat(web.send("GET", "/api/status", null, Map.of("Origin", web.base())).status()).isEqualTo(200);
        // A cross-site login attempt is refused before the token is even looked at.
        String token = UiToken.read(web.dataDir).value();
        assertThat(web.send("POST", "/api/login", "{\"token\":\"" + token + "\"}", Map.of("Origin", "http://evil.example")).status())
                .isEqualTo(403);
    }

    @Test
    void securityHeadersOnEveryResponse() throws Exception {
        for (WebFixture.Answer a : List.of(web.get("/api/health"), web.get("/api/status"), web.get("/login.html"),
                web.get("/nope"), web.get("/"))) {
            assertThat(a.header("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self';"
                    + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(a.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
        assertThat(web.get("/api/health").header("Cache-Control")).isEqualTo("no-store");
        assertThat(web.get("/api/health").header("Server")).isNull();
    }

    @Test
    void pagesRedirectAndServeWithTheRightTypes() throws Exception {
        WebFixture.Answer root = web.get("/");
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("/login.html");
        WebFixture.Answer ui = web.get("/ui/index.html");
        assertThat(ui.status()).isEqualTo(302);
        assertThat(ui.header("Location")).isEqualTo("/login.html");
        assertThat(web.get("/ui/app.js").status()).isEqualTo(302);

        WebFixture.Answer login = web.get("/login.html");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Content-Type")).startsWith("text/html");
        assertThat(login.body()).contains("login (test page)");
        assertThat(web.get("/login.js").header("Content-Type")).startsWith("text/javascript");
        assertThat(web.get("/style.css").header("Content-Type")).startsWith("text/css");
        WebFixture.Answer uplot = web.get("/vendor/uplot/uPlot.iife.min.js");
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(web.get("/vendor/uplot/uPlot.min.css").status()).isEqualTo(200);
        assertThat(web.get("/vendor/uplot/uPlot.esm.js").status()).isEqualTo(404);

        web.login();
        assertThat(web.get("/").header("Location")).isEqualTo("/ui/index.html");
        WebFixture.Answer page = web.get("/ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("logged-in page");
        assertThat(web.get("/ui/app.js").status()).isEqualTo(200);
        assertThat(web.get("/ui/missing.js").status()).isEqualTo(404);
        assertThat(web.send("POST", "/login.html", "", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void noPathLeavesTheResourceRoot() throws Exception {
        web.login();
        for (String p : List.of("/ui/../../etc/passwd", "/ui/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd",
                "/ui/.hidden.js", "/dev/netwarden/web/WebServer.class", "/META-INF/MANIFEST.MF", "/ui/..%5c..%5cpom.xml")) {
            WebFixture.Answer a = web.get(p);
            assertThat(a.status()).as(p).isIn(400, 404);
            assertThat(a.body()).as(p).doesNotContain("root:").doesNotContain("<project");
        }
    }

    @Test
    void wrongTokensAreDelayedThenRefusedForAWhile() throws Exception {
        long t0 = System.nanoTime();
        assertThat(web.send("POST", "/api/login", "{\"token\":\"nope\"}", Map.of()).status()).isEqualTo(401);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
        for (int i = 1; i < 10; i++) {
            assertThat(web.send("POST", "/api/login", "{\"token\":\"nope" + i + "\"}", Map.of()).status()).isEqualTo(401);
        }
        WebFixture.Answer limited = web.send("POST", "/api/login", "{\"token\":\"nope\"}", Map.of());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        // Even the right token waits out the window: guessing cannot be sped up by mixing in a good one.
        String token = UiToken.read(web.dataDir).value();
        assertThat(web.send("POST", "/api/login", "{\"token\":\"" + token + "\"}", Map.of()).status()).isEqualTo(429);
    }

    @Test
    void badLoginBodiesAre400() throws Exception {
        assertThat(web.send("POST", "/api/login", "{\"token\":", Map.of()).json().get("error").asString()).startsWith("malformed JSON");
        assertThat(web.send("POST", "/api/login", "{\"token\":\"a\",\"x\":1}", Map.of()).status()).isEqualTo(400);
        assertThat(web.send("POST", "/api/login", "{\"token\":1}", Map.of()).status()).isEqualTo(400);
        assertThat(web.send("POST", "/api/login", "[]", Map.of()).status()).isEqualTo(400);
        assertThat(web.send("POST", "/api/login", "{\"token\":\"a\",\"token\":\"b\"}", Map.of()).status()).isEqualTo(400);
        assertThat(web.send("POST", "/api/login", "", Map.of()).status()).isEqualTo(400);
        assertThat(web.send("GET", "/api/login", null, Map.of()).status()).isEqualTo(405);
        assertThat(web.send("GET", "/api/login", null, Map.of()).header("Allow")).isEqualTo("POST");
        assertThat(web.get("/api/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void anOversizeBodyIs413() throws Exception {
        web.login();
        String big = "{\"token\":\"" + "a".repeat(WebHandler.MAX_BODY_BYTES) + "\"}";
        WebFixture.Answer a = web.call("POST", "/api/login", big);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().get("error").asString()).contains("larger than 1048576 bytes");
    }

    @Test
    void connectionsAreListedWithRatesAndFiltered() throws Exception {
        web.login();
        var curl = WebFixture.process(4242, "curl", "/usr/bin/curl", "alice", List.of("curl", "https://a.example/"));
        web.open(Transport.TCP, curl, "192.0.2.10", 443, "a.example", 1000, 5000);
        web.open(Transport.UDP, null, "192.0.2.53", 53, null, -1, -1);
        web.server.sampler().sample();
        WebFixture.Answer a = web.get("/api/connections");
        assertThat(a.status()).isEqualTo(200);
        var doc = a.json();
        assertThat(doc.get("total").asInt()).isEqualTo(2);
        var c = doc.get("connections").get(0).get("transport").asString().equals("tcp") ? doc.get("connections").get(0) : doc.get("connections").get(1);
        assertThat(c.get("pid").asInt()).isEqualTo(4242);
        assertThat(c.get("exe").asString()).isEqualTo("/usr/bin/curl");
        assertThat(c.get("remote").get("address").asString()).isEqualTo("192.0.2.10");
        assertThat(c.get("remote").get("port").asInt()).isEqualTo(443);
        assertThat(c.get("service").asString()).isEqualTo("https");
        assertThat(c.get("domain").asString()).isEqualTo("a.example");
        assertThat(c.get("cmdline").asString()).isEqualTo("curl https://a.example/");
        assertThat(c.get("bytesIn").asLong()).isEqualTo(5000);
        assertThat(c.get("rateIn").asDouble()).isGreaterThan(0);
        assertThat(web.get("/api/connections?q=A.EXAMPLE").json().get("total").asInt()).isEqualTo(1);
        assertThat(web.get("/api/connections?q=alice").json().get("total").asInt()).isEqualTo(1);
        assertThat(web.get("/api/connections?q=192.0.2.53:53").json().get("total").asInt()).isEqualTo(1);
        assertThat(web.get("/api/connections?limit=1").json().get("connections").size()).isEqualTo(1);
        assertThat(web.get("/api/connections?limit=0").status()).isEqualTo(400);
        assertThat(web.get("/api/connections?limit=x").status()).isEqualTo(400);
        assertThat(web.get("/api/connections?bogus=1").status()).isEqualTo(400);
        var unknown = web.get("/api/connections?q=udp").json().get("connections").get(0);
        assertThat(unknown.get("pid").isNull()).isTrue();
        assertThat(unknown.get("unknownReason").asString()).contains("socket gone");
        assertThat(unknown.get("bytesOut").asLong()).isEqualTo(-1);
        assertThat(unknown.get("rateOut").asDouble()).isEqualTo(-1);
    }
}
