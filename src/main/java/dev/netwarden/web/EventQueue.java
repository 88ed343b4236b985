package dev.netwarden.web;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * One live-stream client's queue: bounded, and {@link #offer} never waits — when full, the oldest item
 * goes (counted in the shared {@code dropped}). The flow bus offers on the packet path; the client's
 * own thread takes.
 */
final class EventQueue {
    private final int capacity;
    private final LongAdder dropped;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private boolean ended;

    EventQueue(int capacity, LongAdder dropped) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.dropped = dropped;
    }

    synchronized void offer(Object item) {
        if (ended) {
            return;
        }
        if (items.size() >= capacity) {
            items.pollFirst();
            dropped.increment();
        }
        items.addLast(item);
        notifyAll();
    }

    /** Wakes the taker for good: {@link #take} returns null from now on. */
    synchronized void end() {
        ended = true;
        items.clear();
        notifyAll();
    }

    synchronized int size() {
        return items.size();
    }

    /**
     * Waits up to {@code millis} for items and returns those queued (at most {@code max}, oldest first):
     * empty on timeout, null once ended.
     */
    synchronized Object[] take(long millis, int max) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (items.isEmpty() && !ended) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return new Object[0];
            }
            wait(left);
        }
        if (ended) {
            return null;
        }
        int n = Math.min(max, items.size());
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = items.pollFirst();
        }
        return out;
    }
}
