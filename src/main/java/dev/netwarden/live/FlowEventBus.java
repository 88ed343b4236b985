package dev.netwarden.live;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes each flow event to history first, then to every subscriber (the web UI's live stream).
 * Subscribers come and go while events flow, so the list is copy-on-write: publishing never locks.
 * Like every sink, a subscriber must not block (it may run on the packet path); one that throws is
 * the subscriber's bug, but it must not cost history an event, so it is caught and counted.
 */
public final class FlowEventBus implements FlowEventSink {
    private final FlowEventSink primary;
    private final CopyOnWriteArrayList<FlowEventSink> subscribers = new CopyOnWriteArrayList<>();
    private final LongAdder subscriberFailures = new LongAdder(); // publishers run on several threads

    public FlowEventBus(FlowEventSink primary) {
        this.primary = Objects.requireNonNull(primary, "primary is null");
    }

    @Override
    public void publish(FlowEvent event) {
        primary.publish(event);
        for (FlowEventSink s : subscribers) {
            try {
                s.publish(event);
            } catch (RuntimeException e) {
                subscriberFailures.increment();
            }
        }
    }

    /** Adds a subscriber; returns a handle that removes it. */
    public AutoCloseable subscribe(FlowEventSink subscriber) {
        Objects.requireNonNull(subscriber, "subscriber is null");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Events a subscriber threw on (not delivered to it). */
    public long subscriberFailures() {
        return subscriberFailures.sum();
    }
}
