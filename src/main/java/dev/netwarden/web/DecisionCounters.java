package dev.netwarden.web;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, since the web service started, what the overview and the rules page show: blocks (deny and
 * reject decisions), alerts, and decisions per rule (a rule's "hits"). A bus subscriber: counting is a
 * few atomic adds, so it never slows the packet path. The per-rule map is bounded.
 */
final class DecisionCounters implements FlowEventSink {
    static final int MAX_RULES = 10_000;

    private final LongAdder blocked = new LongAdder();
    private final LongAdder alerts = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> ruleHits = new ConcurrentHashMap<>();

    @Override
    public void publish(FlowEvent event) {
        switch (event) {
            case FlowEvent.Decided d -> {
                if (!d.action().equals("allow")) {
                    blocked.increment();
                }
                if (d.ruleId() != null) {
                    LongAdder a = ruleHits.get(d.ruleId());
                    if (a == null && ruleHits.size() < MAX_RULES) {
                        a = ruleHits.computeIfAbsent(d.ruleId(), k -> new LongAdder());
                    }
                    if (a != null) {
                        a.increment();
                    }
                }
            }
            case FlowEvent.Alert a -> alerts.increment();
            default -> { }
        }
    }

    long blocked() {
        return blocked.sum();
    }

    long alerts() {
        return alerts.sum();
    }

    /** Decisions made by rule {@code id} since the start. */
    long hits(String id) {
        LongAdder a = ruleHits.get(id);
        return a == null ? 0 : a.sum();
    }

    Map<String, LongAdder> allHits() {
        return Map.copyOf(ruleHits);
    }
}
