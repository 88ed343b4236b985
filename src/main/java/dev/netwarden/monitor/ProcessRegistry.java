package dev.netwarden.monitor;

import dev.netwarden.executable.ExecutableHash;
import dev.netwarden.executable.ExecutableHasher;
import dev.netwarden.executable.PinnedExecutable;
import dev.netwarden.linux.proc.ExeLink;
import dev.netwarden.linux.proc.ProcStat;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.process.ProcessDirectory;
import dev.netwarden.process.ProcessEventListener;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Every process the monitor may have to name, described the moment it appears and kept a while
 * after it is gone: fed by the proc connector ({@link ProcessEventListener}), asked by the flow
 * tracker ({@link ProcessDirectory}).
 *
 * <p><b>Why read /proc on the event.</b> A process that connects and exits within 20 ms is gone
 * from /proc before a connection poller could look. On fork and exec this class reads the
 * process's /proc files on the connector's thread (tens of microseconds) and <em>pins</em> its
 * executable (an open file descriptor), so the description and the hash survive the exit and even
 * the deletion of the binary.
 *
 * <p><b>Why a fork is read late.</b> Nearly every fork is followed by an exec within a millisecond
 * (a shell, posix_spawn), and the exec's read replaces the fork's. So a forked child is read
 * {@link #FORK_READ_DELAY} after its fork, on a timer thread, and only if it has neither exec'd nor
 * exited by then: that halves the reads per new process (about half the event thread's CPU while
 * other programs build here), and the event thread reaches the exec sooner. The cost: a child that
 * never execs and exits within that delay is not described (counted in {@link Stats#forksExitedUnread()});
 * a child that lives longer is, and one that holds a socket is read at lookup time anyway.
 *
 * <p>What it can miss (measured on a loaded 2-core machine): a process whose whole life is shorter
 * than the event thread's delay. Processes living 10-20 ms were always described; of 500
 * {@code /bin/true} (well under 1 ms each) about 210-230 were, at ~170-240 us per read.
 *
 * <p><b>Which processes.</b> With a network namespace to watch (the daemon's own), a process that
 * execs or forks in another network namespace is not read at its event (counted in {@link
 * Stats#otherNamespaceSkipped()}): it cannot have created a socket in the watched namespace unless
 * it joins it later, which happens before the exec of every usual launcher ({@code ip netns exec},
 * nsenter, container runtimes), so what runs there is read at its exec as before. One that joins
 * after its exec and holds a socket here is read when a lookup asks for it ({@link #snapshot(int)}
 * reads a pid it does not hold). Why: the proc connector is machine-wide, and a daemon watching a
 * namespace (a container's, a test's) otherwise reads and hashes every process of the host: here
 * other programs' builds and a 283 MB browser binary, 1.8 s of CPU for one hash.
 *
 * <p><b>Identity.</b> A process is (pid, startTicks): {@link #snapshot(int)} returns the kept
 * snapshot only when the pid's current start time and comm (one read of /proc/PID/stat) match it, or when
 * the process has exited and is still within the grace period; otherwise it reads /proc afresh.
 * A reused pid never gets the old process's identity.
 *
 * <p><b>Hashing.</b> Executables are hashed on one worker thread (bounded queue), started at exec
 * time; {@link ExecutableHasher} caches per file version, so a binary is read once. {@code
 * snapshot()} <em>waits</em> for the hash (at most {@link Config#hashWait()}), because the monitor
 * writes it into the connection's record and a record without it would be final: the hash was
 * usually computed long before the connection is seen, and repeats are free. A hash still
 * pending after the wait comes back as {@code hashError} and is retried on the next call.
 *
 * <p><b>Forgetting.</b> Exited processes are kept for {@link Config#exitedGrace()} (default 2
 * minutes) and at most {@link Config#maxExited()}; the oldest go first. Live processes are held
 * until their exit event; after an overrun (events lost) a resync on a helper thread checks every
 * held process against /proc and reads the ones it missed.
 *
 * <p>Thread safety: live processes are a concurrent map; exited ones a small synchronized map
 * touched on exit events and on lookups of gone pids. Any thread may call any method.
 */
public final class ProcessRegistry implements ProcessDirectory, ProcessEventListener, AutoCloseable {

    /**
     * @param exitedGrace    how long an exited process is still returned
     * @param maxExited      how many exited processes are kept at most
     * @param maxParentDepth how many ancestors a snapshot lists at most
     * @param hashWait       how long {@code snapshot()} waits for a pending hash
     * @param hashQueue      how many executables may wait to be hashed; more are recorded without hash
     */
    public record Config(Duration exitedGrace, int maxExited, int maxParentDepth, Duration hashWait, int hashQueue) {
        public Config {
            Objects.requireNonNull(exitedGrace, "exitedGrace is null");
            Objects.requireNonNull(hashWait, "hashWait is null");
            if (exitedGrace.isNegative() || maxExited < 0 || maxParentDepth < 0 || hashWait.isNegative() || hashQueue < 1) {
                throw new IllegalArgumentException("invalid process registry config: " + this);
            }
        }

        public static Config defaults() {
            return new Config(Duration.ofMinutes(2), 10_000, 16, Duration.ofSeconds(5), 1024);
        }
    }

    /**
     * @param known             live processes held
     * @param exitedInGrace     exited processes still held
     * @param hashesComputed    executables read and hashed
     * @param hashCacheHits     hashes answered from the per-file cache
     * @param missedReads       fork/exec events whose process had already vanished from /proc
     * @param overruns          times the kernel reported lost events
     * @param resyncs           resynchronisations done
     * @param reads             processes read from /proc (fork, exec, comm, snapshot misses, resync)
     * @param readNanos         time spent in those reads, pins and parent chains (the event thread's cost)
     * @param forkReadsSkipped  forked children not read at their fork because they exec'd (and were read then)
     * @param forksExitedUnread forked children that exited, without exec, before their delayed read
     * @param otherNamespaceSkipped exec, fork and comm events of processes in another network
     *                          namespace than the watched one, not read
     */
    public record Stats(int known, int exitedInGrace, long hashesComputed, long hashCacheHits,
                        long missedReads, long overruns, long resyncs, long reads, long readNanos,
                        long forkReadsSkipped, long forksExitedUnread, long otherNamespaceSkipped) {}

    /** How long a forked child may take to exec before it is read as the fork left it. */
    static final Duration FORK_READ_DELAY = Duration.ofMillis(5);
    /** Above any pid_max (2^22): used only to warm the fork-read path up. */
    private static final int WARM_UP_PID = Integer.MAX_VALUE;

    private final ProcessTable table;
    private final ExecutableHasher hasher;
    private final Config config;
    private final LongSupplier nanoClock;
    /** The inode of the network namespace whose processes are read at their events; 0: every namespace. */
    private final long netNamespace;
    private final AtomicLong otherNamespaceSkipped = new AtomicLong();
    private final ConcurrentHashMap<Integer, Tracked> live = new ConcurrentHashMap<>();
    /** Exited processes by pid, oldest exit first (insertion order). Guarded by itself. */
    private final LinkedHashMap<Integer, Tracked> exited = new LinkedHashMap<>();
    private final ThreadPoolExecutor hashWorker;
    private final ScheduledThreadPoolExecutor forkReader;
    /** Forked children not read yet → their delayed read. */
    private final ConcurrentHashMap<Integer, ScheduledFuture<?>> pendingForks = new ConcurrentHashMap<>();
    private final AtomicLong forkReadsSkipped = new AtomicLong();
    private final AtomicLong forksExitedUnread = new AtomicLong();
    private final AtomicBoolean resyncRunning = new AtomicBoolean();
    private final AtomicLong missedReads = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong tracks = new AtomicLong();
    private final AtomicLong trackNanos = new AtomicLong();

    /** The machine's /proc and users, default config. */
    public ProcessRegistry() {
        this(Path.of("/proc"), UserNames.read(Path.of("/etc/passwd")), new ExecutableHasher(), Config.defaults(), System::nanoTime);
    }

    public ProcessRegistry(Path procRoot, UserNames users, ExecutableHasher hasher, Config config, LongSupplier nanoClock) {
        this(procRoot, users, hasher, config, nanoClock, 0);
    }

    /**
     * @param netNamespace the inode of the network namespace whose processes are read at their events
     *                     (see "Which processes"), 0 for every namespace
     */
    public ProcessRegistry(Path procRoot, UserNames users, ExecutableHasher hasher, Config config, LongSupplier nanoClock,
                           long netNamespace) {
        Objects.requireNonNull(procRoot, "procRoot is null");
        if (netNamespace < 0) {
            throw new IllegalArgumentException("netNamespace is negative: " + netNamespace);
        }
        this.netNamespace = netNamespace;
        Objects.requireNonNull(users, "users is null");
        this.table = new ProcessTable(procRoot, users, ProcessTable.Detail.FULL);
        this.hasher = Objects.requireNonNull(hasher, "hasher is null");
        this.config = Objects.requireNonNull(config, "config is null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        this.hashWorker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.hashQueue()),
                r -> Thread.ofPlatform().daemon().name("nw-exe-hash").unstarted(r));
        this.forkReader = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("nw-fork-read").unstarted(r));
        forkReader.setRemoveOnCancelPolicy(true);
        warmUp();
    }

    /**
     * Reads this JVM's own process once, so the first real event does not pay for class loading and
     * downcall linking (tens of milliseconds: longer than a short-lived process lives).
     */
    private void warmUp() {
        int self = (int) ProcessHandle.current().pid();
        if (table.readFresh(self).isPresent()) {
            table.readStat(self);
            hasher.pin(self).close();
        }
        // The delayed fork read's timer thread, classes and call site, scheduled and cancelled as an exec would.
        forkReader.prestartAllCoreThreads();
        onFork(self, WARM_UP_PID);
        ScheduledFuture<?> warm = pendingForks.remove(WARM_UP_PID);
        if (warm != null) {
            warm.cancel(false);
        }
    }

    // ---- ProcessDirectory ----

    @Override
    public Optional<ProcessSnapshot> snapshot(int pid) {
        return snapshot(pid, config.hashWait());
    }

    @Override
    public Optional<ProcessSnapshot> snapshotWithoutWaiting(int pid) {
        return snapshot(pid, Duration.ZERO);
    }

    private Optional<ProcessSnapshot> snapshot(int pid, Duration hashWait) {
        ProcStat now = table.readStat(pid);
        Tracked t = live.get(pid);
        if (now != null) {
            // Same start time: the same process. Same comm too: no exec or rename whose event this
            // thread may have raced (the connector thread may not have handled it yet).
            if (t != null && t.info.startTicks() == now.startTicks() && Objects.equals(t.info.comm(), now.comm())) {
                return Optional.of(withCurrentExe(pid, t).snapshot(hashWait));
            }
            Tracked fresh = track(pid);
            if (fresh != null) {
                return Optional.of(fresh.snapshot(hashWait));
            }
        } else if (t != null) {
            return Optional.of(t.snapshot(hashWait)); // exited; its exit event is on its way
        }
        Tracked gone = exitedInGrace(pid);
        return gone == null ? Optional.empty() : Optional.of(gone.snapshot(hashWait));
    }

    /** The snapshot of exactly the process (pid, startTicks), live or exited in grace; empty if not known. */
    public Optional<ProcessSnapshot> snapshot(int pid, long startTicks) {
        Tracked t = live.get(pid);
        if (t != null && t.info.startTicks() == startTicks) {
            return Optional.of(withCurrentExe(pid, t).snapshot(config.hashWait()));
        }
        Tracked gone = exitedInGrace(pid);
        if (gone != null && gone.info.startTicks() == startTicks) {
            return Optional.of(gone.snapshot(config.hashWait()));
        }
        ProcStat now = table.readStat(pid);
        if (now != null && now.startTicks() == startTicks) {
            Tracked fresh = track(pid);
            if (fresh != null && fresh.info.startTicks() == startTicks) {
                return Optional.of(fresh.snapshot(config.hashWait()));
            }
        }
        return Optional.empty();
    }

    // ---- ProcessEventListener (the connector's thread) ----

    @Override
    public void onFork(int parentPid, int childPid) {
        if (elsewhere(childPid)) {
            // No delayed read (its timer wake-up was most of a skipped fork's cost); an older pending read
            // of a reused pid goes too.
            ScheduledFuture<?> stale = pendingForks.remove(childPid);
            if (stale != null) {
                stale.cancel(false);
            }
            return;
        }
        ScheduledFuture<?> previous;
        try {
            previous = pendingForks.put(childPid, forkReader.schedule(() -> readForked(childPid),
                    FORK_READ_DELAY.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException closed) {
            return;
        }
        if (previous != null) {
            previous.cancel(false); // a missed exit and a reused pid: the newer fork's read covers it
        }
    }

    @Override
    public void onExec(int pid) {
        ScheduledFuture<?> pending = pendingForks.remove(pid);
        if (pending != null) {
            pending.cancel(false);
            forkReadsSkipped.incrementAndGet();
        }
        if (elsewhere(pid)) {
            live.remove(pid); // it left the watched namespace before this exec: a lookup reads it afresh
            return;
        }
        track(pid);
    }

    /**
     * True when a namespace is watched and {@code pid} is in another one (counted). False when the
     * namespace cannot be read: the process is gone or unreadable, and the read that follows says so.
     */
    private boolean elsewhere(int pid) {
        if (netNamespace == 0) {
            return false;
        }
        long ns = table.netNamespaceOf(pid);
        if (ns > 0 && ns != netNamespace) {
            otherNamespaceSkipped.incrementAndGet();
            return true;
        }
        return false;
    }

    /** The delayed read of a forked child that has not exec'd; never replaces a read of the same process. */
    private void readForked(int pid) {
        if (pendingForks.remove(pid) == null) {
            return; // exec'd or exited meanwhile
        }
        if (elsewhere(pid)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            ProcessInfo info = readWhole(pid);
            if (info == null) {
                missedReads.incrementAndGet();
                return;
            }
            Tracked held = live.get(pid);
            if (held != null && held.info.startTicks() == info.startTicks()) {
                return; // read meanwhile by an exec, a comm event or a lookup: that read is as new or newer
            }
            Tracked t = new Tracked(info, parentsOf(info), hashOf(pid, info));
            if (held == null) {
                live.putIfAbsent(pid, t); // lost to a concurrent read of the same process: that one stays
            } else if (live.replace(pid, held, t)) {
                retire(pid, held); // its exit was missed: the pid is someone else's now
            }
        } finally {
            trackNanos.addAndGet(System.nanoTime() - t0);
            tracks.incrementAndGet();
        }
    }

    /** A new comm: read again (the comm-vs-executable alert needs the current one). */
    @Override
    public void onComm(int pid) {
        if (!live.containsKey(pid) && elsewhere(pid)) {
            return;
        }
        track(pid);
    }

    @Override
    public void onExit(int pid, int exitCode) {
        ScheduledFuture<?> pending = pendingForks.remove(pid);
        if (pending != null) {
            pending.cancel(false);
            forksExitedUnread.incrementAndGet();
        }
        Tracked t = live.remove(pid);
        if (t != null) {
            retire(pid, t);
        }
    }

    @Override
    public void onOverrun() {
        overruns.incrementAndGet();
        if (resyncRunning.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("nw-process-resync").start(() -> {
                try {
                    resync();
                } finally {
                    resyncRunning.set(false);
                }
            });
        }
    }

    /**
     * Checks every held process against /proc (gone or pid reused: moved to exited) and reads every
     * process not held. Costs one listing of /proc plus one stat read per process.
     */
    public void resync() {
        resyncs.incrementAndGet();
        for (Map.Entry<Integer, Tracked> e : live.entrySet()) {
            int pid = e.getKey();
            Tracked t = e.getValue();
            ProcStat now = table.readStat(pid);
            if ((now == null || now.startTicks() != t.info.startTicks()) && live.remove(pid, t)) {
                retire(pid, t);
            }
        }
        for (int pid : table.listPids()) {
            if (!live.containsKey(pid)) {
                track(pid);
            }
        }
    }

    public Stats stats() {
        int inGrace;
        synchronized (exited) {
            pruneExited();
            inGrace = exited.size();
        }
        ExecutableHasher.Stats h = hasher.stats();
        return new Stats(live.size(), inGrace, h.hashesComputed(), h.cacheHits(), missedReads.get(), overruns.get(), resyncs.get(),
                tracks.get(), trackNanos.get(), forkReadsSkipped.get(), forksExitedUnread.get(), otherNamespaceSkipped.get());
    }

    /** Stops the hash worker; pinned executables still queued are closed. */
    @Override
    public void close() {
        forkReader.shutdownNow();
        hashWorker.shutdownNow();
    }

    // ---- internals ----

    /**
     * {@code t}, or a copy marked {@code exeDeleted} (and held instead) when its executable has been
     * deleted or replaced since {@code t} was read at fork/exec. Why: the record is read once, but a
     * program that deletes its own binary after starting is exactly what the deleted-executable alert is
     * for; one readlink per lookup keeps the flag current. The hash stays the pinned original's.
     */
    private Tracked withCurrentExe(int pid, Tracked t) {
        if (t.info.exe() == null || t.info.exeDeleted()) {
            return t;
        }
        ExeLink link = table.readExe(pid);
        // The same path, now marked deleted: the same process (a reused pid would have to run a file at
        // that very path, since deleted, to be mistaken for it).
        if (link == null || !link.deleted() || !link.path().equals(t.info.exe())) {
            return t;
        }
        ProcessInfo i = t.info;
        Tracked marked = new Tracked(new ProcessInfo(i.pid(), i.ppid(), i.uid(), i.user(), i.comm(), i.exe(), true,
                i.cmdline(), i.startTicks(), i.cgroup(), i.containerId()), t.parents, t.hash);
        return live.replace(pid, t, marked) ? marked : t;
    }

    /** Reads pid now and holds it (replacing what was held for that pid); null when it is gone. */
    private Tracked track(int pid) {
        long t0 = System.nanoTime();
        try {
            return trackTimed(pid);
        } finally {
            trackNanos.addAndGet(System.nanoTime() - t0);
            tracks.incrementAndGet();
        }
    }

    private Tracked trackTimed(int pid) {
        ProcessInfo info = readWhole(pid);
        if (info == null) {
            missedReads.incrementAndGet();
            return null;
        }
        Tracked t = new Tracked(info, parentsOf(info), hashOf(pid, info));
        Tracked previous = live.put(pid, t);
        if (previous != null && previous.info.startTicks() != info.startTicks()) {
            retire(pid, previous); // its exit was missed: it is gone, the pid is someone else's now
        }
        return t;
    }

    /**
     * Reads pid's files and checks with a last stat read that no exec or rename happened halfway (a
     * process spawned by the JVM execs twice within a millisecond, and a record mixing the helper's
     * comm with the program's exe would be wrong). Retried a few times; null when it is gone.
     */
    private ProcessInfo readWhole(int pid) {
        for (int attempt = 0; attempt < 3; attempt++) {
            ProcessInfo info = table.readFresh(pid).orElse(null);
            if (info == null) {
                return null;
            }
            ProcStat after = table.readStat(pid);
            if (after == null || (after.startTicks() == info.startTicks() && Objects.equals(after.comm(), info.comm()))) {
                return info; // unchanged, or exited right after the read (what was read is its last state)
            }
        }
        return table.readFresh(pid).orElse(null);
    }

    private CompletableFuture<ExecutableHash> hashOf(int pid, ProcessInfo info) {
        if (info.exe() == null) {
            return CompletableFuture.completedFuture(new ExecutableHash(null,
                    info.cmdline().isEmpty() ? "no executable (kernel thread or exited)" : "executable not readable", null));
        }
        PinnedExecutable pinned = hasher.pin(pid);
        if (pinned.isResolved()) {
            return CompletableFuture.completedFuture(hasher.hash(pinned));
        }
        try {
            return CompletableFuture.supplyAsync(() -> hasher.hash(pinned), hashWorker);
        } catch (RejectedExecutionException e) {
            pinned.close();
            return CompletableFuture.completedFuture(new ExecutableHash(null, "hash backlog full", pinned.identity()));
        }
    }

    /**
     * Ancestors nearest first: the parent (held, or read and held now, so its own chain is built
     * once) followed by the parent's chain. O(1) per event once a shell or daemon is held; the
     * first event under a new parent costs one read per unheld ancestor.
     */
    private List<ProcessSnapshot.ParentLink> parentsOf(ProcessInfo child) {
        int ppid = child.ppid();
        if (ppid <= 0 || ppid == child.pid() || config.maxParentDepth() == 0) {
            return List.of();
        }
        Tracked parent = live.get(ppid);
        if (parent == null || parent.info.startTicks() > child.startTicks()) {
            ProcStat st = table.readStat(ppid);
            if (st == null || st.startTicks() > child.startTicks()) {
                return List.of(); // gone, or the pid was reused by a younger process: not an ancestor
            }
            parent = track(ppid);
            if (parent == null || parent.info.startTicks() > child.startTicks()) {
                return List.of();
            }
        }
        List<ProcessSnapshot.ParentLink> chain = new ArrayList<>(Math.min(config.maxParentDepth(), parent.parents.size() + 1));
        chain.add(new ProcessSnapshot.ParentLink(parent.info.pid(), parent.info.comm(), parent.info.exe()));
        for (ProcessSnapshot.ParentLink up : parent.parents) {
            if (chain.size() >= config.maxParentDepth()) {
                break;
            }
            chain.add(up);
        }
        return chain;
    }

    private void retire(int pid, Tracked t) {
        t.exitedAtNanos = nanoClock.getAsLong();
        synchronized (exited) {
            exited.remove(pid); // re-insert at the tail: newest exit last
            exited.put(pid, t);
            pruneExited();
        }
    }

    private Tracked exitedInGrace(int pid) {
        synchronized (exited) {
            pruneExited();
            return exited.get(pid);
        }
    }

    /** Drops exits older than the grace period and the oldest beyond maxExited. Holds the lock. */
    private void pruneExited() {
        long now = nanoClock.getAsLong();
        long grace = config.exitedGrace().toNanos();
        Iterator<Tracked> it = exited.values().iterator();
        while (it.hasNext()) {
            Tracked oldest = it.next();
            if (exited.size() > config.maxExited() || now - oldest.exitedAtNanos > grace) {
                it.remove();
            } else {
                break;
            }
        }
    }

    /** One process held: what /proc said at fork/exec, its ancestors, its executable's hash (maybe pending). */
    private static final class Tracked {
        final ProcessInfo info;
        final List<ProcessSnapshot.ParentLink> parents;
        final CompletableFuture<ExecutableHash> hash;
        volatile ProcessSnapshot complete;
        volatile long exitedAtNanos = -1;

        Tracked(ProcessInfo info, List<ProcessSnapshot.ParentLink> parents, CompletableFuture<ExecutableHash> hash) {
            this.info = info;
            this.parents = List.copyOf(parents);
            this.hash = hash;
        }

        ProcessSnapshot snapshot(Duration wait) {
            ProcessSnapshot s = complete;
            if (s != null) {
                return s;
            }
            ExecutableHash h;
            try {
                h = hash.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new ProcessSnapshot(info, null, "hash still being computed after " + wait.toMillis() + " ms", parents);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ProcessSnapshot(info, null, "interrupted while waiting for the hash", parents);
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                h = new ExecutableHash(null, "hashing failed: " + e.getMessage(), null);
            }
            s = new ProcessSnapshot(info, h.sha256(), h.error(), parents);
            complete = s;
            return s;
        }
    }
}
