package dev.netwarden.web;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Slows token guessing: every failed login costs the caller a delay, and after {@code maxFailures}
 * failures within {@code windowMillis} further attempts are refused outright (429) until the oldest
 * failure leaves the window. One counter for the whole server: the API listens on loopback by default,
 * where every caller has the same address.
 */
public final class LoginThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long delayMillis;
    private final LongSupplier clock;
    private final ArrayDeque<Long> failures = new ArrayDeque<>();

    public LoginThrottle(int maxFailures, long windowMillis, long delayMillis, LongSupplier clock) {
        if (maxFailures < 1 || windowMillis < 1 || delayMillis < 0) {
            throw new IllegalArgumentException("bad throttle settings");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.delayMillis = delayMillis;
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    /** Seconds until a login may be tried again; 0 when it may be tried now. */
    public synchronized long retryAfterSeconds() {
        long now = clock.getAsLong();
        while (!failures.isEmpty() && failures.peekFirst() <= now - windowMillis) {
            failures.removeFirst();
        }
        if (failures.size() < maxFailures) {
            return 0;
        }
        return Math.max(1, (failures.peekFirst() + windowMillis - now + 999) / 1000);
    }

    /** Records a failure and sleeps the delay (the caller's thread: a virtual one). */
    public void failed() throws InterruptedException {
        synchronized (this) {
            failures.addLast(clock.getAsLong());
            while (failures.size() > maxFailures) {
                failures.removeFirst();
            }
        }
        if (delayMillis > 0) {
            Thread.sleep(delayMillis);
        }
    }

    public synchronized int recentFailures() {
        return failures.size();
    }
}
