package dev.netwarden.monitor;

import dev.netwarden.flow.Attribution;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.process.ProcessDirectory;
import dev.netwarden.process.ProcessEventListener;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.process.SocketHolder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Who holds a socket: inode → holder pids ({@link SocketHolderIndex}) → {@link ProcessSnapshot}
 * ({@link ProcessDirectory}). Never a guess: when the inode cannot be tied to a readable process,
 * the answer is {@link Attribution#unknown} with the specific reason.
 *
 * <p><b>Keeping the index warm cheaply.</b> A full /proc fd scan costs ~1.5–3 µs per fd of the whole
 * machine, so it is the last resort. For an inode not in the index, a round first rescans the hot
 * set: pids the proc connector reported as forked or exec'd since the last round (this class is a
 * {@link ProcessEventListener}; events are queued lock-free and applied on the resolving thread),
 * pids that held sockets in the last {@link #RECENT_HOLDER_NANOS}, and pids in /proc that the index
 * does not know yet (one listing of /proc: new processes are found even without process events). That
 * listing is skipped while {@link #followProcessEvents() events are followed} and none were lost since the
 * last listing or full scan: every process started since then was queued by its fork or exec event. (At 100 new
 * connections/s the listing was most of the intercept level's cost: one per queued packet.) Only inodes still unresolved then
 * cost a full {@link SocketHolderIndex#refresh()}, at most once per {@code fullRescanMinInterval};
 * while that limit holds the answer is "not decided yet" (null) and the caller asks again next
 * round, so a new socket waits at most that long rather than being called unknown too early. An
 * inode still not found after a full scan that started after it was first asked about is final:
 * unknown.
 *
 * <p><b>Several holders</b> (a forked child inherits its parent's sockets): the holders that are not
 * an ancestor of another holder are kept — the process that inherited the socket is the one using
 * it — and of those the lowest pid. Deterministic, and never a process that does not hold the socket.
 *
 * <p><b>A process making many connections</b> (a browser, a crawler, a storm): the last sole holder
 * resolved is asked first. Its fd directory alone is rescanned, and only when it holds the new inode
 * now is it the answer — the inode is always confirmed, never assumed from the pid or uid. This
 * shortcut is taken only while it cannot differ from the hot-set rescan: process events are arriving
 * (so a fork that could share the socket is seen), that process has not forked since the last
 * hot-set rescan, no events were lost, no exit is pending. On every path, a sole holder's
 * {@link ProcessSnapshot} is reused for up to {@link #OWNER_TTL_NANOS} instead of being read again
 * from /proc per connection, unless an exec, comm change or exit event for that pid arrived since it
 * was read. What is left: an exec whose event the connector thread has not read yet when the new
 * program's first connection is resolved, within that window; and a child forked off a socket it
 * shares whose fork event is still unread (the hot-set rescan would list /proc and find it).
 *
 * <p>Thread-safe: the resolving methods are synchronized (the index is single-threaded); the
 * {@link ProcessEventListener} methods only enqueue.
 */
public final class SocketOwners implements ProcessEventListener {
    static final String REASON_NO_INODE = "socket has no inode (orphaned: its process closed it, or time-wait)";
    static final String REASON_UNREADABLE = "holder process not readable (permission)";
    static final String REASON_NO_HOLDER = "no process holds the socket (a kernel socket, or its holder closed or passed it on meanwhile)";
    static final String REASON_HOLDER_GONE = "holder process exited before it could be read";

    static final long RECENT_HOLDER_NANOS = 30_000_000_000L;
    private static final int MAX_RECENT_HOLDERS = 1024;
    private static final int MAX_QUEUED_EVENTS = 4096;
    private static final int MAX_PENDING = 65_536;
    private static final int MAX_HOLDERS_EXAMINED = 16;
    /** How long the last sole holder's snapshot is reused without reading /proc again. */
    static final long OWNER_TTL_NANOS = 100_000_000L;

    private final SocketHolderIndex index;
    private final ProcessDirectory processes;
    private final long fullRescanMinNanos;
    private final LongSupplier nanoClock;

    private final ConcurrentLinkedQueue<Integer> activePids = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> exitedPids = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean fullRescanWanted = new AtomicBoolean(true);
    /** True once a proc connector feeds this object; the /proc listing is then needed only after lost events. */
    private volatile boolean followingEvents;
    /** Events were lost (overrun, or too many queued) since the last listing or full scan: new pids must be listed. */
    private final AtomicBoolean eventsLost = new AtomicBoolean(true);

    /** pid → when it last held a socket we resolved (access order: the oldest first). */
    private final LinkedHashMap<Integer, Long> recentHolders = new LinkedHashMap<>(64, 0.75f, true);
    /** inode → when it was first asked about and not found. */
    private final Map<Long, Long> pendingSince = new HashMap<>();
    private long lastFullRescanStart = Long.MIN_VALUE;
    private boolean hotRefreshedThisRound;
    private boolean listedThisRound;

    /** The last sole holder resolved (written by the resolving thread); -1 none. */
    private volatile int lastOwnerPid = -1;
    /** It forked since the last hot-set rescan: a child may share its sockets (set by the event thread). */
    private volatile boolean ownerForked;
    private CachedOwner cachedOwner;
    /** The pid whose snapshot is cached, and a count of its exec/comm/exit events (written by the event thread only). */
    private volatile int cachedOwnerPid = -1;
    private volatile long cachedOwnerEvents;
    private volatile boolean eventsArrive;
    /**
     * Process events were lost (overrun, queue full) since the last full rescan. Unlike {@link #eventsLost}
     * a /proc listing does not clear it: a lost fork of the last owner is not found by a listing.
     */
    private volatile boolean lostSinceFullRescan;
    private long lastOwnerHits;
    private long connectRecordHits;
    private long ownerCacheHits;

    private record CachedOwner(int pid, Attribution attribution, long readNanos, long events) {}

    private long fullRescans;
    private long hotRescans;
    private long listings;
    private long rescanNanos;

    /**
     * @param index                the index to keep (owned by this object from now on)
     * @param processes            where a holder pid becomes a snapshot
     * @param fullRescanMinNanos   the least time between two full scans (0 = no limit)
     * @param nanoClock            monotonic clock ({@code System::nanoTime})
     */
    public SocketOwners(SocketHolderIndex index, ProcessDirectory processes, long fullRescanMinNanos, LongSupplier nanoClock) {
        this.index = Objects.requireNonNull(index, "index is null");
        this.processes = Objects.requireNonNull(processes, "processes is null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        if (fullRescanMinNanos < 0) {
            throw new IllegalArgumentException("fullRescanMinNanos < 0");
        }
        this.fullRescanMinNanos = fullRescanMinNanos;
    }

    /**
     * Declares that every fork and exec of the machine reaches this object from now on (it was just
     * subscribed to the proc connector). From the next listing or full scan on, a hot rescan no longer lists /proc
     * for new pids, until events are lost ({@link #onOverrun}, or more than the queue holds).
     */
    public void followProcessEvents() {
        followingEvents = true;
    }

    /** Starts a new round: the hot set may be rescanned once again. Called once per poll (or per packet). */
    public synchronized void beginRound() {
        hotRefreshedThisRound = false;
        applyExits();
    }

    /**
     * The owner of the socket with this inode, or null when it is not decided yet (the inode is not
     * in the index and a full rescan is held back by its rate limit): ask again next round.
     *
     * @param mustDecide true on a path that cannot wait (a packet held in a queue): the rate limit is
     *                   ignored and the answer is never null
     */
    public synchronized Attribution resolve(long inode, boolean mustDecide) {
        if (inode == 0) {
            return Attribution.unknown(REASON_NO_INODE);
        }
        if (!hotRefreshedThisRound && !index.knows(inode)) { // no snapshot rebuild for a socket nobody held yet
            Attribution byLastOwner = resolveByLastOwner(inode);
            if (byLastOwner != null) {
                return byLastOwner;
            }
        }
        // index.contains/holders, not index.snapshot(): after a rescan of one process the snapshot
        // would be rebuilt from every socket of the machine, per packet.
        boolean held = index.contains(inode);
        if (!held && !hotRefreshedThisRound) {
            refreshHot();
            held = index.contains(inode);
            if (!held && !listedThisRound) {
                // Its process's fork/exec event may still be on its way (the connector thread is
                // behind): one listing costs far less than the full scan that would follow.
                listNewPids();
                held = index.contains(inode);
            }
        }
        if (!held) {
            long now = nanoClock.getAsLong();
            Long since = pendingSince.get(inode);
            if (since == null) {
                if (pendingSince.size() >= MAX_PENDING) {
                    pendingSince.clear(); // bounded: worst case a few sockets wait one more round
                }
                since = now;
                pendingSince.put(inode, since);
            }
            boolean scannedSince = lastFullRescanStart != Long.MIN_VALUE && lastFullRescanStart - since >= 0;
            if (!scannedSince) {
                boolean allowed = mustDecide || fullRescanWanted.get() || lastFullRescanStart == Long.MIN_VALUE
                        || now - lastFullRescanStart >= fullRescanMinNanos;
                if (!allowed) {
                    return null;
                }
                fullRescan();
                held = index.contains(inode);
            }
        }
        pendingSince.remove(inode);
        if (!held) {
            return Attribution.unknown(index.unreadableProcesses() > 0 ? REASON_UNREADABLE : REASON_NO_HOLDER);
        }
        return choose(index.holders(inode));
    }

    /**
     * The attribution of process {@code pid} (live, or exited within the registry's grace), or null when
     * it is not known or {@code pid} is not positive (no record): for a socket whose connecting process is known without looking for its holders
     * (a connect record). Cached as a sole holder's is, so a burst from one process reads /proc once.
     *
     * @param mayWait false on a thread that must not stall: an executable hash still being computed is
     *                not waited for (the attribution then says it is pending)
     */
    public Attribution ownerByPid(int pid, boolean mayWait) {
        if (pid <= 0) {
            return null; // no record: answered without the lock, which a full rescan may hold for long
        }
        synchronized (this) {
            Attribution a = ownerOf(pid, nanoClock.getAsLong(), mayWait);
            if (a != null) {
                connectRecordHits++;
            }
            return a;
        }
    }

    /**
     * The last sole holder, when it holds {@code inode} now (its fds just rescanned) and nothing
     * queued or lost could add another holder; else null (the caller takes the hot-set path).
     */
    private Attribution resolveByLastOwner(long inode) {
        int pid = lastOwnerPid;
        if (pid <= 0 || !eventsArrive || lostSinceFullRescan || ownerForked || !exitedPids.isEmpty()) {
            return null;
        }
        // Processes that forked or exec'd elsewhere on the machine: rescanned as the hot set would
        // (per event, not per packet), so the queue neither grows nor overflows while this path is taken.
        for (Integer p; (p = activePids.poll()) != null; ) {
            queued.decrementAndGet();
            index.refreshPid(p);
        }
        if (!index.refreshPidHolds(pid, inode)) {
            return null;
        }
        long now = nanoClock.getAsLong();
        Attribution a = ownerOf(pid, now);
        if (a == null) {
            return null;
        }
        noteHolder(pid, now);
        lastOwnerHits++;
        return a;
    }

    /**
     * The snapshot of the sole holder {@code pid}: the cached one while it is younger than
     * {@link #OWNER_TTL_NANOS} and no exec, comm or exit event for {@code pid} came since it was
     * read; else read now (and cached). Null when the process is gone.
     */
    private Attribution ownerOf(int pid, long now) {
        return ownerOf(pid, now, true);
    }

    private Attribution ownerOf(int pid, long now, boolean mayWait) {
        CachedOwner c = cachedOwner;
        if (c != null && c.pid() == pid && c.events() == cachedOwnerEvents && now - c.readNanos() <= OWNER_TTL_NANOS) {
            ownerCacheHits++;
            return c.attribution();
        }
        cachedOwnerPid = pid; // from here on, events for pid are counted
        long events = cachedOwnerEvents;
        Optional<ProcessSnapshot> s = mayWait ? processes.snapshot(pid) : processes.snapshotWithoutWaiting(pid);
        if (s.isEmpty()) {
            cachedOwner = null;
            return null;
        }
        Attribution a = Attribution.of(s.get());
        cachedOwner = s.get().hashError() == null ? new CachedOwner(pid, a, now, events) : null; // a pending hash: asked again
        return a;
    }

    /** The one pid behind every holder, or -1 when there are several. */
    private static int singlePid(List<SocketHolder> holders) {
        int pid = -1;
        for (SocketHolder h : holders) {
            if (pid != -1 && h.pid() != pid) {
                return -1;
            }
            pid = h.pid();
        }
        return pid;
    }

    private void processChanged(int pid) {
        eventsArrive = true;
        if (pid == cachedOwnerPid) {
            cachedOwnerEvents++; // single writer: the event thread
        }
    }

    private Attribution choose(List<SocketHolder> holders) {
        int single = singlePid(holders);
        if (single > 0) {
            long now = nanoClock.getAsLong();
            Attribution a = ownerOf(single, now);
            if (a == null) {
                return Attribution.unknown(REASON_HOLDER_GONE);
            }
            noteHolder(single, now);
            lastOwnerPid = single;
            return a;
        }
        List<ProcessSnapshot> live = new ArrayList<>(Math.min(holders.size(), MAX_HOLDERS_EXAMINED));
        int lastPid = -1;
        for (SocketHolder h : holders) {
            if (h.pid() == lastPid) {
                continue; // the same process through another fd
            }
            lastPid = h.pid();
            if (live.size() == MAX_HOLDERS_EXAMINED) {
                break;
            }
            Optional<ProcessSnapshot> s = processes.snapshot(h.pid());
            s.ifPresent(live::add);
        }
        if (live.isEmpty()) {
            return Attribution.unknown(REASON_HOLDER_GONE);
        }
        ProcessSnapshot chosen = null;
        for (ProcessSnapshot candidate : live) {
            if (isAncestorOfAnother(candidate, live)) {
                continue;
            }
            if (chosen == null || candidate.info().pid() < chosen.info().pid()) {
                chosen = candidate;
            }
        }
        if (chosen == null) {
            chosen = live.getFirst(); // a cycle in reported parents cannot happen; lowest pid as a fallback
        }
        long now = nanoClock.getAsLong();
        for (ProcessSnapshot s : live) {
            noteHolder(s.info().pid(), now);
        }
        lastOwnerPid = live.size() == 1 ? chosen.info().pid() : -1;
        return Attribution.of(chosen);
    }

    private static boolean isAncestorOfAnother(ProcessSnapshot candidate, List<ProcessSnapshot> all) {
        int pid = candidate.info().pid();
        for (ProcessSnapshot other : all) {
            if (other == candidate) {
                continue;
            }
            if (other.info().ppid() == pid) {
                return true;
            }
            for (ProcessSnapshot.ParentLink link : other.parents()) {
                if (link.pid() == pid) {
                    return true;
                }
            }
        }
        return false;
    }

    private void noteHolder(int pid, long now) {
        recentHolders.put(pid, now);
        if (recentHolders.size() > MAX_RECENT_HOLDERS) {
            Iterator<Integer> it = recentHolders.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    private void refreshHot() {
        hotRefreshedThisRound = true;
        ownerForked = false; // before draining: a fork reported from now on is queued and flags again
        long start = nanoClock.getAsLong();
        applyExits();
        for (Integer pid; (pid = activePids.poll()) != null; ) {
            queued.decrementAndGet();
            index.refreshPid(pid);
        }
        for (Iterator<Map.Entry<Integer, Long>> it = recentHolders.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Long> e = it.next();
            if (start - e.getValue() > RECENT_HOLDER_NANOS) {
                it.remove();
            } else {
                index.refreshPid(e.getKey());
            }
        }
        listedThisRound = false;
        if (!followingEvents || eventsLost.get()) {
            listNewPids();
        }
        hotRescans++;
        rescanNanos += nanoClock.getAsLong() - start;
    }

    private void listNewPids() {
        if (followingEvents) {
            // Every pid older than this listing is in the index after it; every newer one has an event.
            eventsLost.set(false);
        }
        index.refreshNewPids();
        listedThisRound = true;
        listings++;
    }

    private void fullRescan() {
        long start = nanoClock.getAsLong();
        fullRescanWanted.set(false);
        eventsLost.set(false); // set before the scan: a loss during it is kept
        lostSinceFullRescan = false;
        ownerForked = false;
        index.refresh();
        lastFullRescanStart = start;
        fullRescans++;
        rescanNanos += nanoClock.getAsLong() - start;
        // Everything queued so far is covered by the scan.
        activePids.clear();
        queued.set(0);
    }

    private void applyExits() {
        for (Integer pid; (pid = exitedPids.poll()) != null; ) {
            index.removePid(pid);
        }
    }

    private void enqueueActive(int pid) {
        if (queued.incrementAndGet() > MAX_QUEUED_EVENTS) {
            queued.decrementAndGet();
            eventsLost.set(true);
            lostSinceFullRescan = true;
            fullRescanWanted.set(true); // too busy to follow one by one: the next miss rescans all
            return;
        }
        activePids.add(pid);
    }

    @Override
    public void onFork(int parentPid, int childPid) {
        eventsArrive = true;
        if (parentPid == lastOwnerPid) {
            ownerForked = true;
        }
        enqueueActive(childPid);
    }

    @Override
    public void onExec(int pid) {
        processChanged(pid);
        enqueueActive(pid);
    }

    @Override
    public void onComm(int pid) {
        processChanged(pid);
    }

    @Override
    public void onExit(int pid, int exitCode) {
        processChanged(pid);
        if (exitedPids.size() < MAX_QUEUED_EVENTS) {
            exitedPids.add(pid);
        }
    }

    @Override
    public void onOverrun() {
        eventsLost.set(true);
        lostSinceFullRescan = true;
        fullRescanWanted.set(true);
    }

    /** What the resolver did so far. */
    public synchronized Stats stats() {
        return new Stats(fullRescans, hotRescans, listings, rescanNanos / 1_000_000, index.processCount(), pendingSince.size(),
                lastOwnerHits, ownerCacheHits, connectRecordHits);
    }

    /**
     * @param fullRescans   full /proc fd scans
     * @param hotRescans    hot-set rescans
     * @param procListings  hot rescans that listed /proc for new pids (not following events, or events lost)
     * @param rescanMillis  wall time spent rescanning
     * @param processes     processes in the index
     * @param pendingInodes inodes waiting for a full rescan
     * @param lastOwnerHits new sockets confirmed in the last sole holder's fds (no hot-set rescan)
     * @param ownerCacheHits sole holders answered from the cached snapshot (no /proc read)
     * @param connectRecordHits sockets attributed to the process a connect record names ({@link #ownerByPid}), no fd read
     */
    public record Stats(long fullRescans, long hotRescans, long procListings, long rescanMillis, int processes, int pendingInodes,
                        long lastOwnerHits, long ownerCacheHits, long connectRecordHits) {}
}
