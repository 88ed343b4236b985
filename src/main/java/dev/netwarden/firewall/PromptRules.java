package dev.netwarden.firewall;

import dev.netwarden.process.ProcessInfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Rules made from prompt answers, kept in memory: a {@link RuleSink} and {@link RuleMatcher} the
 * daemon uses until (and beside) the rules engine, which stores {@code always} rules as files. Here
 * every rule lives at most until the daemon stops; {@code Nm} rules expire after N minutes,
 * {@code until-exit} rules match only the process that was asked about (same pid and start time), so
 * they end with it.
 *
 * <p>Matching, newest rule first (a later answer overrides an earlier one): {@code exe} scope — the
 * executable (or, for an unknown process, the uid); {@code destination} — plus the domain when the
 * answer named one, else the address, and port and protocol; {@code cmdline} — plus exactly the
 * command line. Lock-free reads (copy-on-write list): the verdict path never waits.
 */
public final class PromptRules implements RuleSink, RuleMatcher {
    private record Entry(String id, PromptRule rule, long expiresMillis) {}

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongSupplier clock;

    public PromptRules(LongSupplier clockMillis) {
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis is null");
    }

    @Override
    public String add(PromptRule rule) {
        Objects.requireNonNull(rule, "rule is null");
        String id = "prompt-" + ids.incrementAndGet();
        long expires = rule.duration().lifetime() == null ? Long.MAX_VALUE
                : clock.getAsLong() + rule.duration().lifetime().toMillis();
        entries.addFirst(new Entry(id, rule, expires));
        return id;
    }

    @Override
    public Optional<RuleMatch> match(ConnectionFacts facts) {
        long now = -1;
        for (Entry e : entries) {
            if (e.expiresMillis != Long.MAX_VALUE) {
                if (now < 0) {
                    now = clock.getAsLong();
                }
                if (now >= e.expiresMillis) {
                    entries.remove(e);
                    continue;
                }
            }
            String why = matches(e.rule, facts);
            if (why != null) {
                return Optional.of(new RuleMatch(e.id, e.rule.action(), why));
            }
        }
        return Optional.empty();
    }

    /** The explanation when {@code r} covers {@code f}, else null. */
    private static String matches(PromptRule r, ConnectionFacts f) {
        ProcessInfo p = f.process() == null ? null : f.process().info();
        String app;
        if (r.exe() != null) {
            if (p == null || !r.exe().equals(p.exe())) {
                return null;
            }
            app = "exe = " + r.exe();
        } else {
            int uid = p != null ? p.uid() : f.uid();
            if (p != null && p.exe() != null || uid != r.uid()) {
                return null;
            }
            app = "unknown process of uid " + r.uid();
        }
        if (r.duration().kind() == RuleDuration.Kind.UNTIL_EXIT
                && (p == null || p.pid() != r.pid() || p.startTicks() != r.startTicks())) {
            return null;
        }
        String what = switch (r.scope()) {
            case EXE -> app;
            case CMDLINE -> p != null && p.cmdline().equals(r.cmdline()) ? app + ", exact cmdline" : null;
            case DESTINATION -> {
                if (f.remote().port() != r.port() || f.transport() != r.transport()) {
                    yield null;
                }
                boolean sameHost = r.host() != null ? r.host().equalsIgnoreCase(f.domain() == null ? "" : f.domain())
                        : ConnectionKiller.sameAddress(r.address(), f.remote().address());
                yield sameHost ? app + ", host " + (r.host() != null ? r.host() : r.address().getHostAddress())
                        + ", port " + r.port() + "/" + r.transport().label() : null;
            }
        };
        return what == null ? null : "prompt answer " + r.duration().label() + " (" + what + ")";
    }

    /** The rules in force, newest first. */
    public List<PromptRule> rules() {
        return entries.stream().map(Entry::rule).toList();
    }
}
