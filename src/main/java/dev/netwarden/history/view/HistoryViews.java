package dev.netwarden.history.view;

import dev.netwarden.process.ProcessSnapshot;

import dev.netwarden.conns.format.AddressText;
import dev.netwarden.history.HistoryReader.AlertRecord;
import dev.netwarden.history.HistoryReader.AppTotal;
import dev.netwarden.history.HistoryReader.ConnectionRecord;
import dev.netwarden.history.HistoryReader.DestinationTotal;
import dev.netwarden.history.HistoryReader.FirstSeenApp;
import dev.netwarden.history.HistoryReader.FirstSeenDomain;
import dev.netwarden.history.HistoryReader.HourBucket;
import dev.netwarden.history.view.ResultTable.Column;
import dev.netwarden.history.view.ResultTable.Kind;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.netwarden.history.view.ResultTable.Column.all;
import static dev.netwarden.history.view.ResultTable.Column.data;
import static dev.netwarden.history.view.ResultTable.Column.table;

/** Each view's columns (documented in docs/history-json.md) and its rows from the reader's records. */
public final class HistoryViews {
    private HistoryViews() {
    }

    /** "bash(4242) < sshd(880) < systemd(1)": nearest parent first; null when none is known. */
    static String parents(List<ProcessSnapshot.ParentLink> parents) {
        if (parents.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (ProcessSnapshot.ParentLink p : parents) {
            if (!b.isEmpty()) {
                b.append(" < ");
            }
            b.append(p.comm() == null ? "?" : p.comm()).append('(').append(p.pid()).append(')');
        }
        return b.toString();
    }

    public static ResultTable connections(List<ConnectionRecord> records) {
        List<Column> cols = List.of(
                data("id", Kind.NUMBER), all("start_ms", "Start", Kind.TIME), all("end_ms", "End", Kind.TIME),
                all("transport", "Proto", Kind.TEXT), all("direction", "Dir", Kind.TEXT), data("family", Kind.NUMBER),
                data("local_address", Kind.TEXT), data("local_port", Kind.NUMBER), table("Local", Kind.TEXT),
                data("remote_address", Kind.TEXT), data("remote_port", Kind.NUMBER), table("Remote", Kind.TEXT),
                all("domain", "Domain", Kind.TEXT), all("action", "Action", Kind.TEXT), all("rule_id", "Rule", Kind.TEXT),
                data("decision", Kind.TEXT), all("state", "State", Kind.TEXT),
                all("bytes_out", "Out", Kind.BYTES), all("bytes_in", "In", Kind.BYTES),
                data("packets_out", Kind.NUMBER), data("packets_in", Kind.NUMBER),
                all("pid", "PID", Kind.NUMBER), all("user", "User", Kind.TEXT), data("uid", Kind.NUMBER),
                all("comm", "App", Kind.TEXT), all("exe", "Exe", Kind.TEXT), data("sha256", Kind.TEXT),
                data("cmdline", Kind.TEXT), all("unknown_reason", "Unknown because", Kind.TEXT),
                data("level", Kind.TEXT), data("cookie", Kind.TEXT), data("parents", Kind.TEXT));
        List<Object[]> rows = new ArrayList<>();
        for (ConnectionRecord r : records) {
            boolean v6 = r.family() == 10;
            rows.add(new Object[] {r.id(), r.startMillis(), r.endMillis(), r.transport(), r.direction(), r.family(),
                    address(r.localAddress(), v6), r.localPort(), endpoint(r.localAddress(), r.localPort(), v6),
                    address(r.remoteAddress(), v6), r.remotePort(), endpoint(r.remoteAddress(), r.remotePort(), v6),
                    r.domain(), r.action(), r.ruleId(), r.decision(), r.state(), r.bytesOut(), r.bytesIn(), r.packetsOut(), r.packetsIn(), r.pid(), r.user(),
                    r.uid(), r.comm(), r.exe(), r.sha256(), r.cmdline().isEmpty() ? null : String.join(" ", r.cmdline()),
                    r.unknownReason(), r.level(), Long.toUnsignedString(r.cookie()), parents(r.parents())});
        }
        return new ResultTable("connections", cols, rows);
    }

    public static ResultTable topApps(List<AppTotal> apps) {
        List<Column> cols = List.of(all("app", "App", Kind.TEXT), all("exe", "Exe", Kind.TEXT),
                all("connections", "Conns", Kind.NUMBER), all("bytes_out", "Out", Kind.BYTES),
                all("bytes_in", "In", Kind.BYTES), all("bytes", "Total", Kind.BYTES));
        List<Object[]> rows = new ArrayList<>();
        for (AppTotal a : apps) {
            rows.add(new Object[] {a.name() == null ? "(unknown)" : a.name(), a.exe(), a.connections(), a.bytesOut(),
                    a.bytesIn(), a.bytes()});
        }
        return new ResultTable("top_apps", cols, rows);
    }

    public static ResultTable topDestinations(List<DestinationTotal> destinations) {
        List<Column> cols = List.of(all("destination", "Destination", Kind.TEXT), data("domain", Kind.TEXT),
                data("address", Kind.TEXT), all("connections", "Conns", Kind.NUMBER),
                all("bytes_out", "Out", Kind.BYTES), all("bytes_in", "In", Kind.BYTES), all("bytes", "Total", Kind.BYTES));
        List<Object[]> rows = new ArrayList<>();
        for (DestinationTotal d : destinations) {
            String addr = d.address() == null ? null : AddressText.toText(d.address());
            rows.add(new Object[] {d.domain() != null ? d.domain() : addr, d.domain(), addr, d.connections(),
                    d.bytesOut(), d.bytesIn(), d.bytes()});
        }
        return new ResultTable("top_destinations", cols, rows);
    }

    public static ResultTable firstSeenApps(List<FirstSeenApp> apps) {
        List<Column> cols = List.of(all("first_seen_ms", "First seen", Kind.TIME), all("exe", "Exe", Kind.TEXT),
                all("sha256", "SHA-256", Kind.TEXT));
        List<Object[]> rows = new ArrayList<>();
        for (FirstSeenApp a : apps) {
            rows.add(new Object[] {a.firstSeenMillis(), a.exe(), a.sha256()});
        }
        return new ResultTable("first_seen_apps", cols, rows);
    }

    public static ResultTable firstSeenDomains(List<FirstSeenDomain> domains) {
        List<Column> cols = List.of(all("first_seen_ms", "First seen", Kind.TIME), all("domain", "Domain", Kind.TEXT),
                all("exe", "First reached by", Kind.TEXT));
        List<Object[]> rows = new ArrayList<>();
        for (FirstSeenDomain d : domains) {
            rows.add(new Object[] {d.firstSeenMillis(), d.domain(), d.exe()});
        }
        return new ResultTable("first_seen_domains", cols, rows);
    }

    public static ResultTable hourly(List<HourBucket> hours) {
        List<Column> cols = List.of(all("hour_ms", "Hour", Kind.TIME), all("connections", "Conns", Kind.NUMBER),
                all("bytes_out", "Out", Kind.BYTES), all("bytes_in", "In", Kind.BYTES));
        List<Object[]> rows = new ArrayList<>();
        for (HourBucket h : hours) {
            rows.add(new Object[] {h.hourMillis(), h.connections(), h.bytesOut(), h.bytesIn()});
        }
        return new ResultTable("hourly", cols, rows);
    }

    public static ResultTable alerts(List<AlertRecord> alerts) {
        List<Column> cols = List.of(data("id", Kind.NUMBER), all("at_ms", "Time", Kind.TIME), all("kind", "Kind", Kind.TEXT),
                data("connection_id", Kind.NUMBER), all("pid", "PID", Kind.NUMBER), all("comm", "App", Kind.TEXT),
                all("exe", "Exe", Kind.TEXT), all("domain", "Domain", Kind.TEXT), all("detail", "Detail", Kind.TEXT));
        List<Object[]> rows = new ArrayList<>();
        for (AlertRecord a : alerts) {
            rows.add(new Object[] {a.id(), a.atMillis(), a.kind(), a.connectionId(), a.pid(), a.comm(), a.exe(),
                    a.domain(), a.detail()});
        }
        return new ResultTable("alerts", cols, rows);
    }

    private static String address(InetAddress a, boolean v6) {
        if (a == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(40);
        AddressText.append(sb, a, v6);
        return sb.toString();
    }

    private static String endpoint(InetAddress a, int port, boolean v6) {
        String text = address(a, v6);
        if (text == null) {
            return null;
        }
        String p = port == 0 ? "*" : Integer.toString(port);
        return v6 ? "[" + text + "]:" + p : text + ":" + p;
    }
}
