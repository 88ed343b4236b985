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
    void aSessionGetsEverythingOnceThenOnlyWhatChanged() throws IOException {
        List<LiveFlow> live = new java.util.ArrayList<>(List.of(flow(1, 10), flow(2, 20)));
        ControlHandlers h = new ControlHandlers();
        h.register(FlowsOp.OP, new FlowsOp(() -> List.copyOf(live), new Namespaces("net:[7]", "pid:[8]")));

        String first = h.dispatch("{\"op\":\"flows\",\"session\":\"s1\"}");
        assertThat(first).startsWith("{\"ok\":true,\"net_ns\":\"net:[7]\",\"pid_ns\":\"pid:[8]\",\"at_ms\":").contains("\"delta\":false");
        Map<Long, LiveFlow> client = new HashMap<>();
        assertThat(LiveFlowJson.decode(first.getBytes(StandardCharsets.UTF_8), client).flows())
                .extracting(f -> f.counters().bytesOut()).containsExactlyInAnyOrder(10L, 20L);

        live.set(0, flow(1, 15));
        live.remove(1);
        String next = h.dispatch("{\"op\":\"flows\",\"session\":\"s1\"}");
        assertThat(next).contains("\"delta\":true", "\"flows\":[]", "\"counters\":[[1,\"ESTAB\",15,0,1,0,2000]]", "\"closed\":[2]");
        assertThat(LiveFlowJson.decode(next.getBytes(StandardCharsets.UTF_8), client).flows()).singleElement()
                .satisfies(f -> assertThat(f.counters().bytesOut()).isEqualTo(15));

        String quiet = h.dispatch("{\"op\":\"flows\",\"session\":\"s1\"}");
        assertThat(quiet).contains("\"flows\":[]", "\"counters\":[]", "\"closed\":[]");
        assertThat(h.dispatch("{\"op\":\"flows\"}")).as("no session: everything").contains("\"delta\":false", "\"id\":1,");
    }

    @Test
    void sessionsAreBoundedAndBadIdsRefused() {
        long[] now = {1_000_000};
        FlowsOp op = new FlowsOp(List::of, new Namespaces("net:[7]", "pid:[8]"), () -> now[0]);
        ControlHandlers h = new ControlHandlers();
        h.register(FlowsOp.OP, op);
        assertThat(h.dispatch("{\"op\":\"flows\",\"session\":7}")).contains("\"ok\":false", "session");
        assertThat(h.dispatch("{\"op\":\"flows\",\"session\":\"" + "x".repeat(65) + "\"}")).contains("\"ok\":false");
        for (int i = 0; i < 20; i++) {
            assertThat(h.dispatch("{\"op\":\"flows\",\"session\":\"s" + i + "\"}")).contains("\"ok\":true");
        }
        assertThat(op.sessions()).isEqualTo(FlowsOp.MAX_SESSIONS);
        now[0] += FlowsOp.SESSION_IDLE_MILLIS + 1;
        h.dispatch("{\"op\":\"flows\",\"session\":\"fresh\"}");
        assertThat(op.sessions()).as("idle sessions are forgotten").isEqualTo(1);
    }
}
