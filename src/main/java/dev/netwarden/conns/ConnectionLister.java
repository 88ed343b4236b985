package dev.netwarden.conns;

import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.linux.proc.SocketHolderSnapshot;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.linux.sockdiag.SockDiagQuery;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    /** Which sockets to ask the kernel for, one query per kind (state masks differ per kind). */
    public record Selection(List<SockDiagQuery> queries, Predicate<SocketEntry> filter, boolean processes) {
        public Selection {
            queries = List.copyOf(queries);
            Objects.requireNonNull(filter, "filter is null");
        }
    }

    /** The rows, plus how many processes' fds could not be read (not root). */
    public record Listing(List<Connection> connections, int unreadableProcesses, int processesScanned) {
    }

    private final ProcessTable processes;

    public ConnectionLister(ProcessTable processes) {
        this.processes = Objects.requireNonNull(processes, "processes is null");
    }

    public Listing list(Selection selection) throws IOException {
        CompletableFuture<SocketHolderIndex> scan = null;
        if (selection.processes()) {
            scan = CompletableFuture.supplyAsync(() -> {
                SocketHolderIndex index = new SocketHolderIndex();
                PhaseTimes.mark("scan thread start");
                index.refresh();
                PhaseTimes.mark("proc fd scan");
                return index;
            }, runnable -> Thread.ofPlatform().daemon().name("proc-fd-scan").start(runnable));
        }
        List<SocketEntry> sockets = new ArrayList<>();
        try (SockDiag diag = SockDiag.open()) {
            for (SockDiagQuery q : selection.queries()) {
                diag.dump(q, s -> {
                    if (selection.filter().test(s)) {
                        sockets.add(s);
                    }
                });
                PhaseTimes.mark("sock_diag dump " + q);
            }
        }
        if (scan == null) {
            List<Connection> rows = new ArrayList<>(sockets.size());
            for (SocketEntry s : sockets) {
                rows.add(new Connection(s, List.of()));
            }
            return new Listing(rows, 0, 0);
        }
        SocketHolderIndex index;
        try {
            index = scan.join();
        } catch (CompletionException e) {
            throw new IOException("cannot scan /proc for socket holders: " + e.getCause().getMessage(), e.getCause());
        }
        PhaseTimes.mark("wait for scan");
        SocketHolderSnapshot holders = index.snapshot();
        PhaseTimes.mark("holder snapshot");
        List<Connection> rows = new ArrayList<>(sockets.size());
        for (SocketEntry s : sockets) {
            rows.add(new Connection(s, owners(s, holders)));
        }
        PhaseTimes.mark("join + process reads");
        return new Listing(rows, index.unreadableProcesses(), index.processCount());
    }

    private List<Owner> owners(SocketEntry socket, SocketHolderSnapshot holders) {
        // inode 0: a connection not yet accepted, or a TIME-WAIT socket: no fd can refer to it.
        if (socket.inode() == 0 || !holders.contains(socket.inode())) {
            return List.of();
        }
        List<SocketHolder> list = holders.holders(socket.inode());
        List<Owner> owners = new ArrayList<>(list.size());
        for (SocketHolder h : list) {
            Optional<ProcessInfo> p = processes.lookup(h.pid());
            p.ifPresent(info -> owners.add(new Owner(info, h.fd())));
        }
        return owners;
    }

    /** True for the kinds whose sockets have IP endpoints. */
    static boolean isInet(Netid n) {
        return !n.isUnix();
    }
}
