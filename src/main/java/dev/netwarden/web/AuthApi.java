package dev.netwarden.web;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Login, logout, the session's CSRF token and the public health check. A login trades the UI token
 * (from {@code netwarden ui-token}) for a session cookie and a CSRF token; a wrong token costs a delay
 * ({@link LoginThrottle}) and is answered 401 without saying more.
 */
final class AuthApi {
    private final UiToken token;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final boolean secure;
    private final String version;

    AuthApi(UiToken token, Sessions sessions, LoginThrottle throttle, boolean secure, String version) {
        this.token = Objects.requireNonNull(token, "token is null");
        this.sessions = Objects.requireNonNull(sessions, "sessions is null");
        this.throttle = Objects.requireNonNull(throttle, "throttle is null");
        this.secure = secure;
        this.version = Objects.requireNonNull(version, "version is null");
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/health", this::health).asPublic(),
                Route.post("/api/login", this::login).asPublic(),
                Route.post("/api/logout", this::logout),
                Route.get("/api/session", this::session));
    }

    private ApiResponse health(ApiRequest r) {
        r.onlyParams(Set.of());
        return ApiResponse.ok(Json.object().put("ok", true).put("version", version));
    }

    private ApiResponse login(ApiRequest r) throws InterruptedException {
        long wait = throttle.retryAfterSeconds();
        if (wait > 0) {
            return ApiResponse.error(429, "too many failed logins; try again in " + wait + " s")
                    .withHeader("Retry-After", Long.toString(wait));
        }
        ObjectNode body = r.jsonBody(Set.of("token"));
        String offered = Json.requiredString(body, "token");
        if (!token.matches(offered.strip())) {
            throttle.failed();
            return ApiResponse.error(401, "wrong token (print the right one with: netwarden ui-token)");
        }
        if (r.session() != null) {
            sessions.remove(r.session().id()); // a new login gets a new id: no session fixation
        }
        Sessions.Session s = sessions.create();
        return ApiResponse.ok(Json.object().put("csrf", s.csrf())).withHeader("Set-Cookie", cookie(s.id(), false));
    }

    private ApiResponse logout(ApiRequest r) {
        r.onlyParams(Set.of());
        sessions.remove(r.session().id());
        return ApiResponse.ok(Json.object().put("ok", true)).withHeader("Set-Cookie", cookie("", true));
    }

    private ApiResponse session(ApiRequest r) {
        r.onlyParams(Set.of());
        return ApiResponse.ok(Json.object().put("csrf", r.session().csrf()));
    }

    /** {@code nw_session=ID; Path=/; HttpOnly; SameSite=Strict} (and Secure over HTTPS). */
    String cookie(String value, boolean expire) {
        return WebHandler.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (expire ? "; Max-Age=0" : "");
    }
}
