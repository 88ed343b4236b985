package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.ListMembership;
import dev.netwarden.firewall.RuleMatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An immutable set of rules in evaluation order ({@link RuleOrder}), ready to be asked per connection.
 * Rules with an {@code exe} condition are indexed by path, and rules that name no executable but have
 * a {@code cidr} condition by their networks ({@link NetworkIndex}), so a connection only looks at the
 * rules for its executable, the rules for its remote address and the rules that name neither; the
 * three lists are merged by rank, which keeps the order exactly that of {@link #rules()}
 * ({@code RuleSetIndexTest}). Matching takes no lock; it allocates the remote address's bytes and,
 * when networks contain it, their rule list.
 */
public final class RuleSet {
    private static final int[] NONE = new int[0];

    /** One rule as the set holds it: the file it came from (null: in memory) and the once-consumed flag. */
    public static final class Entry {
        private final Rule rule;
        private final Path source;
        private final Condition[] conditions;
        private final AtomicBoolean consumed = new AtomicBoolean();
        private final long expiresAt;
        /** The networks of its cidr condition (one must contain the remote address), or null: a cheap first test. */
        private final Network[] networks;

        Entry(Rule rule, Path source) {
            this.rule = rule;
            this.source = source;
            this.conditions = rule.conditions().toArray(Condition[]::new);
            Condition cidr = rule.condition(ConditionKind.CIDR);
            this.networks = cidr == null ? null : cidr.values().stream().map(Network::parse).toArray(Network[]::new);
            this.expiresAt = rule.duration() instanceof RuleDuration.Expires e ? e.until().toEpochMilli() : Long.MAX_VALUE;
        }

        public Rule rule() {
            return rule;
        }

        /** The rule's file, or null for a rule kept in memory. */
        public Path source() {
            return source;
        }

        public boolean consumed() {
            return consumed.get();
        }

        boolean expired(long nowMillis) {
            return nowMillis >= expiresAt;
        }

        boolean live(long nowMillis) {
            return rule.enabled() && !consumed.get() && nowMillis < expiresAt;
        }

        boolean matches(ConnectionFacts f, ListMembership lists) {
            if (rule.duration() instanceof RuleDuration.UntilExit u && (f.process() == null
                    || f.process().info().pid() != u.pid() || f.process().info().startTicks() != u.startTicks())) {
                return false;
            }
            for (Condition c : conditions) {
                if (!c.matches(f, lists)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Entry[] entries;
    private final Map<String, int[]> byExe;
    /** Rules that name no executable and have no cidr condition. */
    private final int[] generic;
    /** {@link #generic} without the rules that need a domain (host, host_regex): asked when the domain is unknown. */
    private final int[] genericNoDomain;
    /** Rules that name no executable and have a cidr condition, found by the remote address. */
    private final NetworkIndex genericByNetwork;
    private final Set<Integer> exitPids;

    private RuleSet(List<Entry> sorted) {
        this.entries = sorted.toArray(Entry[]::new);
        Map<String, List<Integer>> exe = new HashMap<>();
        List<Integer> rest = new ArrayList<>();
        Network[][] byNetwork = new Network[entries.length][];
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < entries.length; i++) {
            Rule r = entries[i].rule;
            Condition c = r.condition(ConditionKind.EXE);
            if (c == null && entries[i].networks != null) {
                byNetwork[i] = entries[i].networks;
            } else if (c == null) {
                rest.add(i);
            } else {
                for (String v : new HashSet<>(c.values())) {
                    exe.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
                }
            }
            if (r.duration() instanceof RuleDuration.UntilExit u) {
                pids.add(u.pid());
            }
        }
        Map<String, int[]> index = new HashMap<>(exe.size() * 2);
        exe.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        this.byExe = index;
        this.generic = rest.stream().mapToInt(Integer::intValue).toArray();
        this.genericNoDomain = rest.stream().filter(i -> !needsDomain(entries[i].rule)).mapToInt(Integer::intValue).toArray();
        this.genericByNetwork = new NetworkIndex(byNetwork);
        this.exitPids = Set.copyOf(pids);
    }

    private static boolean anyContains(Network[] networks, byte[] address) {
        for (Network n : networks) {
            if (n.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** A host or host_regex condition never matches a connection whose domain is unknown (rules.md). */
    private static boolean needsDomain(Rule r) {
        return r.condition(ConditionKind.HOST) != null || r.condition(ConditionKind.HOST_REGEX) != null;
    }

    public static final RuleSet EMPTY = new RuleSet(List.of());

    /**
     * A set of the given rules (ids must be unique).
     *
     * @param sources the file of each rule by id; rules not in it are in-memory rules
     */
    public static RuleSet of(List<Rule> rules, Map<String, Path> sources) {
        List<Entry> list = new ArrayList<>(rules.size());
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("rule id " + r.id() + " given twice");
            }
            list.add(new Entry(r, sources.get(r.id())));
        }
        list.sort((a, b) -> RuleOrder.EVALUATION.compare(a.rule, b.rule));
        return new RuleSet(list);
    }

    /** A set of in-memory rules (tests, {@code rules test}). */
    public static RuleSet of(List<Rule> rules) {
        return of(rules, Map.of());
    }

    /** The same set with {@code kept} entries' state carried over (used by the engine on reload). */
    RuleSet carryOver(RuleSet previous) {
        Map<String, Entry> old = new HashMap<>();
        for (Entry e : previous.entries) {
            old.put(e.rule.id(), e);
        }
        for (Entry e : entries) {
            Entry o = old.get(e.rule.id());
            if (o != null && o.rule.equals(e.rule) && o.consumed.get()) {
                e.consumed.set(true);
            }
        }
        return this;
    }

    /** Every rule, in evaluation order. */
    public List<Entry> entries() {
        return List.of(entries);
    }

    public List<Rule> rules() {
        List<Rule> l = new ArrayList<>(entries.length);
        for (Entry e : entries) {
            l.add(e.rule);
        }
        return l;
    }

    public int size() {
        return entries.length;
    }

    boolean hasExitRulesFor(int pid) {
        return exitPids.contains(pid);
    }

    /**
     * The first live rule in evaluation order that matches, or null.
     *
     * @param consume true on the packet path: a once-rule that matches is consumed here (atomically:
     *                of two racing connections exactly one gets it); false for {@code rules test}
     */
    public Entry decide(ConnectionFacts facts, ListMembership lists, long nowMillis, boolean consume) {
        Objects.requireNonNull(facts, "facts is null");
        int[] a = NONE;
        if (facts.process() != null && facts.process().info().exe() != null) {
            int[] hit = byExe.get(facts.process().info().exe());
            if (hit != null) {
                a = hit;
            }
        }
        int[] b = facts.domain() == null ? genericNoDomain : generic;
        byte[] remote = null;
        int[] c = NONE;
        if (!genericByNetwork.isEmpty()) {
            remote = facts.remote().address().getAddress();
            c = genericByNetwork.rulesContaining(remote);
        }
        ListMembership asked = lists == ListMembership.NONE ? lists : new DecisionLists(lists);
        // The three candidate lists are each in evaluation order; merged, they keep it.
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length || k < c.length) {
            int next = Integer.MAX_VALUE;
            int from = 0;
            if (i < a.length) {
                next = a[i];
                from = 1;
            }
            if (j < b.length && b[j] < next) {
                next = b[j];
                from = 2;
            }
            if (k < c.length && c[k] < next) {
                next = c[k];
                from = 3;
            }
            switch (from) {
                case 1 -> i++;
                case 2 -> j++;
                default -> k++;
            }
            Entry e = entries[next];
            if (e.networks != null) {
                if (remote == null) {
                    remote = facts.remote().address().getAddress();
                }
                if (!anyContains(e.networks, remote)) {
                    continue;
                }
            }
            if (!e.live(nowMillis) || !e.matches(facts, asked)) {
                continue;
            }
            if (consume && e.rule.duration() instanceof RuleDuration.Once && !e.consumed.compareAndSet(false, true)) {
                continue;
            }
            return e;
        }
        return null;
    }

    /** The decision for {@code facts} with its explanation, without consuming anything. */
    public java.util.Optional<RuleMatch> explain(ConnectionFacts facts, ListMembership lists, long nowMillis) {
        Entry e = decide(facts, lists, nowMillis, false);
        return e == null ? java.util.Optional.empty() : java.util.Optional.of(matchOf(e, facts, lists));
    }

    static RuleMatch matchOf(Entry e, ConnectionFacts facts, ListMembership lists) {
        StringBuilder b = new StringBuilder();
        b.append("rule ").append(e.rule.id()).append(" (").append(e.rule.action().label());
        if (e.rule.priority() != 0) {
            b.append(", priority ").append(e.rule.priority());
        }
        if (!(e.rule.duration() instanceof RuleDuration.Always)) {
            b.append(", ").append(e.rule.duration().label());
        }
        b.append("): ");
        if (e.conditions.length == 0 && !(e.rule.duration() instanceof RuleDuration.UntilExit)) {
            b.append("no conditions, matches every connection");
        }
        if (e.rule.duration() instanceof RuleDuration.UntilExit u) {
            b.append("process pid ").append(u.pid()).append(" (started at tick ").append(u.startTicks()).append(')');
            if (e.conditions.length > 0) {
                b.append("; ");
            }
        }
        for (int i = 0; i < e.conditions.length; i++) {
            b.append(i == 0 ? "" : "; ").append(e.conditions[i].explain(facts, lists));
        }
        return new RuleMatch(e.rule.id(), e.rule.action(), b.toString());
    }
}
