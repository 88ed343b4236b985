package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.AddressText;
import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The rows of the three panes for one refresh, built from a {@link Tally.Sample}: every text already
 * escaped ({@link TerminalText}), so no renderer can print a name raw.
 */
record Rows(List<ProcessRow> processes, List<ConnectionRow> connections, List<HostRow> hosts) {

    /** A process: rates of its open connections, totals since {@code top} started. */
    record ProcessRow(ProcessKey key, String name, int pid, String user, String exe, double up, double down,
                      long totalUp, long totalDown, int connections) {}

    /** A connection; {@code host} is its domain, else its remote address. */
    record ConnectionRow(long id, String protocol, String local, String remote, String domain, String port,
                         String process, int pid, String user, String state, String direction, double up, double down,
                         long totalUp, long totalDown, boolean dns, long cookie) {}

    /** A remote host (domain, else address; {@code key} unescaped, {@code host} escaped) and the programs talking to it. */
    record HostRow(String key, String host, double up, double down, long totalUp, long totalDown, int connections, String apps) {}

    /**
     * @param showDns false: connections to or from port 53 are left out of every pane and total
     */
    static Rows of(Tally.Sample sample, boolean showDns, Services services) {
        Objects.requireNonNull(sample, "sample is null");
        Map<ProcessKey, double[]> procRates = new HashMap<>();
        Map<String, double[]> hostRates = new HashMap<>();
        Map<String, TreeSet<String>> hostApps = new HashMap<>();
        List<ConnectionRow> conns = new ArrayList<>(sample.flows().size());
        StringBuilder sb = new StringBuilder(64);
        for (Tally.FlowStat s : sample.flows()) {
            if (s.dns() && !showDns) {
                continue;
            }
            FlowEvent.Opened o = s.flow().opened();
            ProcessInfo info = o.attribution().isKnown() ? o.attribution().process().info() : null;
            String name = Names.process(info);
            double up = Math.max(0, s.up());
            double down = Math.max(0, s.down());
            ProcessKey key = ProcessKey.of(o.attribution());
            double[] pr = procRates.computeIfAbsent(key, k -> new double[3]);
            pr[0] += up;
            pr[1] += down;
            pr[2]++;
            String host = hostOf(o, sb);
            if (host != null) {
                double[] hr = hostRates.computeIfAbsent(host, k -> new double[3]);
                hr[0] += up;
                hr[1] += down;
                hr[2]++;
                hostApps.computeIfAbsent(host, k -> new TreeSet<>()).add(name);
            }
            conns.add(new ConnectionRow(o.flowId(), protocol(o), endpoint(sb, o.local(), o.family()),
                    endpoint(sb, o.remote(), o.family()), o.domain() == null ? "" : TerminalText.sanitize(o.domain()),
                    port(o, services), name, info == null ? -1 : info.pid(), Names.user(info), TerminalText.sanitize(s.flow().state()),
                    o.direction().label(), s.up(), s.down(), s.totalUp(), s.totalDown(), s.dns(), o.socketCookie()));
        }
        List<ProcessRow> procs = new ArrayList<>(sample.processes().size());
        for (Tally.ProcessTally p : sample.processes().values()) {
            double[] r = procRates.getOrDefault(p.key(), new double[3]);
            long tUp = p.totals().up(showDns);
            long tDown = p.totals().down(showDns);
            if (r[2] == 0 && tUp == 0 && tDown == 0) {
                continue; // only DNS (hidden), or gone without a byte
            }
            ProcessInfo i = p.info();
            procs.add(new ProcessRow(p.key(), Names.process(i), i == null ? -1 : i.pid(), Names.user(i),
                    i == null || i.exe() == null ? "" : TerminalText.sanitize(i.exe()), r[0], r[1], tUp, tDown, (int) r[2]));
        }
        List<HostRow> hosts = new ArrayList<>(sample.hosts().size());
        for (Tally.HostTally h : sample.hosts().values()) {
            double[] r = hostRates.getOrDefault(h.host(), new double[3]);
            long tUp = h.totals().up(showDns);
            long tDown = h.totals().down(showDns);
            if (r[2] == 0 && tUp == 0 && tDown == 0) {
                continue;
            }
            TreeSet<String> apps = hostApps.get(h.host());
            String appText = apps != null ? String.join(",", apps) : String.join(",", h.apps().stream().map(TerminalText::sanitize).toList());
            hosts.add(new HostRow(h.host(), TerminalText.sanitize(h.host()), r[0], r[1], tUp, tDown, (int) r[2], appText));
        }
        return new Rows(procs, conns, hosts);
    }

    private static String hostOf(FlowEvent.Opened o, StringBuilder sb) {
        if (o.domain() != null) {
            return o.domain();
        }
        if (o.remote().address().isAnyLocalAddress()) {
            return null;
        }
        sb.setLength(0);
        AddressText.append(sb, o.remote().address());
        return sb.toString();
    }

    private static String protocol(FlowEvent.Opened o) {
        return o.transport().label() + (o.family() == 10 ? "6" : "");
    }

    private static String endpoint(StringBuilder sb, InetEndpoint e, int family) {
        sb.setLength(0);
        boolean v6 = e.address().getAddress().length == 16;
        if (v6) {
            sb.append('[');
        }
        if (e.address().isAnyLocalAddress()) {
            sb.append('*');
        } else {
            AddressText.append(sb, e.address());
        }
        if (v6) {
            sb.append(']');
        }
        sb.append(':');
        if (e.port() == 0) {
            sb.append('*');
        } else {
            sb.append(e.port());
        }
        return sb.toString();
    }

    /** The port that says what the connection is for (the remote one outbound, the local one inbound), with its service name. */
    static String port(FlowEvent.Opened o, Services services) {
        boolean local = o.direction() == Direction.INBOUND || o.direction() == Direction.LISTEN
                || (o.direction() == Direction.UNKNOWN && o.remote().port() == 0);
        int port = local ? o.local().port() : o.remote().port();
        if (port == 0) {
            return "*";
        }
        String name = services.name(port, o.transport().label());
        return name == null ? Integer.toString(port) : port + "/" + name;
    }
}
