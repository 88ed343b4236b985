package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.firewall.RuleMatcher;
import dev.netwarden.process.ProcessEventListener;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live rules of the daemon: the files of the rules directory plus the rules kept in memory
 * (until-restart, and any other rule a prompt answer adds without a file), asked per connection.
 *
 * <p>Matching ({@link #match}) reads one volatile {@link RuleSet} and never blocks. Everything that
 * changes the rules — reloading the directory, removing a consumed once-rule or an expired rule,
 * process exits — runs on the engine's single thread and swaps a whole new set in, so a lookup sees
 * either the old rules or the new ones, never a mix. The directory is watched with inotify
 * ({@link WatchService}); changes are debounced ({@link #DEBOUNCE_MILLIS}) and the whole directory is
 * re-read, re-parsing only files whose size or modification time changed. A broken file is reported
 * ({@link #errors()}) and left out; the other rules keep working.
 */
public final class RuleEngine implements RuleMatcher, ProcessEventListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuleEngine.class.getName());
    /** Quiet time after the last change before the directory is re-read: an editor's save is several events. */
    public static final long DEBOUNCE_MILLIS = 200;
    /** How often expired rules are looked for (and the directory re-read if the watch could not be set up). */
    public static final long SWEEP_MILLIS = 1000;

    private final RuleFiles files;
    private final ListMembership lists;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final Map<String, Rule> memoryRules = new ConcurrentHashMap<>();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong decisions = new AtomicLong();
    private volatile RuleSet current = RuleSet.EMPTY;
    private volatile List<RuleFileError> errors = List.of();
    // Worker-thread state only:
    private Map<Path, Cached> cache = new HashMap<>();
    /** Set by the first reload; later polls that find the same files build nothing (worker thread only). */
    private boolean loadedOnce;
    private ScheduledFuture<?> pendingReload;
    private Thread watcher;
    private volatile WatchService watch;
    private volatile boolean closed;

    private record Cached(long size, long mtime, long inode, RuleFileResult result) {}

    /**
     * Makes an engine over {@code dir} with no rules yet; call {@link #reload()} (synchronous) and
     * {@link #start()} (the watch and the sweep).
     */
    public RuleEngine(Path dir, ListMembership lists, Clock clock) {
        this.files = new RuleFiles(Objects.requireNonNull(dir, "dir is null"));
        this.lists = Objects.requireNonNull(lists, "lists is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netwarden-rules");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Optional<RuleMatch> match(ConnectionFacts facts) {
        RuleSet set = current;
        RuleSet.Entry e = set.decide(facts, lists, clock.millis(), true);
        if (e == null) {
            return Optional.empty();
        }
        decisions.incrementAndGet();
        Condition list = e.rule().condition(ConditionKind.LIST);
        if (list != null) {
            for (String name : list.matchingValues(facts, lists)) {
                lists.recordHit(name);
            }
        }
        RuleMatch m = RuleSet.matchOf(e, facts, lists);
        if (e.rule().duration() instanceof RuleDuration.Once) {
            worker.execute(() -> remove(e.rule().id(), "used once"));
        }
        return Optional.of(m);
    }

    /** The rules now in force, in evaluation order. */
    public RuleSet rules() {
        return current;
    }

    /** What was wrong in the directory at the last reload (each file that was left out, with line and key). */
    public List<RuleFileError> errors() {
        return errors;
    }

    public long reloadCount() {
        return reloads.get();
    }

    public Path dir() {
        return files.dir();
    }

    /** Re-reads the directory now and waits until the new rules are in force. */
    public List<RuleFileError> reload() {
        return await(() -> {
            reloadNow();
            return errors;
        });
    }

    /**
     * Adds (or replaces) a rule kept in memory only: until-restart, or any rule a prompt answer makes
     * that should not outlive the daemon. Its id must not be that of a file rule.
     */
    public void addInMemory(Rule rule) {
        Objects.requireNonNull(rule, "rule is null");
        await(() -> {
            if (current.entries().stream().anyMatch(e -> e.rule().id().equals(rule.id()) && e.source() != null)) {
                throw new IllegalArgumentException("rule " + rule.id() + " exists as a file");
            }
            memoryRules.put(rule.id(), rule);
            rebuild(currentFileRules());
            return null;
        });
    }

    /**
     * Starts watching the directory (creating nothing: a missing directory is looked for again every
     * sweep) and the periodic sweep of expired rules.
     */
    public void start() {
        worker.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        watcher = new Thread(this::watchLoop, "netwarden-rules-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void onFork(int parentPid, int childPid) {
    }

    @Override
    public void onExec(int pid) {
    }

    /** Removes the until-exit rules of {@code pid}. Cheap when it has none (a set lookup). */
    @Override
    public void onExit(int pid, int exitCode) {
        if (current.hasExitRulesFor(pid) && !closed) {
            worker.execute(() -> {
                for (RuleSet.Entry e : current.entries()) {
                    if (e.rule().duration() instanceof RuleDuration.UntilExit u && u.pid() == pid) {
                        remove(e.rule().id(), "process " + pid + " exited");
                    }
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (watcher != null) {
            watcher.interrupt();
        }
    }

    /** Status numbers for the control socket. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", files.dir().toString());
        m.put("rules", current.size());
        m.put("inMemory", memoryRules.size());
        m.put("brokenFiles", errors.stream().map(RuleFileError::path).distinct().count());
        m.put("reloads", reloads.get());
        m.put("watching", watch != null); // false: the directory is missing (looked for every second) or polled
        m.put("decisions", decisions.get());
        return m;
    }

    // ---- worker thread ----

    private void reloadNow() {
        List<Path> paths;
        try {
            paths = files.list();
        } catch (IOException e) {
            errors = List.of(new RuleFileError(files.dir().toString(), 0, "", "cannot list the rules directory: " + e));
            LOG.log(System.Logger.Level.WARNING, "rules: " + errors.getFirst());
            return; // keep the rules in force
        }
        Map<Path, Cached> next = new HashMap<>();
        List<RuleFileError> errs = new ArrayList<>();
        Map<String, Path> sources = new HashMap<>();
        List<Rule> rules = new ArrayList<>();
        for (Path p : paths) {
            Cached c;
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                long inode = a.fileKey() == null ? 0 : a.fileKey().hashCode();
                Cached old = cache.get(p);
                if (old != null && old.size == a.size() && old.mtime == a.lastModifiedTime().toMillis() && old.inode == inode) {
                    c = old;
                } else {
                    c = new Cached(a.size(), a.lastModifiedTime().toMillis(), inode, RuleFiles.read(p));
                }
            } catch (IOException e) {
                continue; // removed while listing
            }
            next.put(p, c);
            switch (c.result()) {
                case RuleFileResult.Parsed parsed -> {
                    rules.add(parsed.rule());
                    sources.put(parsed.rule().id(), p);
                }
                case RuleFileResult.Invalid invalid -> errs.addAll(invalid.errors());
            }
        }
        if (loadedOnce && sameFiles(next, cache)) {
            return; // nothing changed (a poll without inotify): keep the rule set, build nothing
        }
        loadedOnce = true;
        cache = next;
        rebuild(new FileRules(rules, sources)); // the rules first, then the errors: whoever sees the errors sees the rules
        List<RuleFileError> before = errors;
        errors = List.copyOf(errs);
        if (!errs.equals(before)) {
            for (RuleFileError e : errs) {
                LOG.log(System.Logger.Level.WARNING, "rules: rule file left out: " + e);
            }
        }
        reloads.incrementAndGet();
    }

    /** The same files with the same parsed contents (each unchanged file keeps its cache entry, by identity). */
    private static boolean sameFiles(Map<Path, Cached> next, Map<Path, Cached> previous) {
        if (next.size() != previous.size()) {
            return false;
        }
        for (Map.Entry<Path, Cached> e : next.entrySet()) {
            if (previous.get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private record FileRules(List<Rule> rules, Map<String, Path> sources) {}

    private FileRules currentFileRules() {
        List<Rule> rules = new ArrayList<>();
        Map<String, Path> sources = new HashMap<>();
        for (RuleSet.Entry e : current.entries()) {
            if (e.source() != null) {
                rules.add(e.rule());
                sources.put(e.rule().id(), e.source());
            }
        }
        return new FileRules(rules, sources);
    }

    private void rebuild(FileRules fileRules) {
        List<Rule> all = new ArrayList<>(fileRules.rules());
        for (Rule r : memoryRules.values()) {
            if (!fileRules.sources().containsKey(r.id())) {
                all.add(r);
            }
        }
        current = RuleSet.of(all, fileRules.sources()).carryOver(current);
    }

    /** Removes a rule for good: its file (a consumed or finished rule), or its memory entry. */
    private void remove(String id, String why) {
        if (closed) {
            return;
        }
        RuleSet.Entry entry = current.entries().stream().filter(e -> e.rule().id().equals(id)).findFirst().orElse(null);
        if (entry == null) {
            return;
        }
        if (entry.source() != null) {
            try {
                Files.deleteIfExists(entry.source());
                LOG.log(System.Logger.Level.INFO, "rules: removed " + entry.source() + " (" + why + ")");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "rules: cannot remove " + entry.source() + " (" + why + "): " + e);
            }
        } else {
            memoryRules.remove(id);
        }
        FileRules fr = currentFileRules();
        List<Rule> keep = new ArrayList<>(fr.rules());
        keep.removeIf(r -> r.id().equals(id));
        Map<String, Path> src = new HashMap<>(fr.sources());
        src.remove(id);
        rebuild(new FileRules(keep, src));
    }

    private void sweep() {
        long now = clock.millis();
        for (RuleSet.Entry e : current.entries()) {
            if (e.expired(now)) {
                remove(e.rule().id(), "expired");
            }
        }
        if (watch == null && Files.isDirectory(files.dir())) {
            reloadNow(); // a directory without an inotify watch: poll
        }
        // A missing directory is not polled here: the watch thread looks for it every second (a stat,
        // where listing it threw an exception every second) and reloads once it appears.
    }

    private void scheduleReload() {
        if (closed) {
            return;
        }
        worker.execute(() -> {
            if (pendingReload != null) {
                pendingReload.cancel(false);
            }
            pendingReload = worker.schedule(this::reloadNow, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    private void watchLoop() {
        while (!closed) {
            if (!Files.isDirectory(files.dir())) {
                // Looked for with a stat a second. A WatchService made and closed each time (an inotify
                // instance and the JDK's poller thread) cost ~40 ms of CPU a minute (bench/daemon-storm.sh).
                try {
                    Thread.sleep(SWEEP_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            try (WatchService ws = FileSystems.getDefault().newWatchService()) {
                files.dir().register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                watch = ws;
                scheduleReload(); // anything that changed before the watch was in place
                while (!closed) {
                    WatchKey key = ws.take();
                    key.pollEvents();
                    scheduleReload();
                    if (!key.reset()) {
                        scheduleReload(); // the directory went away (moved, say, with no event per file): its rules go too
                        break; // and wait for it again
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "rules: cannot watch " + files.dir() + ", polling: " + e);
                try {
                    Thread.sleep(SWEEP_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                watch = null;
            }
        }
    }

    private <T> T await(java.util.concurrent.Callable<T> task) {
        try {
            return worker.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
