package dev.netwarden.conns.format;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.SocketEntry;

/**
 * The {@code conns} listing as CSV (RFC 4180: CRLF line ends, a header row, fields with comma, quote, CR
 * or LF quoted, quotes doubled). One row per (socket, holder) pair, so a spreadsheet can filter by process
 * without splitting cells; a socket without holders gets one row with empty process fields. Columns are
 * listed in {@link #HEADER} and documented in {@code docs/conns-json.md}.
 *
 * <p>Text fields come from other users' processes. Two defences:
 * <ul>
 * <li>terminal control and bidi characters are shown escaped by {@link TerminalText}, as in the table
 *     (CSV is read by people, in terminals and spreadsheets; JSON is the faithful format);</li>
 * <li>spreadsheet formula injection (CSV injection): a text field that starts with {@code = + - @} gets a
 *     leading {@code '}, as OWASP recommends, so {@code =HYPERLINK(…)} as a process name stays text.
 *     Numeric columns are written by us and never prefixed.</li>
 * </ul>
 */
public final class CsvFormat implements ConnectionsOutput {

    public static final List<String> HEADER = List.of("netid", "state", "recv_q", "send_q", "local_address",
            "local_port", "remote_address", "remote_port", "path", "peer_inode", "uid", "inode", "cookie",
            "interface", "pid", "fd", "process", "user", "process_uid", "exe", "exe_deleted", "cmdline", "ppid",
            "container_id");

    @Override
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) throws IOException {
        Objects.requireNonNull(connections, "connections is null");
        Writer w = new BufferedWriter(new OutputStreamWriter(Objects.requireNonNull(out, "out is null"),
                StandardCharsets.UTF_8), 1 << 16);
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < HEADER.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(HEADER.get(i));
        }
        line.append("\r\n");
        w.append(line);
        for (Connection c : connections) {
            line.setLength(0);
            appendSocket(line, c.socket());
            int socketEnd = line.length();
            if (c.owners().isEmpty()) {
                line.append(",,,,,,,,,,\r\n");
                w.append(line);
                continue;
            }
            for (Owner o : c.owners()) {
                line.setLength(socketEnd);
                appendOwner(line, o);
                line.append("\r\n");
                w.append(line);
            }
        }
        w.flush();
    }

    private static void appendSocket(StringBuilder sb, SocketEntry s) {
        sb.append(s.netid().label()).append(',');
        sb.append(StableStateName.of(s.state())).append(',');
        sb.append(s.recvQ()).append(',');
        sb.append(s.sendQ()).append(',');
        appendEndpoint(sb, s.local(), s.isIpv6());
        appendEndpoint(sb, s.remote(), s.isIpv6());
        if (s.netid().isUnix()) {
            text(sb, s.unixPath());
            sb.append(',');
            if (s.unixPeerInode() != 0) {
                sb.append(s.unixPeerInode());
            }
        } else {
            sb.append(',');
        }
        sb.append(',');
        if (s.uid() >= 0) {
            sb.append(s.uid());
        }
        sb.append(',').append(s.inode()).append(',');
        if (s.cookie() != 0) {
            sb.append(Long.toUnsignedString(s.cookie()));
        }
        sb.append(',');
        if (s.interfaceIndex() != 0) {
            sb.append(s.interfaceIndex());
        }
    }

    private static void appendEndpoint(StringBuilder sb, InetEndpoint e, boolean ipv6) {
        if (e != null) {
            AddressText.append(sb, e.address(), ipv6);
            sb.append(',').append(e.port()).append(',');
        } else {
            sb.append(",,");
        }
    }

    private static void appendOwner(StringBuilder sb, Owner o) {
        ProcessInfo p = o.process();
        sb.append(',').append(p.pid());
        sb.append(',').append(o.fd());
        sb.append(',');
        text(sb, p.comm());
        sb.append(',');
        text(sb, p.user());
        sb.append(',');
        if (p.uid() >= 0) {
            sb.append(p.uid());
        }
        sb.append(',');
        text(sb, p.exe());
        sb.append(',').append(p.exeDeleted());
        sb.append(',');
        text(sb, String.join(" ", p.cmdline()));
        sb.append(',');
        if (p.ppid() >= 0) {
            sb.append(p.ppid());
        }
        sb.append(',');
        text(sb, p.containerId());
    }

    /** Appends an untrusted text field: sanitized, formula-guarded, quoted when needed. */
    static void text(StringBuilder sb, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        String v = TerminalText.sanitize(value);
        char first = v.charAt(0);
        boolean guard = first == '=' || first == '+' || first == '-' || first == '@';
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote && !guard) {
            sb.append(v);
            return;
        }
        if (quote) {
            sb.append('"');
        }
        if (guard) {
            sb.append('\'');
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        if (quote) {
            sb.append('"');
        }
    }
}
