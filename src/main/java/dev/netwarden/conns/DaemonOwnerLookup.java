package dev.netwarden.conns;

import dev.netwarden.daemon.owners.SocketOwners;
import dev.netwarden.daemon.owners.SocketOwnersClient;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the running daemon for socket owners ({@code socket-owners} op). Any failure — no daemon, other
 * namespaces, a refusal, a timeout — means "scan /proc here": {@code conns} works the same without a
 * daemon, only slower. The reason is printed only when the user named the socket ({@code --daemon-socket})
 * or set NETWARDEN_DEBUG.
 */
public final class DaemonOwnerLookup implements ConnectionLister.OwnerLookup {
    private final Path socket;
    private final ProcessTable.Detail detail;
    private final PrintStream err;
    private final boolean explicit;

    public DaemonOwnerLookup(Path socket, ProcessTable.Detail detail, PrintStream err, boolean explicit) {
        this.socket = Objects.requireNonNull(socket, "socket is null");
        this.detail = Objects.requireNonNull(detail, "detail is null");
        this.err = Objects.requireNonNull(err, "err is null");
        this.explicit = explicit;
    }

    /** A lookup when a daemon may be listening at {@code socket} (its file exists), else null: no cost when none runs. */
    public static DaemonOwnerLookup ifPresent(Path socket, ProcessTable.Detail detail, PrintStream err, boolean explicit) {
        if (Files.exists(socket) || explicit) {
            return new DaemonOwnerLookup(socket, detail, err, explicit);
        }
        return null;
    }

    @Override
    public ConnectionLister.Remote owners(long[] inodes) {
        SocketOwners answer;
        try {
            answer = SocketOwnersClient.ask(socket, inodes, detail);
        } catch (IOException | RuntimeException e) {
            if (explicit || System.getenv("NETWARDEN_DEBUG") != null) {
                err.println("netwarden conns: " + dev.netwarden.conns.format.TerminalText.sanitize(e.getMessage())
                        + "; scanning /proc instead");
            }
            return null;
        }
        Map<Long, List<Owner>> owners = new HashMap<>(answer.holders().size() * 2);
        for (Map.Entry<Long, List<SocketHolder>> e : answer.holders().entrySet()) {
            List<Owner> list = new ArrayList<>(e.getValue().size());
            for (SocketHolder h : e.getValue()) {
                ProcessInfo p = answer.processes().get(h.pid());
                if (p != null) {
                    list.add(new Owner(p, h.fd()));
                }
            }
            owners.put(e.getKey(), List.copyOf(list));
        }
        return new ConnectionLister.Remote(owners, answer.unreadableProcesses(), answer.processesScanned());
    }
}
