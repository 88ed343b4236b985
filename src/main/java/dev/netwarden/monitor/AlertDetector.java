package dev.netwarden.monitor;

import dev.netwarden.flow.ExeDomain;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Calls out what deserves a look, from each {@link FlowEvent.Opened} with a known process:
 * <ul>
 * <li>{@link AlertKind#FIRST_CONNECTION_OF_EXECUTABLE}: an executable path never seen connecting
 *     (seeded with what history knows);
 * <li>{@link AlertKind#FIRST_DOMAIN_OF_APP}: an executable reaching a domain it never reached
 *     (only when the flow has a domain);
 * <li>{@link AlertKind#EXECUTABLE_HASH_CHANGED}: the sha256 of an executable path differs from the one
 *     last seen — raised at every change, the others only once;
 * <li>{@link AlertKind#DELETED_EXECUTABLE}: the process runs a deleted or replaced file (also after a
 *     package upgrade of a long-running service: an honest fact, not proof of malice);
 * <li>{@link AlertKind#COMM_MISMATCH}: see {@link CommCheck} for the rule and its false positives.
 * </ul>
 * Each alert is raised once per (kind, executable[, domain]) per daemon run, except hash changes.
 *
 * <p>Bounded memory: every table keeps at most {@code memory} entries and forgets the least recently
 * used one beyond that. A forgotten executable or pair can be called "first" again; history, which
 * seeds the detector at each start, stays the authority. Alert details contain names programs
 * chose (paths, domains, comm): escape them on output. Thread-safe (synchronized; cheap, no I/O
 * except {@link CommCheck}'s cached symlink check).
 */
public final class AlertDetector {
    private final Map<String, String> hashes;
    private final Map<ExeDomain, Boolean> exeDomains;
    private final Map<String, Boolean> deletedRaised;
    private final Map<String, Boolean> commRaised;
    private final CommCheck commCheck;

    /**
     * @param knownExecutables executable path → its last known sha256 (null value when not known)
     * @param knownExeDomains  the (executable, domain) pairs already seen
     * @param memory           entries kept per table
     */
    public AlertDetector(Map<String, String> knownExecutables, Collection<ExeDomain> knownExeDomains, int memory,
                         CommCheck commCheck) {
        Objects.requireNonNull(knownExecutables, "knownExecutables is null");
        Objects.requireNonNull(knownExeDomains, "knownExeDomains is null");
        if (memory < 1) {
            throw new IllegalArgumentException("memory must be at least 1: " + memory);
        }
        this.commCheck = Objects.requireNonNull(commCheck, "commCheck is null");
        this.hashes = bounded(memory);
        this.exeDomains = bounded(memory);
        this.deletedRaised = bounded(memory);
        this.commRaised = bounded(memory);
        knownExecutables.forEach(hashes::put);
        for (ExeDomain d : knownExeDomains) {
            exeDomains.put(d, Boolean.TRUE);
        }
    }

    /** The alerts this opened flow raises, in a fixed order (possibly none). */
    public synchronized List<FlowEvent.Alert> inspect(FlowEvent.Opened opened) {
        Objects.requireNonNull(opened, "opened is null");
        ProcessSnapshot process = opened.attribution().process();
        if (process == null || process.info().exe() == null) {
            return List.of();
        }
        ProcessInfo info = process.info();
        String exe = info.exe();
        long at = opened.startMillis();
        long flow = opened.flowId();
        List<FlowEvent.Alert> out = new ArrayList<>(1);
        boolean known = hashes.containsKey(exe);
        String lastHash = hashes.get(exe);
        if (!known) {
            out.add(new FlowEvent.Alert(flow, at, AlertKind.FIRST_CONNECTION_OF_EXECUTABLE, process, null,
                    "first connection by " + exe));
        }
        if (process.sha256() != null) {
            if (lastHash != null && !lastHash.equals(process.sha256())) {
                out.add(new FlowEvent.Alert(flow, at, AlertKind.EXECUTABLE_HASH_CHANGED, process, null,
                        exe + " changed: sha256 " + lastHash + " -> " + process.sha256()));
            }
            hashes.put(exe, process.sha256());
        } else if (!known) {
            hashes.put(exe, null);
        }
        if (opened.domain() != null) {
            ExeDomain pair = new ExeDomain(exe, opened.domain());
            if (exeDomains.put(pair, Boolean.TRUE) == null) {
                out.add(new FlowEvent.Alert(flow, at, AlertKind.FIRST_DOMAIN_OF_APP, process, opened.domain(),
                        exe + " reached " + opened.domain() + " for the first time"));
            }
        }
        if (info.exeDeleted() && deletedRaised.put(exe, Boolean.TRUE) == null) {
            out.add(new FlowEvent.Alert(flow, at, AlertKind.DELETED_EXECUTABLE, process, null,
                    "connection from a deleted or replaced executable: " + exe));
        }
        if (!commCheck.matches(info) && commRaised.put(exe, Boolean.TRUE) == null) {
            out.add(new FlowEvent.Alert(flow, at, AlertKind.COMM_MISMATCH, process, null,
                    "process name '" + info.comm() + "' does not match its executable " + exe));
        }
        return out;
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
