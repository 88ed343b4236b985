package dev.netwarden.web;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes here: security headers, then for {@code /api/…} the gate (Origin, session,
 * CSRF, body size) and the route's endpoint, for anything else a static file (pages under
 * {@code /ui/} need a session; without one the browser is sent to the login page).
 *
 * <p>The gate's order matters: a wrong Origin is refused before anything else (a cross-site page must
 * learn nothing, not even whether it is logged in), then the session (401), then the CSRF header on
 * state-changing methods (403). Only then is the body read, at most {@link #MAX_BODY_BYTES}.
 */
public final class WebHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger("netwarden.web");
    public static final String COOKIE = "nw_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final int MAX_BODY_BYTES = 1 << 20;

    /** The streaming route ({@code GET /api/events}): served outside the request/response endpoints. */
    public interface Stream {
        void serve(Request request, Response response, Callback callback) throws Exception;
    }

    private final Router router;
    private final Sessions sessions;
    private final StaticFiles files;
    private final boolean secure;
    private final String streamPath;
    private final Stream stream;
    private final LongAdder requests = new LongAdder();
    private final LongAdder refused = new LongAdder();

    public WebHandler(Router router, Sessions sessions, StaticFiles files, boolean secure, String streamPath, Stream stream) {
        this.router = Objects.requireNonNull(router, "router is null");
        this.sessions = Objects.requireNonNull(sessions, "sessions is null");
        this.files = Objects.requireNonNull(files, "files is null");
        this.secure = secure;
        this.streamPath = Objects.requireNonNull(streamPath, "streamPath is null");
        this.stream = Objects.requireNonNull(stream, "stream is null");
    }

    public long requests() {
        return requests.sum();
    }

    /** Requests refused by the gate (Origin, session, CSRF). */
    public long refused() {
        return refused.sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        requests.increment();
        String path = request.getHttpURI().getDecodedPath();
        boolean api = path.equals("/api") || path.startsWith("/api/");
        SecurityHeaders.apply(response.getHeaders(), api);
        if (api) {
            handleApi(request, response, callback, path);
        } else {
            handleFile(request, response, callback, path);
        }
        return true;
    }

    private void handleApi(Request request, Response response, Callback callback, String path) {
        ApiResponse answer;
        try {
            String method = request.getMethod().toUpperCase(Locale.ROOT);
            if (!originAllowed(request)) {
                refused.increment();
                throw new ApiError(403, "cross-origin request refused (Origin does not match this server)");
            }
            Sessions.Session session = sessions.find(cookie(request));
            if (path.equals(streamPath) && (method.equals("GET") || method.equals("HEAD"))) {
                if (session == null) {
                    refused.increment();
                    throw new ApiError(401, "login required");
                }
                if (request.getHttpURI().getQuery() != null && !request.getHttpURI().getQuery().isEmpty()) {
                    throw ApiError.badRequest("the live stream takes no query parameters");
                }
                stream.serve(request, response, callback);
                return;
            }
            Router.Match match = router.match(method, path);
            if (!match.route().isPublic()) {
                if (session == null) {
                    refused.increment();
                    throw new ApiError(401, "login required");
                }
                if (!method.equals("GET") && !method.equals("HEAD") && !session.csrfMatches(request.getHeaders().get(CSRF_HEADER))) {
                    refused.increment();
                    throw new ApiError(403, "missing or wrong " + CSRF_HEADER + " header (get it from GET /api/session)");
                }
            }
            byte[] body = body(request);
            ApiRequest r = new ApiRequest(method, path, match.params(), query(request), body, session);
            answer = match.route().endpoint().handle(r);
        } catch (ApiError e) {
            answer = ApiResponse.error(e.status(), e.getMessage());
        } catch (Router.MethodNotAllowed e) {
            answer = ApiResponse.error(405, e.getMessage()).withHeader("Allow", String.join(", ", e.allowed()));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "web: " + request.getMethod() + " " + path + " failed: " + e, e);
            answer = ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        send(request, response, callback, answer);
    }

    private void handleFile(Request request, Response response, Callback callback, String path) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(request, response, callback, ApiResponse.error(405, method + " is not allowed on pages").withHeader("Allow", "GET, HEAD"));
            return;
        }
        boolean loggedIn = sessions.find(cookie(request)) != null;
        if (path.equals("/") || path.isEmpty()) {
            redirect(response, callback, loggedIn ? "/ui/index.html" : "/login.html");
            return;
        }
        if (path.equals("/ui") || path.equals("/ui/")) {
            redirect(response, callback, loggedIn ? "/ui/index.html" : "/login.html");
            return;
        }
        if (!StaticFiles.isPublic(path) && !loggedIn) {
            if (path.startsWith("/ui/")) {
                redirect(response, callback, "/login.html");
            } else {
                send(request, response, callback, ApiResponse.text(404, "text/plain;charset=utf-8", "not found\n"));
            }
            return;
        }
        StaticFiles.File f = files.find(path);
        if (f == null) {
            send(request, response, callback, ApiResponse.text(404, "text/plain;charset=utf-8", "not found\n"));
            return;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        send(request, response, callback, new ApiResponse(200, f.contentType(), f.body(), Map.of()));
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }

    static void send(Request request, Response response, Callback callback, ApiResponse answer) {
        response.setStatus(answer.status());
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        answer.headers().forEach(h::put);
        h.put(HttpHeader.CONTENT_LENGTH, (long) answer.body().length);
        boolean head = request.getMethod().equalsIgnoreCase("HEAD");
        response.write(true, head ? null : ByteBuffer.wrap(answer.body()), callback);
    }

    static String cookie(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE)) {
                return c.getValue();
            }
        }
        return null;
    }

    /**
     * No Origin (same-origin GETs, curl) is allowed; a given one must be this server's own
     * {@code scheme://host[:port]} as the request addressed it (so an SSH tunnel's
     * {@code 127.0.0.1:7979} works, a page of another site does not).
     */
    static boolean originAllowed(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            return false;
        }
        String scheme = request.isSecure() ? "https" : "http";
        return origin.equalsIgnoreCase(scheme + "://" + host);
    }

    private static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValues());
        }
        return out;
    }

    private static byte[] body(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            throw new ApiError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new ApiError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        }
    }
}
