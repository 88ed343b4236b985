package dev.netwarden.conns;

import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.proc.SocketHolderSnapshot;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.linux.sockdiag.SockDiagQuery;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lists sockets and joins each with the processes holding it.
 *
 * <p>Why two threads: the sock_diag dump (netlink, this network namespace) and the /proc fd scan
 * (machine-wide) are independent and each mostly kernel time, so on a 2-core machine running them at
 * once makes {@code conns} cost about the longer of the two instead of their sum. The join itself is a
 * hash lookup per socket. A process that exits between the scan and the lookup simply drops out of
 * the row's holders; it never fails the listing.
 */
public final class ConnectionLister {
    /**
     * Which sockets to ask the kernel for, one query per kind (state masks differ per kind), and
     * {@code joined}: told of every row once it has its holders, in listing order, on the thread that
     * joined it (the scan thread while the dump still arrives, else the caller's); the listing returns
     * after the last call. For work per row that need not wait for the whole listing (the table's
     * column widths).
     */
    public record Selection(List<SockDiagQuery> queries, Predicate<SocketEntry> filter, boolean processes,
                            Consumer<Connection> joined) {
        public Selection {
            queries = List.copyOf(queries);
            Objects.requireNonNull(filter, "filter is null");
            Objects.requireNonNull(joined, "joined is null");
        }

        public Selection(List<SockDiagQuery> queries, Predicate<SocketEntry> filter, boolean processes) {
            this(queries, filter, processes, row -> { });
        }
    }

    /** The rows, plus how many processes' fds could not be read (not root). */
    public record Listing(List<Connection> connections, int unreadableProcesses, int processesScanned) {
    }

    /**
     * Socket owners from somewhere other than this process's own /proc scan: the running daemon's warm
     * index ({@link DaemonOwnerLookup}). Why: the scan reads every fd of every process and is most of a
     * listing's time; a daemon that keeps it warm answers for just the listed inodes.
     */
    @FunctionalInterface
    public interface OwnerLookup {
        /** The owners of these inodes (holders verified after the dump), or null to scan /proc here instead. */
        Remote owners(long[] inodes);
    }

    /** An {@link OwnerLookup} answer: owners per inode (inodes without owners absent) and the scan counters. */
    public record Remote(java.util.Map<Long, List<Owner>> owners, int unreadableProcesses, int processesScanned) {
        public Remote {
            Objects.requireNonNull(owners, "owners is null");
        }
    }

    private final ProcessTable processes;
    private final OwnerLookup lookup;
    private CompletableFuture<Scan> scan;
    /** Set when the join begins: the scan thread then stops reading processes ahead. */
    private volatile boolean joining;
    /**
     * Where {@link #list} hands the dump's sockets to the scan thread, once it asked for that before
     * the scan finished (guarded by this); null otherwise.
     */
    private JoinHandoff handoff;
    /** Set (guarded by this) when the scan thread finished its scan: too late to hand it the join. */
    private boolean scanFinished;

    /** A finished /proc scan: the index (its counters) and the snapshot built on the scan thread. */
    private record Scan(SocketHolderIndex index, SocketHolderSnapshot holders) {
    }

    public ConnectionLister(ProcessTable processes) {
        this(processes, null);
    }

    /**
     * @param lookup asked first for the owners when not null; the /proc scan runs only when it has no
     *               answer (then after the dump, not overlapped with it)
     */
    public ConnectionLister(ProcessTable processes, OwnerLookup lookup) {
        this.processes = Objects.requireNonNull(processes, "processes is null");
        this.lookup = lookup;
    }

    /**
     * Starts the /proc fd scan on its own thread now, if not yet started, so that it overlaps with
     * whatever the caller still prepares (services, filter parsing: ~20 ms of a run). {@link #list}
     * uses the started scan when its selection wants processes; otherwise the scan is just dropped.
     */
    public synchronized void startScan() {
        if (scan == null) {
            CompletableFuture<Scan> result = new CompletableFuture<>();
            scan = result;
            Thread.ofPlatform().daemon().name("proc-fd-scan").start(() -> {
                Scan done;
                int[] holderPids;
                try {
                    PhaseTimes.mark("scan thread running");
                    SocketHolderIndex index = new SocketHolderIndex();
                    PhaseTimes.mark(index.usesBpf() ? "BPF iterator ready" : "no BPF iterator");
                    index.refresh();
                    PhaseTimes.mark("fds read");
                    done = new Scan(index, index.snapshot());
                    holderPids = index.socketHolderPids(); // before handing the index over
                    PhaseTimes.mark("proc fd scan");
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                    return;
                }
                result.complete(done);
                JoinHandoff join;
                synchronized (ConnectionLister.this) {
                    scanFinished = true;
                    join = handoff;
                }
                if (join != null) {
                    join.joinAll(new Join(processes, done.holders())::owners);
                    PhaseTimes.mark("join on the scan thread");
                } else {
                    readAhead(holderPids);
                }
            });
        }
    }

    /**
     * Reads the socket holders' processes while the main thread still waits for the dump: on a
     * listing with many processes that is tens of ms of /proc reads moved off the critical path.
     * It stops as soon as the join begins (the join reads whatever is still missing itself), so it
     * never delays the listing; a process read here but not in the listing only costs a read.
     */
    private void readAhead(int[] pids) {
        // From the end: the join meets pids in dump order, so the two threads rarely read the same one.
        for (int i = pids.length - 1; i >= 0 && !joining; i--) {
            processes.lookup(pids[i]);
        }
        PhaseTimes.mark("read-ahead of processes");
    }

    /** Lists once; a lister is for one listing (its scan is started once, see {@link #startScan()}). */
    public Listing list(Selection selection) throws IOException {
        if (selection.processes() && lookup == null) {
            startScan();
        }
        JoinHandoff onScanThread = selection.processes() ? joinOnScanThread(selection.joined()) : null;
        List<SocketEntry> sockets = new ArrayList<>();
        try (SockDiag diag = SockDiag.open()) {
            for (SockDiagQuery q : selection.queries()) {
                diag.dump(q, s -> {
                    if (selection.filter().test(s)) {
                        if (onScanThread != null) {
                            onScanThread.add(s);
                        } else {
                            sockets.add(s);
                        }
                    }
                });
                PhaseTimes.mark("sock_diag dump " + q);
            }
        } finally {
            if (onScanThread != null) {
                onScanThread.finish(); // also after a failed dump: the scan thread must not wait for more
            }
        }
        if (onScanThread != null) {
            Scan done = awaitScan();
            List<Connection> rows = onScanThread.rows();
            PhaseTimes.mark("wait for the join");
            return new Listing(rows, done.index().unreadableProcesses(), done.index().processCount());
        }
        if (!selection.processes()) {
            List<Connection> rows = new ArrayList<>(sockets.size());
            for (SocketEntry s : sockets) {
                rows.add(joined(selection, new Connection(s, List.of())));
            }
            return new Listing(rows, 0, 0);
        }
        if (lookup != null && scan == null) {
            // After the dump: the answer is about sockets that exist now, checked after this moment.
            long[] inodes = new long[sockets.size()];
            int n = 0;
            for (SocketEntry s : sockets) {
                if (s.inode() != 0) {
                    inodes[n++] = s.inode();
                }
            }
            Remote remote = lookup.owners(Arrays.copyOf(inodes, n));
            PhaseTimes.mark("owners from daemon");
            if (remote != null) {
                List<Connection> rows = new ArrayList<>(sockets.size());
                for (SocketEntry s : sockets) {
                    rows.add(joined(selection, new Connection(s,
                            s.inode() == 0 ? List.of() : remote.owners().getOrDefault(s.inode(), List.of()))));
                }
                return new Listing(rows, remote.unreadableProcesses(), remote.processesScanned());
            }
            startScan();
        }
        Scan done = awaitScan();
        PhaseTimes.mark("wait for scan");
        SocketHolderIndex index = done.index();
        List<Connection> rows = new ArrayList<>(sockets.size());
        Join join = new Join(processes, done.holders());
        for (SocketEntry s : sockets) {
            rows.add(joined(selection, new Connection(s, join.owners(s))));
        }
        joining = true;
        PhaseTimes.mark("join + process reads");
        return new Listing(rows, index.unreadableProcesses(), index.processCount());
    }

    /**
     * A handoff for the dump's sockets, which the scan thread joins once its scan is done; null (the
     * join then runs here, after the dump) when no scan was started here or it already finished.
     */
    private synchronized JoinHandoff joinOnScanThread(Consumer<Connection> joined) {
        if (scan == null || scanFinished || handoff != null) {
            return null;
        }
        handoff = new JoinHandoff(joined);
        return handoff;
    }

    private static Connection joined(Selection selection, Connection row) {
        selection.joined().accept(row);
        return row;
    }

    private Scan awaitScan() throws IOException {
        try {
            return scan.join();
        } catch (CompletionException e) {
            throw new IOException("cannot scan /proc for socket holders: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Joins one listing's sockets with their holders' processes. Per listing, so the pid cache never
     * outlives the scan it belongs to; not thread-safe.
     */
    private static final class Join implements SocketHolderSnapshot.HolderVisitor {
        private final ProcessTable processes;
        private final SocketHolderSnapshot holders;
        /** pid -> process (open addressing; pid 0 never holds an fd, so 0 marks a free slot). */
        private int[] pidKeys = new int[256];
        private ProcessInfo[] pidValues = new ProcessInfo[256];
        private int pidCount;
        /** The current inode's (pid, fd) pairs, reused. */
        private int[] pids = new int[8];
        private int[] fds = new int[8];
        private int count;

        Join(ProcessTable processes, SocketHolderSnapshot holders) {
            this.processes = processes;
            this.holders = holders;
        }

        @Override
        public void visit(int pid, int fd) {
            if (count == pids.length) {
                pids = Arrays.copyOf(pids, count * 2);
                fds = Arrays.copyOf(fds, count * 2);
            }
            pids[count] = pid;
            fds[count] = fd;
            count++;
        }

        /**
         * The owners of one socket. Allocation-free apart from the result (this runs per row: at 100k
         * sockets, holder lists, boxed pids and Optionals per row cost ~40 ms and a young GC): holders are
         * collected into reused arrays, each pid's process is looked up once per listing, and a socket with
         * one holder gets an immutable one-element list.
         */
        List<Owner> owners(SocketEntry socket) {
            // inode 0: a connection not yet accepted, or a TIME-WAIT socket: no fd can refer to it.
            if (socket.inode() == 0) {
                return List.of();
            }
            count = 0;
            holders.forEachHolder(socket.inode(), this);
            int n = count;
            if (n == 0) {
                return List.of();
            }
            if (n == 1) {
                ProcessInfo info = process(pids[0]);
                return info == null ? List.of() : List.of(new Owner(info, fds[0]));
            }
            List<Owner> owners = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ProcessInfo info = process(pids[i]);
                if (info != null) {
                    owners.add(new Owner(info, fds[i]));
                }
            }
            return List.copyOf(owners);
        }

        /** The process of {@code pid}, read once per listing (null when it exited). */
        private ProcessInfo process(int pid) {
            int slot = pidSlot(pid);
            while (true) {
                if (pidKeys[slot] == pid) {
                    return pidValues[slot];
                }
                if (pidKeys[slot] == 0) {
                    break;
                }
                slot = (slot + 1) & (pidKeys.length - 1);
            }
            ProcessInfo info = processes.lookup(pid).orElse(null);
            if (pidCount * 2 >= pidKeys.length) {
                growPidCache();
                slot = pidSlot(pid);
                while (pidKeys[slot] != 0) {
                    slot = (slot + 1) & (pidKeys.length - 1);
                }
            }
            pidKeys[slot] = pid;
            pidValues[slot] = info;
            pidCount++;
            return info;
        }

        private int pidSlot(int pid) {
            int h = pid * 0x9E3779B9;
            return (h ^ (h >>> 16)) & (pidKeys.length - 1);
        }

        private void growPidCache() {
            int[] oldKeys = pidKeys;
            ProcessInfo[] oldValues = pidValues;
            pidKeys = new int[oldKeys.length * 2];
            pidValues = new ProcessInfo[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = pidSlot(oldKeys[i]);
                    while (pidKeys[slot] != 0) {
                        slot = (slot + 1) & (pidKeys.length - 1);
                    }
                    pidKeys[slot] = oldKeys[i];
                    pidValues[slot] = oldValues[i];
                }
            }
        }
    }
}
