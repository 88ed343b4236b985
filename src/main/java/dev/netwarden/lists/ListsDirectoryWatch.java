package dev.netwarden.lists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps {@link BlockLists} in step with the lists directory while the daemon runs: a list file added
 * (by the web UI or by hand) becomes a list, a changed one is re-read, a deleted one is dropped —
 * without a restart, so a rule's {@code list} condition sees the new entries within about
 * {@link #INTERVAL} (plus the load).
 *
 * <p>Why a periodic scan and not inotify: the directory holds a handful of files, so one
 * {@code readdir} and a {@code stat} per file a second costs nothing measurable, it also sees a
 * directory created after the start or replaced as a whole, and it needs no second thread blocked in
 * the kernel. A file is "changed" when its size, modification time or inode differ from the last scan
 * (an editor's or the API's write-and-rename gives a new inode). Only a change does any work; a file
 * that stays malformed is reported once, not every second.
 */
public final class ListsDirectoryWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("netwarden.lists");
    /** How often the directory is looked at. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final ListsDirectory directory;
    private final BlockLists lists;
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private ScheduledExecutorService timer;
    // Scanning thread only (scanNow is synchronized):
    private Map<Path, Fingerprint> seen = Map.of();

    private record Fingerprint(long size, long mtimeNanos, Object fileKey) {}

    public ListsDirectoryWatch(ListsDirectory directory, BlockLists lists) {
        this.directory = Objects.requireNonNull(directory, "directory is null");
        this.lists = Objects.requireNonNull(lists, "lists is null");
    }

    /** Scans once now (the lists the directory holds at start) and then every {@link #INTERVAL}. */
    public synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        scanNow();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netwarden-lists-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::scanLogged, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scanLogged() {
        try {
            scanNow();
        } catch (RuntimeException e) {
            LOG.warning("lists: scanning " + directory.dir() + " failed: " + e);
        }
    }

    /**
     * Looks at the directory once and hands any change to {@link BlockLists#update}; returns what
     * changed (empty when nothing did). Loads happen on the lists' thread, after this returns.
     */
    public synchronized BlockLists.Update scanNow() {
        scans.incrementAndGet();
        Map<Path, Fingerprint> now = new HashMap<>();
        ListsDirectory.Scan scan;
        try {
            for (ListsDirectory.ListFile f : directory.files().values()) {
                Fingerprint fp = fingerprint(f.path());
                if (fp != null) {
                    now.put(f.path(), fp);
                }
            }
            if (now.equals(seen)) {
                return new BlockLists.Update(List.of(), List.of(), List.of(), List.of());
            }
            scan = directory.scan();
        } catch (IOException e) {
            LOG.warning("lists: cannot read " + directory.dir() + ": " + e.getMessage() + "; keeping the lists in use");
            return new BlockLists.Update(List.of(), List.of(), List.of(), List.of());
        }
        Set<String> changed = new HashSet<>();
        for (Map.Entry<Path, Fingerprint> e : now.entrySet()) {
            if (!e.getValue().equals(seen.get(e.getKey()))) {
                changed.add(listName(e.getKey()));
            }
        }
        List<ListSource> sources = new ArrayList<>(scan.sources());
        List<String> newlyBroken = new ArrayList<>();
        for (String name : scan.broken().keySet()) {
            if (changed.remove(name)) {
                newlyBroken.add(name); // reported once per change of the file, not every scan
            }
            ListSource kept = lists.source(name);
            if (kept != null) {
                sources.add(kept); // a .url file that lost its address: keep the list as it was
            }
        }
        BlockLists.Update update = lists.update(sources, changed);
        for (String name : newlyBroken) {
            boolean kept = lists.source(name) != null;
            LOG.warning("list " + name + " not read: " + scan.broken().get(name) + (kept ? "; the list in use is kept" : ""));
            lists.reportError(name, scan.broken().get(name));
        }
        seen = Map.copyOf(now);
        if (!update.isEmpty()) {
            changes.incrementAndGet();
            LOG.info("lists in " + directory.dir() + " changed:" + describe(" added", update.added())
                    + describe(" replaced", update.replaced()) + describe(" removed", update.removed())
                    + describe(" re-reading", update.reloading()));
        }
        return update;
    }

    private static String describe(String what, List<String> names) {
        return names.isEmpty() ? "" : what + " " + String.join(", ", names) + ";";
    }

    private static String listName(Path file) {
        String f = file.getFileName().toString();
        return f.substring(0, f.lastIndexOf('.'));
    }

    private static Fingerprint fingerprint(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Fingerprint(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
        } catch (IOException gone) {
            return null; // deleted between the listing and the stat: the next scan sees it gone
        }
    }

    /** The directory, scans done and scans that changed something, for the daemon's status. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("path", directory.dir().toString());
        m.put("scans", scans.get());
        m.put("changes", changes.get());
        return m;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
