package dev.netwarden.live;

import dev.netwarden.flow.Counters;
import dev.netwarden.flow.FlowEvent;

import java.util.Objects;

/**
 * One connection open now: how it was opened (process, addresses, domain) and what the monitor last
 * saw of it.
 *
 * @param opened   the flow's {@code Opened} event (its id, attribution, endpoints, domain)
 * @param state    the kernel state at the last sighting ("ESTAB", "UNCONN" …)
 * @param counters cumulative bytes/packets each way at the last sighting; -1 fields are unknown
 * @param atMillis when the state and counters were read (epoch ms): the time the rates are computed at
 */
public record LiveFlow(FlowEvent.Opened opened, String state, Counters counters, long atMillis) {
    public LiveFlow {
        Objects.requireNonNull(opened, "opened is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(counters, "counters is null");
    }

    public long flowId() {
        return opened.flowId();
    }
}
