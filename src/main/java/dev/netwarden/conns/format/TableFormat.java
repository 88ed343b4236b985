package dev.netwarden.conns.format;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.conns.Services;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.TcpInfo;

/**
 * An aligned table like {@code ss -tanp}: Netid, State, Recv-Q, Send-Q, Local Address:Port,
 * Peer Address:Port, then (with {@code -e}) UID, Inode, Cookie, then (with {@code -p}) Process, PID, User,
 * Exe.
 *
 * <p>Addresses follow ss: the address is right-aligned and the port left-aligned around the ':' so the
 * colons line up; IPv6 in brackets ({@code [::1]:22}); port 0 as {@code *} ({@code 0.0.0.0:*}); a bound
 * interface as {@code %name} after the local address; UNIX sockets as {@code path inode} (an unnamed one as
 * {@code *}) with the peer as {@code * peer-inode}, as {@code ss -x}.
 *
 * <p>Several holders: holders are grouped by (name, user, exe), because the usual case is a pre-forking
 * server whose workers all hold the listening socket; a group shows as one entry with its pids
 * comma-separated (at most {@value #MAX_PIDS}, then {@code +N}). The first group goes on the socket's
 * line; each further group on a continuation line with the socket columns blank, so every line still
 * belongs to the socket above it.
 *
 * <p>{@code -i} adds an indented second line with TCP internals in ss's words ({@code cubic rtt:0.5/0.25
 * mss:1448 cwnd:10 bytes_acked:… bytes_received:… segs_out:… segs_in:… retrans:0/3 lastsnd:… lastrcv:…}).
 *
 * <p>All text from outside (names, paths, users, interface names) passes through {@link TerminalText}.
 * Widths come from the data in a first pass; the second pass formats again rather than keeping 100k rows
 * of strings alive. No {@code String.format} on the row path.
 */
public final class TableFormat implements ConnectionsOutput {

    static final int MAX_PIDS = 8;

    /**
     * @param numeric       {@code -n}: ports as numbers, no service names
     * @param processes     {@code -p}: add the process columns
     * @param extended      {@code -e}: add UID, Inode, Cookie
     * @param info          {@code -i}: add the tcp_info line
     * @param netidColumn   show Netid: null means "when the rows hold more than one kind", like ss
     * @param header        print the header line ({@code -H} turns it off)
     * @param interfaceName interface index → name for {@code %dev}, or null to print the index
     */
    public record Options(boolean numeric, boolean processes, boolean extended, boolean info,
                          Boolean netidColumn, boolean header, IntFunction<String> interfaceName) {
        public static Options defaults() {
            return new Options(false, false, false, false, null, true, null);
        }
    }

    // Column indexes.
    private static final int NETID = 0, STATE = 1, RECVQ = 2, SENDQ = 3, LADDR = 4, LPORT = 5, PADDR = 6,
            PPORT = 7, UID = 8, INODE = 9, COOKIE = 10, PROC = 11, PID = 12, USER = 13, EXE = 14, COLUMNS = 15;
    private static final String[] HEADERS = {"Netid", "State", "Recv-Q", "Send-Q", "Local Address", "Port",
            "Peer Address", "Port", "UID", "Inode", "Cookie", "Process", "PID", "User", "Exe"};
    private static final boolean[] RIGHT = {false, false, false, false, true, false, true, false, false, false,
            false, false, false, false, false};

    private final Services services;
    private final Options options;

    public TableFormat(Services services, Options options) {
        this.services = Objects.requireNonNull(services, "services is null");
        this.options = Objects.requireNonNull(options, "options is null");
    }

    @Override
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) throws IOException {
        Objects.requireNonNull(connections, "connections is null");
        boolean[] shown = shownColumns(connections);
        int[] width = new int[COLUMNS];
        String[] cells = new String[COLUMNS];
        List<HolderGroup> groups = new ArrayList<>();
        if (options.header()) {
            for (int c = 0; c < COLUMNS; c++) {
                width[c] = HEADERS[c].length();
            }
        }
        for (Connection conn : connections) {
            fillSocketCells(conn.socket(), cells);
            measure(cells, width, 0, PROC);
            if (shown[PROC]) {
                groupHolders(conn.owners(), groups);
                for (HolderGroup g : groups) {
                    fillHolderCells(g, cells);
                    measure(cells, width, PROC, COLUMNS);
                }
            }
        }

        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder line = new StringBuilder(256);
        if (options.header()) {
            writeLine(w, line, HEADERS, width, shown, true);
        }
        String[] blank = new String[COLUMNS];
        java.util.Arrays.fill(blank, "");
        for (Connection conn : connections) {
            SocketEntry s = conn.socket();
            fillSocketCells(s, cells);
            if (shown[PROC]) {
                groupHolders(conn.owners(), groups);
                if (groups.isEmpty()) {
                    fillHolderCells(null, cells);
                    writeLine(w, line, cells, width, shown, false);
                } else {
                    for (int i = 0; i < groups.size(); i++) {
                        String[] row = i == 0 ? cells : blank;
                        fillHolderCells(groups.get(i), row);
                        writeLine(w, line, row, width, shown, false);
                    }
                }
            } else {
                writeLine(w, line, cells, width, shown, false);
            }
            if (options.info() && (s.tcpInfo() != null || s.congestion() != null)) {
                line.setLength(0);
                line.append("\t ");
                appendInfo(line, s);
                line.append('\n');
                w.append(line);
            }
        }
        w.flush();
    }

    private boolean[] shownColumns(Iterable<Connection> connections) {
        boolean[] shown = new boolean[COLUMNS];
        for (int c = STATE; c <= PPORT; c++) {
            shown[c] = true;
        }
        if (options.netidColumn() != null) {
            shown[NETID] = options.netidColumn();
        } else {
            Netid first = null;
            for (Connection c : connections) {
                if (first == null) {
                    first = c.socket().netid();
                } else if (c.socket().netid() != first) {
                    shown[NETID] = true;
                    break;
                }
            }
        }
        shown[UID] = shown[INODE] = shown[COOKIE] = options.extended();
        shown[PROC] = shown[PID] = shown[USER] = shown[EXE] = options.processes();
        return shown;
    }

    private static void measure(String[] cells, int[] width, int from, int to) {
        for (int c = from; c < to; c++) {
            String v = cells[c];
            if (v != null && v.length() > width[c]) {
                width[c] = v.length();
            }
        }
    }

    private void writeLine(Writer w, StringBuilder line, String[] cells, int[] width, boolean[] shown,
                           boolean header) throws IOException {
        line.setLength(0);
        int last = COLUMNS - 1;
        while (last > 0 && !shown[last]) {
            last--;
        }
        boolean first = true;
        for (int c = 0; c < COLUMNS; c++) {
            if (!shown[c]) {
                continue;
            }
            String v = cells[c] == null ? "" : cells[c];
            boolean portColumn = c == LPORT || c == PPORT;
            if (!first && !portColumn) {
                line.append(' ');
            }
            first = false;
            if (portColumn) {
                line.append(separator(cells, c, header));
            }
            int pad = width[c] - v.length();
            if (RIGHT[c]) {
                pad(line, pad);
                line.append(v);
            } else {
                line.append(v);
                if (c != last) {
                    pad(line, pad);
                }
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        line.setLength(end);
        line.append('\n');
        w.append(line);
    }

    /** ':' between address and port, ' ' for UNIX sockets (path inode), nothing on a continuation line. */
    private static char separator(String[] cells, int portColumn, boolean header) {
        if (header) {
            return ':';
        }
        String addr = cells[portColumn - 1];
        String port = cells[portColumn];
        if (addr == null || addr.isEmpty() || port == null || port.isEmpty()) {
            return ' ';
        }
        return cells[NETID] != null && cells[NETID].startsWith("u_") ? ' ' : ':';
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    private void fillSocketCells(SocketEntry s, String[] cells) {
        cells[NETID] = s.netid().label();
        cells[STATE] = s.state().label();
        cells[RECVQ] = Long.toString(s.recvQ());
        cells[SENDQ] = Long.toString(s.sendQ());
        if (s.netid().isUnix()) {
            String path = s.unixPath();
            cells[LADDR] = path == null || path.isEmpty() ? "*" : TerminalText.sanitize(path);
            cells[LPORT] = Long.toString(s.inode());
            cells[PADDR] = "*";
            cells[PPORT] = Long.toString(s.unixPeerInode());
        } else {
            cells[LADDR] = addressText(s.local(), s.isIpv6(), s.interfaceIndex());
            cells[LPORT] = portText(s.netid(), s.local().port());
            cells[PADDR] = addressText(s.remote(), s.isIpv6(), 0);
            cells[PPORT] = portText(s.netid(), s.remote().port());
        }
        if (options.extended()) {
            cells[UID] = s.uid() < 0 ? "" : Integer.toString(s.uid());
            cells[INODE] = Long.toString(s.inode());
            cells[COOKIE] = s.cookie() == 0 ? "" : Long.toHexString(s.cookie());
        }
    }

    private String addressText(InetEndpoint e, boolean ipv6, int interfaceIndex) {
        StringBuilder sb = new StringBuilder(48);
        if (ipv6) {
            sb.append('[');
            AddressText.append(sb, e.address(), true);
            sb.append(']');
        } else {
            AddressText.append(sb, e.address(), false);
        }
        if (interfaceIndex != 0) {
            sb.append('%');
            String name = options.interfaceName() == null ? null : options.interfaceName().apply(interfaceIndex);
            if (name == null) {
                sb.append(interfaceIndex);
            } else {
                TerminalText.append(sb, name);
            }
        }
        return sb.toString();
    }

    private String portText(Netid netid, int port) {
        if (port == 0) {
            return "*";
        }
        if (!options.numeric()) {
            String name = services.name(netid, port);
            if (name != null) {
                return TerminalText.sanitize(name);
            }
        }
        return Integer.toString(port);
    }

    private static void fillHolderCells(HolderGroup g, String[] cells) {
        if (g == null) {
            cells[PROC] = cells[PID] = cells[USER] = cells[EXE] = "";
            return;
        }
        cells[PROC] = g.name;
        cells[USER] = g.user;
        cells[EXE] = g.exe;
        if (g.pids.size() == 1) {
            cells[PID] = Integer.toString(g.pids.getFirst());
        } else {
            StringBuilder sb = new StringBuilder();
            int n = Math.min(g.pids.size(), MAX_PIDS);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(g.pids.get(i).intValue());
            }
            if (g.pids.size() > n) {
                sb.append(",+").append(g.pids.size() - n);
            }
            cells[PID] = sb.toString();
        }
    }

    /** Groups {@code owners} by (name, user, exe), keeping first-seen order and distinct pids. */
    private static void groupHolders(List<Owner> owners, List<HolderGroup> out) {
        out.clear();
        for (Owner o : owners) {
            ProcessInfo p = o.process();
            String name = TerminalText.sanitize(p.displayName());
            String user = p.user() != null ? TerminalText.sanitize(p.user()) : p.uid() >= 0 ? Integer.toString(p.uid()) : "?";
            String exe = p.exe() == null ? "?" : TerminalText.sanitize(p.exeDeleted() ? p.exe() + " (deleted)" : p.exe());
            HolderGroup match = null;
            for (HolderGroup g : out) {
                if (g.name.equals(name) && g.user.equals(user) && g.exe.equals(exe)) {
                    match = g;
                    break;
                }
            }
            if (match == null) {
                match = new HolderGroup(name, user, exe, new ArrayList<>(2));
                out.add(match);
            }
            if (!match.pids.contains(p.pid())) {
                match.pids.add(p.pid());
            }
        }
    }

    private static void appendInfo(StringBuilder sb, SocketEntry s) {
        boolean any = false;
        if (s.congestion() != null) {
            TerminalText.append(sb, s.congestion());
            any = true;
        }
        TcpInfo t = s.tcpInfo();
        if (t == null) {
            return;
        }
        if (any) {
            sb.append(' ');
        }
        sb.append("rtt:");
        appendMillis(sb, t.rttMicros());
        sb.append('/');
        appendMillis(sb, t.rttVarMicros());
        sb.append(" mss:").append(t.sndMss());
        sb.append(" rcvmss:").append(t.rcvMss());
        sb.append(" cwnd:").append(t.sndCwnd());
        sb.append(" bytes_acked:").append(t.bytesAcked());
        sb.append(" bytes_received:").append(t.bytesReceived());
        sb.append(" segs_out:").append(t.segsOut());
        sb.append(" segs_in:").append(t.segsIn());
        if (t.retransmits() != 0 || t.totalRetrans() != 0) {
            sb.append(" retrans:").append(t.retransmits()).append('/').append(t.totalRetrans());
        }
        sb.append(" lastsnd:").append(t.lastDataSentMillis());
        sb.append(" lastrcv:").append(t.lastDataRecvMillis());
    }

    /** Microseconds as milliseconds with up to three decimals, trailing zeros dropped (ss's %g look). */
    static void appendMillis(StringBuilder sb, long micros) {
        long us = Integer.toUnsignedLong((int) micros);
        sb.append(us / 1000);
        int frac = (int) (us % 1000);
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) {
                sb.append('0');
            }
            if (frac < 10) {
                sb.append('0');
            }
            while (frac % 10 == 0) {
                frac /= 10;
            }
            sb.append(frac);
        }
    }

    private record HolderGroup(String name, String user, String exe, List<Integer> pids) {
    }
}
