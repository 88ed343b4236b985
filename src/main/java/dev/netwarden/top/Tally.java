package dev.netwarden.top;

import dev.netwarden.conns.format.AddressText;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.RateTable;
import dev.netwarden.process.ProcessInfo;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns successive live-flow lists into rates (averaged over the window, {@link RateTable}) and totals
 * since {@code top} started, per connection, per process and per remote host.
 *
 * <p>Totals: the kernel's counters are cumulative since each connection opened, so a connection present
 * at the first refresh counts from what it had then, and one first seen later counts from zero (it opened
 * after the previous refresh, so after {@code top} started). Each refresh adds what each counter grew by
 * to its process and host, so a process keeps its total after its connections close, and is still listed
 * for {@link #KEEP_GONE} after its last one: a program that ran for two seconds is not lost at the next
 * refresh. DNS bytes are kept apart so hiding DNS ({@code d}) leaves them out of the totals too.
 *
 * <p>Not thread-safe: the refresh loop owns it.
 */
final class Tally {
    static final Duration KEEP_GONE = Duration.ofSeconds(60);
    private static final int MAX_APPS_PER_HOST = 8;

    /** Bytes since {@code top} started, each way, with the DNS part apart. */
    record Totals(long up, long down, long dnsUp, long dnsDown) {
        long up(boolean withDns) {
            return withDns ? up : up - dnsUp;
        }

        long down(boolean withDns) {
            return withDns ? down : down - dnsDown;
        }
    }

    /** One connection at one refresh; rates are bytes/s, -1 when the kernel tells no counters. */
    record FlowStat(LiveFlow flow, double up, double down, long totalUp, long totalDown, boolean dns) {}

    /** A process seen in this run: its description (null for the unknown-owner row) and totals. */
    record ProcessTally(ProcessKey key, ProcessInfo info, Totals totals, long lastSeenMillis) {}

    /** A remote host (domain, else address) seen in this run. */
    record HostTally(String host, Totals totals, List<String> apps, long lastSeenMillis) {}

    /** Everything one refresh knows. */
    record Sample(long atMillis, List<FlowStat> flows, Map<ProcessKey, ProcessTally> processes,
                  Map<String, HostTally> hosts) {}

    private static final class Acc {
        long up, down, dnsUp, dnsDown, lastSeen;
        ProcessInfo info;
        Set<String> apps;

        void add(long dUp, long dDown, boolean dns) {
            up += dUp;
            down += dDown;
            if (dns) {
                dnsUp += dUp;
                dnsDown += dDown;
            }
        }

        Totals totals() {
            return new Totals(up, down, dnsUp, dnsDown);
        }
    }

    private final RateTable rates;
    private Map<Long, long[]> seen = new HashMap<>();
    private final Map<ProcessKey, Acc> processes = new HashMap<>();
    private final Map<Object, Acc> hosts = new HashMap<>();
    private boolean first = true;

    Tally(Duration window) {
        this.rates = new RateTable(Objects.requireNonNull(window, "window is null"));
    }

    /** Takes one refresh's flows (their order is kept) at wall-clock {@code nowMillis}. */
    Sample update(List<LiveFlow> flows, long nowMillis) {
        List<RateTable.FlowRate> withRates = rates.update(flows);
        Map<Long, long[]> next = new HashMap<>(flows.size() * 2);
        List<FlowStat> stats = new ArrayList<>(flows.size());
        for (RateTable.FlowRate r : withRates) {
            LiveFlow f = r.flow();
            FlowEvent.Opened o = f.opened();
            long out = Math.max(0, f.counters().bytesOut());
            long in = Math.max(0, f.counters().bytesIn());
            // {base out, base in, last out, last in}
            long[] s = seen.get(f.flowId());
            if (s == null) {
                s = first ? new long[] {out, in, out, in} : new long[] {0, 0, 0, 0};
            }
            long dUp = Math.max(0, out - s[2]);
            long dDown = Math.max(0, in - s[3]);
            s[2] = Math.max(s[2], out);
            s[3] = Math.max(s[3], in);
            next.put(f.flowId(), s);
            boolean dns = DnsTraffic.is(o);
            ProcessKey key = ProcessKey.of(o.attribution());
            Acc p = processes.computeIfAbsent(key, k -> new Acc());
            p.add(dUp, dDown, dns);
            p.lastSeen = nowMillis;
            if (o.attribution().isKnown()) {
                p.info = o.attribution().process().info();
            }
            Object host = hostKey(o);
            if (host != null) {
                Acc h = hosts.computeIfAbsent(host, k -> new Acc());
                h.add(dUp, dDown, dns);
                h.lastSeen = nowMillis;
                if (h.apps == null) {
                    h.apps = new LinkedHashSet<>();
                }
                if (h.apps.size() < MAX_APPS_PER_HOST) {
                    h.apps.add(key == ProcessKey.UNKNOWN ? Names.UNKNOWN : o.attribution().process().info().displayName());
                }
            }
            stats.add(new FlowStat(f, r.outPerSecond(), r.inPerSecond(), s[2] - s[0], s[3] - s[1], dns));
        }
        seen = next;
        first = false;
        long forgetBefore = nowMillis - KEEP_GONE.toMillis();
        Map<ProcessKey, ProcessTally> ps = new HashMap<>(processes.size() * 2);
        for (Iterator<Map.Entry<ProcessKey, Acc>> it = processes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ProcessKey, Acc> e = it.next();
            Acc a = e.getValue();
            if (a.lastSeen < forgetBefore) {
                it.remove();
            } else {
                ps.put(e.getKey(), new ProcessTally(e.getKey(), a.info, a.totals(), a.lastSeen));
            }
        }
        Map<String, HostTally> hs = new HashMap<>(hosts.size() * 2);
        for (Iterator<Map.Entry<Object, Acc>> it = hosts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Acc> e = it.next();
            Acc a = e.getValue();
            if (a.lastSeen < forgetBefore) {
                it.remove();
            } else {
                String text = hostText(e.getKey());
                HostTally same = hs.get(text); // a domain that reads like an address: one row
                HostTally t = new HostTally(text, a.totals(), List.copyOf(a.apps), a.lastSeen);
                hs.put(text, same == null ? t : merge(same, t));
            }
        }
        return new Sample(nowMillis, List.copyOf(stats), Map.copyOf(ps), Map.copyOf(hs));
    }

    private static HostTally merge(HostTally a, HostTally b) {
        Set<String> apps = new LinkedHashSet<>(a.apps());
        apps.addAll(b.apps());
        return new HostTally(a.host(), new Totals(a.totals().up() + b.totals().up(), a.totals().down() + b.totals().down(),
                a.totals().dnsUp() + b.totals().dnsUp(), a.totals().dnsDown() + b.totals().dnsDown()),
                List.copyOf(apps), Math.max(a.lastSeenMillis(), b.lastSeenMillis()));
    }

    /**
     * The remote host a connection is counted under: its domain (a String), else its address (an
     * InetAddress, made text only per host, not per connection: {@link #hostText}); null for none (a listener).
     */
    static Object hostKey(FlowEvent.Opened o) {
        if (o.domain() != null) {
            return o.domain();
        }
        if (o.remote().address().isAnyLocalAddress()) {
            return null;
        }
        return o.remote().address();
    }

    /** A {@link #hostKey} as text (unescaped). */
    static String hostText(Object key) {
        return key instanceof InetAddress a ? AddressText.toText(a) : (String) key;
    }
}
