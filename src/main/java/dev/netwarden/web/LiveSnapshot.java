package dev.netwarden.web;

import dev.netwarden.live.RateTable.FlowRate;

import java.util.List;
import java.util.Objects;

/** The connections open at one sampler tick, with their rates (bytes/s over the rate window). */
public record LiveSnapshot(long atMillis, List<FlowRate> flows) {
    public static final LiveSnapshot EMPTY = new LiveSnapshot(0, List.of());

    public LiveSnapshot {
        flows = List.copyOf(Objects.requireNonNull(flows, "flows is null"));
    }

    /** The flow with this id, or null. */
    public FlowRate find(long flowId) {
        for (FlowRate f : flows) {
            if (f.flow().flowId() == flowId) {
                return f;
            }
        }
        return null;
    }
}
