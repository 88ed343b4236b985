package dev.netwarden.dns;

import dev.netwarden.flow.DomainLookup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Address to the name a program most recently asked for it, learned from DNS answers; the
 * {@link DomainLookup} the monitor asks once per new connection. An address no answer named (or
 * whose answer expired) is asked of the fallback (/etc/hosts).
 *
 * <p>Expiry: an answer is kept for its TTL (capped at {@link #MAX_TTL}) plus a grace period, because
 * programs keep using an address long after the TTL (connection pools, long downloads, resolvers
 * that ignore TTLs); a connection opened within the grace is still named.
 *
 * <p>Why this concurrency design: reads are a {@link ConcurrentHashMap} lookup, a clock read and, the
 * first time an entry is read since it was written, one volatile write; no lock, no allocation.
 * Writes (the sniffer thread, a few thousand answers per second at most) take a lock that guards an
 * intrusive list in write order. At capacity the oldest written entry goes, unless it was read since
 * it was written: then it gets a second chance at the tail (the CLOCK approximation of LRU, with the
 * read bit as the clock hand's bit), at most {@link #MAX_SECOND_CHANCES} times per insert so one write
 * never walks the whole cache. Expired entries are removed when they reach the head of the list.
 */
public final class DomainCache implements DomainLookup {
    public static final int DEFAULT_CAPACITY = 65_536;
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    /** TTLs above this are cut to it (BIND's default max-cache-ttl). */
    public static final Duration MAX_TTL = Duration.ofDays(7);
    static final int MAX_SECOND_CHANCES = 64;

    private final int capacity;
    private final long graceNanos;
    private final DomainLookup fallback;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Entry> entries;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LongAdder learned = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder expired = new LongAdder();
    // oldest written first; guarded by writeLock
    private Entry head;
    private Entry tail;

    private static final class Entry {
        final InetAddress address;
        final String name;
        final String canonical;
        final long expiresAtNanos;
        volatile boolean read;
        Entry previous; // guarded by writeLock
        Entry next;     // guarded by writeLock

        Entry(InetAddress address, String name, String canonical, long expiresAtNanos) {
            this.address = address;
            this.name = name;
            this.canonical = canonical;
            this.expiresAtNanos = expiresAtNanos;
        }
    }

    /** Counters since creation; {@code entries} includes expired ones not yet removed. */
    public record Stats(int entries, long learned, long evicted, long expired) {
    }

    /** A cache of {@link #DEFAULT_CAPACITY} addresses, {@link #DEFAULT_GRACE}, on the system clock. */
    public DomainCache(DomainLookup fallback) {
        this(DEFAULT_CAPACITY, DEFAULT_GRACE, fallback, System::nanoTime);
    }

    public DomainCache(int capacity, Duration grace, DomainLookup fallback) {
        this(capacity, grace, fallback, System::nanoTime);
    }

    /** As above with the clock (nanoseconds, as {@link System#nanoTime()}) given, for tests. */
    public DomainCache(int capacity, Duration grace, DomainLookup fallback, LongSupplier nanoClock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        Objects.requireNonNull(grace, "grace is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace is negative: " + grace);
        }
        this.capacity = capacity;
        this.graceNanos = grace.toNanos();
        this.fallback = Objects.requireNonNull(fallback, "fallback is null");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock is null");
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1024));
    }

    public int capacity() {
        return capacity;
    }

    /** The name a program asked for that led to {@code address}, or the fallback's, or null. */
    @Override
    public String nameFor(InetAddress address) {
        Entry e = live(address);
        return e != null ? e.name : fallback.nameFor(address);
    }

    /** The end of the CNAME chain that gave {@code address}, or null (no live DNS answer). */
    public String canonicalFor(InetAddress address) {
        Entry e = live(address);
        return e != null ? e.canonical : null;
    }

    private Entry live(InetAddress address) {
        Entry e = entries.get(address);
        if (e == null || nanoClock.getAsLong() - e.expiresAtNanos >= 0) {
            return null;
        }
        if (!e.read) {
            e.read = true;
        }
        return e;
    }

    /** Records one answer: its address is now named by its question, for its TTL plus the grace. */
    public void learn(DnsAnswer answer) {
        Objects.requireNonNull(answer, "answer is null");
        long ttlNanos = Math.min(Math.max(answer.ttlSeconds(), 0), MAX_TTL.toSeconds()) * 1_000_000_000L;
        writeLock.lock();
        try {
            long now = nanoClock.getAsLong();
            Entry fresh = new Entry(answer.address(), answer.name(), answer.canonical(), now + ttlNanos + graceNanos);
            Entry old = entries.put(fresh.address, fresh);
            if (old != null) {
                unlink(old);
            }
            learned.increment();
            dropExpiredHeads(now);
            int chances = 0;
            while (entries.size() > capacity) {
                Entry victim = head;
                unlink(victim);
                if (victim.read && chances < MAX_SECOND_CHANCES) {
                    chances++;
                    victim.read = false;
                    append(victim);
                } else {
                    entries.remove(victim.address, victim);
                    evicted.increment();
                }
            }
            append(fresh); // after the eviction walk, so the newest entry is never its victim
        } finally {
            writeLock.unlock();
        }
    }

    private void dropExpiredHeads(long now) {
        for (int i = 0; i < 8 && head != null && now - head.expiresAtNanos >= 0; i++) {
            Entry victim = head;
            unlink(victim);
            entries.remove(victim.address, victim);
            expired.increment();
        }
    }

    private void append(Entry e) {
        e.previous = tail;
        e.next = null;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
    }

    private void unlink(Entry e) {
        if (e.previous == null) {
            head = e.next;
        } else {
            e.previous.next = e.next;
        }
        if (e.next == null) {
            tail = e.previous;
        } else {
            e.next.previous = e.previous;
        }
        e.previous = null;
        e.next = null;
    }

    public Stats stats() {
        return new Stats(entries.size(), learned.sum(), evicted.sum(), expired.sum());
    }
}
