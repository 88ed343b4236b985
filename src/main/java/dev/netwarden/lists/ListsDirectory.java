package dev.netwarden.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The lists directory ({@code firewall.lists_dir}): one list per file, named by the file —
 * {@code NAME.list}, {@code NAME.txt} or {@code NAME.hosts} hold the entries, {@code NAME.url} holds
 * the http(s) address to fetch them from on its first line that is not a comment. The daemon, the
 * directory watch and the web API read the directory through this one class so they agree on which
 * file is which list: files are taken in name order and the first file of a name wins (so
 * {@code ads.hosts} before {@code ads.list}); hidden files, other extensions and names a list may not
 * have are not lists.
 */
public final class ListsDirectory {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The extensions of a local list file. */
    public static final Set<String> LOCAL_EXTENSIONS = Set.of("list", "txt", "hosts");
    /** The extension of a file holding a list's URL. */
    public static final String URL_EXTENSION = "url";

    private final Path dir;
    private final Duration refresh;

    /** {@code refresh}: how often a URL list is fetched again (and a local file checked without a change seen). */
    public ListsDirectory(Path dir, Duration refresh) {
        this.dir = Objects.requireNonNull(dir, "dir is null");
        this.refresh = Objects.requireNonNull(refresh, "refresh is null");
    }

    public Path dir() {
        return dir;
    }

    /** True when {@code name} may name a list (and so a file of the directory). */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** One list file of the directory. */
    public record ListFile(String name, Path path, boolean url) {
        public ListFile {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(path, "path is null");
        }
    }

    /** The list files by list name, in name order; empty when the directory does not exist. */
    public Map<String, ListFile> files() throws IOException {
        Map<String, ListFile> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(paths::add);
        }
        paths.sort(null);
        for (Path f : paths) {
            String file = f.getFileName().toString();
            int dot = file.lastIndexOf('.');
            if (dot <= 0 || file.startsWith(".") || !Files.isRegularFile(f)) {
                continue;
            }
            String name = file.substring(0, dot);
            String ext = file.substring(dot + 1);
            if (validName(name) && (LOCAL_EXTENSIONS.contains(ext) || ext.equals(URL_EXTENSION))) {
                out.putIfAbsent(name, new ListFile(name, f, ext.equals(URL_EXTENSION)));
            }
        }
        return out;
    }

    /** What the directory defines: the lists, and the files that define none (by list name, why). */
    public record Scan(List<ListSource> sources, Map<String, String> broken) {
        public Scan {
            sources = List.copyOf(sources);
            broken = Map.copyOf(broken);
        }
    }

    /** Reads the directory: each list's source; a {@code .url} file without a usable address is broken. */
    public Scan scan() throws IOException {
        List<ListSource> sources = new ArrayList<>();
        Map<String, String> broken = new LinkedHashMap<>();
        for (ListFile f : files().values()) {
            try {
                String location = f.url() ? urlOf(f.path()) : f.path().toString();
                sources.add(new ListSource(f.name(), location, null, refresh));
            } catch (IOException | IllegalArgumentException e) {
                broken.put(f.name(), f.path() + ": " + e.getMessage());
            }
        }
        return new Scan(sources, broken);
    }

    /** The first line of a {@code .url} file that is neither empty nor a comment, if it is an http(s) address. */
    public static String urlOf(Path file) throws IOException {
        String url = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no URL in it"));
        if (!ListSource.isUrl(url)) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// address");
        }
        return url;
    }
}
