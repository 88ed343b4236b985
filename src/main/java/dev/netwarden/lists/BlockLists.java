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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final Map<String, Slot> slots;
    private final List<String> order;
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
        this.slots = Map.copyOf(m);
        this.order = List.copyOf(m.keySet());
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
        for (String name : order) {
            scheduler.execute(() -> runAndReschedule(slots.get(name)));
        }
    }

    private void runAndReschedule(Slot slot) {
        Duration next;
        try {
            next = refresh(slot, false);
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
        refresh(slot, true);
        return slot.error == null;
    }

    /** Loads or refreshes one list; returns how long until it should be checked again. */
    private Duration refresh(Slot slot, boolean force) {
        synchronized (slot) {
            ListSource source = slot.source;
            Instant now = clock.instant();
            try {
                if (source.isUrl()) {
                    return refreshUrl(slot, force, now);
                }
                refreshFile(slot, now);
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

    private void refreshFile(Slot slot, Instant now) throws IOException, ListRejectedException {
        Path path = Path.of(slot.source.location());
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        long mtime = attributes.lastModifiedTime().toMillis();
        if (slot.current != null && mtime == slot.fileMtime && attributes.size() == slot.fileSize) {
            slot.checked(now);
            return;
        }
        if (attributes.size() > options.maxBytes()) {
            throw new IOException("list file is " + attributes.size() + " bytes, over the cap of " + options.maxBytes());
        }
        byte[] data = Files.readAllBytes(path);
        slot.publish(parse(slot.source, data), "file", now);
        slot.fileMtime = mtime;
        slot.fileSize = attributes.size();
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
        return order;
    }

    /** The copy in use of list {@code name}, or null (no such list, or not loaded yet). */
    public ParsedList current(String name) {
        Slot slot = slots.get(name);
        return slot == null ? null : slot.current;
    }

    /** Every list's state, in configuration order. */
    public List<ListStats> stats() {
        List<ListStats> out = new ArrayList<>(order.size());
        for (String name : order) {
            out.add(slots.get(name).stats());
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
