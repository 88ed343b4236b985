package dev.netwarden.intercept;

import dev.netwarden.linux.nfqueue.Verdict;

/**
 * A {@link HoldingHandler}'s answer about one queued packet: a verdict now, or {@link #HOLD}: no
 * verdict yet, the handler (or whoever it handed the packet id to) gives it later through
 * {@link InterceptLoop#verdict(int, Verdict)}.
 */
public enum Decision {
    ACCEPT(Verdict.ACCEPT),
    DROP(Verdict.DROP),
    REJECT(Verdict.REJECT),
    HOLD(null);

    private final Verdict verdict;

    Decision(Verdict verdict) {
        this.verdict = verdict;
    }

    /** The verdict to send now; null for {@link #HOLD}. */
    public Verdict verdict() {
        return verdict;
    }

    public static Decision of(Verdict v) {
        return switch (v) {
            case ACCEPT -> ACCEPT;
            case DROP -> DROP;
            case REJECT -> REJECT;
        };
    }
}
