package dev.netwarden.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pages and their scripts, from the class path: {@code ROOT/…} (the UI, {@code web/} in the jar)
 * and uPlot from its WebJar under {@code /vendor/uplot/}. Only plain names are served (letters,
 * digits, '.', '_', '-', '/'; no "..", no hidden files), so no request reaches outside the root.
 *
 * <p>Which paths need a session: {@link #isPublic} — the login page and what it loads, and uPlot.
 */
public final class StaticFiles {
    /** Where the WebJar keeps uPlot's files. */
    static final String UPLOT_DIR = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    static final Map<String, String> VENDOR = Map.of(
            "/vendor/uplot/uPlot.iife.min.js", UPLOT_DIR + "uPlot.iife.min.js",
            "/vendor/uplot/uPlot.min.css", UPLOT_DIR + "uPlot.min.css");
    private static final Set<String> PUBLIC = Set.of("/login.html", "/login.js", "/style.css", "/favicon.svg");
    private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("json", "application/json"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json"));

    /** A file to send. */
    public record File(String contentType, byte[] body) {}

    private final String root;
    private final ClassLoader loader;

    /** @param root the class-path directory of the pages, e.g. "web" */
    public StaticFiles(String root) {
        this(root, StaticFiles.class.getClassLoader());
    }

    StaticFiles(String root, ClassLoader loader) {
        Objects.requireNonNull(root, "root is null");
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.loader = Objects.requireNonNull(loader, "loader is null");
    }

    /** Answered without a session: the login page, what it loads, and the vendored uPlot. */
    public static boolean isPublic(String path) {
        return PUBLIC.contains(path) || VENDOR.containsKey(path);
    }

    /** The file at {@code path} (decoded, starting with '/'), or null when there is none or the name is not plain. */
    public File find(String path) throws IOException {
        String resource = VENDOR.get(path);
        if (resource == null) {
            if (!SAFE.matcher(path).matches() || path.contains("..") || path.startsWith("/api/")) {
                return null;
            }
            resource = root + path;
        }
        int dot = resource.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return new File(type, in.readAllBytes());
        }
    }
}
