package dev.netwarden.daemon;

import dev.netwarden.daemon.config.FirewallSection;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.lists.BlockLists;
import dev.netwarden.lists.ListSource;
import dev.netwarden.lists.ListStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The block lists the rules' {@code list} condition asks: one per file in {@code firewall.lists_dir}
 * ({@code NAME.list}, {@code NAME.txt} or {@code NAME.hosts}: a local list, re-read when it changes;
 * {@code NAME.url}: the first line is the list's http(s) address, fetched every
 * {@code firewall.lists_refresh} with a conditional GET and cached under {@code DATA_DIR/lists}).
 * Loading happens off the packet path; a list that fails keeps its last good copy.
 */
final class ListsService implements Service {
    private static final Logger LOG = Logger.getLogger("netwarden.lists");

    private final FirewallSection config;
    private final Path cacheDir;
    private BlockLists lists;

    ListsService(FirewallSection config, Path dataDir) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.cacheDir = Objects.requireNonNull(dataDir, "dataDir is null").resolve("lists");
    }

    @Override
    public String name() {
        return "lists";
    }

    @Override
    public void start() throws IOException {
        lists = new BlockLists(sources(config.listsDir(), config), cacheDir, BlockLists.Options.defaults());
        lists.start();
    }

    /** The lists named by the files of {@code dir}; a file that names no valid list is logged and skipped. */
    static List<ListSource> sources(Path dir, FirewallSection config) throws IOException {
        List<ListSource> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                int dot = file.lastIndexOf('.');
                if (dot <= 0 || file.startsWith(".") || !Files.isRegularFile(f)) {
                    continue;
                }
                String name = file.substring(0, dot);
                String kind = file.substring(dot + 1);
                try {
                    switch (kind) {
                        case "list", "txt", "hosts" -> out.add(new ListSource(name, f.toString(), null, config.listsRefresh()));
                        case "url" -> {
                            String url = Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip)
                                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                                    .orElseThrow(() -> new IllegalArgumentException("no URL in it"));
                            out.add(new ListSource(name, url, null, config.listsRefresh()));
                        }
                        default -> { }
                    }
                } catch (IllegalArgumentException | IOException e) {
                    LOG.warning(() -> "block list file " + f + " skipped: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** The loaded lists (hit counts, membership) for the web UI; null before start. */
    BlockLists lists() {
        return lists;
    }

    ListMembership membership() {
        return lists;
    }

    @Override
    public void close() {
        lists.close();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ListStats s : lists.stats()) {
            m.put(s.name(), s.toMap());
        }
        return m;
    }
}
