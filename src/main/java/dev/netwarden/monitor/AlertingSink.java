package dev.netwarden.monitor;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;

import java.util.Objects;

/**
 * Passes every event on, and after each {@code Opened} the alerts it raises, which are also logged
 * (escaped: details contain names programs chose). Non-blocking as long as the downstream sink is.
 */
final class AlertingSink implements FlowEventSink {
    private static final System.Logger LOG = System.getLogger("dev.netwarden.alerts");

    private final FlowEventSink downstream;
    private final AlertDetector detector;

    AlertingSink(FlowEventSink downstream, AlertDetector detector) {
        this.downstream = Objects.requireNonNull(downstream, "downstream is null");
        this.detector = Objects.requireNonNull(detector, "detector is null");
    }

    @Override
    public void publish(FlowEvent event) {
        downstream.publish(event);
        if (event instanceof FlowEvent.Opened opened) {
            for (FlowEvent.Alert alert : detector.inspect(opened)) {
                downstream.publish(alert);
                LOG.log(System.Logger.Level.WARNING, "alert " + alert.kind().label() + " (flow " + alert.flowId() + "): "
                        + TerminalText.sanitize(alert.detail()));
            }
        }
    }
}
