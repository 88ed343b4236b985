package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;

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

    /** A remote host (domain, else address; {@code key} unescaped, {@code host} escaped) and the programs talking to it. */
    record HostRow(String key, String host, double up, double down, long totalUp, long totalDown, int connections, String apps) {}

    /**
     * @param showDns false: connections to or from port 53 are left out of every pane and total
     */
    static Rows of(Tally.Sample sample, boolean showDns, Services services) {
        Objects.requireNonNull(sample, "sample is null");
        Map<ProcessKey, double[]> procRates = new HashMap<>();
        Map<Object, double[]> hostRates = new HashMap<>();
        Map<Object, TreeSet<String>> hostApps = new HashMap<>();
        List<ConnectionRow> conns = new ArrayList<>(sample.flows().size());
        for (Tally.FlowStat s : sample.flows()) {
            if (s.dns() && !showDns) {
                continue;
            }
            FlowEvent.Opened o = s.flow().opened();
            double up = Math.max(0, s.up());
            double down = Math.max(0, s.down());
            ProcessKey key = ProcessKey.of(o.attribution());
            double[] pr = procRates.get(key);
            if (pr == null) {
                pr = new double[3];
                procRates.put(key, pr);
            }
            pr[0] += up;
            pr[1] += down;
            pr[2]++;
            Object host = Tally.hostKey(o);
            if (host != null) {
                double[] hr = hostRates.get(host);
                if (hr == null) {
                    hr = new double[3];
                    hostRates.put(host, hr);
                    hostApps.put(host, new TreeSet<>());
                }
                hr[0] += up;
                hr[1] += down;
                hr[2]++;
                TreeSet<String> apps = hostApps.get(host);
                if (apps.size() < 8) {
                    apps.add(Names.process(o.attribution().isKnown() ? o.attribution().process().info() : null));
                }
            }
            conns.add(new ConnectionRow(s, services));
        }
        Map<String, double[]> ratesByHost = new HashMap<>();
        Map<String, TreeSet<String>> appsByHost = new HashMap<>();
        for (Map.Entry<Object, double[]> e : hostRates.entrySet()) {
            String text = Tally.hostText(e.getKey());
            double[] r = ratesByHost.computeIfAbsent(text, k -> new double[3]);
            for (int i = 0; i < 3; i++) {
                r[i] += e.getValue()[i];
            }
            appsByHost.computeIfAbsent(text, k -> new TreeSet<>()).addAll(hostApps.get(e.getKey()));
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
            double[] r = ratesByHost.getOrDefault(h.host(), new double[3]);
            long tUp = h.totals().up(showDns);
            long tDown = h.totals().down(showDns);
            if (r[2] == 0 && tUp == 0 && tDown == 0) {
                continue;
            }
            TreeSet<String> apps = appsByHost.get(h.host());
            String appText = apps != null ? String.join(",", apps) : String.join(",", h.apps().stream().map(TerminalText::sanitize).toList());
            hosts.add(new HostRow(h.host(), TerminalText.sanitize(h.host()), r[0], r[1], tUp, tDown, (int) r[2], appText));
        }
        return new Rows(procs, conns, hosts);
    }
}
