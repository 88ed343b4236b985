package dev.netwarden.live;

import dev.netwarden.flow.FlowEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlowEventBusTest {
    @Test
    void historyGetsEveryEventEvenWhenASubscriberThrows() throws Exception {
        List<FlowEvent> history = new ArrayList<>();
        List<FlowEvent> ui = new ArrayList<>();
        FlowEventBus bus = new FlowEventBus(history::add);
        AutoCloseable bad = bus.subscribe(e -> {
            throw new IllegalStateException("broken subscriber");
        });
        AutoCloseable good = bus.subscribe(ui::add);
        FlowEvent e1 = new FlowEvent.Decided(1, 1, "allow", null, "default action");
        bus.publish(e1);
        assertThat(history).containsExactly(e1);
        assertThat(ui).containsExactly(e1);
        assertThat(bus.subscriberFailures()).isEqualTo(1);

        bad.close();
        good.close();
        FlowEvent e2 = new FlowEvent.Decided(2, 2, "deny", "r1", "rule r1");
        bus.publish(e2);
        assertThat(history).containsExactly(e1, e2);
        assertThat(ui).containsExactly(e1);
        assertThat(bus.subscribers()).isZero();
    }
}
