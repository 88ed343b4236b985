package dev.netwarden.daemon.owners;

import dev.netwarden.daemon.Service;
import dev.netwarden.linux.bpf.TaskSocketIterator;
import dev.netwarden.linux.proc.FdLinkReader;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.proc.SocketHolderSnapshot;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SocketHolderIndex} kept warm in the daemon so {@code conns} need not scan every fd of every
 * process itself.
 *
 * <p>How it stays right without rescanning everything: the full scan runs at start and then only when a
 * request names a socket the index does not know. Before each answer it lists /proc and scans just the
 * processes that appeared since the last answer (a forked child, a new server) and forgets those that
 * exited. That is done per request, not on a timer: between requests the daemon pays nothing (a poll
 * every second cost about 0.1% of a core here, and scanned every short-lived process of the machine). Before answering, each
 * holder is re-checked with one readlink of {@code /proc/PID/fd/FD}, so a process that closed its copy
 * (accept-fork-close servers) is not reported; processes are read fresh per request. What it can miss:
 * a process that already existed and received an already-known socket through SCM_RIGHTS since the
 * last full scan — that holder is absent (never a wrong one).
 *
 * <p>Cost at idle: nothing. One thread owns the index; requests queue on it.
 */
public final class WarmSocketIndex implements SocketOwnerSource, Service {
    /** Inodes confirmed holderless by a full scan, remembered so they do not force a scan per request; bounded. */
    private static final int MAX_HOLDERLESS = 1 << 20;

    private final ProcessTable processList = new ProcessTable(ProcessTable.Detail.BASIC);
    private final AtomicLong fullScans = new AtomicLong();
    private final AtomicLong pidScans = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong lastFullScanMicros = new AtomicLong();
    private final AtomicLong lastAnswerMicros = new AtomicLong();
    private ExecutorService owner;
    private SocketHolderIndex index;
    private FdLinkReader links;
    private final Set<Long> holderless = new HashSet<>();

    public WarmSocketIndex() {
    }

    @Override
    public String name() {
        return "socket-index";
    }

    @Override
    public void start() throws Exception {
        owner = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("socket-index").factory());
        try {
            owner.submit(() -> {
                index = new SocketHolderIndex();
                links = new FdLinkReader();
                fullScan();
                return null;
            }).get();
        } catch (ExecutionException e) {
            owner.shutdownNow();
            throw new IllegalStateException("cannot scan /proc: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public SocketOwners owners(long[] inodes, ProcessTable.Detail detail) throws InterruptedException {
        long[] copy = inodes.clone();
        Future<SocketOwners> f = owner.submit(() -> answer(copy, detail));
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** On the owner thread. */
    private SocketOwners answer(long[] inodes, ProcessTable.Detail detail) {
        long t0 = System.nanoTime();
        requests.incrementAndGet();
        syncPids();
        Map<Long, List<SocketHolder>> verified = new HashMap<>();
        boolean missing = verify(inodes, verified);
        if (missing) {
            fullScan();
            verified.clear();
            verify(inodes, verified);
            if (holderless.size() > MAX_HOLDERLESS) {
                holderless.clear();
            }
            for (long inode : inodes) {
                if (inode != 0 && !verified.containsKey(inode)) {
                    holderless.add(inode);
                }
            }
        }
        ProcessTable fresh = new ProcessTable(detail);
        Map<Integer, ProcessInfo> processes = new HashMap<>();
        Map<Long, List<SocketHolder>> holders = new HashMap<>();
        for (Map.Entry<Long, List<SocketHolder>> e : verified.entrySet()) {
            List<SocketHolder> alive = new ArrayList<>(e.getValue().size());
            for (SocketHolder h : e.getValue()) {
                ProcessInfo p = processes.computeIfAbsent(h.pid(), pid -> fresh.lookup(pid).orElse(null));
                if (p != null) {
                    alive.add(h);
                }
            }
            if (!alive.isEmpty()) {
                holders.put(e.getKey(), List.copyOf(alive));
            }
        }
        processes.values().removeIf(Objects::isNull);
        lastAnswerMicros.set((System.nanoTime() - t0) / 1000);
        return new SocketOwners(holders, processes, index.unreadableProcesses(), index.processCount());
    }

    /**
     * Fills {@code out} with the holders of each inode that still hold it (readlink check). Returns true
     * when some inode has no verified holder and was not confirmed holderless by an earlier full scan.
     */
    private boolean verify(long[] inodes, Map<Long, List<SocketHolder>> out) {
        SocketHolderSnapshot snap = index.snapshot();
        boolean missing = false;
        List<SocketHolder> found = new ArrayList<>(4);
        for (long inode : inodes) {
            if (inode == 0) {
                continue;
            }
            found.clear();
            snap.forEachHolder(inode, (pid, fd) -> {
                if (links.socketInode(pid, fd) == inode) {
                    found.add(new SocketHolder(pid, fd));
                }
            });
            if (found.isEmpty()) {
                missing |= !holderless.contains(inode);
            } else {
                out.put(inode, List.copyOf(found));
            }
        }
        return missing;
    }

    private void fullScan() {
        long t0 = System.nanoTime();
        index.refresh();
        fullScans.incrementAndGet();
        lastFullScanMicros.set((System.nanoTime() - t0) / 1000);
    }

    /** Scans processes that appeared since the last look and forgets those that exited. */
    private void syncPids() {
        int[] now = processList.listPids();
        int[] known = index.knownPids();
        for (int pid : known) {
            if (Arrays.binarySearch(now, pid) < 0) {
                index.removePid(pid);
            }
        }
        for (int pid : now) {
            if (Arrays.binarySearch(known, pid) < 0) {
                index.refreshPid(pid);
                pidScans.incrementAndGet();
            }
        }
    }

    @Override
    public Map<String, Object> stats() {
        return Map.of("full_scans", fullScans.get(), "process_scans", pidScans.get(), "requests", requests.get(),
                "last_full_scan_us", lastFullScanMicros.get(), "last_answer_us", lastAnswerMicros.get(),
                "fd_source", TaskSocketIterator.describeSource());
    }

    @Override
    public void close() throws InterruptedException {
        if (owner != null) {
            owner.shutdownNow();
            owner.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
