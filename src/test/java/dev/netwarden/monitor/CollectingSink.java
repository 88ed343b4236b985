package dev.netwarden.monitor;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Test sink: keeps every event in order (a real sink, not a mock: history does the same, durably). */
final class CollectingSink implements FlowEventSink {
    private final List<FlowEvent> events = new ArrayList<>();

    @Override
    public synchronized void publish(FlowEvent event) {
        events.add(event);
    }

    synchronized List<FlowEvent> events() {
        return List.copyOf(events);
    }

    <T extends FlowEvent> List<T> of(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<FlowEvent.Opened> opened(Predicate<FlowEvent.Opened> p) {
        return of(FlowEvent.Opened.class).stream().filter(p).toList();
    }

    List<FlowEvent.Closed> closed(long flowId) {
        return of(FlowEvent.Closed.class).stream().filter(c -> c.flowId() == flowId).toList();
    }

    /** Waits until {@code p} holds on the events, up to {@code millis}. */
    boolean await(Predicate<CollectingSink> p, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (p.test(this)) {
                return true;
            }
            Thread.sleep(50);
        }
        return p.test(this);
    }

    /** Flow ids unique per Opened, one Opened per flow, at most one Closed, nothing before Opened or after Closed. */
    void assertConsistent() {
        Set<Long> openedIds = new HashSet<>();
        Map<Long, Integer> closedCount = new HashMap<>();
        for (FlowEvent e : events()) {
            switch (e) {
                case FlowEvent.Opened o -> assertThat(openedIds.add(o.flowId())).as("one Opened for flow " + o.flowId()).isTrue();
                case FlowEvent.Updated u -> {
                    assertThat(openedIds).as("Updated after Opened").contains(u.flowId());
                    assertThat(closedCount).as("no Updated after Closed").doesNotContainKey(u.flowId());
                }
                case FlowEvent.Closed c -> {
                    assertThat(openedIds).as("Closed after Opened").contains(c.flowId());
                    assertThat(closedCount.merge(c.flowId(), 1, Integer::sum)).as("one Closed for flow " + c.flowId()).isEqualTo(1);
                }
                case FlowEvent.Alert a -> {
                }
                case FlowEvent.Decided d -> assertThat(openedIds).as("Decided after Opened").contains(d.flowId());
            }
        }
    }
}
