package dev.netwarden.flow;

/**
 * Where trackers publish events. Implementations must not block the caller (it may be the packet
 * path): a full sink drops the event and counts the loss, it never stalls.
 */
@FunctionalInterface
public interface FlowEventSink {
    void publish(FlowEvent event);
}
