package dev.netwarden.intercept;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * netwarden's own iptables chains that send new connections to the NFQUEUE, in the network
 * namespace of the calling process (the daemon's; tests run it under {@code ip netns exec}).
 *
 * <p>What it installs, for IPv4 (iptables) and IPv6 (ip6tables), in the {@code mangle} table:
 * <pre>
 *   -I OUTPUT 1 -j NETWARDEN-OUT
 *   -A NETWARDEN-OUT -m conntrack --ctstate NEW -j NFQUEUE --queue-num N [--queue-bypass]
 *   (with K &gt; 1 queues: ... -j NFQUEUE --queue-balance N:N+K-1 [--queue-bypass] --queue-cpu-fanout)
 *   (inbound or DNS option)
 *   -I INPUT 1 -j NETWARDEN-IN
 *   -A NETWARDEN-IN -p udp --sport 53 -j NFQUEUE --queue-num D [--queue-bypass]       (DNS answers)
 *   -A NETWARDEN-IN ! -i lo -m conntrack --ctstate NEW -j NFQUEUE --queue-num N [...] (inbound)
 * </pre>
 * With a reject mark M (the queue's {@code NfQueueConfig.rejectMark}), also in the {@code filter} table:
 * <pre>
 *   -I OUTPUT 1 -j NETWARDEN-REJECT        (and -I INPUT 1 -j NETWARDEN-REJECT with inbound)
 *   -A NETWARDEN-REJECT -p tcp -m mark --mark M/M -j REJECT --reject-with tcp-reset
 *   -A NETWARDEN-REJECT -m mark --mark M/M -j REJECT --reject-with icmp-port-unreachable  (icmp6-… for IPv6)
 * </pre>
 * A REJECT verdict is an accept with mark M (a queue verdict cannot reject); the packet then goes on
 * from mangle OUTPUT through nat to filter OUTPUT, where this chain rejects it: a TCP client gets a
 * reset ("connection refused") at once, others an ICMP port unreachable. REJECT exists only in
 * filter, which is why it is a second table.
 *
 * <p>Why mangle: it runs before nat (the app's own destination, before any DNAT, is what it asked
 * for) and before filter, where the firewall issue can put its REJECT-by-mark rule that a queue
 * verdict cannot do itself (see {@code linux.nfqueue.Verdict}). Why {@code ! -i lo} inbound: a
 * loopback connection's SYN was already queued on its way out; queueing it again on the way in
 * would show one connection twice. {@code --queue-bypass} only with {@link FailPolicy#OPEN}: with
 * nobody bound to the queue, bypass accepts and its absence drops.
 *
 * <p>Several queues ({@link Options#queueCount()} &gt; 1): new connections are spread over queues N to
 * N+K-1 by the CPU that sends the packet ({@code --queue-cpu-fanout}), so one reader thread per queue
 * shares the verdict work. Why by CPU rather than the default hash: the hash covers only the two
 * addresses and the protocol, so every connection between the same two hosts (one busy client, one
 * server) lands in one queue. Consequence: packets of one flow (a SYN and its retransmit) may reach
 * different queues; a reader must not assume otherwise (a held packet is named by queue and id).
 * DNS answers always go to their own single queue: they are few, and in one queue their order holds.
 *
 * <p>Conntrack NEW means "no reply seen yet": a TCP SYN (and its retransmits), every UDP datagram
 * of a flow until the first answer, an ICMP echo request. Established traffic is never queued.
 *
 * <p>{@link #install()} is idempotent, {@link #remove()} removes exactly the chains and jumps it
 * adds, {@link #verify()} lists what is missing or changed, {@link #restore()} repairs it, and the
 * static {@link #cleanup()} removes any chain named {@code NETWARDEN-*} and every jump to it (after
 * a crash, whatever options the crashed daemon had). One known trace: when the mangle table did not
 * exist before, iptables-nft creates it with empty built-in chains (policy ACCEPT), which remove()
 * cannot delete through iptables; it changes no packet's fate.
 *
 * <p>Not thread-safe; the daemon calls it from one maintenance thread.
 */
public final class InterceptRules {
    public static final String TABLE = "mangle";
    public static final String CHAIN_PREFIX = "NETWARDEN-";
    public static final String OUT_CHAIN = "NETWARDEN-OUT";
    public static final String IN_CHAIN = "NETWARDEN-IN";
    public static final String REJECT_CHAIN = "NETWARDEN-REJECT";
    public static final String FILTER_TABLE = "filter";
    private static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_DUPLICATE_JUMPS = 64;

    /**
     * @param queueNumber     queue for new connections
     * @param failPolicy      adds --queue-bypass when OPEN
     * @param inbound         also queue new inbound connections (INPUT, not from lo)
     * @param dnsAnswerQueue  also queue UDP DNS answers (source port 53) to this queue (the firewall
     *                        issue's domain learning; it needs a whole-packet copy range), or empty
     * @param ipv6            also install for ip6tables
     * @param rejectMark      the mark of packets given a REJECT verdict (the filter table's reject
     *                        chain matches it); 0 = no reject chain (REJECT is then sent as DROP)
     * @param queueCount      new connections go to queues {@code queueNumber .. queueNumber + queueCount - 1},
     *                        spread by sending CPU; 1 = the one queue {@code queueNumber}
     */
    public record Options(int queueNumber, FailPolicy failPolicy, boolean inbound, OptionalInt dnsAnswerQueue, boolean ipv6,
                          int rejectMark, int queueCount) {
        /** Most queues one daemon spreads connections over. */
        public static final int MAX_QUEUES = 64;

        public Options {
            if (queueNumber < 0 || queueNumber > 0xFFFF) {
                throw new IllegalArgumentException("queue number " + queueNumber + " outside 0..65535");
            }
            if (queueCount < 1 || queueCount > MAX_QUEUES) {
                throw new IllegalArgumentException("queue count " + queueCount + " outside 1.." + MAX_QUEUES);
            }
            if (queueNumber + queueCount - 1 > 0xFFFF) {
                throw new IllegalArgumentException("queues " + queueNumber + ".." + (queueNumber + queueCount - 1) + " go beyond 65535");
            }
            Objects.requireNonNull(failPolicy, "failPolicy is null");
            Objects.requireNonNull(dnsAnswerQueue, "dnsAnswerQueue is null");
            dnsAnswerQueue.ifPresent(q -> {
                if (q < 0 || q > 0xFFFF) {
                    throw new IllegalArgumentException("DNS queue number " + q + " outside 0..65535");
                }
            });
        }

        /** Outbound new connections only, IPv4 and IPv6. */
        public static Options outbound(int queueNumber, FailPolicy failPolicy) {
            return new Options(queueNumber, failPolicy, false, OptionalInt.empty(), true, 0, 1);
        }

        /** New connections spread over {@code count} queues from {@link #queueNumber()} on. */
        public Options withQueueCount(int count) {
            return new Options(queueNumber, failPolicy, inbound, dnsAnswerQueue, ipv6, rejectMark, count);
        }

        public Options withRejectMark(int mark) {
            return new Options(queueNumber, failPolicy, inbound, dnsAnswerQueue, ipv6, mark, queueCount);
        }

        public Options withInbound(boolean on) {
            return new Options(queueNumber, failPolicy, on, dnsAnswerQueue, ipv6, rejectMark, queueCount);
        }

        public Options withDnsAnswerQueue(int queue) {
            return new Options(queueNumber, failPolicy, inbound, OptionalInt.of(queue), ipv6, rejectMark, queueCount);
        }

        public Options withIpv6(boolean on) {
            return new Options(queueNumber, failPolicy, inbound, dnsAnswerQueue, on, rejectMark, queueCount);
        }
    }

    /** One chain, its table, the built-in chain that jumps to it, and its rules in order. */
    private record ChainSpec(String table, String name, String hook, List<List<String>> rules) {
    }

    private final Options options;
    private final List<Iptables> families;

    private InterceptRules(Options options, List<Iptables> families) {
        this.options = options;
        this.families = families;
    }

    /** Rules for the current network namespace (the daemon's). */
    public static InterceptRules of(Options options) {
        return of(options, List.of());
    }

    /**
     * Rules whose commands run behind {@code commandPrefix}, e.g. {@code ip netns exec NAME}: how tests
     * and tools reach a namespace other than the process's own.
     */
    public static InterceptRules of(Options options, List<String> commandPrefix) {
        Objects.requireNonNull(options, "options is null");
        return new InterceptRules(options, commands(options.ipv6(), commandPrefix));
    }

    private static List<Iptables> commands(boolean ipv6, List<String> prefix) {
        return ipv6
                ? List.of(Iptables.ipv4(DEFAULT_TIMEOUT_MILLIS, prefix), Iptables.ipv6(DEFAULT_TIMEOUT_MILLIS, prefix))
                : List.of(Iptables.ipv4(DEFAULT_TIMEOUT_MILLIS, prefix));
    }

    public Options options() {
        return options;
    }

    private static List<ChainSpec> chainSpecs(Options o, boolean ipv6) {
        List<ChainSpec> specs = new ArrayList<>();
        specs.add(new ChainSpec(TABLE, OUT_CHAIN, "OUTPUT", List.of(newConnections(o, List.of()))));
        List<List<String>> in = new ArrayList<>();
        o.dnsAnswerQueue().ifPresent(q -> in.add(queue(List.of("-p", "udp", "--sport", "53"), q, 1, o.failPolicy())));
        if (o.inbound()) {
            in.add(newConnections(o, List.of("!", "-i", "lo")));
        }
        if (!in.isEmpty()) {
            specs.add(new ChainSpec(TABLE, IN_CHAIN, "INPUT", List.copyOf(in)));
        }
        if (o.rejectMark() != 0) {
            String mark = "0x" + Integer.toHexString(o.rejectMark());
            String markSpec = mark + "/" + mark;
            List<List<String>> reject = List.of(
                    List.of("-p", "tcp", "-m", "mark", "--mark", markSpec, "-j", "REJECT", "--reject-with", "tcp-reset"),
                    List.of("-m", "mark", "--mark", markSpec, "-j", "REJECT", "--reject-with",
                            ipv6 ? "icmp6-port-unreachable" : "icmp-port-unreachable"));
            specs.add(new ChainSpec(FILTER_TABLE, REJECT_CHAIN, "OUTPUT", reject));
            if (o.inbound()) {
                specs.add(new ChainSpec(FILTER_TABLE, REJECT_CHAIN, "INPUT", reject));
            }
        }
        return List.copyOf(specs);
    }

    private List<ChainSpec> chainsFor(Iptables ipt) {
        return chainSpecs(options, ipt.family().equals("ipv6"));
    }

    private static List<String> newConnections(Options o, List<String> prefix) {
        List<String> match = new ArrayList<>(prefix);
        match.addAll(List.of("-m", "conntrack", "--ctstate", "NEW"));
        return queue(match, o.queueNumber(), o.queueCount(), o.failPolicy());
    }

    /** The NFQUEUE target, options in the order {@code iptables -S} prints them (so {@code -C} and listings agree). */
    private static List<String> queue(List<String> match, int queue, int count, FailPolicy policy) {
        List<String> rule = new ArrayList<>(match);
        if (count == 1) {
            rule.addAll(List.of("-j", "NFQUEUE", "--queue-num", Integer.toString(queue)));
        } else {
            rule.addAll(List.of("-j", "NFQUEUE", "--queue-balance", queue + ":" + (queue + count - 1)));
        }
        if (policy == FailPolicy.OPEN) {
            rule.add("--queue-bypass");
        }
        if (count > 1) {
            rule.add("--queue-cpu-fanout");
        }
        return List.copyOf(rule);
    }

    /**
     * Adds whatever is missing: chains, their rules (a chain whose rules differ is flushed and
     * refilled), the jumps (inserted first in the built-in chain). Returns what it changed, empty
     * when everything was already in place.
     */
    public List<String> install() throws IOException {
        List<String> changed = new ArrayList<>();
        for (Iptables ipt : families) {
            for (ChainSpec chain : chainsFor(ipt)) {
                String table = chain.table();
                if (!chainExists(ipt, table, chain.name())) {
                    ipt.runOrThrow(List.of("-t", table, "-N", chain.name()));
                    changed.add(ipt.family() + " " + table + ": created chain " + chain.name());
                }
                if (!rulesMatch(ipt, chain)) {
                    ipt.runOrThrow(List.of("-t", table, "-F", chain.name()));
                    for (List<String> rule : chain.rules()) {
                        ipt.runOrThrow(concat(List.of("-t", table, "-A", chain.name()), rule));
                    }
                    changed.add(ipt.family() + " " + table + ": (re)filled chain " + chain.name() + " with " + chain.rules().size() + " rule(s)");
                }
                if (!jumpExists(ipt, chain)) {
                    ipt.runOrThrow(List.of("-t", table, "-I", chain.hook(), "1", "-j", chain.name()));
                    changed.add(ipt.family() + " " + table + ": added jump " + chain.hook() + " -> " + chain.name());
                }
            }
        }
        return changed;
    }

    /** What is missing or changed; empty when all rules are in place. Read-only. */
    public List<String> verify() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Iptables ipt : families) {
            for (ChainSpec chain : chainsFor(ipt)) {
                if (!chainExists(ipt, chain.table(), chain.name())) {
                    problems.add(ipt.family() + " " + chain.table() + ": chain " + chain.name() + " is missing");
                    continue;
                }
                if (!rulesMatch(ipt, chain)) {
                    problems.add(ipt.family() + " " + chain.table() + ": rules of " + chain.name() + " were changed");
                }
                if (!jumpExists(ipt, chain)) {
                    problems.add(ipt.family() + " " + chain.table() + ": jump " + chain.hook() + " -> " + chain.name() + " is missing");
                }
            }
        }
        return problems;
    }

    /** Re-adds what {@link #verify()} finds missing (the daemon calls both periodically). Returns what it changed. */
    public List<String> restore() throws IOException {
        return install();
    }

    /** Removes the jumps to this configuration's chains and the chains themselves. Returns what it removed. */
    public List<String> remove() throws IOException {
        List<String> removed = new ArrayList<>();
        for (Iptables ipt : families) {
            for (ChainSpec chain : chainsFor(ipt)) {
                removeJumps(ipt, chain.table(), chain.hook(), chain.name(), removed);
            }
            for (ChainSpec chain : chainsFor(ipt)) { // a chain may have jumps from two hooks: all jumps go first
                removeChain(ipt, chain.table(), chain.name(), removed);
            }
        }
        return removed;
    }

    /**
     * Removes every chain named {@code NETWARDEN-*} in the mangle and filter tables, IPv4 and IPv6,
     * and every rule that jumps to one: what a crashed daemon (of any configuration) left behind.
     * Touches nothing else. Returns what it removed.
     */
    public static List<String> cleanup() throws IOException {
        return cleanup(List.of());
    }

    /** As {@link #cleanup()}, with commands run behind {@code commandPrefix} (see {@link #of(Options, List)}). */
    public static List<String> cleanup(List<String> commandPrefix) throws IOException {
        List<String> removed = new ArrayList<>();
        for (Iptables ipt : commands(true, commandPrefix)) {
            for (String table : List.of(TABLE, "filter")) {
                String saved = ipt.saveTable(table);
                SavedRuleset rs = SavedRuleset.parse(saved);
                for (SavedRuleset.Rule jump : rs.rulesJumpingTo(CHAIN_PREFIX)) {
                    if (jump.chain().startsWith(CHAIN_PREFIX)) {
                        continue; // inside one of our chains: goes with the flush below
                    }
                    Iptables.Result r = ipt.run(concat(List.of("-t", table, "-D", jump.chain()), jump.spec()));
                    if (r.ok()) {
                        removed.add(ipt.family() + " " + table + ": removed jump " + jump.chain() + " " + String.join(" ", jump.spec()));
                    }
                }
                List<String> ours = rs.chainsStartingWith(CHAIN_PREFIX);
                for (String chain : ours) {
                    ipt.runOrThrow(List.of("-t", table, "-F", chain));
                }
                for (String chain : ours) {
                    ipt.runOrThrow(List.of("-t", table, "-X", chain));
                    removed.add(ipt.family() + " " + table + ": removed chain " + chain);
                }
            }
        }
        return removed;
    }

    private static void removeJumps(Iptables ipt, String table, String hook, String chain, List<String> removed) throws IOException {
        for (int i = 0; i < MAX_DUPLICATE_JUMPS; i++) {
            if (!ipt.run(List.of("-t", table, "-C", hook, "-j", chain)).ok()) {
                break;
            }
            ipt.runOrThrow(List.of("-t", table, "-D", hook, "-j", chain));
            removed.add(ipt.family() + " " + table + ": removed jump " + hook + " -> " + chain);
        }
    }

    private static void removeChain(Iptables ipt, String table, String chain, List<String> removed) throws IOException {
        if (chainExists(ipt, table, chain)) {
            ipt.runOrThrow(List.of("-t", table, "-F", chain));
            ipt.runOrThrow(List.of("-t", table, "-X", chain));
            removed.add(ipt.family() + " " + table + ": removed chain " + chain);
        }
    }

    private static boolean chainExists(Iptables ipt, String table, String chain) throws IOException {
        return ipt.run(List.of("-t", table, "-S", chain)).ok();
    }

    private static boolean jumpExists(Iptables ipt, ChainSpec chain) throws IOException {
        return ipt.run(List.of("-t", chain.table(), "-C", chain.hook(), "-j", chain.name())).ok();
    }

    /** The chain holds exactly the expected rules: same count, and each one present (-C). */
    private static boolean rulesMatch(Iptables ipt, ChainSpec chain) throws IOException {
        Iptables.Result listed = ipt.run(List.of("-t", chain.table(), "-S", chain.name()));
        if (!listed.ok()) {
            return false;
        }
        long count = listed.stdout().lines().filter(l -> l.startsWith("-A ")).count();
        if (count != chain.rules().size()) {
            return false;
        }
        for (List<String> rule : chain.rules()) {
            if (!ipt.run(concat(List.of("-t", chain.table(), "-C", chain.name()), rule)).ok()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
