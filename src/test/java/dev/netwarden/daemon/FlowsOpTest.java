package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.LiveFlowJson;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlowsOpTest {
    static LiveFlow flow(long id, long out) {
        FlowEvent.Opened o = new FlowEvent.Opened(id, 1000, Transport.UDP, 2, new InetEndpoint(InetAddress.ofLiteral("10.0.0.1"), 5353),
                new InetEndpoint(InetAddress.ofLiteral("10.0.0.2"), 53), Direction.OUTBOUND, "ESTAB", Attribution.unknown("r"),
                null, InterceptionLevel.PASSIVE, id);
        return new LiveFlow(o, "ESTAB", new Counters(out, 0, 1, 0), 2000);
    }

    @Test
    void answersInTheLiveFlowFormatAndSendsKnownFlowsAsCounters() throws IOException {
        List<LiveFlow> live = List.of(flow(1, 10), flow(2, 20));
        ControlHandlers h = new ControlHandlers();
        h.register(FlowsOp.OP, new FlowsOp(() -> live, new Namespaces("net:[7]", "pid:[8]")));

        String first = h.dispatch("{\"op\":\"flows\"}");
        assertThat(first).startsWith("{\"ok\":true,\"net_ns\":\"net:[7]\",\"pid_ns\":\"pid:[8]\",\"at_ms\":").contains("\"generation\":2");
        Map<Long, FlowEvent.Opened> known = new HashMap<>();
        LiveFlowJson.Decoded d = LiveFlowJson.decode(first.getBytes(StandardCharsets.UTF_8), known);
        assertThat(d.flows()).extracting(f -> f.counters().bytesOut()).containsExactly(10L, 20L);

        String next = h.dispatch("{\"op\":\"flows\",\"known\":2}");
        assertThat(next).contains("\"flows\":[]", "\"counters\":[[1,\"ESTAB\",10,0,1,0,2000],[2,");
        assertThat(LiveFlowJson.decode(next.getBytes(StandardCharsets.UTF_8), known).flows()).hasSize(2);
    }

    @Test
    void aBadGenerationIsRefused() {
        ControlHandlers h = new ControlHandlers();
        h.register(FlowsOp.OP, new FlowsOp(List::of, new Namespaces("net:[7]", "pid:[8]")));
        assertThat(h.dispatch("{\"op\":\"flows\",\"known\":\"x\"}")).contains("\"ok\":false", "\\\"known\\\" must be a non-negative integer");
        assertThat(h.dispatch("{\"op\":\"flows\",\"known\":-3}")).contains("\"ok\":false");
        assertThat(h.dispatch("{\"op\":\"flows\",\"known\":5}")).contains("\"ok\":true", "\"generation\":5");
    }
}
