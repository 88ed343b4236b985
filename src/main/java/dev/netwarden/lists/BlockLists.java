package dev.netwarden.lists;

import dev.netwarden.firewall.ListMembership;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configured block lists, as rules ask about them. Each list is loaded (from its file, or from
 * its URL with the on-disk cache in front) on one background thread, parsed into a new
 * {@link ParsedList} and published with a single volatile write: lookups on the packet path read that
 * reference and immutable arrays, so they never block and never see half a list. A failed load or
 * download keeps the last good copy in use and records the error for {@link #stats()}; a download that
 * yields no entries at all while having bad lines (an error page served with status 200) counts as a
 * failure too.
 *
 * <p>Life: construct, {@link #start()} (schedules every list at once: a URL list is served from the
 * cache immediately and refreshed when its copy is older than its interval), {@link #close()}.
 * {@link #refreshNow} loads one list on the calling thread (tests, a "refresh" command).
 * {@link #update} changes the set of lists while running (lists added, removed or edited in the lists
 * directory, see {@link ListsDirectoryWatch}): the set of lists is itself one immutable map behind a
 * volatile reference, so a lookup sees a list either before or after the change, never half of one.
 */
public final class BlockLists implements ListMembership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BlockLists.class.getName());

    /** Download limits and retry delay. */
    public record Options(Duration connectTimeout, Duration requestTimeout, long maxBytes, Duration retryAfterFailure) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout is null");
            Objects.requireNonNull(requestTimeout, "requestTimeout is null");
            Objects.requireNonNull(retryAfterFailure, "retryAfterFailure is null");
        }

        /** 10 s to connect, 120 s per download, 64 MiB per list (and per list file), retry after 5 minutes. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(120), 64L << 20, Duration.ofMinutes(5));
        }
    }

    /** The lists by name, in configuration order; replaced whole by {@link #update}. */
    private volatile Map<String, Slot> slots;
    private final ListCache cache;
    private final ListFetcher fetcher;
    private final Options options;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public BlockLists(List<ListSource> sources, Path cacheDir, Options options) {
        this(sources, cacheDir, options, Clock.systemUTC());
    }

    BlockLists(List<ListSource> sources, Path cacheDir, Options options, Clock clock) {
        Objects.requireNonNull(sources, "sources is null");
        this.options = Objects.requireNonNull(options, "options is null");
        this.cache = new ListCache(Objects.requireNonNull(cacheDir, "cacheDir is null"));
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.fetcher = new ListFetcher(options.connectTimeout(), options.requestTimeout(), options.maxBytes());
        Map<String, Slot> m = new LinkedHashMap<>();
        for (ListSource s : sources) {
            if (m.put(s.name(), new Slot(s)) != null) {
                throw new IllegalArgumentException("list " + s.name() + " is configured twice");
            }
        }
        this.slots = Collections.unmodifiableMap(m);
    }

    /** Starts loading every list in the background and keeps them refreshed. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netwarden-lists");
            t.setDaemon(true);
            return t;
        });
        for (Slot slot : slots.values()) {
            scheduler.execute(() -> runAndReschedule(slot));
        }
    }

    /** What {@link #update} changed, by list name. */
    public record Update(List<String> added, List<String> replaced, List<String> removed, List<String> reloading) {
        public Update {
            added = List.copyOf(added);
            replaced = List.copyOf(replaced);
            removed = List.copyOf(removed);
            reloading = List.copyOf(reloading);
        }

        /** True when nothing changed. */
        public boolean isEmpty() {
            return added.isEmpty() && replaced.isEmpty() && removed.isEmpty() && reloading.isEmpty();
        }
    }

    /**
     * Makes {@code sources} the lists in use, while running: a new name is added, a name whose source
     * (location, format or interval) differs is replaced by a fresh list (keeping its hit count), a
     * name not in {@code sources} is removed (rules asking it then match nothing), and the lists named
     * in {@code changed} that stay are re-read whatever their modification time. Loading happens on the
     * lists' thread (the call returns at once); until a list's first load it matches nothing, and a
     * reload that fails keeps the copy in use and records the error, as a scheduled refresh does.
     */
    public synchronized Update update(List<ListSource> sources, Set<String> changed) {
        Objects.requireNonNull(sources, "sources is null");
        Objects.requireNonNull(changed, "changed is null");
        Map<String, Slot> before = slots;
        Map<String, Slot> next = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> reloading = new ArrayList<>();
        List<Slot> toLoad = new ArrayList<>();
        List<Slot> toReload = new ArrayList<>();
        for (ListSource s : sources) {
            if (next.containsKey(s.name())) {
                throw new IllegalArgumentException("list " + s.name() + " is configured twice");
            }
            Slot old = before.get(s.name());
            if (old != null && old.source.equals(s)) {
                next.put(s.name(), old);
                if (changed.contains(s.name())) {
                    reloading.add(s.name());
                    toReload.add(old);
                }
                continue;
            }
            Slot slot = new Slot(s);
            if (old != null) {
                slot.hits.add(old.hits.sum());
                replaced.add(s.name());
            } else {
                added.add(s.name());
            }
            next.put(s.name(), slot);
            toLoad.add(slot);
        }
        List<String> removed = new ArrayList<>();
        for (String name : before.keySet()) {
            if (!next.containsKey(name)) {
                removed.add(name);
            }
        }
        slots = Collections.unmodifiableMap(next);
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            for (Slot slot : toLoad) {
                s.execute(() -> runAndReschedule(slot));
            }
            for (Slot slot : toReload) {
                s.execute(() -> reloadChanged(slot));
            }
        }
        return new Update(added, replaced, removed, reloading);
    }

    /** Re-reads a list whose file changed (a URL list whose .url file was touched: fetched again). */
    private void reloadChanged(Slot slot) {
        if (slots.get(slot.source.name()) != slot) {
            return; // removed or replaced meanwhile
        }
        try {
            refresh(slot, true, true);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "list " + slot.source.name() + ": unexpected failure", e);
            slot.fail(e.toString(), clock.instant());
        }
    }

    /**
     * Records that list {@code name}'s definition could not be read (a {@code .url} file without an
     * address): the list keeps its source and copy, and the error shows in {@link #stats()}.
     */
    public void reportError(String name, String message) {
        Slot slot = slots.get(name);
        if (slot != null) {
            slot.fail(Objects.requireNonNull(message, "message is null"), clock.instant());
        }
    }

    /** The source of list {@code name}, or null when there is no such list. */
    public ListSource source(String name) {
        Slot slot = slots.get(name);
        return slot == null ? null : slot.source;
    }

    private void runAndReschedule(Slot slot) {
        if (slots.get(slot.source.name()) != slot) {
            return; // removed or replaced: its successor has its own schedule
        }
        Duration next;
        try {
            next = refresh(slot, false, false);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "list " + slot.source.name() + ": unexpected failure", e);
            slot.fail(e.toString(), clock.instant());
            next = options.retryAfterFailure();
        }
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.schedule(() -> runAndReschedule(slot), Math.max(1, next.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Loads list {@code name} now on this thread: a URL list is downloaded (conditionally when a copy
     * is held) whatever its age, a file list is re-read if it changed. Returns false when the load
     * failed (the error is in {@link #stats()}); throws when there is no such list.
     */
    public boolean refreshNow(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("no list named " + name);
        }
        refresh(slot, true, false);
        return slot.error == null;
    }

    /**
     * Loads or refreshes one list; returns how long until it should be checked again. {@code force}:
     * download whatever the copy's age; {@code reread}: read a local file even if its size and time
     * look unchanged (the directory watch saw it change).
     */
    private Duration refresh(Slot slot, boolean force, boolean reread) {
        synchronized (slot) {
            ListSource source = slot.source;
            Instant now = clock.instant();
            try {
                if (source.isUrl()) {
                    return refreshUrl(slot, force, now);
                }
                refreshFile(slot, now, reread);
                return source.refresh();
            } catch (IOException | ListRejectedException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warning("list " + source.name() + " (" + source.location() + "): " + message
                        + (slot.current == null ? "" : "; keeping the copy loaded at " + slot.loadedAt));
                slot.fail(message, now);
                return min(source.refresh(), options.retryAfterFailure());
            }
        }
    }

    private Duration refreshUrl(Slot slot, boolean force, Instant now) throws IOException, ListRejectedException {
        ListSource source = slot.source;
        if (slot.current == null && !slot.cacheTried) {
            slot.cacheTried = true;
            ListCache.Entry cached = cache.read(source.name(), source.location());
            if (cached != null) {
                try {
                    slot.publish(parse(source, cached.body()), "cache", now);
                    slot.etag = cached.etag();
                    slot.lastModified = cached.lastModified();
                    slot.fetchedAt = cached.fetchedAt();
                } catch (ListRejectedException e) {
                    LOG.warning("list " + source.name() + ": ignoring the cached copy: " + e.getMessage());
                }
            }
        }
        if (!force && slot.current != null && slot.fetchedAt != null) {
            Duration age = Duration.between(slot.fetchedAt, now);
            if (age.compareTo(source.refresh()) < 0) {
                return source.refresh().minus(age);
            }
        }
        boolean conditional = slot.current != null;
        ListFetcher.Result result = fetcher.fetch(source.location(), conditional ? slot.etag : null,
                conditional ? slot.lastModified : null);
        switch (result) {
            case ListFetcher.Result.NotModified n -> {
                slot.fetchedAt = now;
                slot.checked(now);
                cache.writeMeta(source.name(), source.location(), slot.etag, slot.lastModified, now);
            }
            case ListFetcher.Result.Fetched f -> {
                ParsedList parsed = parse(source, f.body());
                slot.publish(parsed, "network", now);
                slot.etag = f.etag();
                slot.lastModified = f.lastModified();
                slot.fetchedAt = now;
                cache.write(source.name(), source.location(), f.body(), f.etag(), f.lastModified(), now);
            }
        }
        return source.refresh();
    }

    private void refreshFile(Slot slot, Instant now, boolean force) throws IOException, ListRejectedException {
        Path path = Path.of(slot.source.location());
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        long mtime = attributes.lastModifiedTime().toMillis();
        if (!force && slot.current != null && mtime == slot.fileMtime && attributes.size() == slot.fileSize) {
            slot.checked(now);
            return;
        }
        if (attributes.size() > options.maxBytes()) {
            throw new IOException("list file is " + attributes.size() + " bytes, over the cap of " + options.maxBytes());
        }
        byte[] data = Files.readAllBytes(path);
        boolean reload = slot.current != null;
        ParsedList parsed = parse(slot.source, data);
        slot.publish(parsed, "file", now);
        slot.fileMtime = mtime;
        slot.fileSize = attributes.size();
        LOG.info("list " + slot.source.name() + (reload ? " reloaded" : " loaded") + " from " + path + ": "
                + parsed.domains().size() + " domains, " + parsed.addresses().ranges() + " address ranges, "
                + parsed.report().bad() + " bad lines");
    }

    private static ParsedList parse(ListSource source, byte[] data) throws ListRejectedException {
        ParsedList parsed = ListParser.parse(data, source.format());
        ParseReport r = parsed.report();
        if (r.entries() == 0 && r.bad() > 0) {
            LineNote first = r.badExamples().getFirst();
            throw new ListRejectedException("no entries, " + r.bad() + " bad lines as " + r.format().label()
                    + " (line " + first.line() + ": " + first.reason() + ")");
        }
        return parsed;
    }

    /** A copy that parsed to nothing usable: not swapped in. */
    static final class ListRejectedException extends Exception {
        ListRejectedException(String message) {
            super(message);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public boolean containsDomain(String listName, String domain) {
        Slot slot = slots.get(listName);
        ParsedList list = slot == null ? null : slot.current;
        return list != null && domain != null && list.containsDomain(domain);
    }

    @Override
    public boolean containsAddress(String listName, InetAddress address) {
        Slot slot = slots.get(listName);
        ParsedList list = slot == null ? null : slot.current;
        return list != null && address != null && list.containsAddress(address);
    }

    @Override
    public void recordHit(String listName) {
        Slot slot = slots.get(listName);
        if (slot != null) {
            slot.hits.increment();
        }
    }

    /** The configured list names, in configuration order. */
    public List<String> names() {
        return List.copyOf(slots.keySet());
    }

    /** The copy in use of list {@code name}, or null (no such list, or not loaded yet). */
    public ParsedList current(String name) {
        Slot slot = slots.get(name);
        return slot == null ? null : slot.current;
    }

    /** Every list's state, in configuration order. */
    public List<ListStats> stats() {
        Map<String, Slot> now = slots;
        List<ListStats> out = new ArrayList<>(now.size());
        for (Slot slot : now.values()) {
            out.add(slot.stats());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /**
     * One list: the copy in use (volatile: the only thing lookups read) and its bookkeeping, which
     * only the loading thread writes while holding the slot's monitor.
     */
    private static final class Slot {
        final ListSource source;
        final LongAdder hits = new LongAdder();
        volatile ParsedList current;
        volatile String origin;
        volatile Instant loadedAt;
        volatile Instant checkedAt;
        volatile String error;
        volatile Instant errorAt;
        boolean cacheTried;
        String etag;
        String lastModified;
        Instant fetchedAt;
        long fileMtime = -1;
        long fileSize = -1;

        Slot(ListSource source) {
            this.source = source;
        }

        void publish(ParsedList list, String from, Instant now) {
            origin = from;
            loadedAt = now;
            checkedAt = now;
            error = null;
            errorAt = null;
            current = list;
        }

        void checked(Instant now) {
            checkedAt = now;
            error = null;
            errorAt = null;
        }

        void fail(String message, Instant now) {
            error = message;
            errorAt = now;
        }

        ListStats stats() {
            ParsedList list = current;
            ParseReport r = list == null ? null : list.report();
            return new ListStats(source.name(), source.location(), r == null ? null : r.format(),
                    r != null && r.detected(), list == null ? 0 : list.domains().size(),
                    list == null ? 0 : list.addresses().ranges(), r == null ? 0 : r.skipped(), r == null ? 0 : r.bad(),
                    hits.sum(), origin, loadedAt, checkedAt, error, errorAt);
        }
    }
}
