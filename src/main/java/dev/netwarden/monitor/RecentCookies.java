package dev.netwarden.monitor;

/**
 * The last {@code capacity} socket cookies added, for "was this socket already closed?" in O(1) with
 * no allocation: a ring of the cookies in insertion order (the oldest is forgotten when a new one
 * comes) and an open-addressing hash set over it (linear probing, backward-shift deletion, at most
 * half full). Cookie 0 ("none") is never held.
 *
 * <p>Why not a {@code LinkedHashMap<Long, Long>}: at 10,000 connections/s its 65,536 entries (an
 * entry and two boxed longs each, ~5 MB) were replaced every 6.5 s, so every entry lived long enough to
 * be promoted and then died in the old generation: about 0.7 MB/s of the old generation's growth.
 * These two arrays take 1.5 MB once.
 *
 * <p>Not thread-safe: {@link FlowTracker} uses it under its lock.
 */
final class RecentCookies {
    private final long[] ring;
    private final long[] table;
    private final int mask;
    private int next;
    private int size;

    RecentCookies(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.ring = new long[capacity];
        int slots = Integer.highestOneBit(capacity * 2 - 1) << 1; // a power of two >= 2 x capacity
        this.table = new long[slots];
        this.mask = slots - 1;
    }

    /** Remembers {@code cookie} (no-op for 0 or a cookie already held), forgetting the oldest when full. */
    void add(long cookie) {
        if (cookie == 0 || contains(cookie)) {
            return;
        }
        if (size == ring.length) {
            remove(ring[next]);
        } else {
            size++;
        }
        ring[next] = cookie;
        next = next + 1 == ring.length ? 0 : next + 1;
        int i = home(cookie);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = cookie;
    }

    boolean contains(long cookie) {
        if (cookie == 0) {
            return false;
        }
        for (int i = home(cookie); table[i] != 0; i = (i + 1) & mask) {
            if (table[i] == cookie) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    private void remove(long cookie) {
        int i = home(cookie);
        while (table[i] != cookie) {
            if (table[i] == 0) {
                return; // not held (cannot happen: the ring and the set hold the same cookies)
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole when their home
        // slot does not lie cyclically in (hole, their slot].
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int h = home(table[j]);
            boolean stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (!stays) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
    }

    private int home(long cookie) {
        return (int) ((cookie * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
