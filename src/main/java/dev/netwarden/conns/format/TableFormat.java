package dev.netwarden.conns.format;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.conns.Protocols;
import dev.netwarden.conns.Services;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.socket.TcpInfo;

/**
 * An aligned table like {@code ss -tanp}: Netid, State, Recv-Q, Send-Q, Local Address:Port,
 * Peer Address:Port, then (with {@code -e}) UID, Inode, Cookie, then (with {@code -p}) Process, PID, User,
 * Exe.
 *
 * <p>Addresses follow ss: the address is right-aligned and the port left-aligned around the ':' so the
 * colons line up; IPv6 in brackets ({@code [::1]:22}); port 0 as {@code *} ({@code 0.0.0.0:*}); the
 * wildcard {@code ::} of an IPv6 socket that also takes IPv4 as {@code *} ({@code *:443}, {@code *:*}), and
 * as {@code [::]} only when the kernel reports IPV6_V6ONLY (ss's rule, so an unreported flag counts as
 * dual-stack); a RAW socket's protocol number by its /etc/protocols name ({@code 0.0.0.0:icmp}, an unnamed
 * one as {@code ipproto-N}); a bound interface as {@code %name} after the local address; UNIX sockets as
 * {@code path inode} (an unnamed one as {@code *}) with the peer as {@code * peer-inode}, as {@code ss -x}.
 * Columns are padded in terminal cells ({@link DisplayWidth}), so wide and combining characters line up.
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
 * alive. Rows are formatted as UTF-8 bytes into reused buffers ({@link TableCells}): the text of a
 * process, an address and a service name is made once and copied per row, so a row allocates nothing
 * (at 100k rows, Strings per cell and their encoding were ~60% of the table's time, 145 → 45 ms).
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
    private final Protocols protocols;
    private final Options options;

    /**
     * @param services  port names for TCP and UDP
     * @param protocols protocol names for RAW sockets, whose "port" is the IP protocol number
     */
    public TableFormat(Services services, Protocols protocols, Options options) {
        this.services = Objects.requireNonNull(services, "services is null");
        this.protocols = Objects.requireNonNull(protocols, "protocols is null");
        this.options = Objects.requireNonNull(options, "options is null");
    }

    /**
     * The table's first pass, fed one row at a time: the width of every column and whether the rows
     * hold more than one kind (then the Netid column shows). Why a separate object: {@code conns}
     * feeds it on the thread that joins the rows with their holders, while the dump still arrives, so
     * the main thread skips this pass (~35 ms at 100k rows). It may be fed on another thread than
     * {@link #write(Iterable, List, OutputStream, Widths)} runs on when the hand-over is ordered (a
     * thread join, a completed future); it and this format's text caches are then that thread's until
     * the hand-over. Rows must be exactly those written, in any order.
     */
    public final class Widths implements java.util.function.Consumer<Connection> {
        private final int[] width = new int[COLUMNS];
        private final TableCells cells = new TableCells(COLUMNS);
        private final Groups groups = new Groups();
        private Netid firstKind;
        private boolean severalKinds;

        private Widths() {
            if (options.header()) {
                for (int c = 0; c < COLUMNS; c++) {
                    width[c] = HEADERS[c].length();
                }
            }
        }

        @Override
        public void accept(Connection conn) {
            Netid kind = conn.socket().netid();
            if (firstKind == null) {
                firstKind = kind;
            } else if (kind != firstKind) {
                severalKinds = true;
            }
            cells.clear();
            fillSocketCells(conn.socket(), cells);
            measure(cells, width, 0, PROC);
            if (options.processes()) {
                groups.fill(conn.owners());
                for (int i = 0; i < groups.count; i++) {
                    fillHolderCells(groups.group[i], cells);
                    measure(cells, width, PROC, COLUMNS);
                }
            }
        }
    }

    /** A new, empty first pass for this format (see {@link Widths}). */
    public Widths widths() {
        return new Widths();
    }

    @Override
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) throws IOException {
        write(connections, warnings, out, null);
    }

    /**
     * Writes the table; {@code measured} is the first pass already fed with exactly these rows, or
     * null to make it here.
     */
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out, Widths measured)
            throws IOException {
        Objects.requireNonNull(connections, "connections is null");
        Widths pass = measured;
        if (pass == null) {
            pass = new Widths();
            for (Connection conn : connections) {
                pass.accept(conn);
            }
        }
        boolean[] shown = shownColumns(pass.severalKinds);
        int[] width = pass.width;
        TableCells cells = new TableCells(COLUMNS);
        Groups groups = new Groups();
        dev.netwarden.conns.PhaseTimes.mark("table width pass");

        LineWriter w = new LineWriter(out);
        if (options.header()) {
            cells.clear();
            for (int c = 0; c < COLUMNS; c++) {
                cells.set(c, HEADER_TEXT[c]);
            }
            w.line(cells, width, shown, SEP_COLON, SEP_COLON);
        }
        StringBuilder info = options.info() ? new StringBuilder(256) : null;
        for (Connection conn : connections) {
            SocketEntry s = conn.socket();
            cells.clear();
            fillSocketCells(s, cells);
            byte lsep = separator(s, cells, LADDR, LPORT);
            byte psep = separator(s, cells, PADDR, PPORT);
            if (shown[PROC]) {
                groups.fill(conn.owners());
                if (groups.count == 0) {
                    w.line(cells, width, shown, lsep, psep);
                } else {
                    for (int i = 0; i < groups.count; i++) {
                        if (i == 1) {
                            cells.clear(0, PROC); // continuation line: socket columns blank
                            lsep = psep = SEP_SPACE;
                        }
                        fillHolderCells(groups.group[i], cells);
                        w.line(cells, width, shown, lsep, psep);
                    }
                }
            } else {
                w.line(cells, width, shown, lsep, psep);
            }
            if (info != null && (s.tcpInfo() != null || s.congestion() != null)) {
                info.setLength(0);
                info.append("\t ");
                appendInfo(info, s);
                info.append('\n');
                w.raw(info.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        w.flush();
    }

    private boolean[] shownColumns(boolean severalKinds) {
        boolean[] shown = new boolean[COLUMNS];
        for (int c = STATE; c <= PPORT; c++) {
            shown[c] = true;
        }
        shown[NETID] = options.netidColumn() != null ? options.netidColumn() : severalKinds;
        shown[UID] = shown[INODE] = shown[COOKIE] = options.extended();
        shown[PROC] = shown[PID] = shown[USER] = shown[EXE] = options.processes();
        return shown;
    }

    private static void measure(TableCells cells, int[] width, int from, int to) {
        for (int c = from; c < to; c++) {
            int n = cells.width(c);
            if (n > width[c]) {
                width[c] = n;
            }
        }
    }

    private static final byte SEP_COLON = ':';
    private static final byte SEP_SPACE = ' ';

    /** ':' between address and port, ' ' for UNIX sockets (path inode) or when either half is empty. */
    private static byte separator(SocketEntry s, TableCells cells, int addrColumn, int portColumn) {
        if (cells.isEmpty(addrColumn) || cells.isEmpty(portColumn)) {
            return SEP_SPACE;
        }
        return s.netid().isUnix() ? SEP_SPACE : SEP_COLON;
    }

    /**
     * Pads, trims and buffers whole lines as bytes; writes to the stream in 64 KiB blocks (one
     * write call per block, so a PrintStream's lock and flushing cost nothing per line).
     */
    private static final class LineWriter {
        private final OutputStream out;
        private final byte[] block = new byte[1 << 16];
        private int used;
        private byte[] line = new byte[512];

        LineWriter(OutputStream out) {
            this.out = out;
        }

        void line(TableCells cells, int[] width, boolean[] shown, byte lsep, byte psep) throws IOException {
            int last = COLUMNS - 1;
            while (last > 0 && !shown[last]) {
                last--;
            }
            int n = 0;
            boolean first = true;
            for (int c = 0; c < COLUMNS; c++) {
                if (!shown[c]) {
                    continue;
                }
                int bytes = cells.byteLength(c);
                int pad = Math.max(0, width[c] - cells.width(c));
                ensure(n + bytes + pad + 2);
                boolean portColumn = c == LPORT || c == PPORT;
                if (!first && !portColumn) {
                    line[n++] = ' ';
                }
                first = false;
                if (portColumn) {
                    line[n++] = c == LPORT ? lsep : psep;
                }
                if (RIGHT[c]) {
                    java.util.Arrays.fill(line, n, n + pad, (byte) ' ');
                    n += pad;
                    cells.copyTo(c, line, n);
                    n += bytes;
                } else {
                    cells.copyTo(c, line, n);
                    n += bytes;
                    if (c != last) {
                        java.util.Arrays.fill(line, n, n + pad, (byte) ' ');
                        n += pad;
                    }
                }
            }
            while (n > 0 && line[n - 1] == ' ') {
                n--;
            }
            ensure(n + 1);
            line[n++] = '\n';
            write(line, n);
        }

        void raw(byte[] bytes) throws IOException {
            write(bytes, bytes.length);
        }

        private void write(byte[] bytes, int n) throws IOException {
            if (used + n > block.length) {
                out.write(block, 0, used);
                used = 0;
                if (n > block.length) {
                    out.write(bytes, 0, n);
                    return;
                }
            }
            System.arraycopy(bytes, 0, block, used, n);
            used += n;
        }

        void flush() throws IOException {
            if (used > 0) {
                out.write(block, 0, used);
                used = 0;
            }
            out.flush();
        }

        private void ensure(int n) {
            if (n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(n, line.length * 2));
            }
        }
    }

    private void fillSocketCells(SocketEntry s, TableCells cells) {
        cells.set(NETID, NETID_TEXT[s.netid().ordinal()]);
        cells.set(STATE, STATE_TEXT[s.state().ordinal()]);
        cells.setLong(RECVQ, s.recvQ());
        cells.setLong(SENDQ, s.sendQ());
        if (s.netid().isUnix()) {
            String path = s.unixPath();
            cells.set(LADDR, path == null || path.isEmpty() ? STAR : TableCells.Text.of(TerminalText.sanitize(path)));
            cells.setLong(LPORT, s.inode());
            cells.set(PADDR, STAR);
            cells.setLong(PPORT, s.unixPeerInode());
        } else {
            boolean v6 = s.isIpv6();
            boolean dualStack = v6 && !Boolean.TRUE.equals(s.v6Only());
            cells.begin(LADDR);
            cells.append(addressText(s.local().address(), v6, dualStack));
            if (s.interfaceIndex() != 0) {
                appendInterface(cells, s.interfaceIndex());
            }
            cells.end(LADDR);
            portCell(cells, LPORT, s.netid(), s.local().port());
            cells.set(PADDR, addressText(s.remote().address(), v6, dualStack));
            portCell(cells, PPORT, s.netid(), s.remote().port());
        }
        if (options.extended()) {
            if (s.uid() >= 0) {
                cells.setLong(UID, s.uid());
            }
            cells.setLong(INODE, s.inode());
            if (s.cookie() != 0) {
                cells.begin(COOKIE);
                cells.appendHex(s.cookie());
                cells.end(COOKIE);
            }
        }
    }

    /** ss's inet_addr_print(): {@code ::} of an IPv6 socket not known to be v6-only is {@code *}. */
    private TableCells.Text addressText(InetAddress address, boolean ipv6Socket, boolean dualStack) {
        if (dualStack && address instanceof Inet6Address && address.isAnyLocalAddress()) {
            return STAR;
        }
        return addresses.text(address, ipv6Socket);
    }

    private void appendInterface(TableCells cells, int interfaceIndex) {
        cells.appendAscii('%');
        String name = options.interfaceName() == null ? null : options.interfaceName().apply(interfaceIndex);
        if (name == null) {
            cells.appendLong(interfaceIndex);
        } else {
            cells.append(TableCells.Text.of(TerminalText.sanitize(name)));
        }
    }

    private void portCell(TableCells cells, int column, Netid netid, int port) {
        if (port == 0) {
            cells.set(column, STAR);
            return;
        }
        if (!options.numeric()) {
            TableCells.Text name = netid == Netid.RAW ? protocolText(port) : serviceText(netid, port);
            if (name != null) {
                cells.set(column, name);
                return;
            }
        }
        cells.setLong(column, port);
    }

    /** The sanitized service name of a port as cell text, made once per (kind, port); null when none. */
    private TableCells.Text serviceText(Netid netid, int port) {
        String name = services.name(netid, port);
        if (name == null) {
            return null;
        }
        TableCells.Text[] cache = netid == Netid.UDP ? udpServiceText : tcpServiceText;
        if (cache == null) {
            cache = new TableCells.Text[65536];
            if (netid == Netid.UDP) {
                udpServiceText = cache;
            } else {
                tcpServiceText = cache;
            }
        }
        TableCells.Text t = cache[port];
        if (t == null) {
            t = TableCells.Text.of(TerminalText.sanitize(name));
            cache[port] = t;
        }
        return t;
    }

    /**
     * A RAW socket's protocol as ss's inet_proto_n2a() names it: the /etc/protocols name, else
     * {@code ipproto-N}; made once per number. Null for a number beyond 255 (not a protocol).
     */
    private TableCells.Text protocolText(int protocol) {
        if (protocol < 0 || protocol > 255) {
            return null;
        }
        if (protocolText == null) {
            protocolText = new TableCells.Text[256];
        }
        TableCells.Text t = protocolText[protocol];
        if (t == null) {
            String name = protocols.name(protocol);
            t = TableCells.Text.of(name == null ? "ipproto-" + protocol : TerminalText.sanitize(name));
            protocolText[protocol] = t;
        }
        return t;
    }

    private static void fillHolderCells(Group g, TableCells cells) {
        HolderText h = g.holder;
        cells.set(PROC, h.name);
        cells.set(USER, h.user);
        cells.set(EXE, h.exe);
        cells.begin(PID);
        int n = Math.min(g.pidCount, MAX_PIDS);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                cells.appendAscii(',');
            }
            cells.appendLong(g.pids[i]);
        }
        if (g.pidCount > n) {
            cells.appendAscii(',');
            cells.appendAscii('+');
            cells.appendLong(g.pidCount - n);
        }
        cells.end(PID);
    }

    /** The sanitized name, user and exe of a process as cell text; one instance per distinct triple. */
    private record HolderText(TableCells.Text name, TableCells.Text user, TableCells.Text exe) {
    }

    private record HolderKey(String name, String user, String exe) {
    }

    private final Map<ProcessInfo, HolderText> holderTextByProcess = new IdentityHashMap<>();
    private final Map<HolderKey, HolderText> holderTextByKey = new HashMap<>();
    private final AddressTextCache addresses = new AddressTextCache();
    private TableCells.Text[] tcpServiceText;
    private TableCells.Text[] udpServiceText;
    private TableCells.Text[] protocolText;

    private HolderText holderText(ProcessInfo p) {
        HolderText t = holderTextByProcess.get(p);
        if (t == null) {
            String name = TerminalText.sanitize(p.displayName());
            String user = p.user() != null ? TerminalText.sanitize(p.user()) : p.uid() >= 0 ? Integer.toString(p.uid()) : "?";
            String exe = p.exe() == null ? "?" : TerminalText.sanitize(p.exeDeleted() ? p.exe() + " (deleted)" : p.exe());
            t = holderTextByKey.computeIfAbsent(new HolderKey(name, user, exe),
                    k -> new HolderText(TableCells.Text.of(k.name()), TableCells.Text.of(k.user()), TableCells.Text.of(k.exe())));
            holderTextByProcess.put(p, t);
        }
        return t;
    }

    /** One holder group: a (name, user, exe) and its distinct pids in first-seen order. */
    private static final class Group {
        HolderText holder;
        int[] pids = new int[4];
        int pidCount;

        void addPid(int pid) {
            for (int i = 0; i < pidCount; i++) {
                if (pids[i] == pid) {
                    return;
                }
            }
            if (pidCount == pids.length) {
                pids = java.util.Arrays.copyOf(pids, pidCount * 2);
            }
            pids[pidCount++] = pid;
        }
    }

    /** The holder groups of one row, in reused objects (no allocation per row). */
    private final class Groups {
        Group[] group = new Group[4];
        int count;

        /** Groups {@code owners} by (name, user, exe), keeping first-seen order and distinct pids. */
        void fill(List<Owner> owners) {
            count = 0;
            for (int o = 0, n = owners.size(); o < n; o++) {
                ProcessInfo p = owners.get(o).process();
                HolderText h = holderText(p);
                Group match = null;
                for (int i = 0; i < count; i++) {
                    if (group[i].holder == h) {
                        match = group[i];
                        break;
                    }
                }
                if (match == null) {
                    if (count == group.length) {
                        group = java.util.Arrays.copyOf(group, count * 2);
                    }
                    if (group[count] == null) {
                        group[count] = new Group();
                    }
                    match = group[count++];
                    match.holder = h;
                    match.pidCount = 0;
                }
                match.addPid(p.pid());
            }
        }
    }

    /**
     * Address text per address object: the sock_diag parser hands out the same few InetAddress
     * objects for most rows (its own cache), so a small direct-mapped cache on equality makes the text
     * once per distinct address instead of once per row.
     */
    private static final class AddressTextCache {
        private static final int SLOTS = 512;
        private final InetAddress[] keys = new InetAddress[SLOTS];
        private final boolean[] keyV6 = new boolean[SLOTS];
        private final TableCells.Text[] values = new TableCells.Text[SLOTS];
        private final StringBuilder sb = new StringBuilder(64);

        /** The address as an IPv6 socket ({@code ipv6Socket}) or an IPv4 one shows it, with brackets for IPv6. */
        TableCells.Text text(InetAddress address, boolean ipv6Socket) {
            int slot = (address.hashCode() * 0x9E3779B9 >>> 23) & (SLOTS - 1);
            InetAddress k = keys[slot];
            if (k != null && keyV6[slot] == ipv6Socket && (k == address || k.equals(address))) {
                return values[slot];
            }
            sb.setLength(0);
            if (ipv6Socket) {
                sb.append('[');
                AddressText.append(sb, address, true);
                sb.append(']');
            } else {
                AddressText.append(sb, address, false);
            }
            TableCells.Text t = TableCells.Text.of(sb.toString());
            keys[slot] = address;
            keyV6[slot] = ipv6Socket;
            values[slot] = t;
            return t;
        }
    }

    private static final TableCells.Text STAR = TableCells.Text.of("*");
    private static final TableCells.Text[] HEADER_TEXT = new TableCells.Text[COLUMNS];
    private static final TableCells.Text[] NETID_TEXT = new TableCells.Text[Netid.values().length];
    private static final TableCells.Text[] STATE_TEXT = new TableCells.Text[SocketState.values().length];

    static {
        for (int c = 0; c < COLUMNS; c++) {
            HEADER_TEXT[c] = TableCells.Text.of(HEADERS[c]);
        }
        for (Netid n : Netid.values()) {
            NETID_TEXT[n.ordinal()] = TableCells.Text.of(n.label());
        }
        for (SocketState st : SocketState.values()) {
            STATE_TEXT[st.ordinal()] = TableCells.Text.of(st.label());
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

}
