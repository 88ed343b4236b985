package dev.netwarden.daemon;

import dev.netwarden.daemon.config.FirewallSection;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.lists.BlockLists;
import dev.netwarden.lists.ListStats;

import dev.netwarden.lists.ListsDirectory;
import dev.netwarden.lists.ListsDirectoryWatch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The block lists the rules' {@code list} condition asks: one per file in {@code firewall.lists_dir}
 * ({@code NAME.list}, {@code NAME.txt} or {@code NAME.hosts}: a local list; {@code NAME.url}: the
 * first line is the list's http(s) address, fetched every {@code firewall.lists_refresh} with a
 * conditional GET and cached under {@code DATA_DIR/lists}). The directory is followed while the daemon
 * runs ({@link ListsDirectoryWatch}): a list added, changed or deleted there takes effect within about
 * a second, no restart. Loading happens off the packet path; a list that fails keeps its last good copy.
 */
final class ListsService implements Service {
    private final FirewallSection config;
    private final Path cacheDir;
    private BlockLists lists;
    private ListsDirectoryWatch watch;

    ListsService(FirewallSection config, Path dataDir) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.cacheDir = Objects.requireNonNull(dataDir, "dataDir is null").resolve("lists");
    }

    @Override
    public String name() {
        return "lists";
    }

    @Override
    public void start() {
        lists = new BlockLists(List.of(), cacheDir, BlockLists.Options.defaults());
        lists.start();
        watch = new ListsDirectoryWatch(new ListsDirectory(config.listsDir(), config.listsRefresh()), lists);
        watch.start();
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
        if (watch != null) {
            watch.close();
        }
        lists.close();
    }

    /**
     * Each list's state by name (its last error included), and under {@code _directory} (never a
     * list's name: names start with a letter or digit) the directory and how often it was scanned.
     */
    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ListStats s : lists.stats()) {
            m.put(s.name(), s.toMap());
        }
        m.put("_directory", watch.stats());
        return m;
    }
}
