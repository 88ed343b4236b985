package dev.netwarden.conns;

import dev.netwarden.conns.filter.FilterEnvironment;
import dev.netwarden.conns.filter.FilterSyntaxException;
import dev.netwarden.conns.filter.ParsedFilter;
import dev.netwarden.conns.filter.SsFilterParser;
import dev.netwarden.conns.filter.StateSelection;
import dev.netwarden.conns.format.ConnectionsOutput;
import dev.netwarden.conns.format.CsvFormat;
import dev.netwarden.conns.format.JsonFormat;
import dev.netwarden.conns.format.TableFormat;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.linux.sockdiag.SockDiagQuery;
import dev.netwarden.linux.sysfs.NetInterfaces;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import dev.netwarden.daemon.config.DaemonSection;

import java.io.IOException;
import java.nio.file.Path;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One run of {@code netwarden conns}: turns the request into kernel queries and filters, lists, and
 * prints. Returns the process exit code; errors the user can fix (a bad filter) are exit 2 with a
 * message, never a stack trace.
 */
public final class ConnsRun {
    public static final int EXIT_OK = 0;
    public static final int EXIT_KERNEL = 1;
    public static final int EXIT_USAGE = 2;

    private ConnsRun() {
    }

    /** Runs with the daemon at its default socket when one runs there, else standalone. */
    public static int run(ConnsRequest request, PrintStream out, PrintStream err) throws IOException {
        return run(request, DaemonSection.DEFAULT_CONTROL_SOCKET, false, out, err);
    }

    /**
     * @param daemonSocket    where to ask a running daemon for socket owners; null never asks
     * @param explicitSocket  the user named the socket: say why when it cannot be used
     */
    public static int run(ConnsRequest request, Path daemonSocket, boolean explicitSocket, PrintStream out, PrintStream err)
            throws IOException {
        PhaseTimes.mark("command line parsed");
        // The table shows no cmdline or cgroup: reading them for every holder would cost a third
        // of the process reading for nothing.
        ProcessTable processes = new ProcessTable(request.format() == ConnsRequest.Format.TABLE
                ? ProcessTable.Detail.BASIC : ProcessTable.Detail.FULL);
        ProcessTable.Detail detail = request.format() == ConnsRequest.Format.TABLE ? ProcessTable.Detail.BASIC : ProcessTable.Detail.FULL;
        ConnectionLister.OwnerLookup daemon = request.processes() && daemonSocket != null
                ? DaemonOwnerLookup.ifPresent(daemonSocket, detail, err, explicitSocket) : null;
        ConnectionLister lister = new ConnectionLister(processes, daemon);
        if (request.processes() && daemon == null) {
            lister.startScan(); // first: the scan is the longest phase, and needs nothing parsed below
        }
        Services services = Services.load(Services.ETC_SERVICES);
        LazyInterfaces interfaces = new LazyInterfaces();
        Set<Netid> kinds = kinds(request);
        // Only RAW sockets are named by protocol, and -n names nothing: skip the file otherwise.
        Protocols protocols = kinds.contains(Netid.RAW) && !request.numeric()
                ? Protocols.load(Protocols.ETC_PROTOCOLS) : Protocols.none();
        PhaseTimes.mark("services");

        // UNIX peers are known by inode only; a `dst /path` filter needs the peer's path, so the
        // filter looks it up in the listing itself (filled below, before any socket is matched).
        Map<Long, String> unixPaths = new HashMap<>();
        FilterEnvironment env = new FilterEnvironment(services, interfaces::indexOf, unixPaths::get);
        ParsedFilter filter;
        try {
            filter = SsFilterParser.parse(request.filter(), env);
        } catch (FilterSyntaxException e) {
            err.println("netwarden conns: bad filter: " + e.getMessage());
            return EXIT_USAGE;
        }
        boolean ownerFilter = !request.pids().isEmpty() || !request.processNames().isEmpty() || !request.users().isEmpty();
        if (ownerFilter && !request.processes()) {
            err.println("netwarden conns: --pid, --process and --user need the process scan; drop -P");
            return EXIT_USAGE;
        }
        StateSelection states = StateSelection.resolve(request.all(), request.listening(), filter.stateMask());
        boolean v4 = request.ipv4Only() || !request.ipv6Only();
        boolean v6 = request.ipv6Only() || !request.ipv4Only();
        List<SockDiagQuery> queries = new ArrayList<>();
        for (Netid kind : kinds) {
            queries.add(SockDiagQuery.of(kind).withFamilies(v4, v6).withStateMask(states.kernelMask(kind))
                    .withTcpInfo(request.info() && kind == Netid.TCP));
        }
        boolean unixPeerFilter = kinds.stream().anyMatch(Netid::isUnix);
        Predicate<SocketEntry> socketFilter = unixPeerFilter ? s -> true : filter::matches;

        // The table's first pass (column widths) runs on the rows as they are joined, on the thread
        // that joins them, when every listed row is a printed row: not after the filters below.
        TableFormat table = request.format() == ConnsRequest.Format.TABLE
                ? new TableFormat(services, protocols, new TableFormat.Options(request.numeric(), request.processes(),
                        request.extended(), request.info(), null, true, interfaces::nameOf))
                : null;
        TableFormat.Widths widths = table != null && !unixPeerFilter && !ownerFilter ? table.widths() : null;
        ConnectionLister.Listing listing;
        try {
            listing = lister.list(new ConnectionLister.Selection(queries, socketFilter, request.processes(),
                    widths == null ? row -> { } : widths));
        } catch (IOException e) {
            err.println("netwarden conns: " + e.getMessage());
            return EXIT_KERNEL;
        }

        List<Connection> rows = listing.connections();
        PhaseTimes.mark("list (dump+scan+join)");
        if (unixPeerFilter) {
            for (Connection c : rows) {
                SocketEntry s = c.socket();
                if (s.netid().isUnix() && s.unixPath() != null && !s.unixPath().isEmpty()) {
                    unixPaths.put(s.inode(), s.unixPath());
                }
            }
            rows = rows.stream().filter(c -> filter.matches(c.socket())).toList();
        }
        if (ownerFilter) {
            OwnerFilter owners = new OwnerFilter(request.pids(), request.processNames(), request.users());
            rows = rows.stream().filter(owners::matches).toList();
        }

        List<String> warnings = new ArrayList<>();
        if (request.processes() && listing.unreadableProcesses() > 0) {
            int uid = Libc.geteuid();
            // As root the cause is not permission (a file-descriptor limit, a process being torn
            // down), so "run as root" would be wrong advice there.
            warnings.add(listing.unreadableProcesses() + " of " + listing.processesScanned()
                    + " processes could not be inspected as uid " + uid
                    + ": their sockets are listed without a process"
                    + (uid == 0 ? " (their /proc/PID/fd could not be opened: check the open-file limit, ulimit -n)"
                                : " (run as root to see every owner)"));
        }

        PhaseTimes.mark("filter rows");
        ConnectionsOutput output = switch (request.format()) {
            case JSON -> new JsonFormat(request.numeric() ? Services.none() : services, protocols, interfaces::nameOf);
            case CSV -> new CsvFormat();
            case TABLE -> table;
        };
        if (request.format() != ConnsRequest.Format.JSON) {
            for (String w : warnings) {
                err.println("netwarden conns: " + w);
            }
        }
        if (table != null) {
            table.write(rows, warnings, out, widths);
        } else {
            output.write(rows, warnings, out);
        }
        out.flush();
        PhaseTimes.mark("output written");
        return EXIT_OK;
    }

    /** ss's rule: no kind flag means every kind; netwarden's "every kind" is the IP ones, UNIX only with -x. */
    static Set<Netid> kinds(ConnsRequest r) {
        Set<Netid> kinds = EnumSet.noneOf(Netid.class);
        if (r.tcp()) {
            kinds.add(Netid.TCP);
        }
        if (r.udp()) {
            kinds.add(Netid.UDP);
        }
        if (r.raw()) {
            kinds.add(Netid.RAW);
        }
        if (r.unix()) {
            kinds.addAll(List.of(Netid.UNIX_STREAM, Netid.UNIX_DGRAM, Netid.UNIX_SEQPACKET));
        }
        if (kinds.isEmpty()) {
            kinds.addAll(List.of(Netid.TCP, Netid.UDP, Netid.RAW));
        }
        return kinds;
    }

    /** --pid / --process / --user: a row matches when one of its holders matches every given kind of filter. */
    record OwnerFilter(List<Integer> pids, List<String> names, List<String> users) {
        boolean matches(Connection c) {
            for (Owner o : c.owners()) {
                if (matches(o.process())) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(ProcessInfo p) {
            if (!pids.isEmpty() && !pids.contains(p.pid())) {
                return false;
            }
            if (!names.isEmpty() && !names.contains(p.comm()) && !names.contains(exeName(p.exe()))) {
                return false;
            }
            return users.isEmpty() || users.contains(p.user()) || users.contains(Integer.toString(p.uid()));
        }

        private static String exeName(String exe) {
            return exe == null ? null : exe.substring(exe.lastIndexOf('/') + 1);
        }
    }

    /**
     * Interface names, read from /sys only when a filter names an interface or a row is bound to one.
     * Most listings need neither, and reading them at start competed with the /proc scan for the
     * first use of the same downcalls (~30 ms measured with NETWARDEN_TIMING=1). Main thread only.
     */
    private static final class LazyInterfaces {
        private NetInterfaces table;

        int indexOf(String name) {
            return table().indexOf(name);
        }

        String nameOf(int index) {
            return table().nameOf(index);
        }

        // synchronized: the filter asks on the dump's thread, the table's first pass on the join's.
        private synchronized NetInterfaces table() {
            if (table == null) {
                table = NetInterfaces.current();
            }
            return table;
        }
    }
}
