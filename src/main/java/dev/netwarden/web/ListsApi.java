package dev.netwarden.web;

import dev.netwarden.lists.BlockLists;
import dev.netwarden.lists.IpNetwork;
import dev.netwarden.lists.ListFormat;
import dev.netwarden.lists.ListParser;
import dev.netwarden.lists.ListSource;
import dev.netwarden.lists.ListsDirectory;
import dev.netwarden.lists.ListsDirectory.ListFile;
import dev.netwarden.lists.ListStats;
import dev.netwarden.lists.ParsedList;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The block lists page's API over {@code firewall.lists_dir}: one list per file, {@code NAME.list}
 * ({@code .txt}, {@code .hosts}) holding the entries or {@code NAME.url} holding the address to fetch
 * it from, as the daemon reads them. Counts and hits come from the lists the firewall loaded when it
 * runs (intercept level), else from parsing the local files. The daemon follows the directory
 * ({@code lists.ListsDirectoryWatch}), so a list added or deleted here is in force in rules within
 * about a second, no restart ({@code loaded} says whether the running firewall has it yet).
 */
final class ListsApi {
    /** Local list files larger than this are not parsed for the page (the daemon's limit is 64 MiB). */
    static final long MAX_PARSE_BYTES = 64L << 20;

    private final DaemonParts parts;

    ListsApi(DaemonParts parts) {
        this.parts = Objects.requireNonNull(parts, "parts is null");
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/lists", this::list),
                Route.post("/api/lists", this::create),
                Route.post("/api/lists/check", this::check),
                Route.delete("/api/lists/{name}", this::delete));
    }

    /** The lists of the directory by name, as the daemon reads them (the first file of a name wins). */
    private Map<String, ListFile> files() throws IOException {
        return new ListsDirectory(parts.listsDir(), ListSource.DEFAULT_REFRESH).files();
    }

    private ApiResponse list(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        BlockLists loaded = parts.blockLists();
        Map<String, ListStats> stats = new TreeMap<>();
        if (loaded != null) {
            for (ListStats s : loaded.stats()) {
                stats.put(s.name(), s);
            }
        }
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("lists");
        for (ListFile f : files().values()) {
            arr.add(describe(f, stats.get(f.name())));
        }
        return ApiResponse.ok(out);
    }

    private ObjectNode describe(ListFile f, ListStats s) throws IOException {
        ObjectNode o = Json.object();
        o.put("name", f.name());
        o.put("file", f.path().toString());
        o.put("source", f.url() ? urlOf(f.path()) : f.path().toString());
        o.put("loaded", s != null);
        if (s != null) {
            o.put("format", s.format() == null ? null : s.format().label());
            o.put("entries", s.domains() + s.networks());
            o.put("hits", s.hits());
            o.put("lastRefresh", s.checkedAt() != null ? s.checkedAt().toEpochMilli() : s.loadedAt() == null ? null : s.loadedAt().toEpochMilli());
            o.put("error", s.lastError());
            return o;
        }
        o.putNull("hits");
        if (f.url()) {
            o.putNull("format");
            o.put("entries", -1);
            o.putNull("lastRefresh");
            o.putNull("error");
            return o;
        }
        o.put("lastRefresh", Files.getLastModifiedTime(f.path()).toMillis());
        if (Files.size(f.path()) > MAX_PARSE_BYTES) {
            o.putNull("format");
            o.put("entries", -1);
            o.put("error", "larger than " + MAX_PARSE_BYTES + " bytes");
            return o;
        }
        ParsedList p = ListParser.parse(Files.readAllBytes(f.path()), null);
        o.put("format", p.report().format().label());
        o.put("entries", p.report().entries());
        o.put("error", p.report().entries() == 0 && p.report().bad() > 0 ? p.report().bad() + " lines could not be read" : null);
        return o;
    }

    private static String urlOf(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                return l;
            }
        }
        return null;
    }

    private static String checkedName(String name) {
        if (!ListsDirectory.validName(name)) {
            throw ApiError.badRequest("list name '" + name + "': letters, digits, '.', '_' and '-' only (not first), at most 64");
        }
        return name;
    }

    private ApiResponse create(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        ObjectNode body = r.jsonBody(Set.of("name", "url", "content", "format"));
        String name = checkedName(Json.requiredString(body, "name"));
        String url = Json.string(body, "url");
        String content = Json.string(body, "content");
        String formatText = Json.string(body, "format");
        if ((url == null) == (content == null)) {
            throw ApiError.badRequest("give either \"url\" (the list's http(s) address) or \"content\" (its entries), not both or neither");
        }
        ListFormat format = null;
        if (formatText != null) {
            try {
                format = ListFormat.fromLabel(formatText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        }
        String text;
        String ext;
        if (url != null) {
            if (format != null) {
                throw ApiError.badRequest("\"format\" goes with \"content\"; a URL list's format is detected when it is fetched");
            }
            checkUrl(url);
            text = "# netwarden block list " + name + ": fetched from\n" + url.strip() + "\n";
            ext = "url";
        } else {
            ParsedList parsed = ListParser.parse(content.getBytes(StandardCharsets.UTF_8), format);
            if (parsed.report().entries() == 0 && !content.isBlank()) {
                throw ApiError.badRequest("no entries could be read as " + parsed.report().format().label() + " ("
                        + parsed.report().bad() + " bad lines" + (parsed.report().badExamples().isEmpty() ? ""
                        : ", e.g. line " + parsed.report().badExamples().getFirst().line() + ": "
                        + parsed.report().badExamples().getFirst().reason()) + ")");
            }
            text = content.endsWith("\n") || content.isEmpty() ? content : content + "\n";
            ext = parsed.report().format() == ListFormat.HOSTS ? "hosts" : "list";
        }
        if (files().containsKey(name)) {
            throw ApiError.conflict("list " + name + " exists; delete it first to replace it");
        }
        Path dir = Files.createDirectories(parts.listsDir());
        Path target = dir.resolve(name + "." + ext);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.createLink(target, tmp); // fails if it appeared meanwhile: no overwrite
        } catch (FileAlreadyExistsException e) {
            throw ApiError.conflict("list " + name + " exists; delete it first to replace it");
        } finally {
            Files.deleteIfExists(tmp);
        }
        return ApiResponse.json(201, describe(new ListFile(name, target, url != null), null));
    }

    private static void checkUrl(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("url: not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || url.strip().contains("\n")) {
            throw ApiError.badRequest("url: must be an http:// or https:// address with a host");
        }
    }

    private ApiResponse delete(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        String name = checkedName(r.pathParam("name"));
        boolean any = false;
        for (String ext : List.of("list", "txt", "hosts", "url")) {
            Path p = parts.listsDir().resolve(name + "." + ext);
            if (Files.isRegularFile(p)) {
                Files.delete(p);
                any = true;
            }
        }
        if (!any) {
            throw ApiError.notFound("no list " + name + " in " + parts.listsDir());
        }
        return ApiResponse.ok(Json.object().put("name", name).put("deleted", true));
    }

    /** Which lists have a domain (or a parent of it) or an address, and by which entry. */
    private ApiResponse check(ApiRequest r) throws IOException {
        r.onlyParams(Set.of());
        ObjectNode body = r.jsonBody(Set.of("domain", "address"));
        String domain = Json.string(body, "domain");
        String addressText = Json.string(body, "address");
        if ((domain == null) == (addressText == null)) {
            throw ApiError.badRequest("give either \"domain\" or \"address\"");
        }
        InetAddress address = null;
        if (addressText != null) {
            try {
                address = InetAddress.ofLiteral(addressText.strip());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("address: '" + addressText + "' is not an IP address");
            }
        } else if (domain.isBlank() || domain.length() > 253) {
            throw ApiError.badRequest("domain: must be a name of 1 to 253 characters");
        }
        BlockLists loaded = parts.blockLists();
        ObjectNode out = Json.object();
        ArrayNode matches = out.putArray("matches");
        for (ListFile f : files().values()) {
            ParsedList p = loaded == null ? null : currentOrNull(loaded, f.name());
            byte[] data = null;
            if (!f.url() && Files.size(f.path()) <= MAX_PARSE_BYTES) {
                data = Files.readAllBytes(f.path());
                if (p == null) {
                    p = ListParser.parse(data, null);
                }
            }
            if (p == null) {
                continue; // a URL list the firewall has not loaded: nothing to look in
            }
            if (domain != null) {
                for (String entry : p.domains().covering(domain.strip().toLowerCase(Locale.ROOT))) {
                    matches.addObject().put("list", f.name()).put("entry", entry);
                }
            } else if (p.containsAddress(address)) {
                matches.addObject().put("list", f.name()).put("entry", data == null ? address.getHostAddress() : covering(data, address));
            }
        }
        return ApiResponse.ok(out);
    }

    private static ParsedList currentOrNull(BlockLists lists, String name) {
        return lists.current(name); // null: not loaded (added a moment ago, or not fetched yet)
    }

    /** The first listed network of a local file that contains {@code address}, as written. */
    private static String covering(byte[] data, InetAddress address) {
        for (String line : new String(data, StandardCharsets.ISO_8859_1).split("\n")) {
            String text = line.replaceAll("(^|\\s)[#;].*$", "").strip();
            List<String> fields = new ArrayList<>(List.of(text.split("\\s+")));
            for (String field : fields) {
                try {
                    if (!field.isEmpty() && IpNetwork.parse(field).contains(address)) {
                        return field;
                    }
                } catch (IllegalArgumentException notAnAddress) {
                    // a name or a bad line
                }
            }
        }
        return address.getHostAddress();
    }
}
